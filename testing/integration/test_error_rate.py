# SPDX-License-Identifier: GPL-2.0-or-later
"""The transfer error rate (stlink_probe error_rate) and the wire layer's judgement with it (issue 13, 3c),
in both drivers, against the simulator's physical model.

The expected results follow from the physics of testing/sim/SILICON.md, never from the output checked:
W2 (a transfer fails with p = 1/(1+(crit_khz/f)^8)), W4 (no common ground: no_ground_rate at every clock),
W5 (a block stops at its failed word, GETLASTRWSTATUS2 names it), L2 (AP accesses stall while HCLK is off);
the speeds from OpenOCD 0.12.0: src/jtag/adapter.c (100 kHz without `adapter speed`), the SWD divisor
table of src/jtag/drivers/stlink_usb.c (stlink_khz_to_speed_map_swd: 1800 = divisor 1, 480 = divisor 7,
100 exact) and its V3 rule (fastest listed speed at or below the request), and the `adapter speed` lines of
tcl/target/stm32f4x.cfg (2000) and stm32l4x.cfg (500, also in its reset-start event).
"""

import re

import pytest

from conftest import DRIVERS, extract_json, interface_args, layer

V3 = {"server": {"api": 3},
      "probe": {"pid": "0x374F", "firmware": "V3J7M2B4S1", "swd_freqs_khz": [24000, 8000, 3300, 1000, 200, 50, 5]}}
V2_1 = {"server": {"api": 2}, "probe": {"pid": "0x374B", "firmware": "V2J37M26"}}
# V2 SWD_SET_FREQ divisors of the speeds checked here (stlink_khz_to_speed_map_swd)
DIVISOR = {1800: 1, 480: 7, 100: 40}


def phys(model="f4", probe=V2_1, seed=5, **sections):
    sc = {"seed": seed, "target": {"model": model}, "supply": {"vdd": 3.3}, "timing": {"wall_clock": False}}
    sc.update({k: dict(v) for k, v in probe.items()})
    sc.update(sections)
    return sc


def no_ground(rate):
    return {"wiring": {"ground": False, "no_ground_rate": rate}, "options": {"no_ground_errors": "flat"}}


def error_rate(sim, run_openocd, scenario, driver, khz, args="", sim_args=()):
    """Open the probe, enter SWD at khz, run `stlink_probe error_rate ARGS`: the result dict and output."""
    s = sim(scenario, extra_args=sim_args)
    script = (f"stlink_probe open; stlink_probe enter; stlink_probe speed {khz}; "
              f"set e [stlink_probe error_rate {args}]; echo \"ER $e\"; stlink_probe close")
    status, out = run_openocd(interface_args(driver, s.port) + ["-c", script, "-c", "shutdown"])
    s.stop()
    m = re.search(r"^ER (.*)$", out, re.M)
    assert status == 0 and m, out
    return tcl_dict(m.group(1)), out, s


def tcl_dict(text):
    """A flat Tcl dict of words and {braced} words."""
    words = re.findall(r"\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}|(\S+)", text)
    items = [a if a or not b else b for a, b in words]
    return dict(zip(items[0::2], items[1::2]))


def diag(sim, run_openocd, scenario, driver, extra=(), sim_args=()):
    s = sim(scenario, extra_args=sim_args)
    status, out = run_openocd(interface_args(driver, s.port) + list(extra) + ["-c", "stlink_diag -json"])
    s.stop()
    return extract_json(out), status, out, s


@pytest.mark.parametrize("driver", DRIVERS)
def test_clean_link_costs_eight_round_trips(sim, run_openocd, driver):
    """1024 words of the ROM table at 125 kHz on a 10 cm lead (crit 12000 kHz: p ~ 1e-16): four blocks
    of 256 words (1 KiB, the MEM-AP's auto-increment range), each READMEM + GETLASTRWSTATUS2."""
    e, out, s = error_rate(sim, run_openocd, phys(), driver, 125)
    assert (e["ok"], e["transfers"], e["errors"], e["words_ok"], e["data_errors"]) == ("1", "1024", "0", "1024", "0")
    assert e["round_trips"] == "8" and e["stopped"] == "done", e
    usb = s.usb_lines()
    assert sum("cmd=[f2 07 00 fc 0f e0 00 04" in l for l in usb) == 4, usb   # READMEM_32BIT 0xE00FFC00, 1024 B
    assert sum("cmd=[f2 3e" in l for l in usb) == 4


@pytest.mark.parametrize("driver", DRIVERS)
def test_rate_follows_the_wire(sim, run_openocd, driver):
    """No common ground, 20 % of the transfers fail at every clock (W4): the measured rate is near 0.2,
    and the words before each failed one count (W5), so transfers = words through + errors."""
    e, out, s = error_rate(sim, run_openocd, phys(**no_ground(0.2)), driver, 125,
                           "-words 2000 -max_errors 60 -max_trips 64")
    transfers, errors, words_ok = int(e["transfers"]), int(e["errors"]), int(e["words_ok"])
    assert e["ok"] == "1" and transfers == words_ok + errors, e
    assert errors >= 5 and 0.1 < errors / transfers < 0.35, e
    assert int(e["fault_addr_unknown"]) == 0 and int(e["reconnects"]) >= errors, e
    assert int(e["round_trips"]) <= 64


@pytest.mark.parametrize("driver", DRIVERS)
def test_bounded_by_errors_and_round_trips(sim, run_openocd, driver):
    e, out, s = error_rate(sim, run_openocd, phys(**no_ground(0.5)), driver, 125)
    assert e["stopped"] in ("max_errors", "link_lost") and int(e["errors"]) <= 3, e
    assert int(e["round_trips"]) <= 12, e
    e, out, s = error_rate(sim, run_openocd, phys(**no_ground(0.02)), driver, 125, "-max_trips 4 -max_errors 50")
    assert int(e["round_trips"]) <= 4 and e["stopped"] in ("max_trips", "done"), e


@pytest.mark.parametrize("driver", DRIVERS)
def test_stalled_ap_is_not_a_wire_error(sim, run_openocd, driver):
    """STOP without DBG_STOP stops HCLK (L2): the AP answers WAIT, which says nothing about the wire."""
    sc = phys(firmware={"actions": [{"at_us": 10, "do": "sleep", "mode": "stop"}]},
              options={"stop_dp": "answers", "stall_status": "wait"})
    e, out, s = error_rate(sim, run_openocd, sc, driver, 125)
    assert e["ok"] == "1" and e["stopped"] == "stalled" and e["errors"] == "0" and int(e["waits"]) >= 1, e


@pytest.mark.parametrize("driver", DRIVERS)
def test_bad_usage_is_an_error(sim, run_openocd, driver):
    s = sim(phys())
    for args in ("-addr 0xE00FFC02", "-words 0", "-max_trips 1", "-bogus 3", "-words"):
        status, out = run_openocd(interface_args(driver, s.port)
                                  + ["-c", f"stlink_probe open; stlink_probe error_rate {args}"])
        assert status != 0 and "error_rate" in out, (args, out)
    s.stop()


@pytest.mark.parametrize("driver", DRIVERS)
def test_malformed_rw_status_gives_an_error_result(sim, run_openocd, driver):
    """A probe whose GETLASTRWSTATUS2 says 0xEE (no firmware sends it), names an address outside the
    block, or fills only its status byte: an error result or errors without a word count, never a crash
    or a rate made up from the bad address."""
    seen = set()
    for seed in (1, 2, 3, 4):
        e, out, s = error_rate(sim, run_openocd, phys(), driver, 125, sim_args=["--hostile", f"rw-status-bad,seed={seed}"])
        if e["ok"] == "0":
            assert "status no ST-LINK firmware sends" in e["error"] and e["stopped"] == "malformed", e
            seen.add("malformed")
        else:
            assert int(e["errors"]) > 0 and e["fault_addr_unknown"] == e["errors"] and e["words_ok"] == "0", e
            seen.add("no address")
    assert seen == {"malformed", "no address"}, seen
    # and the whole diagnosis finishes with a complete report
    r, status, out, s = diag(sim, run_openocd, phys(), driver, sim_args=["--hostile", "rw-status-bad,seed=1"])
    assert status >= 0 and "error_rate" in layer(r, "wire")["evidence"], out


# ---- the wire layer's judgement ----

def used_speed(r):
    return layer(r, "wire")["evidence"]["used_speed"]


@pytest.mark.parametrize("driver", DRIVERS)
def test_signal_integrity_named_at_the_used_speed(sim, run_openocd, driver):
    """crit 300 kHz (W2): at the 1800 kHz of `adapter speed 1800` nearly every transfer fails; the speed
    recommended must have p <= 1/257 (f <= crit/2)."""
    r, status, out, s = diag(sim, run_openocd, phys(wiring={"crit_khz": 300}), driver, ["-c", "adapter speed 1800"])
    v = r["verdict"]
    assert v["id"] == "wire.low_speed_only", v
    assert "1800 kHz OpenOCD will use (adapter speed 1800)" in v["summary"], v
    khz = int(re.search(r"adapter speed (\d+)", v["fix"]).group(1))
    assert 5 <= khz <= 150, v["fix"]
    assert "-event reset-start {adapter speed" in v["fix"], v["fix"]
    assert 0 < r["round_trips"] <= 150


@pytest.mark.parametrize("driver", DRIVERS)
def test_no_ground_named_at_every_speed(sim, run_openocd, driver):
    """No ground, 10 % at every clock (W4) on a V3 with no `adapter speed`: three connects per speed can
    pass (0.9^3 = 0.73), 1000 transfers cannot: errors at the used speed and below it."""
    r, status, out, s = diag(sim, run_openocd, phys(probe=V3, **no_ground(0.1)), driver)
    v = r["verdict"]
    assert v["id"] == "wire.intermittent" and v["status"] == "fail", v
    rates = layer(r, "wire")["evidence"]["error_rate"]
    assert len(re.findall(r"\d+ kHz: [1-9]\d* errors? in", rates)) >= 2, rates
    assert 0 < r["round_trips"] <= 150


@pytest.mark.parametrize("driver", DRIVERS)
def test_errors_only_above_the_used_speed_are_ok(sim, run_openocd, driver):
    """crit 16000 kHz: p(1800) = 6e-8, but most transfers fail at 24000 and 8000 kHz (W2) on a V3."""
    r, status, out, s = diag(sim, run_openocd, phys(probe=V3, wiring={"crit_khz": 16000}), driver,
                             ["-c", "adapter speed 1800"])
    assert r["verdict"]["id"] == "verdict.ok", r["verdict"]
    ev = layer(r, "wire")["evidence"]
    # V3 rule: 1800 requested -> 1000 kHz, the fastest listed speed at or below it
    assert ev["used_speed"] == "1000 kHz (adapter speed 1800, 1800 kHz requested)", ev
    assert "1000 kHz: 0 errors in 1024 transfers" in ev["error_rate"], ev
    assert r["round_trips"] <= 100


@pytest.mark.parametrize("driver", DRIVERS)
def test_used_speed_without_adapter_speed(sim, run_openocd, run_stock_openocd, driver):
    """No `adapter speed`, no target config: OpenOCD asks for 100 kHz (adapter.c), exact in the V2 table,
    50 kHz on the V3 list. Stock OpenOCD says the same."""
    r, status, out, s = diag(sim, run_openocd, phys(), driver)
    assert used_speed(r) == "100 kHz (no adapter speed: OpenOCD's default request)", used_speed(r)
    assert r["verdict"]["id"] == "verdict.ok" and r["round_trips"] <= 100, r["verdict"]
    r, status, out, s = diag(sim, run_openocd, phys(probe=V3), driver)
    assert used_speed(r) == "50 kHz (no adapter speed: OpenOCD's default request, 100 kHz requested)"
    s = sim(phys())
    status, out = run_stock_openocd(interface_args(driver, s.port) + ["-c", "init", "-c", "shutdown"])
    assert "clock speed 100 kHz" in out, out


@pytest.mark.parametrize("cfg,model,khz,requested", [("stm32f4x.cfg", "f4", 1800, 2000),
                                                     ("stm32l4x.cfg", "l4", 480, 500)])
def test_used_speed_of_a_target_config(sim, run_openocd, run_stock_openocd, cfg, model, khz, requested):
    """The target config's `adapter speed`, as the V2 runs it; stock OpenOCD sends that divisor at init.
    stm32l4x.cfg sets it again in its reset-start event: judged too."""
    r, status, out, s = diag(sim, run_openocd, phys(model=model), "hla", ["-f", f"target/{cfg}"])
    ev = layer(r, "wire")["evidence"]
    assert ev["used_speed"].startswith(f"{khz} kHz (adapter speed {requested}"), ev
    assert f"{khz} kHz: 0 errors in 1024 transfers" in ev["error_rate"], ev
    s = sim(phys(model=model))
    status, out = run_stock_openocd(interface_args("hla", s.port) + ["-f", f"target/{cfg}", "-c", "init",
                                                                      "-c", "shutdown"])
    div = DIVISOR[khz]
    assert any(f"cmd=[f2 43 {div:02x} 00" in l for l in s.usb_lines()), s.usb_lines()


def test_event_speed_inside_a_proc(sim, run_openocd):
    """stm32f0x.cfg's reset-start event calls a proc that sets `adapter speed 1000`: found there (950 kHz
    on a V2, the fastest table speed at or below 1000)."""
    r, status, out, s = diag(sim, run_openocd, phys(model="f0"), "hla", ["-f", "target/stm32f0x.cfg"])
    ev = layer(r, "wire")["evidence"]
    assert ev["speed_reset-start"] == "950 kHz", ev
    assert ev["used_speed"] == "950 kHz (adapter speed 1000, 1000 kHz requested)", ev
