"""Python function calls, counted by cProfile: what cost tests compare (unlike time, the same on every run)."""

import cProfile
import pstats


def calls(function):
    """How many Python function calls ``function()`` makes."""
    profile = cProfile.Profile()
    profile.enable()
    function()
    profile.disable()
    return pstats.Stats(profile).total_calls
