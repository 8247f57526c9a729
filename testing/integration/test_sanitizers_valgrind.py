# SPDX-License-Identifier: GPL-2.0-or-later
"""stlink_diag under valgrind memcheck (the ordinary build): no invalid read or write, no use of
uninitialised memory, and no definite leak, for a healthy target, an unpowered one and a hostile probe,
in both drivers. The AddressSanitizer build runs the whole matrix (testing/run-tests); valgrind adds
uninitialised-memory checks ASan does not make.

Leaks: only definite leaks count; upstream OpenOCD leaks at exit are listed, each with its reason, in
testing/sanitizers/valgrind.supp."""

import os

import pytest

from conftest import DRIVERS, REPO, extract_json, interface_args, require_program

VALGRIND_ERROR = 99
SUPP = REPO / "testing" / "sanitizers" / "valgrind.supp"
CASES = [("healthy-f407", None), ("target-unpowered", None), ("healthy-f407", "random,seed=7,rate=0.3,after=3")]


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("scenario,hostile", CASES, ids=["healthy", "unpowered", "hostile"])
def test_stlink_diag_under_memcheck(sim, run_openocd, driver, scenario, hostile):
    valgrind = require_program(os.environ.get("VALGRIND", "valgrind"), "apt-get install valgrind")
    s = sim(scenario, timeout=120, extra_args=["--hostile", hostile] if hostile else [])
    status, out = run_openocd(interface_args(driver, s.port) + ["-c", "stlink_diag -json"],
                              timeout=120, wrapper=[valgrind, "-q", f"--error-exitcode={VALGRIND_ERROR}",
                                                    "--leak-check=full", "--errors-for-leak-kinds=definite",
                                                    "--show-leak-kinds=definite", f"--suppressions={SUPP}"])
    s.stop()
    assert status != VALGRIND_ERROR, f"valgrind reported errors:\n{out}"
    assert "Invalid read" not in out and "Invalid write" not in out and "uninitialised" not in out, out
    r = extract_json(out)
    assert r["exit_status"] == status, (r["exit_status"], status, out)
