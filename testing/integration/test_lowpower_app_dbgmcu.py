# SPDX-License-Identifier: GPL-2.0-or-later
"""An application that writes DBGMCU_CR itself (a plain write) with a value that lacks the bit of the
low-power mode it then enters (issue 13 §3a/§3b). The reset layer's bit test sets one DBGMCU_CR bit under
reset and releases; the application's own write undoes it, so every test loses the link. The diagnosis
must see the rewrite (DBGMCU_CR read again under reset, testing/sim/SILICON.md L1: not reset by a system
reset) and reason from the application's own value and the loss pattern; its look-alike is an application
that takes the SWD pins (G1-G3).

Expected values come from each scenario's physics, never from the output:
- the candidate modes are those of the part whose DBGMCU_CR bits the application's value leaves clear
  (L1; the part's bits as in testing/variants/gen.py DBG_BITS: F0/G0 have no DBG_SLEEP);
- Sleep without DBG_SLEEP stops at most HCLK: the DP keeps answering (L3); STOP and STANDBY may leave the
  DP answering or silence it, depending on the silicon (options stop_dp / standby_dp, L2, L4, L5); taken
  pins silence the DP (G1, G2), so they are a candidate whenever the DP goes silent;
- the standby flag is set on entry to Standby and survives the reset (P2), and the simulator models it
  readable under reset, so a Standby application is named as such;
- the true cause is named or listed among the verdict's open look-alikes, and the candidates not named
  are all open."""

import json
import re
import sys
from pathlib import Path

import pytest

from conftest import DRIVERS, extract_json, interface_args, layer

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "testing" / "variants"))
from gen import DBG_BITS  # noqa: E402

BIT = {"sleep": 0x1, "stop": 0x2, "standby": 0x4}
ID = {"sleep": "firmware.sleep_no_dbg", "stop": "firmware.stop_no_dbg", "standby": "firmware.standby_no_dbg",
      "pins": "firmware.swd_pins_taken"}


def scenario(model, app_value, cause, at_us, options):
    """model: sim target; app_value: the application's DBGMCU_CR write (None: no write); cause: the
    mode it enters, or "pins" (it takes the SWD pins) at at_us; the DBGMCU_CR write comes before."""
    actions = []
    if app_value is not None:
        actions.append({"at_us": max(1, at_us // 3), "do": "dbgmcu_cr", "value": app_value})
    if cause == "pins":
        actions.append({"at_us": at_us, "do": "take_swd_pins"})
    else:
        actions.append({"at_us": at_us, "do": "sleep", "mode": cause})
    return {"description": f"{cause} after a DBGMCU_CR write of {app_value}", "target": {"model": model},
            "timing": {"wall_clock": False}, "firmware": {"actions": actions}, "options": dict(options)}


def dp_silent(cause, options):
    """Whether the SW-DP stops answering (SILICON.md L2-L5, G1)."""
    if cause == "pins":
        return True
    if cause == "sleep":
        return False
    return options.get(f"{cause}_dp", "answers" if cause == "stop" else "silent") == "silent"


def candidates(model, app_value, cause, options):
    """The causes the probe cannot tell apart: modes whose bit the application leaves clear and that can
    give the observed pattern under some modelled silicon behaviour, plus the pins when the DP is silent."""
    clear = [m for m, b in BIT.items() if DBG_BITS[model] & b and not (app_value or 0) & b]
    silent = dp_silent(cause, options)
    out = [m for m in clear if not (m == "sleep" and silent)]
    if silent:
        out.append("pins")
    return out


# (model, application's DBGMCU_CR value, cause, at_us, options)
CASES = [
    # Sleep: the value lacks only DBG_SLEEP (F4, F7, H7 lose the AP in Sleep: L3; every part with "all")
    ("h7", 0x6, "sleep", 8000, {"sleep_stops_hclk": "documented", "stall_status": "wait"}),
    ("f4", 0x6, "sleep", 300, {"sleep_stops_hclk": "documented", "stall_status": "fault"}),
    ("l4", 0x6, "sleep", 2000, {"sleep_stops_hclk": "all", "stall_status": "wait"}),
    # STOP: the value has only DBG_STANDBY
    ("f4", 0x4, "stop", 20, {"stop_dp": "answers", "stall_status": "wait"}),
    ("f4", 0x4, "stop", 6000, {"stop_dp": "silent"}),
    ("f0", 0x4, "stop", 9000, {"stop_dp": "answers", "stall_status": "fault"}),
    ("h7", 0x0, "stop", 500, {"stop_dp": "answers"}),
    ("l4", 0x0, "stop", 500, {"stop_dp": "silent"}),
    # STANDBY: the value has only DBG_STOP, or nothing
    ("f4", 0x2, "standby", 500, {"standby_dp": "silent"}),
    ("f1", 0x2, "standby", 5, {"standby_dp": "answers", "stall_status": "fault"}),
    ("g0", 0x2, "standby", 3000, {"standby_dp": "silent"}),
    ("l4", 0x0, "standby", 200, {"standby_dp": "answers"}),
    # the look-alike: the application takes the pins, with a DBGMCU_CR write of its own
    ("f4", 0x7, "pins", 500, {}),
    ("g0", 0x6, "pins", 40, {}),
    ("f4", 0x6, "pins", 2000, {}),
    ("h7", 0x4, "pins", 500, {}),
]


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("model,value,cause,at_us,options", CASES,
                         ids=[f"{c[2]}-{c[0]}-{c[1]:#x}-{'-'.join(f'{k}={v}' for k, v in c[4].items()) or 'default'}"
                              for c in CASES])
def test_application_rewrites_dbgmcu_cr(sim, run_openocd, driver, model, value, cause, at_us, options):
    s = sim(scenario(model, value, cause, at_us, options))
    code, out = run_openocd(interface_args(driver, s.port) + ["-c", "stlink_diag -json"], timeout=60)
    s.stop()
    r = extract_json(out)
    v = r["verdict"]
    cands = candidates(model, value, cause, options)
    lowpower = [c for c in cands if c != "pins"]
    opened = {o["id"] for o in v["open"]}
    # the verdict is a candidate; a low-power mode the value leaves clear is named before the pins
    assert v["id"] in [ID[c] for c in cands], (cands, v)
    if lowpower:
        assert v["id"] != ID["pins"], (cands, v)
    # the true cause is named or left open, and every candidate not named is open
    assert v["id"] == ID[cause] or ID[cause] in opened, (cause, v)
    assert {ID[c] for c in cands} - {v["id"]} <= opened, (cands, v)
    # nothing the physics rules out is left open as a low-power look-alike
    assert not {ID[m] for m in BIT if m not in cands} & opened - {v["id"]}, (cands, v)
    if len(lowpower) == 1 and cause != "pins":
        assert v["id"] == ID[cause], (cands, v)
    if cause == "standby":
        assert v["id"] == ID["standby"], v  # P2: the standby flag reads 1 under reset
    if not dp_silent(cause, options):
        assert ID["pins"] not in opened, v
    # the observations: the application's own value, read under reset after a release. The rewrite shows
    # when the application clears a bit the test set: STOP and STANDBY are tested when nothing answers,
    # Sleep too when the DP answers
    ev = layer(r, "reset")["evidence"]
    tested = ("stop", "standby") if dp_silent(cause, options) else ("sleep", "stop", "standby")
    if any(BIT[m] & DBG_BITS[model] and not value & BIT[m] for m in tested):
        assert ev["app_dbgmcu_cr"].startswith(f"{value:#010x}"), ev
    else:
        assert "app_dbgmcu_cr" not in ev, ev
    assert any(re.search(r"lost at sample \d+( \(the DP still answers\))?, (within|between) [^;]*(ms|millisecond) after release", str(x)) for x in ev.values()), ev
    # every write announced, the old value restored (it is the application's own: DBGMCU_CR survives resets)
    assert "setting DBGMCU_CR" in out and "restoring DBGMCU_CR" in out, out
    assert re.search(rf"restoring DBGMCU_CR \(0x[0-9a-f]{{8}}\) to {value:#010x}", out), out
    assert r["round_trips"] <= 150, r["round_trips"]


@pytest.mark.parametrize("driver", DRIVERS)
def test_passive_never_writes_dbgmcu_cr(sim, run_openocd, driver):
    s = sim(scenario("f4", 0x4, "stop", 300, {"stop_dp": "silent"}))
    code, out = run_openocd(interface_args(driver, s.port) + ["-c", "stlink_diag -json -passive"], timeout=60)
    s.stop()
    r = extract_json(out)
    assert "DBGMCU_CR" not in out and "resetting the target" not in out, out
    assert r["verdict"]["id"] == "wire.no_answer", r["verdict"]
