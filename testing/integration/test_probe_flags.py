# SPDX-License-Identifier: GPL-2.0-or-later
"""`stlink_probe info` decodes the feature flags twice from the same GET_VERSION bytes: `flags` is
stlink_diag's own decoding (the feature table, stlink_diag_version.c), `openocd_flags` is what the
patched driver (stlink_usb.c, stlink_usb_version()) computed. The layers reason with `flags`; this test
is the comparison that makes `openocd_flags` a check: for firmware versions on both sides of every
threshold of the feature table, the two must be equal."""

import re

import pytest

from conftest import interface_args, load_scenario

# (PID, firmware): V2 below and above each V2 threshold of the feature table (J13 J15 J22 J24 J26 J28
# J29 J32), V2-1 with the M field, V3 with GET_VERSION_EX (J2, J6 thresholds)
FIRMWARES = [("0x3748", "V2J14S4"), ("0x3748", "V2J21S4"), ("0x3748", "V2J23S7"), ("0x3748", "V2J25S7"),
             ("0x3748", "V2J27S7"), ("0x3748", "V2J28S7"), ("0x3748", "V2J31S7"), ("0x3748", "V2J33S7"),
             ("0x374B", "V2J37M26"), ("0x374F", "V3J1M1"), ("0x374F", "V3J5M2"), ("0x374F", "V3J7M2B4S1")]


@pytest.mark.parametrize("driver", ["hla", "dap-direct"])
@pytest.mark.parametrize("pid,firmware", FIRMWARES)
def test_our_flags_equal_openocds(sim, run_openocd, pid, firmware, driver):
    sc = load_scenario("healthy-f407")
    sc["probe"].update(pid=pid, firmware=firmware)
    s = sim(sc)
    status, out = run_openocd(interface_args(driver, s.port) + [
        "-c", 'set o [stlink_probe open]; echo "OPEN=$o"; echo "INFO=[stlink_probe info]"; stlink_probe close',
        "-c", "shutdown"])
    s.stop()
    opened = re.search(r"^OPEN=(.*)$", out, re.M)
    assert opened, out
    if not re.search(r"\bok 1\b", opened.group(1)):
        # OpenOCD 0.12.0 itself refuses some old firmware for dap-direct; nothing to compare then
        pytest.skip(f"the {driver} driver does not open {firmware}: {opened.group(1)[:120]}")
    info = re.search(r"^INFO=(.*)$", out, re.M).group(1)
    assert re.search(rf"\bfirmware {firmware}\b", info), info
    ours = re.search(r"\bflags (0x[0-9a-f]+)", info)
    theirs = re.search(r"\bopenocd_flags (0x[0-9a-f]+)", info)
    assert ours and theirs, info
    assert int(ours.group(1), 16) == int(theirs.group(1), 16), \
        f"{firmware}: stlink_diag decodes flags {ours.group(1)}, OpenOCD's driver {theirs.group(1)}"
