"""`make backup` and `make restore`: a natural-key dump that recreates every record in an empty database."""

import gzip
import json
import shutil
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TransactionTestCase
from knox.models import AuthToken

from parkdash.core.management.commands.backup import backup_models
from parkdash.core.roles import sync_roles
from parkdash.indicators.models import FigureWarning
from parkdash.intake.models import Candidate, SummaryFigure, WorkSummary
from parkdash.projects.models import ProjectUpdate
from parkdash.reports.models import ReportLine, Wording
from tests.support import (
    make_enterprise,
    make_figure,
    make_indicator,
    make_park,
    make_project,
    make_work,
    make_zone,
)

# Dumps and restores into emptied databases (TransactionTestCase).
pytestmark = pytest.mark.slow

EXPECTED = {
    "auth.group",
    "auth.user",
    "parks.park",
    "parks.zone",
    "indicators.indicator",
    "indicators.figure",
    "indicators.figurewarning",
    "projects.project",
    "projects.projectupdate",
    "enterprises.enterprise",
    "infrastructure.infrastructurework",
    "intake.worksummary",
    "intake.candidate",
    "intake.summaryfigure",
    "reports.reportline",
    "reports.wording",
    # API tokens (their digests): a restored server keeps the other systems' access.
    "knox.authtoken",
}

# The models a dump keeps with their database ids: they have no natural key.
WITHOUT_NATURAL_KEY = {
    "knox.authtoken",
    "intake.worksummary",
    "intake.candidate",
    "projects.projectupdate",
    "indicators.figurewarning",
    "reports.reportline",
    "reports.wording",
}


def identity(obj):
    """How a record is found again after a restore: its natural key, or its id where it has none (kept as is)."""
    if hasattr(obj, "natural_key"):
        return (obj._meta.label_lower, *obj.natural_key())
    return (obj._meta.label_lower, "id", obj.pk)


def snapshot(model):
    """{identity: {field: value}} of every record: every concrete field, references by the related record's
    identity, many-to-many fields as sorted identities; database ids only for models without a natural key."""
    records = {}
    for obj in model._base_manager.all():
        fields = {}
        for field in model._meta.concrete_fields:
            if field.primary_key and hasattr(obj, "natural_key"):
                continue
            if not field.primary_key and not field.serialize:
                continue  # the database's bookkeeping, not in a dump: a restore stamps it afresh (figure.change_seq)
            if field.is_relation:
                related = getattr(obj, field.name)
                fields[field.name] = identity(related) if related is not None else None
            else:
                fields[field.name] = field.value_from_object(obj)
        for field in model._meta.many_to_many:
            fields[field.name] = sorted(identity(related) for related in getattr(obj, field.name).all())
        key = identity(obj)
        assert key not in records, f"two {model._meta.label} records share the key {key}"
        records[key] = fields
    return records


def everything():
    return {model._meta.label_lower: snapshot(model) for model in backup_models()}


def migrated_empty_database():
    """What `migrate` leaves in a new database: content types, permissions and the role groups (data migration).
    The flush between transactional tests may not recreate them, so they are made here, as migrate would."""
    sync_roles()


def make_world():
    """At least one record of every backed-up model, with empty and full optional fields, zones and none."""
    User = get_user_model()
    admin = User.objects.create_superuser("admin", "admin@example.com", "s3cret-pass")
    editor = User.objects.create_user(
        "editor", "editor@example.com", "editor-pass", is_staff=True, first_name="小", last_name="王"
    )
    viewer = User.objects.create_user("viewer", password="viewer-pass")
    editor.groups.add(Group.objects.get(name="editor"))
    viewer.groups.add(Group.objects.get(name="viewer"))
    Group.objects.create(name="经济发展局").user_set.add(editor)

    east = make_park(description="东部 <b>产业</b> 集聚区", name_en="East Park")
    east.members.add(editor, viewer)
    west = make_park(code="xibu", name="西部开发区", is_demo=True)
    county = make_zone(east, "东部XX县区", name_en="County zone")
    make_zone(east, "高新园")
    west_zone = make_zone(west, "东部XX县区")  # the same name in another park

    fai = make_indicator("fixed_asset_investment", aliases="固投、固定资产投资额")
    output = make_indicator("industrial_output", higher_is_better=False, sort_order=5)
    land = make_indicator("land_supplied")

    summary = WorkSummary.objects.create(
        park=east,
        year=2023,
        month=10,
        plan_year=2024,
        title="2023年工作总结",
        text="今年以来，固定资产投资20.75亿元。",
        file_name="总结.docx",
        encoding="utf-8",
        uploaded_by=editor,
    )
    WorkSummary.objects.create(park=west, year=2023, month=12, text="全年……")
    whole = make_figure(
        fai,
        east,
        entered_value=Decimal("207500"),
        entered_unit="万元",
        value=Decimal("20.75"),
        yoy_pct=Decimal("42.45"),
        source="summary",
        source_quote="固定资产投资20.75亿元",
    )
    SummaryFigure.objects.create(summary=summary, figure=whole)
    FigureWarning.objects.create(
        figure=whole, code="yoy", message="同比与上年数据不符", value=whole.value, confirmed_by=editor
    )
    make_figure(fai, east, zone=county, value=Decimal("3.1000"), note="县区")
    make_figure(fai, east, kind="target", month=12, value=Decimal("30"), version="estimate")
    make_figure(output, east, value=None, yoy_pct=Decimal("-3.50"))
    make_figure(land, west, zone=west_zone, year=2022, month=12, value=Decimal("643.5"))
    ReportLine.objects.create(park=east, indicator=land, position=1, label="供地面积")
    Wording.objects.create(park=east, name="title.txt", language="zh", text="{{ park }}{{ year }}年工作总结")
    Wording.objects.create(name="indicator.txt", language="en", text="{{ name }}: {{ value }}")  # every park's

    Candidate.objects.create(
        summary=summary,
        position=0,
        section="一、主要指标",
        label="固定资产投资",
        indicator=fai,
        value=Decimal("20.75"),
        unit="亿元",
        yoy_pct=Decimal("42.45"),
        period="1-10月",
        kind="actual",
        zone=county,
        zone_name="县区",
        share_pct=Decimal("15"),
        start=5,
        end=17,
        quote="固定资产投资20.75亿元",
        flags=["converted", "zone"],
        status="created",
        message="Created",
        figure=whole,
        record_kind="project",
        record_name="城市规划馆",
        apply_record=True,
    )
    Candidate.objects.create(
        summary=summary,
        position=1,
        label="某指标",
        kind="target",
        start=0,
        end=0,
        quote="",
        selected=False,
        status="skipped",
    )

    project = make_project(
        east,
        zone=county,
        planned_start=date(2023, 3, 1),
        planned_finish=date(2024, 6, 30),
        total_investment=Decimal("12000"),
        ytd_investment=Decimal("3000"),
        responsible_unit="管委会建设局",
    )
    project._change_user = editor
    project._change_note = "主体封顶"
    project.progress_pct = Decimal("65.5")
    project.save()  # a second update, by the editor
    ProjectUpdate.objects.create(
        project=project, date=date(2023, 1, 15), phase="preparation", progress_pct=Decimal("0"), note="立项"
    )
    make_project(west, name="城市规划馆")  # the same name in another park

    make_enterprise(
        east,
        zone=county,
        intent_date=date(2022, 5, 1),
        settled_date=date(2023, 2, 1),
        planned_investment=Decimal("50000"),
        is_listed=True,
        evaluation_outcome="passed",
    )
    make_enterprise(west, name="某科技公司", stage="intent")
    make_work(east, zone=county)
    make_work(east, year=2022, notes="上年")
    AuthToken.objects.create(user=admin)
    return admin


class BackupRestoreTests(TransactionTestCase):
    """Backed up with the command `make backup` runs, restored into a flushed database, compared record by record."""

    def setUp(self):
        migrated_empty_database()
        self.folder = Path(tempfile.mkdtemp(prefix="parkdash-backup-test-"))
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)

    def backup(self):
        call_command("backup", dir=str(self.folder), verbosity=0)
        files = list(self.folder.glob("parkdash-*.json.gz"))
        self.assertEqual(len(files), 1, files)
        return files[0]

    def test_the_models_backed_up(self):
        self.assertEqual({model._meta.label_lower for model in backup_models()}, EXPECTED)

    def test_restore_into_an_empty_database_recreates_every_record(self):
        make_world()
        before = everything()
        for label in EXPECTED:
            self.assertTrue(before[label], f"the test world has no {label}")
        path = self.backup()
        self.assertRegex(path.name, r"^parkdash-\d{8}-\d{6}\.json\.gz$")
        self.assertEqual(path.stat().st_mode & 0o777, 0o600, "the dump holds password hashes")
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            dumped = json.load(stream)
        self.assertEqual({item["model"] for item in dumped}, EXPECTED)
        # Natural keys: no database id except for the models that have no natural key.
        for item in dumped:
            self.assertEqual(
                "pk" in item,
                item["model"] in WITHOUT_NATURAL_KEY,
                item,
            )

        # An empty, migrated database.
        call_command("flush", interactive=False, verbosity=0)
        migrated_empty_database()
        self.assertFalse(get_user_model().objects.exists())
        self.assertEqual(set(Group.objects.values_list("name", flat=True)), {"viewer", "editor", "administrator"})

        call_command("restore", str(path), verbosity=0)
        after = everything()
        for label in sorted(EXPECTED):
            with self.subTest(model=label):
                self.assertEqual(set(after[label]), set(before[label]), "the same records")
                for key, fields in before[label].items():
                    self.assertEqual(after[label][key], fields, key)
        # The restored users can log in with their passwords.
        self.assertTrue(get_user_model().objects.get(username="editor").check_password("editor-pass"))
        # New records still get fresh ids after records restored with theirs (PostgreSQL sequences were reset).
        project = ProjectUpdate.objects.first().project
        new = ProjectUpdate.objects.create(project=project, phase="completed", progress_pct=Decimal("100"))
        self.assertGreater(new.pk, max(key[2] for key in before["projects.projectupdate"]))

    def test_a_backup_restores_into_a_database_restored_from_it_unchanged(self):
        make_world()
        first = self.backup()
        call_command("flush", interactive=False, verbosity=0)
        migrated_empty_database()
        call_command("restore", str(first), verbosity=0)
        first.rename(self.folder / "first.json.gz")
        second = self.backup()
        with gzip.open(self.folder / "first.json.gz", "rt") as a, gzip.open(second, "rt") as b:
            self.assertEqual(json.load(a), json.load(b))

    def test_restore_refuses_a_database_that_holds_records(self):
        make_world()
        path = self.backup()
        with self.assertRaisesMessage(CommandError, "The database is not empty"):
            call_command("restore", str(path), verbosity=0)

    def test_restore_of_a_missing_file(self):
        with self.assertRaisesMessage(CommandError, "No such file"):
            call_command("restore", str(self.folder / "nothing.json.gz"), verbosity=0)

    def test_an_explicit_output_file_uncompressed(self):
        make_park()
        path = self.folder / "out.json"
        call_command("backup", output=str(path), verbosity=0)
        self.assertEqual(json.loads(path.read_text(encoding="utf-8"))[0]["model"], "auth.group")
        self.assertEqual([p.name for p in self.folder.iterdir()], ["out.json"], "no partial file left")
