# SPDX-License-Identifier: GPL-2.0-or-later
"""Stock OpenOCD 0.12.0 against the simulator's link faults: each scenario shows the symptom users know,
and the fix stlink_diag names makes stock OpenOCD work where there is one."""

import pytest

from conftest import interface_args

MODES = ["hla", "dap-direct"]
TARGET = ["-f", "target/stm32f4x.cfg"]
CUR = ["-c", "reset_config srst_only srst_nogate connect_assert_srst"]
CONNECT = ["-c", "init", "-c", "reset halt", "-c", "reg pc", "-c", "shutdown"]
RESET_PC = "pc (/32): 0x080001c4"

INIT_FAILS = "init mode failed (unable to connect to the target)"

# scenario -> lines stock OpenOCD prints on a plain connect (per driver where they differ)
SYMPTOMS = [
    ("link-wires-open", {"hla": [INIT_FAILS], "dap-direct": [INIT_FAILS]}),
    ("link-wires-swapped", {"hla": [INIT_FAILS], "dap-direct": [INIT_FAILS]}),
    ("link-pins-taken", {"hla": [INIT_FAILS], "dap-direct": [INIT_FAILS]}),
    ("link-stop", {"hla": [INIT_FAILS], "dap-direct": [INIT_FAILS]}),
    ("link-standby", {"hla": [INIT_FAILS], "dap-direct": [INIT_FAILS]}),
    ("link-low-speed-only", {"hla": [INIT_FAILS], "dap-direct": ["Fail reading CTRL/STAT register"]}),
    ("link-sleep", {"hla": ["examination failed"],
                    "dap-direct": ["Could not find MEM-AP to control the core", "examination failed"]}),
    ("link-vapp-unwired", {"hla": ["Target voltage: 0.0", "target voltage may be too low", "processor detected"],
                           "dap-direct": ["Target voltage: 0.0", "target voltage may be too low",
                                          "processor detected"]}),
    ("link-cputapid-clone", {"hla": ["UNEXPECTED idcode: 0x1ba01477", "expected 1 of 1: 0x2ba01477"],
                             "dap-direct": ["SWD DPIDR 0x1ba01477"]}),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("scenario,lines", SYMPTOMS)
def test_stock_symptom(sim, run_stock_openocd, scenario, lines, mode):
    s = sim(scenario)
    status, out = run_stock_openocd(interface_args(mode, s.port) + TARGET + ["-c", "init", "-c", "shutdown"])
    s.stop()
    for line in lines[mode]:
        assert line in out, out


# the fix stlink_diag gives, applied to stock OpenOCD
FIXED = [
    ("link-pins-taken", CUR),
    ("link-stop", CUR),
    ("link-standby", CUR),
    # stm32f4x.cfg raises the speed again in its reset-start event: the fix overrides that too
    ("link-low-speed-only", ["-c", "adapter speed 480",
                             "-c", "stm32f4x.cpu configure -event reset-start {adapter speed 480}"]),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("scenario,fix", FIXED)
def test_stock_with_the_fix(sim, run_stock_openocd, scenario, fix, mode):
    s = sim(scenario)
    status, out = run_stock_openocd(interface_args(mode, s.port) + TARGET + fix + CONNECT)
    s.stop()
    assert status == 0 and RESET_PC in out, out


def test_stock_nrst_unwired_cannot_connect_under_reset(sim, run_stock_openocd):
    """Pins taken and NRST not wired: connect under reset cannot help, as stlink_diag says."""
    s = sim("link-pins-taken-no-nrst")
    status, out = run_stock_openocd(interface_args("hla", s.port) + TARGET + CUR + CONNECT)
    s.stop()
    assert status != 0 and INIT_FAILS in out, out


def test_stock_lockup_dap(sim, run_stock_openocd):
    """cortex_m (dap-direct) notices S_LOCKUP when it polls."""
    s = sim("link-lockup")
    status, out = run_stock_openocd(interface_args("dap-direct", s.port) + TARGET +
                                    ["-c", "init", "-c", "poll", "-c", "shutdown"])
    s.stop()
    assert "clearing lockup after double fault" in out, out
