# SPDX-License-Identifier: GPL-2.0-or-later
"""A crashed application seen with -passive (no halt, no reset, C_DEBUGEN left clear), in both drivers,
on the simulator's physical model (issue 13 §3d). Without C_DEBUGEN S_LOCKUP is not trusted and no PC
can be sampled by a halt, so the crash is read from what needs neither:

* ICSR.VECTACTIVE (SILICON.md D6) is 3 while the core runs its HardFault handler (C2 `spin`): on two
  reads, firmware.hardfault;
* a handler that faults again locks the core (C2 `fault`, C3): VECTACTIVE 3 and no instruction retired
  between DHCSR reads (S_RETIRE_ST 0, D3), neither halted nor asleep: firmware.lockup;
* look-alikes that must stay healthy: a running application (Thread mode, retiring), and one idling in
  WFI with the DBGMCU_CR bits set (S_SLEEP 1, retiring nothing: not a lockup).

Modelled time only (timing.wall_clock off)."""

import pytest

from conftest import DRIVERS, extract_json, interface_args, layer

MODELS = ["f4", "l4", "f0", "h7", "g0", "f7"]
DBG_BITS = 0x7


def run(sim, run_openocd, driver, model, actions=(), passive=True):
    sc = {"target": {"model": model}, "timing": {"wall_clock": False}}
    if actions:
        sc["firmware"] = {"actions": list(actions)}
    s = sim(sc)
    code, out = run_openocd(interface_args(driver, s.port) +
                            ["-c", "stlink_diag -json" + (" -passive" if passive else "")], timeout=60)
    s.stop()
    return code, extract_json(out)


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("driver", DRIVERS)
def test_passive_hardfault_spin(sim, run_openocd, driver, model):
    code, r = run(sim, run_openocd, driver, model, [{"at_us": 500, "do": "bad_pointer", "handler": "spin"}])
    v = r["verdict"]
    assert v["id"] == "firmware.hardfault" and v["status"] == "fail", (model, v)
    assert code != 0
    assert "VECTACTIVE" in layer(r, "firmware")["evidence"].get("icsr", ""), layer(r, "firmware")


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("driver", DRIVERS)
def test_passive_lockup(sim, run_openocd, driver, model):
    code, r = run(sim, run_openocd, driver, model, [{"at_us": 500, "do": "bad_pointer", "handler": "fault"}])
    v = r["verdict"]
    assert v["id"] == "firmware.lockup" and v["status"] == "fail", (model, v)
    assert code != 0


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("driver", DRIVERS)
def test_passive_healthy_stays_ok(sim, run_openocd, driver, model):
    _, r = run(sim, run_openocd, driver, model)
    assert r["verdict"]["status"] == "ok", r["verdict"]
    # an application idling in WFI with the debug bits set retires nothing between reads: asleep, not locked
    _, r = run(sim, run_openocd, driver, model, [{"at_us": 100, "do": "dbgmcu_cr", "value": DBG_BITS},
                                                  {"at_us": 200, "do": "sleep", "mode": "sleep"}])
    assert r["verdict"]["status"] == "ok", (model, r["verdict"])
