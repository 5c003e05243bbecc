"""Each process's copies of the values cached under data versions (parkdash/parks/versions.py LocalCopies): a value
read again comes from the copy, not from the shared cache; each read gets a value of its own; the copies are bounded
and live no longer than the shared entries. That a write shows at once with the copies on, whatever the write path,
and that two parks' users never share a copy: tests/dashboard/test_cache.py (…WithLocalCopiesTests)."""

from unittest import mock

from django.core.cache import cache
from django.test import SimpleTestCase, TestCase, override_settings

from parkdash.parks import versions
from parkdash.parks.versions import LocalCopies
from tests.support import make_figure, make_indicator, make_park


class CachedWithCopiesTests(TestCase):
    @override_settings(PARKDASH_LOCAL_CACHE_MB=1)
    def test_a_value_read_again_comes_from_the_copy_not_from_the_shared_cache(self):
        computed = []
        compute = lambda: computed.append(1) or {"parks": [1, 2]}  # noqa: E731
        with mock.patch.object(cache, "get", wraps=cache.get) as shared_get:
            first = versions.cached("thing", ((1,),), ("a",), compute)
            second = versions.cached("thing", ((1,),), ("a",), compute)
        self.assertEqual(first, second)
        self.assertEqual(len(computed), 1)
        self.assertEqual(shared_get.call_count, 1)

    @override_settings(PARKDASH_LOCAL_CACHE_MB=0)
    def test_without_copies_every_read_asks_the_shared_cache(self):
        self.assertIsInstance(versions.local_copies(), versions.NoCopies)
        with mock.patch.object(cache, "get", wraps=cache.get) as shared_get:
            versions.cached("thing", ((1,),), ("a",), lambda: 1)
            versions.cached("thing", ((1,),), ("a",), lambda: 1)
        self.assertEqual(shared_get.call_count, 2)

    @override_settings(PARKDASH_LOCAL_CACHE_MB=1)
    def test_a_value_another_process_cached_is_read_once_then_copied(self):
        key = versions.cache_key("thing", ((7,),), ("a",))
        cache.set(key, ["from another process"])
        compute = mock.Mock(side_effect=AssertionError("computed though the shared cache held it"))
        self.assertEqual(versions.cached("thing", ((7,),), ("a",), compute), ["from another process"])
        cache.delete(key)  # the copy no longer needs it
        self.assertEqual(versions.cached("thing", ((7,),), ("a",), compute), ["from another process"])

    @override_settings(PARKDASH_LOCAL_CACHE_MB=1)
    def test_changing_a_value_read_never_changes_what_the_next_read_gets(self):
        value = versions.cached("thing", ((1,),), ("a",), lambda: {"names": ["东部园区"]})
        value["names"].append("changed by a caller")
        self.assertEqual(versions.cached("thing", ((1,),), ("a",), lambda: None), {"names": ["东部园区"]})

    @override_settings(PARKDASH_LOCAL_CACHE_MB=1)
    def test_a_write_makes_a_new_key_so_the_copy_of_the_old_value_is_never_read(self):
        park = make_park()
        figure = make_figure(make_indicator(), park, value=5)

        def value_now():
            at = versions.Versions().get(versions.park_key(park.pk))
            return versions.cached("value", at, (park.pk,), lambda: str(type(figure).objects.get(pk=figure.pk).value))

        self.assertEqual(value_now(), "5.0000")
        type(figure).objects.filter(pk=figure.pk).update(value=9)  # any write path: the database's trigger bumps
        self.assertEqual(value_now(), "9.0000")


class LocalCopiesTests(SimpleTestCase):
    def test_the_least_recently_used_copies_go_first_when_the_bytes_are_spent(self):
        copies = LocalCopies(max_bytes=16 * 200, timeout=None)
        for n in range(20):
            copies.set(f"k{n}", "x" * 100)
        self.assertEqual(copies.get("k0"), "x" * 100)  # used again: kept
        for n in range(20, 35):
            copies.set(f"k{n}", "x" * 100)
        self.assertLessEqual(copies._size, copies.max_bytes)
        self.assertEqual(copies.get("k0"), "x" * 100)
        self.assertIs(copies.get("k1"), versions._MISSING)
        self.assertEqual(copies.get("k34"), "x" * 100)

    def test_a_value_larger_than_a_sixteenth_of_the_budget_is_not_kept(self):
        copies = LocalCopies(max_bytes=16 * 100, timeout=None)
        copies.set("big", "x" * 200)
        self.assertIs(copies.get("big"), versions._MISSING)
        self.assertEqual(copies._size, 0)

    def test_a_copy_lives_no_longer_than_the_shared_entry_would(self):
        copies = LocalCopies(max_bytes=1 << 20, timeout=300)
        with mock.patch("parkdash.parks.versions.time.monotonic", return_value=1000.0):
            copies.set("k", [1])
        with mock.patch("parkdash.parks.versions.time.monotonic", return_value=1299.0):
            self.assertEqual(copies.get("k"), [1])
        with mock.patch("parkdash.parks.versions.time.monotonic", return_value=1300.0):
            self.assertIs(copies.get("k"), versions._MISSING)
        self.assertEqual(copies._size, 0)

    def test_the_settings_size_and_the_caches_timeout_are_taken(self):
        with override_settings(
            PARKDASH_LOCAL_CACHE_MB=2,
            CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "TIMEOUT": 60}},
        ):
            copies = versions.local_copies()
            self.assertEqual((copies.max_bytes, copies.timeout), (2 * 1024 * 1024, 60))
        self.assertIsInstance(versions.local_copies(), versions.NoCopies)  # the test settings': off
