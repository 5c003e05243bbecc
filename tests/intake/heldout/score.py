"""Score the work-summary extractor on the held-out summaries of this directory.

Usage (from the project root): .venv/bin/python tests/intake/heldout/score.py [-v] [--json] [NAME ...]

texts/*.txt are summaries written for this project in the styles parks use (annual, 1-10月, half-year and
three-quarter reports, plans with 确保/力争/预期 targets, a speech, a notice; simplified and traditional
characters); gold/*.json hold the figures a person reads in them, one object per figure with the keys
quote, indicator, value, unit, yoy_pct, period, kind, zone, share_pct, note. The gold was written before the
extractor was run on the texts, so the score estimates how it reads summaries it was not tuned on.

Matching: a candidate matches a gold figure when its span overlaps the gold quote and its value and unit equal
the gold's (units compared without blanks, in simplified characters); a gold figure without a value (growth
only, masked, a range) needs a candidate without a value and, where the gold has one, the same yoy. Each
candidate matches at most one gold figure, in gold order. A figure whose note starts with "optional" may be
missed. All-right: value, unit, label, kind and yoy right. The label is right when the candidate's label or
indicator name and the gold indicator, compared without blanks in simplified characters (规模以上 read as 规上),
contain one another.
"""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]


def _simplified(text):
    from parkdash.intake.extract.normalise import simplify

    return simplify(text or "")


def _number(x):
    try:
        return Decimal(str(x))
    except (InvalidOperation, ValueError):
        return None


def same_number(a, b):
    if a is None or b is None:
        return a is None and b is None
    a, b = _number(a), _number(b)
    return a is not None and b is not None and abs(a - b) <= Decimal("1e-6") * max(Decimal(1), abs(b))


def _unit(u):
    return _simplified(re.sub(r"\s+", "", u or "")) or None


def squash(words):
    """A label compared without blanks, in simplified characters, 规模以上 read as 规上."""
    return _simplified(re.sub(r"\s+", "", str(words or ""))).replace("规模以上", "规上")


def label_right(cand, gold):
    want = squash(gold.get("indicator"))
    for key in ("label", "indicator_name"):
        got = squash(cand.get(key))
        if len(got) >= 2 and want and (got in want or want in got):
            return True
    return False


def _spans(text, quote):
    out, i = [], text.find(quote)
    while i >= 0:
        out.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    return out


def matches(cand, gold, gold_spans):
    s, e = cand.get("start"), cand.get("end")
    if not any(s < ge and gs < e for gs, ge in gold_spans):
        return False
    if gold.get("value") is not None:
        return same_number(cand.get("value"), gold["value"]) and _unit(cand.get("unit")) == _unit(gold.get("unit"))
    if cand.get("value") is not None:
        return False
    return gold.get("yoy_pct") is None or same_number(cand.get("yoy_pct"), gold["yoy_pct"])


def _kind(cand):
    return cand.get("kind") or "actual"


def score_text(text, gold, cands):
    """Counts for one text, and the quotes of what was missed and of the candidates nothing matched."""
    used, pairs, missed = set(), [], []
    for g in gold:
        spans = _spans(text, g["quote"])
        hit = next((i for i, c in enumerate(cands) if i not in used and matches(c, g, spans)), None)
        optional = str(g.get("note") or "").startswith("optional")
        if hit is None:
            if not optional:
                missed.append(g)
            continue
        used.add(hit)
        pairs.append((g, cands[hit], optional))
    required = [p for p in pairs if not p[2]]
    return {
        "gold": sum(1 for g in gold if not str(g.get("note") or "").startswith("optional")),
        "found": len(required),
        "cands": len(cands),
        "tp": len(pairs),
        "kind_ok": sum(1 for g, c, _ in pairs if _kind(c) == g["kind"]),
        "label_ok": sum(1 for g, c, _ in pairs if label_right(c, g)),
        "yoy_ok": sum(1 for g, c, _ in pairs if same_number(c.get("yoy_pct"), g.get("yoy_pct"))),
        "period_ok": sum(1 for g, c, _ in pairs if c.get("period") == g.get("period")),
        "full_ok": sum(
            1
            for g, c, _ in required
            if label_right(c, g) and _kind(c) == g["kind"] and same_number(c.get("yoy_pct"), g.get("yoy_pct"))
        ),
        "missed": missed,
        "extra": [c for i, c in enumerate(cands) if i not in used],
        "wrong": [
            (g, c)
            for g, c, o in required
            if not (label_right(c, g) and _kind(c) == g["kind"] and same_number(c.get("yoy_pct"), g.get("yoy_pct")))
        ],
    }


def run(names=()):
    """{name: counts} for every held-out text (or those whose name starts with one of ``names``)."""
    from parkdash.intake.extract import extract

    out = {}
    for path in sorted((HERE / "texts").glob("*.txt")):
        if names and not any(path.stem.startswith(n) for n in names):
            continue
        text = path.read_text(encoding="utf-8")
        gold = json.loads((HERE / "gold" / (path.stem + ".json")).read_text(encoding="utf-8"))
        cands = [c.to_dict() for c in extract(text)]
        out[path.stem] = score_text(text, gold, cands)
    return out


def totals(per_text):
    t = {}
    for counts in per_text.values():
        for k, v in counts.items():
            if isinstance(v, int):
                t[k] = t.get(k, 0) + v
    gold, tp = max(1, t.get("gold", 0)), max(1, t.get("tp", 0))
    return {
        "texts": len(per_text),
        "gold": t.get("gold", 0),
        "candidates": t.get("cands", 0),
        "recall": round(t.get("found", 0) / gold, 3),
        "precision": round(t.get("tp", 0) / max(1, t.get("cands", 0)), 3),
        "all_right": round(t.get("full_ok", 0) / gold, 3),
        "kind": round(t.get("kind_ok", 0) / tp, 3),
        "label": round(t.get("label_ok", 0) / tp, 3),
        "yoy": round(t.get("yoy_ok", 0) / tp, 3),
        "period": round(t.get("period_ok", 0) / tp, 3),
    }


def _print_details(per_text):
    for name, s in per_text.items():
        for g in s["missed"]:
            print(f"missed  {name[:3]}: {g['quote']}  [{g['value']} {g['unit']} yoy {g['yoy_pct']}]")
        for c in s["extra"]:
            print(f"extra   {name[:3]}: {c['quote']}  [{c['value']} {c['unit']} {c['label']}]")
        for g, c in s["wrong"]:
            print(
                f"wrong   {name[:3]}: {g['quote']}  gold {g['indicator']}/{g['kind']}/{g['yoy_pct']}"
                f"  got {c['label']}/{c['kind']}/{c['yoy_pct']}"
            )


def main(argv):
    sys.path.insert(0, str(ROOT))
    names = [a for a in argv if not a.startswith("-")]
    per_text = run(names)
    summary = totals(per_text)
    if "--json" in argv:
        print(json.dumps(summary))
        return
    print(f"{'text':42} gold found cands  kind label  all-right")
    for name, s in per_text.items():
        print(
            f"{name:42} {s['gold']:4} {s['found']:5} {s['cands']:5} {s['kind_ok']:5} {s['label_ok']:5} {s['full_ok']:6}"
        )
    if "-v" in argv:
        _print_details(per_text)
    line = "recall {recall:.2f}  precision {precision:.2f}  all-right {all_right:.2f}"
    line += "  (kind {kind:.2f}, label {label:.2f}, yoy {yoy:.2f}, period {period:.2f})"
    line += "  on {gold} gold figures in {texts} texts, {candidates} candidates"
    print(line.format(**summary))


if __name__ == "__main__":
    main(sys.argv[1:])
