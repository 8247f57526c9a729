# SPDX-License-Identifier: GPL-2.0-or-later
"""The patched OpenOCD's hook on a failed init: without stlink_diag, a failing connect still names the
ST-LINK status and points to stlink_diag; stock OpenOCD prints no such line; a good connect prints
nothing extra."""

import re

import pytest

from conftest import DRIVERS, interface_args, load_scenario, num

INIT_FAILED = "init mode failed (unable to connect to the target)"   # OpenOCD 0.12's own message
CONNECT = ["-f", "target/stm32f4x.cfg", "-c", "init"]


def status_line_re(code):
    # 0x09 is STLINK_JTAG_GET_IDCODE_ERROR (OpenOCD 0.12.0 stlink_usb.c, #define STLINK_JTAG_GET_IDCODE_ERROR)
    return re.compile(rf"ST-LINK status 0x{code:02x} \((STLINK_)?JTAG_GET_IDCODE_ERROR\)")


@pytest.mark.parametrize("driver", DRIVERS)
def test_patched_init_failure_names_status(sim, run_openocd, driver):
    code = num(load_scenario("target-unpowered")["probe"]["connect_fail_status"])
    s = sim("target-unpowered")
    status, out = run_openocd(interface_args(driver, s.port) + CONNECT)
    s.stop()
    assert status != 0, out
    assert INIT_FAILED in out, out
    m = status_line_re(code).search(out)
    assert m, f"no decoded ST-LINK status line:\n{out}"
    # after OpenOCD's own error, and with a suggestion to run stlink_diag with the same driver's cfg
    assert out.index(INIT_FAILED) < m.start()
    cfg = "interface/stlink.cfg" if driver == "hla" else "interface/stlink-dap.cfg"
    assert re.search(rf"stlink_diag", out[m.start():]) and cfg in out[m.start():], out


def test_stock_init_failure_has_no_extra_line(sim, run_stock_openocd):
    code = num(load_scenario("target-unpowered")["probe"]["connect_fail_status"])
    s = sim("target-unpowered")
    status, out = run_stock_openocd(interface_args("hla", s.port) + CONNECT)
    s.stop()
    assert status != 0, out
    assert INIT_FAILED in out, out
    assert not status_line_re(code).search(out), out
    assert "stlink_diag" not in out


@pytest.mark.parametrize("driver", DRIVERS)
def test_patched_good_init_prints_nothing_extra(sim, run_openocd, driver):
    s = sim("healthy-f407")
    status, out = run_openocd(interface_args(driver, s.port) + CONNECT + ["-c", "shutdown"])
    s.stop()
    assert status == 0, out
    assert "ST-LINK status" not in out and "stlink_diag" not in out, out

# The same ST-LINK traffic as stock OpenOCD when stlink_diag is not used: test_unchanged_when_unused.py
