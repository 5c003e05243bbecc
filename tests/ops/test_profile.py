"""`make profile` (bench/profile_mix.py): the load mix's request kinds run, and the profile says where time went."""

import sys
from pathlib import Path

from django.test import TestCase

from tests.support.records import park_with_data

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import profile_mix as bench_profile  # noqa: E402  (bench/profile_mix.py)


class AreaTests(TestCase):
    def test_a_frame_is_counted_in_the_area_of_the_code_that_ran(self):
        site = "/x/site-packages/"
        self.assertEqual(bench_profile.area_of(site + "django/template/base.py"), "templates")
        self.assertEqual(bench_profile.area_of(site + "django/db/models/sql/query.py"), "ORM")
        self.assertEqual(bench_profile.area_of(site + "django/db/backends/sqlite3/base.py"), "database driver")
        self.assertEqual(bench_profile.area_of(site + "django_tables2/rows.py"), "django-tables2")
        self.assertEqual(bench_profile.area_of(str(bench_profile.ROOT / "parkdash/core/numbers.py")), "ParkDash")
        self.assertEqual(bench_profile.area_of("/usr/lib/python3.11/copy.py"), "Python and libraries")


class ProfileTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        park_with_data()
        cls.editor = bench_profile.load_test_editor()

    def setUp(self):
        self.client.force_login(self.editor)
        self.requests = bench_profile.Requests(self.client)

    def test_the_overview_is_profiled_down_to_the_dashboard_view(self):
        cpu, profiler = bench_profile.profile_kind(self.requests, "overview", rounds=2, interval=0.0005)
        self.assertEqual(len(cpu), 2)
        self.assertTrue(all(ms > 0 for ms in cpu))
        ours = bench_profile.project_times(profiler.last_session.root_frame())
        self.assertTrue(any("parkdash/dashboard/views.py" in name for name in ours), list(ours)[:5])

    def test_the_admin_writes_are_sent_and_their_figures_removed_after(self):
        from parkdash.indicators.models import Figure

        before = Figure.objects.count()
        self.requests.call("add figure")
        self.requests.call("edit figure")
        self.assertEqual(Figure.objects.count(), before + 1)
        edited = Figure.objects.get(pk=self.requests.added[0]["id"])
        self.assertEqual(edited.note, "profile")
        self.requests.clean_up()
        self.assertEqual(Figure.objects.count(), before)
