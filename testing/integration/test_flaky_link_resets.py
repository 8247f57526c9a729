# SPDX-License-Identifier: GPL-2.0-or-later
"""A flaky or resetting target, in both drivers, on the simulator's physical model (issue 13 §3c, §3e,
§3f). The expected values follow from the scenario's physics, not from a report:

* a link without ground loses transfers at every speed (testing/sim README, `wiring.ground`), but
  nothing in the scenario resets the part (steady 3.3 V, no watchdog, NRST free): DHCSR.S_RESET_ST is
  then still the power-on reset's until a read that succeeded cleared it (ARMv7-M ARM DDI0403E C1.6.2),
  so no run may report resets during the session, and when the core is readable the part is the H7 the
  scenario models (DEV_ID from DBGMCU_IDCODE, RM0433);
* an L4 supply near its minimum whose dips cross the falling PDR threshold 1000 times a second
  (SILICON.md S2: each dip resets the part for the temporization): the link comes and goes and the core
  cannot be read normally, a brown-out;
* an F0/F1 supply at its 2.0 V minimum with the same dips: the reset temporization (2.5 ms) is longer than
  the 1 ms between dips, so the part never leaves reset and nothing answers, not even under reset; a
  steady supply there would answer (the same supply without dips is healthy), so the reading near the
  minimum is the second observation: a brown-out, with open wiring left open as the look-alike the probe
  cannot separate.

Simulated time is modelled (no wall clock), so each seed gives the same run every time."""

import sys

import pytest

from conftest import DRIVERS, REPO, extract_json, interface_args, layer

sys.path.insert(0, str(REPO / "testing" / "variants"))
import gen  # noqa: E402

FAMS = gen.load_families()
L4 = FAMS["l4"]
F0 = FAMS["f0"]
DIP_HZ = 1000  # one dip per millisecond


def run(sim, run_openocd, sc, driver, probe_us=None):
    # modelled time only (timing.wall_clock off): the run does not depend on the host's load; probe_us
    # (the modelled time per command) moves the dips against the diagnosis's reads
    timing = {"wall_clock": False} | ({"probe_us": probe_us} if probe_us else {})
    s = sim(dict(sc, timing=timing))
    code, out = run_openocd(interface_args(driver, s.port) + ["-c", "stlink_diag -json"], timeout=60)
    s.stop()
    return extract_json(out)


def no_ground_h7(seed):
    return {"seed": seed, "target": {"model": "h7"}, "supply": {"vdd": 3.3},
            "wiring": {"ground": False, "no_ground_rate": 0.2},
            "options": {"no_ground_errors": "flat", "no_ack_status": "fault", "parity_status": "error"}}


def dips_near_min(fam, hz):
    """A reading within 0.1 V of the part's minimum, dips reaching 0.1 V below the falling PDR."""
    v = round(max(fam["vdd_min"], fam["pdr_rise"]) + 0.05, 2)
    assert v < fam["vdd_min"] + 0.1
    return {"vdd": v, "dip_v": round(v - fam["pdr_fall"] + 0.1, 2), "dip_hz": hz}


@pytest.mark.parametrize("driver", DRIVERS)
def test_no_reset_counted_on_a_lossy_link(sim, run_openocd, driver):
    """Eight seeds of a lossy link at a steady supply: never a reset during the session, never a
    brown-out or a watchdog; where the core was read, the part is identified."""
    for seed in range(1, 9):
        r = run(sim, run_openocd, no_ground_h7(seed), driver)
        v = r["verdict"]
        fw = layer(r, "firmware")
        assert fw["id"] != "firmware.resets_seen", (seed, fw)
        assert v["id"] not in ("firmware.watchdog_reset", "power.brownout"), (seed, v["id"], v["summary"])
        # a link that loses transfers is a fault: never ok
        assert v["status"] in ("fail", "warn"), (seed, v["id"])
        if layer(r, "debug")["status"] == "ok":
            assert r["facts"]["mcu"]["family"] == "H7", (seed, r["facts"].get("mcu"))
        assert r["round_trips"] <= 150, (seed, r["round_trips"])


@pytest.mark.parametrize("probe_us", [None, 150, 400, 2500])
@pytest.mark.parametrize("driver", DRIVERS)
def test_l4_dips_every_millisecond_are_a_brownout(sim, run_openocd, driver, probe_us):
    """Whichever reads the dips fall on (the time per command moves them), the cause is the brown-out."""
    r = run(sim, run_openocd, {"seed": 3, "target": {"model": "l4"}, "supply": dips_near_min(L4, DIP_HZ)}, driver,
            probe_us)
    v = r["verdict"]
    assert v["id"] == "power.brownout" and v["status"] == "fail", (v["id"], v["summary"])
    # the link's and the core's symptoms are the brown-out's, not causes of their own
    assert not {"wire.intermittent", "debug.cpuid_unreadable", "firmware.stop_no_dbg"} & \
        {a["id"] for a in v["also"]}, v["also"]
    # what the probe could not rule out stays open, with a check: a missing ground when only the link's
    # losses were seen, the watchdog when resets were seen (S_RESET_ST) but no RCC flag named them
    opened = {o["id"]: o["check"] for o in v["open"]}
    if v["rule"] == "brownout_resets":
        assert opened.get("firmware.watchdog_reset"), v["open"]
    else:
        assert {"wire.intermittent", "wire.low_speed_only"} & set(opened), v["open"]
    assert "firmware.watchdog_reset" not in {a["id"] for a in v["also"]}, v["also"]
    assert r["round_trips"] <= 150, r["round_trips"]


@pytest.mark.parametrize("driver", DRIVERS)
def test_f0_held_by_dips_at_its_minimum(sim, run_openocd, driver):
    supply = dips_near_min(F0, DIP_HZ)
    r = run(sim, run_openocd, {"seed": 3, "target": {"model": "f0"}, "supply": supply}, driver)
    v = r["verdict"]
    assert v["id"] == "power.brownout" and v["status"] == "fail", (v["id"], v["summary"])
    opened = {o["id"]: o["check"] for o in v["open"]}
    assert "wire.no_answer" in opened and opened["wire.no_answer"], v["open"]
    assert r["round_trips"] <= 150, r["round_trips"]
    # the same supply without dips: the part answers, nothing is wrong
    steady = run(sim, run_openocd, {"seed": 3, "target": {"model": "f0"}, "supply": {"vdd": supply["vdd"]}},
                 driver)
    assert steady["verdict"]["id"] == "verdict.ok", steady["verdict"]
    assert steady["round_trips"] <= 100, steady["round_trips"]


def no_ground(model, seed, rate):
    return {"seed": seed, "target": {"model": model}, "supply": {"vdd": 3.3},
            "wiring": {"ground": False, "no_ground_rate": rate},
            "options": {"no_ground_errors": "rising", "no_ack_status": "error", "parity_status": "parity"}}


@pytest.mark.parametrize("driver", DRIVERS)
def test_release_tests_on_a_lossy_link_name_no_mode(sim, run_openocd, driver):
    """A missing ground (W4) with NRST wired: the part answers under reset, and the reset layer's release
    tests run on a link that loses transfers. No application code enters a low-power mode or takes a pin
    in this scenario, so a lost sample or a DBGMCU_CR read back different from what was written is the
    wire's: the cause is the link, whatever the losses fell on, and the modes stay open, never a cause."""
    modes = {"firmware.stop_no_dbg", "firmware.standby_no_dbg", "firmware.sleep_no_dbg", "firmware.swd_pins_taken",
             "firmware.lost_after_reset"}
    for model, seed, rate in [("l4", 36433843, 0.26), ("l4", 5, 0.55), ("h7", 7, 0.26), ("f4", 11, 0.4)]:
        r = run(sim, run_openocd, no_ground(model, seed, rate), driver)
        v = r["verdict"]
        assert v["id"] == "wire.intermittent" and v["status"] == "fail", (model, seed, v["id"], v["summary"])
        assert not modes & {a["id"] for a in v["also"]}, (model, seed, v["also"])
        assert r["round_trips"] <= 150, (model, seed, r["round_trips"])
