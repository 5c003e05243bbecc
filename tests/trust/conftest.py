"""Prints the permission matrix (tests/trust/test_permission_matrix.py) at the end of the test run."""

import sys


def pytest_terminal_summary(terminalreporter):
    for module in list(sys.modules.values()):
        for title, lines in getattr(module, "PERMISSION_MATRIX_REPORT", None) or []:
            terminalreporter.write_sep("=", title)
            for line in lines:
                terminalreporter.write_line(line)
