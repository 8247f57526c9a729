# SPDX-License-Identifier: GPL-2.0-or-later
"""A software reset loop against its look-alikes (issue 13 §3a, §3f), in both drivers, on the simulator's
physical model. The expected verdicts follow from the scenarios' physics (testing/sim/SILICON.md):

* an application that writes AIRCR.SYSRESETREQ a few milliseconds after every boot (C4) resets itself
  during the session: S_RESET_ST between DHCSR samples, SFTRSTF in the RCC flags and no watchdog flag, at
  a normal supply: firmware.reset_loop, on every modelled family;
* a watchdog nobody refreshes at the same supply is a watchdog (IWDGRSTF, I1/R1), not a reset loop;
* a healthy target whose RCC flags still hold SFTRSTF from an earlier software reset (stlink_diag's own
  SYSRESETREQ test of a first run on the same board) resets nothing during the session: ok, no warning;
* the same loop with the VAPP sense pin unwired (reading about 0 V, link working) is still the loop.

Modelled time only (timing.wall_clock off): the verdicts do not depend on the host's load."""

import pytest

from conftest import DRIVERS, extract_json, interface_args, layer

FAMILIES = ["f4", "l4", "f0", "h7", "g0", "f1"]


def scenario(model, actions=(), supply=None):
    s = {"target": {"model": model}, "timing": {"wall_clock": False}}
    if actions:
        s["firmware"] = {"actions": list(actions)}
    if supply:
        s["supply"] = supply
    return s


def diagnose(sim_proc, run_openocd, driver):
    code, out = run_openocd(interface_args(driver, sim_proc.port) + ["-c", "stlink_diag -json"], timeout=60)
    return code, extract_json(out)


@pytest.mark.parametrize("model", FAMILIES)
@pytest.mark.parametrize("driver", DRIVERS)
def test_software_reset_loop(sim, run_openocd, driver, model):
    s = sim(scenario(model, [{"at_us": 1500, "do": "sysreset"}]))
    code, r = diagnose(s, run_openocd, driver)
    v = r["verdict"]
    assert v["id"] == "firmware.reset_loop" and v["status"] == "fail", (model, v["id"], v["summary"])
    assert code != 0
    assert "SFT" in v["summary"] and "NVIC_SystemReset" in v["fix"], v
    # one cause: the watchdog rule reads the same resets and is not repeated
    assert "firmware.watchdog_reset" not in {a["id"] for a in v["also"]}, v["also"]
    assert r["round_trips"] <= 150, r["round_trips"]


@pytest.mark.parametrize("driver", DRIVERS)
def test_watchdog_loop_is_not_a_reset_loop(sim, run_openocd, driver):
    # PR /4, RLR 80 at 32 kHz: a reset every 10 ms
    s = sim(scenario("f4", [{"at_us": 100, "do": "iwdg_start", "prescaler": 4, "reload": 80}]))
    _, r = diagnose(s, run_openocd, driver)
    assert r["verdict"]["id"] == "firmware.watchdog_reset", r["verdict"]


@pytest.mark.parametrize("driver", DRIVERS)
def test_stale_software_reset_flag_is_healthy(sim, run_openocd, driver):
    s = sim(scenario("f4"), exit_on_disconnect=False)
    _, first = diagnose(s, run_openocd, driver)
    assert first["verdict"]["id"] == "verdict.ok", first["verdict"]
    # the first run's SYSRESETREQ test left SFTRSTF set (C4, R1): the second run sees it, and no reset
    _, second = diagnose(s, run_openocd, driver)
    assert second["verdict"]["id"] == "verdict.ok" and second["verdict"]["status"] == "ok", second["verdict"]
    fw = layer(second, "firmware")
    assert fw["status"] == "ok", fw
    # the test is about a set flag: the second run read it
    assert "SFT" in fw["evidence"].get("rcc_reset_flags", ""), fw["evidence"]


@pytest.mark.parametrize("driver", DRIVERS)
def test_reset_loop_with_vapp_unwired(sim, run_openocd, driver):
    s = sim(scenario("l4", [{"at_us": 2000, "do": "sysreset"}], supply={"vdd": 3.3, "vapp_wired": False}))
    _, r = diagnose(s, run_openocd, driver)
    assert r["verdict"]["id"] == "firmware.reset_loop", r["verdict"]
    assert layer(r, "power")["status"] == "ok", layer(r, "power")
