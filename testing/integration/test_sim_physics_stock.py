# SPDX-License-Identifier: GPL-2.0-or-later
"""Stock OpenOCD 0.12.0 against the physical scenarios (testing/scenarios/phys-*.json), in both drivers.

OpenOCD knows nothing about the simulator. For each fault class it must print what users report for that
fault (the issue threads cited in testing/sim/SILICON.md: e.g. STOP without DBG_STOP gives `SWD DPIDR 0x2ba01477` and then `Could not
find MEM-AP to control the core`; pins taken or standby give `init mode failed`), and healthy set-ups must
connect, halt and read the reset vector. The expected texts are OpenOCD's own messages (OpenOCD 0.12.0
src/target/cortex_m.c, src/jtag/drivers/stlink_usb.c, src/jtag/core.c), not simulator output.
"""

import json

import pytest

from conftest import DRIVERS, SCENARIOS, Sim, interface_args

CFG = {"f1": "stm32f1x", "cks32f103": "stm32f1x", "l4": "stm32l4x", "f4": "stm32f4x", "g0": "stm32g0x",
       "h7": "stm32h7x"}


def run(tmp_path, run_stock_openocd, scenario, driver, cmds, pre=()):
    sc = json.loads((SCENARIOS / f"{scenario}.json").read_text()) if isinstance(scenario, str) else scenario
    sim = Sim(tmp_path, scenario, exit_on_disconnect=True, timeout=60)
    args = interface_args(driver, sim.port) + list(pre) + ["-f", f"target/{CFG[sc['target']['model']]}.cfg"]
    for c in cmds + ["shutdown"]:
        args += ["-c", c]
    rc, out = run_stock_openocd(args)
    if sim.proc.poll() is None:
        sim.stop()
    return rc, out


HEALTHY = ["phys-healthy", "phys-healthy_wfi_dbg", "phys-healthy_vapp_unwired", "phys-healthy_f1_jtag_disabled",
           "phys-healthy_low_vdd_in_range", "phys-healthy_old_firmware", "phys-healthy_errors_above_used_speed",
           "phys-nrst_unwired"]


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("scenario", HEALTHY)
def test_healthy_setups_connect_and_halt(tmp_path, run_stock_openocd, scenario, driver):
    rc, out = run(tmp_path, run_stock_openocd, scenario, driver, ["init", "halt", "reg pc", "mdw 0x20000000"])
    assert rc == 0, out
    assert "halted due to debug-request" in out, out
    assert "examination failed" not in out and "Could not find MEM-AP" not in out, out


@pytest.mark.parametrize("driver", DRIVERS)
def test_v3_probe_with_physical_target(tmp_path, run_stock_openocd, driver):
    sc = {"probe": {"pid": "0x374F", "firmware": "V3J7M2B4S1"}, "target": {"model": "f4"}, "supply": {"vdd": 3.3}}
    rc, out = run(tmp_path, run_stock_openocd, sc, driver, ["init", "reset halt", "reg pc"])
    assert rc == 0, out
    assert "pc (/32): 0x080001c4" in out, out


@pytest.mark.parametrize("scenario", ["phys-stop_no_dbg", "phys-sleep_no_dbg"])
def test_stop_and_sleep_dp_answers_mem_ap_lost(tmp_path, run_stock_openocd, scenario):
    # tools-and-symptoms: DPIDR read, then no MEM-AP (issue 12 field report)
    rc, out = run(tmp_path, run_stock_openocd, scenario, "dap-direct", ["init"])
    assert "SWD DPIDR 0x2ba01477" in out, out
    assert "Could not find MEM-AP to control the core" in out, out


@pytest.mark.parametrize("scenario", ["phys-stop_no_dbg", "phys-sleep_no_dbg"])
def test_stop_and_sleep_hla_examination_fails(tmp_path, run_stock_openocd, scenario):
    rc, out = run(tmp_path, run_stock_openocd, scenario, "hla", ["init"])
    assert "examination failed" in out, out


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("scenario", ["phys-pins_taken", "phys-pins_taken_no_nrst", "phys-standby_no_dbg",
                                      "phys-wires_open", "phys-wires_swapped", "phys-rdp2"])
def test_no_swd_answer_init_mode_failed(tmp_path, run_stock_openocd, scenario, driver):
    rc, out = run(tmp_path, run_stock_openocd, scenario, driver, ["init"])
    assert rc != 0
    assert "init mode failed (unable to connect to the target)" in out, out
    assert "Target voltage: 3.3" in out, out


@pytest.mark.parametrize("driver", DRIVERS)
def test_unpowered_voltage_too_low(tmp_path, run_stock_openocd, driver):
    rc, out = run(tmp_path, run_stock_openocd, "phys-unpowered", driver, ["init"])
    assert rc != 0
    assert "target voltage may be too low for reliable debugging" in out, out
    assert "init mode failed" in out, out


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("scenario,works", [("phys-pins_taken", True), ("phys-pins_taken_no_nrst", False),
                                            ("phys-standby_no_dbg", True)])
def test_connect_under_reset_helps_only_with_nrst(tmp_path, run_stock_openocd, scenario, works, driver):
    # troubleshooting: `reset_config srst_only srst_nogate connect_assert_srst` with NRST wired
    rc, out = run(tmp_path, run_stock_openocd, scenario, driver, ["init", "reset halt", "reg pc"],
                  pre=["-c", "reset_config srst_only srst_nogate connect_assert_srst"])
    assert ("pc (/32): 0x080001c4" in out) == works, out


@pytest.mark.parametrize("scenario", ["phys-lockup", "phys-empty_flash", "phys-zero_vectors", "phys-boot_sram"])
def test_lockup_clearing_message(tmp_path, run_stock_openocd, scenario):
    # OpenOCD cortex_m.c: a DHCSR with S_LOCKUP at examine gives "clearing lockup after double fault"
    rc, out = run(tmp_path, run_stock_openocd, scenario, "dap-direct", ["init"])
    assert "clearing lockup after double fault" in out, out


def test_healthy_has_no_lockup_message(tmp_path, run_stock_openocd):
    rc, out = run(tmp_path, run_stock_openocd, "phys-hardfault_loop", "dap-direct", ["init"])
    assert rc == 0 and "clearing lockup" not in out, out


def test_clone_unexpected_idcode(tmp_path, run_stock_openocd):
    rc, out = run(tmp_path, run_stock_openocd, "phys-clone_tapid", "hla", ["init"])
    assert "UNEXPECTED idcode: 0x2ba01477" in out, out


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("scenario,ok_speed", [("phys-signal_integrity", True), ("phys-no_ground", False)])
def test_slow_clock_cures_long_leads_not_missing_ground(tmp_path, run_stock_openocd, scenario, ok_speed, driver):
    rc, out = run(tmp_path, run_stock_openocd, scenario, driver,
                  ["adapter speed 240", "init", "halt", "mdw 0x08000000 64"],
                  pre=["-c", "adapter speed 240"])
    # stm32f4x.cfg raises the clock in reset-start only; halt + reads at 240 kHz stay slow
    assert (rc == 0 and "examination failed" not in out and "0x08000000:" in out) == ok_speed, out


@pytest.mark.parametrize("driver", DRIVERS)
def test_held_in_reset_reset_halt_times_out(tmp_path, run_stock_openocd, driver):
    rc, out = run(tmp_path, run_stock_openocd, "phys-held_in_reset", driver, ["init", "reset halt"])
    # tools-and-symptoms #11
    assert "timed out while waiting for target halted" in out, out
