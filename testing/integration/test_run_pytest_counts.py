# SPDX-License-Identifier: GPL-2.0-or-later
"""testing/run-pytest (how testing/run-tests runs pytest and counts): a test module
that cannot be imported fails alone, the other modules still run and count, and the
closing line shows the broken module as failed."""

import subprocess
import sys

from conftest import REPO

RUN_PYTEST = REPO / "testing" / "run-pytest"

GOOD = "def test_one():\n    pass\n\n\ndef test_two():\n    assert 1 + 1 == 2\n"
BROKEN = "import stlink_diag_no_such_module\n\n\ndef test_never_collected():\n    pass\n"
FAILING = "def test_fails():\n    assert 1 == 2\n"
SKIPPED = "import pytest\n\n\n@pytest.mark.skip(reason='not here')\ndef test_skipped():\n    pass\n"


def run_on(tmp_path, files):
    d = tmp_path / "suite"
    d.mkdir()
    for name, text in files.items():
        (d / name).write_text(text)
    p = subprocess.run([str(RUN_PYTEST), str(tmp_path / "junit.xml"), str(d)], capture_output=True, text=True,
                       timeout=120, cwd=tmp_path)
    lines = p.stdout.strip().splitlines()
    return p.returncode, lines[-1] if lines else "", p.stdout


def test_unimportable_module_fails_alone_and_the_others_run(tmp_path):
    rc, last, out = run_on(tmp_path, {"test_a_broken.py": BROKEN, "test_b_good.py": GOOD})
    assert last == "2 passed, 1 failed", out
    assert rc == 1, out
    assert "stlink_diag_no_such_module" in out, out


def test_failures_errors_and_skips_each_count_once(tmp_path):
    rc, last, out = run_on(tmp_path, {"test_a_broken.py": BROKEN, "test_b_good.py": GOOD,
                                      "test_c_failing.py": FAILING, "test_d_skipped.py": SKIPPED})
    assert last == "2 passed, 2 failed", out
    assert rc == 1, out


def test_all_good_passes(tmp_path):
    rc, last, out = run_on(tmp_path, {"test_b_good.py": GOOD})
    assert (rc, last) == (0, "2 passed, 0 failed"), out


def test_a_run_without_tests_or_junit_fails(tmp_path):
    # a conftest.py that cannot be imported stops pytest before any test
    rc, last, out = run_on(tmp_path, {"conftest.py": BROKEN, "test_b_good.py": GOOD})
    assert last == "0 passed, 1 failed", out
    assert rc == 1, out


def test_usage_error_is_exit_2():
    p = subprocess.run([sys.executable, str(RUN_PYTEST)], capture_output=True, text=True, timeout=30)
    assert p.returncode == 2 and "usage" in p.stderr
