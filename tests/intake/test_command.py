"""python manage.py extract_summary PATH|- prints the candidates as JSON and writes nothing."""

import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from parkdash.indicators.models import Figure
from parkdash.intake.models import Candidate, WorkSummary

SEED = Path(__file__).resolve().parent / "samples" / "seed_000.txt"
KEYS = [
    "label",
    "indicator_code",
    "indicator_name",
    "value",
    "unit",
    "canonical_value",
    "canonical_unit",
    "yoy_pct",
    "period",
    "kind",
    "version",
    "zone",
    "share_pct",
    "range",
    "start",
    "end",
    "quote",
    "flags",
]


def run(*args, stdin=None):
    out = io.StringIO()
    if stdin is not None:
        old, sys.stdin = sys.stdin, io.TextIOWrapper(io.BytesIO(stdin))
    try:
        call_command("extract_summary", *args, stdout=out)
    finally:
        if stdin is not None:
            sys.stdin = old
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_it_prints_every_candidate_of_the_seed_with_the_public_keys():
    call_command("loaddata", "seed", verbosity=0)
    before = (Figure.objects.count(), WorkSummary.objects.count(), Candidate.objects.count())
    candidates = run(str(SEED), "--format", "json")
    text = SEED.read_text(encoding="utf-8")
    assert len(candidates) >= 80
    assert all(list(c) == KEYS for c in candidates)
    assert all(text[c["start"] : c["end"]] == c["quote"] for c in candidates)
    fai = next(c for c in candidates if c["indicator_code"] == "fixed_asset_investment")
    assert (fai["value"], fai["unit"], fai["yoy_pct"], fai["kind"]) == ("20.75", "亿元", "42.45", "actual")
    zone = next(c for c in candidates if c["indicator_code"] == "industrial_output" and c["zone"])
    assert (zone["value"], zone["unit"], zone["canonical_value"], zone["canonical_unit"]) == (
        "3214",
        "万元",
        "0.3214",
        "亿元",
    )
    assert any("suspect_year" in c["flags"] for c in candidates)
    assert (Figure.objects.count(), WorkSummary.objects.count(), Candidate.objects.count()) == before


@pytest.mark.django_db
def test_it_reads_standard_input_in_gb18030():
    candidates = run("-", stdin="2025年工作总结\n1-6月完成供地150亩。".encode("gb18030"))
    assert [(c["value"], c["unit"], c["indicator_code"]) for c in candidates] == [("150", "亩", "land_supplied")]


@pytest.mark.django_db
def test_a_binary_file_is_a_clear_error(tmp_path):
    image = tmp_path / "summary.txt"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(CommandError, match="not a text file"):
        run(str(image))
    with pytest.raises(CommandError, match="cannot read"):
        run(str(tmp_path / "missing.txt"))


@pytest.mark.django_db
def test_zones_given_on_the_command_line_are_the_zones_of_the_figures_after_them():
    text = "2025年工作总结\n滨江完成投资3亿元,临港新建道路5公里。".encode()  # names no pattern makes zones
    plain = run("-", stdin=text)
    assert [c["zone"] for c in plain] == [None, None]
    with_zones = run("-", "--zones", "滨江、临港", stdin=text)
    assert [(c["value"], c["zone"]) for c in with_zones] == [("3", "滨江"), ("5", "临港")]
