# SPDX-License-Identifier: GPL-2.0-or-later
"""The sanitizer pass can fail: a sanitizer report in OpenOCD's output fails the run whatever exit status
the test expects, and in the sanitizer pass (STLINK_DIAG_EXPECT_ASAN=1, set by testing/run-tests) the
OpenOCD under test really is the ASan/UBSan build."""

import os
import subprocess

import pytest

from conftest import OPENOCD, _run, require_file


@pytest.mark.parametrize("report", ["==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x1",
                                    "==1==ERROR: LeakSanitizer: detected memory leaks",
                                    "src/jtag/drivers/stlink_diag/x.c:1:2: runtime error: shift exponent 40"])
def test_a_sanitizer_report_fails_the_run(report):
    with pytest.raises(AssertionError, match="sanitizer report"):
        _run(["sh", "-c", f"echo '{report}'; exit 0"], timeout=10)


def test_the_sanitizer_pass_runs_the_asan_build():
    exe = require_file(OPENOCD, "make asan")
    libs = subprocess.run(["ldd", str(exe)], capture_output=True, text=True, timeout=30).stdout
    if os.environ.get("STLINK_DIAG_EXPECT_ASAN") == "1":
        assert "libasan" in libs and "libubsan" in libs, f"{exe} is not the ASan/UBSan build:\n{libs}"
    else:
        assert "libasan" not in libs, f"{exe} is an ASan build outside the sanitizer pass"
