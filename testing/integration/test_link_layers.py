# SPDX-License-Identifier: GPL-2.0-or-later
"""stlink_diag's target-link layers (wire, power, reset, firmware) against the simulator's link faults."""

import re

import pytest

from conftest import DRIVERS, extract_json, interface_args, layer

# scenario -> (verdict layer, finding id, evidence key that must be present, text the fix must contain)
FAULTS = [
    ("link-wires-open", "wire", "wire.no_answer", "attempts", "SWDIO"),
    ("link-wires-swapped", "wire", "wire.no_answer", "attempts", "swapped"),
    ("link-pins-taken-no-nrst", "wire", "wire.no_answer", "under_reset", "NRST"),
    ("link-low-speed-only", "wire", "wire.low_speed_only", "highest_reliable_khz", "adapter speed 480"),
    ("link-no-ground", "wire", "wire.intermittent", "errors", "GND"),
    ("link-pins-taken", "wire", "wire.only_under_reset", "under_reset", "connect_assert_srst"),
    ("link-stop", "wire", "wire.only_under_reset", "under_reset", "connect_assert_srst"),
    ("link-standby", "wire", "wire.only_under_reset", "under_reset", "connect_assert_srst"),
    ("link-vapp-unwired", "power", "power.vapp_not_wired", "volts", "VAPP"),
    ("link-lockup", "firmware", "firmware.lockup", "dhcsr_samples", "vector table"),
    ("link-hardfault", "firmware", "firmware.hardfault", "pcsr_samples", "CFSR"),
    ("link-watchdog", "firmware", "firmware.watchdog_reset", "dhcsr_samples", "watchdog"),
]


def diag(sim, run_openocd, scenario, driver, cmd="stlink_diag -json", extra=()):
    s = sim(scenario)
    status, out = run_openocd(interface_args(driver, s.port) + list(extra) + ["-c", cmd])
    s.stop()
    return s, status, out


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("scenario,where,fid,key,fix", FAULTS)
def test_link_fault_verdict(sim, run_openocd, scenario, where, fid, key, fix, driver):
    s, status, out = diag(sim, run_openocd, scenario, driver)
    r = extract_json(out)
    assert r["verdict"]["layer"] == where and r["verdict"]["id"] == fid, r["verdict"]
    rec = layer(r, where)
    assert key in rec["evidence"], rec
    assert fix in rec["fix"], rec
    # every reset the simulator saw was announced in OpenOCD's output first
    usb = s.usb_lines()
    resets = [l for l in usb if "cmd=[f2 3c 00" in l or "cmd=[f2 35 0c ed 00 e0" in l]
    announced = re.findall(r"stlink_diag: (resetting the target|holding NRST)", out)
    assert len(announced) >= len([l for l in resets if "f2 3c 00" not in l]) + (1 if resets else 0), out
    # budgets: a dead line under 60 round trips, anything else under 100
    limit = 60 if fid == "wire.no_answer" else 100
    assert 0 < r["round_trips"] < limit, r["round_trips"]
    assert r["round_trips"] <= s.stats()["stlink_commands"]


@pytest.mark.parametrize("driver", DRIVERS)
def test_low_speed_only_speeds(sim, run_openocd, driver):
    s, status, out = diag(sim, run_openocd, "link-low-speed-only", driver)
    w = layer(extract_json(out), "wire")
    counts = dict(c.split(":") for c in w["evidence"]["attempts"].split())
    # the fault: everything above 480 kHz fails, everything at or below succeeds
    for khz, frac in counts.items():
        ok, tries = map(int, frac.split("/"))
        assert (ok == tries) == (int(khz) <= 480), counts


@pytest.mark.parametrize("scenario", ["healthy-f407", "healthy-f407-v3", "link-sleep-dbg"])
@pytest.mark.parametrize("driver", DRIVERS)
def test_healthy_no_false_alarm(sim, run_openocd, scenario, driver):
    s, status, out = diag(sim, run_openocd, scenario, driver)
    r = extract_json(out)
    assert status == 0, out
    for entry in r["layers"]:
        assert entry["status"] in ("ok", "skipped"), entry
        if entry["name"] in ("power", "wire", "debug", "reset", "firmware"):
            assert entry["status"] == "ok", entry
    assert r["round_trips"] < 100, r["round_trips"]


@pytest.mark.parametrize("driver", DRIVERS)
def test_passive_sends_no_reset_or_halt(sim, run_openocd, driver):
    s, status, out = diag(sim, run_openocd, "link-pins-taken", driver, "stlink_diag -json -passive")
    r = extract_json(out)
    assert layer(r, "reset")["status"] == "skipped" and layer(r, "reset")["id"] == "reset.passive"
    assert "NRST test" in layer(r, "reset")["summary"]
    ops = s.stats()["per_opcode"]
    for op in ("f2 32", "f2 3c", "f2 35"):      # RESETSYS, DRIVE_NRST, WRITEDEBUGREG (AIRCR, DHCSR halt)
        assert op not in ops, ops
    assert "resetting the target" not in out


@pytest.mark.parametrize("driver", DRIVERS)
def test_nrst_unwired_reported(sim, run_openocd, driver):
    sc = {"seed": 1, "faults": [{"type": "nrst_unwired"}]}
    s, status, out = diag(sim, run_openocd, sc, driver)
    r = extract_json(out)
    rec = layer(r, "reset")
    assert rec["id"] == "reset.nrst_unwired", rec
    assert "can never work" in rec["summary"]


@pytest.mark.parametrize("driver", DRIVERS)
def test_quick_costs_less(sim, run_openocd, driver):
    s, status, out = diag(sim, run_openocd, "link-wires-open", driver, "stlink_diag -json -quick -passive")
    r = extract_json(out)
    assert r["verdict"]["id"] == "wire.no_answer"
    assert len(layer(r, "wire")["evidence"]["attempts"].split()) == 1
    assert r["round_trips"] < 15, r["round_trips"]


@pytest.mark.parametrize("driver", DRIVERS)
def test_after_init_lockup(sim, run_openocd, driver):
    s = sim("link-lockup")
    status, out = run_openocd(interface_args(driver, s.port) + ["-f", "target/stm32f4x.cfg", "-c", "init",
                                                                "-c", "stlink_diag -json", "-c", "shutdown"])
    s.stop()
    r = extract_json(out)
    assert r["context"]["stage"] == "after_init"
    assert r["verdict"]["id"] == "firmware.lockup", r["verdict"]
    assert layer(r, "reset")["id"] == "reset.live_session"
