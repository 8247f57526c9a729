# SPDX-License-Identifier: GPL-2.0-or-later
"""A target that answers only under reset (issue 13 §3a): after the reset layer's release test the
diagnosis halts the core at its reset vector (DEMCR.VC_CORERESET with DHCSR.C_DEBUGEN|C_HALT set under
NRST; testing/sim/SILICON.md D5), runs the layers that needed a readable core (boot, protection) there,
then resumes the core.

Expected values come from each scenario's physics, never from the output:
- boot "sysmem": the ROM bootloader's vector table is at address 0 (SILICON.md B1), so the boot layer,
  which compares address 0 with system memory, finds boot.system_memory;
- rdp_level 1: the option register reads RDP level 1 (B-rows: FLASH_OPTCR RDP 0xBB), so protection.rdp1;
- the application takes the SWD pins (G1) or stalls the AP in STOP (L2): that stays the root cause, the
  boot or protection finding a second one (verdict.also);
- resumed: DEMCR is as before (0 at power-on) and C_DEBUGEN clear, read under reset after the run (the
  debug domain is not reset by NRST, D5), and a second run sees the application take the pins again;
- -passive: no reset, no halt, the boot layer stays blocked."""

import pytest

from conftest import DRIVERS, extract_json, interface_args, layer
from test_sim_physics import DEMCR, DHCSR, OK, Probe

HELD = "held_at_reset_vector"


def scenario(cause="pins", model="f4", **target):
    """cause: "pins" (takes PA13/PA14 at 300 us) or "stop" (enters STOP at 500 us, the DP answers)."""
    if cause == "pins":
        actions, options = [{"at_us": 300, "do": "take_swd_pins"}], {}
    else:
        actions, options = [{"at_us": 500, "do": "sleep", "mode": "stop"}], {"stop_dp": "answers"}
    return {"description": f"{cause} with target {target}", "target": {"model": model, **target},
            "timing": {"wall_clock": False}, "firmware": {"actions": actions}, "options": options}


def diag(sim, run_openocd, driver, scen, extra="", keep=False):
    s = sim(scen, exit_on_disconnect=not keep)
    code, out = run_openocd(interface_args(driver, s.port) + ["-c", f"stlink_diag -json {extra}"], timeout=60)
    r = extract_json(out)
    return s, r, out


def also_ids(r):
    return [a["id"] for a in r["verdict"]["also"]]


@pytest.mark.parametrize("driver", DRIVERS)
def test_pins_taken_and_boot_from_system_memory(sim, run_openocd, driver):
    s, r, out = diag(sim, run_openocd, driver, scenario("pins", boot="sysmem"))
    s.stop()
    assert r["verdict"]["id"] == "firmware.swd_pins_taken", r["verdict"]
    boot = layer(r, "boot")
    assert boot["id"] == "boot.system_memory" and boot["status"] == "fail", boot
    assert HELD in boot["evidence"] and "held at its reset vector" in boot["summary"], boot
    assert "boot.system_memory" in also_ids(r), r["verdict"]
    # announced before it happened, and undone
    assert out.index("halting the core at its reset vector") < out.index("resuming the core"), out
    assert layer(r, "firmware")["status"] == "skipped" and layer(r, "debug")["status"] == "skipped"
    assert r["round_trips"] <= 150, r["round_trips"]


@pytest.mark.parametrize("driver", DRIVERS)
def test_pins_taken_and_rdp1(sim, run_openocd, driver):
    s, r, out = diag(sim, run_openocd, driver, scenario("pins", rdp_level=1))
    s.stop()
    assert r["verdict"]["id"] == "firmware.swd_pins_taken", r["verdict"]
    prot = layer(r, "protection")
    assert prot["id"] == "protection.rdp1" and HELD in prot["evidence"], prot
    assert "protection.rdp1" in also_ids(r), r["verdict"]
    # flash reads fault at RDP 1: the boot layer says so, it does not invent a boot source failure
    assert layer(r, "boot")["status"] in ("ok", "skipped"), layer(r, "boot")
    assert r["round_trips"] <= 150, r["round_trips"]


@pytest.mark.parametrize("driver", DRIVERS)
def test_core_unreadable_path_runs_boot_and_protection(sim, run_openocd, driver):
    """STOP with a DP that answers: the debug layer fails on the core, the reset layer finds STOP; boot
    and protection of a healthy part (boot from flash, RDP 0) run held and are ok."""
    s, r, out = diag(sim, run_openocd, driver, scenario("stop", model="l4"))
    s.stop()
    assert r["verdict"]["id"] == "firmware.stop_no_dbg", r["verdict"]
    for name, want in (("boot", "boot.flash"), ("protection", "protection.ok")):
        rec = layer(r, name)
        assert rec["id"] == want and rec["status"] == "ok" and HELD in rec["evidence"], rec
    assert r["round_trips"] <= 150, r["round_trips"]


@pytest.mark.parametrize("driver", DRIVERS)
def test_core_left_running(sim, run_openocd, driver):
    scen = scenario("pins")
    s, r, out = diag(sim, run_openocd, driver, scen, keep=True)
    assert r["verdict"]["id"] == "firmware.swd_pins_taken", r["verdict"]
    assert HELD in layer(r, "boot")["evidence"]
    # a second run: the application ran again after the resume and took the pins (a core left halted
    # would leave them to the debugger and the wire layer would pass)
    code, out2 = run_openocd(interface_args(driver, s.port) + ["-c", "stlink_diag -json -passive"], timeout=60)
    r2 = extract_json(out2)
    assert layer(r2, "wire")["status"] == "fail", layer(r2, "wire")
    # the debug registers as they were: read under reset (NRST does not reset them, SILICON.md D5)
    p = Probe(s.port)
    try:
        assert p.nrst(0) == OK and p.enter() == OK
        st, demcr = p.rd(DEMCR)
        assert st == OK and demcr & 1 == 0, hex(demcr)
        st, dhcsr = p.rd(DHCSR)
        assert st == OK and dhcsr & 0x3 == 0, hex(dhcsr)    # C_DEBUGEN and C_HALT clear, as at power-on
        assert p.nrst(1) == OK
    finally:
        p.close()
        s.terminate()


@pytest.mark.parametrize("driver", DRIVERS)
def test_passive_does_not_hold(sim, run_openocd, driver):
    s, r, out = diag(sim, run_openocd, driver, scenario("pins", boot="sysmem"), "-passive")
    s.stop()
    assert "halting" not in out and "resuming" not in out and "resetting the target" not in out, out
    assert layer(r, "boot")["id"] == "boot.blocked", layer(r, "boot")
    assert not any(HELD in l["evidence"] for l in r["layers"]), r["layers"]
