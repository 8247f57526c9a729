# SPDX-License-Identifier: GPL-2.0-or-later
"""src/jtag/drivers/stlink_diag/Makefile.am lists every source and header of the directory (DRIVERFILES,
DRIVERHEADERS) and every Tcl file (STARTUP_TCL_SRCS), and nothing that does not exist: a file the build
does not know is missing from `make dist` (stlink_diag_protocol.h once was)."""

import re

from conftest import REPO

DIAG = REPO / "src" / "jtag" / "drivers" / "stlink_diag"
MAKEFILE = (DIAG / "Makefile.am").read_text()


def listed(variable):
    m = re.search(rf"^{variable} \+= \\\n((?:\t.*\n)+)", MAKEFILE, re.M)
    assert m, f"{variable} not found in Makefile.am"
    return sorted(re.findall(r"%D%/(\S+)", m.group(1)))


def on_disk(pattern):
    return sorted(str(p.relative_to(DIAG)) for p in DIAG.glob(pattern))


def test_every_c_file_is_built():
    assert listed("DRIVERFILES") == on_disk("*.c")


def test_every_header_is_listed():
    assert listed("DRIVERHEADERS") == on_disk("*.h")


def test_every_tcl_file_is_compiled_in():
    assert sorted(listed("STARTUP_TCL_SRCS")) == on_disk("tcl/**/*.tcl")
