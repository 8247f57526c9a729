# SPDX-License-Identifier: GPL-2.0-or-later
"""The correlation step (tcl/stlink_diag_rules.tcl) without a probe: synthetic findings and facts go in
through `stlink_diag_rules_try`, the verdict comes out as JSON. Every rule fires for its cause and not for
its look-alikes; a rule whose fact is missing says so; normal conditions never give a warning."""

import json

import pytest



def verdict_json(output):
    """The one verdict object the script echoes (a line starting with '{"layer"')."""
    lines = [l for l in output.splitlines() if l.startswith('{"layer"')]
    assert len(lines) == 1, output
    return json.loads(lines[0])


def tcl_dict(d):
    """A flat Tcl dict literal from a Python dict of strings (values may be lists of strings)."""
    out = []
    for k, v in d.items():
        if isinstance(v, (list, tuple)):
            v = " ".join("{" + str(x) + "}" for x in v)
        out.append("{%s} {%s}" % (k, v))
    return " ".join(out)


def finding(layer, status, fid, **evidence):
    return {"name": layer, "status": status, "id": fid, "summary": f"{fid} seen",
            "evidence": tcl_dict(evidence), "fix": f"fix {fid}" if status in ("fail", "warn") else ""}


def decide(run_openocd, findings, facts=None):
    fl = " ".join("{" + tcl_dict(f) + "}" for f in findings)
    script = f"echo [stlink_diag_json_verdict [stlink_diag_rules_try {{{fl}}} {{{tcl_dict(facts or {})}}}]]; shutdown"
    status, out = run_openocd(["-f", "interface/stlink.cfg", "-c", script])
    assert status == 0, out
    return verdict_json(out)


OK = {
    "power": finding("power", "ok", "power.ok", volts="3.30"),
    "wire": finding("wire", "ok", "wire.ok", attempts="4000:3/3"),
    "low": finding("power", "fail", "power.low_reading", volts="0.02"),
    "noanswer": finding("wire", "fail", "wire.no_answer", attempts="4000:0/2"),
    "cur": finding("reset", "ok", "reset.answers_under_reset", under_reset_dpidr="0x2ba01477"),
}

# (name, findings, facts, expected verdict id, expected status, ids that must be in verdict.also)
CASES = [
    ("unpowered", ["low", "noanswer"], {"target.voltage": "0.02"}, "power.unpowered", "fail", []),
    ("vapp unwired is normal", ["low", "wire"], {"target.voltage": "0.02", "dp.dpidr": "0x2ba01477"},
     "verdict.ok", "ok", []),
    ("VAPP unwired, answers only under reset: powered", ["low", "noanswer", "cur"],
     {"target.voltage": "0.02", "reset.after_release": "stop"}, "firmware.stop_no_dbg", "fail", []),
    ("wires open at 3.3 V", ["power", "noanswer"], {"target.voltage": "3.3"}, "wire.no_answer", "fail", []),
    ("F4 held in reset at 1.70 V", ["power", "noanswer"], {"target.voltage": "1.70", "part.family_hint": "F4"},
     "power.brownout", "fail", []),
    ("no answer at 1.70 V, L4 named: not a brown-out", ["power", "noanswer"],
     {"target.voltage": "1.70", "part.family_hint": "L4"}, "wire.no_answer", "fail", []),
    ("no answer at 1.70 V, part unknown", ["power", "noanswer"], {"target.voltage": "1.70"},
     "power.brownout", "fail", []),
    ("F4 running at 1.70 V", ["power", "wire"], {"target.voltage": "1.70", "mcu.family": "F4"},
     "power.brownout", "fail", []),
    ("L4 at 1.80 V is in range", ["power", "wire"], {"target.voltage": "1.80", "mcu.family": "L4"},
     "verdict.ok", "ok", []),
    ("L4 at 1.70 V is in range", ["power", "wire"], {"target.voltage": "1.70", "mcu.family": "L4"},
     "verdict.ok", "ok", []),
    ("watchdog resets at 3.3 V", ["power", "wire", ("firmware", "fail", "firmware.resets_seen")],
     {"target.voltage": "3.3", "mcu.family": "F4", "firmware.reset_flags": ["IWDG", "PIN"],
      "firmware.reset_cause": "IWDG", "firmware.watchdog_fix": "freeze it"},
     "firmware.watchdog_reset", "fail", []),
    ("resets near the F4 minimum are brown-outs", ["power", "wire", ("firmware", "fail", "firmware.resets_seen")],
     {"target.voltage": "1.85", "mcu.family": "F4", "firmware.reset_cause": "?"},
     "power.brownout", "fail", []),
    ("BOR flag at 3.3 V is a brown-out", ["power", "wire", ("firmware", "fail", "firmware.resets_seen")],
     {"target.voltage": "3.3", "mcu.family": "F4", "firmware.reset_flags": ["BOR", "POR", "PIN"],
      "firmware.reset_cause": "BOR"},
     "power.brownout", "fail", []),
    ("watchdog with the power-on flags still set", ["power", "wire", ("firmware", "fail", "firmware.resets_seen")],
     {"target.voltage": "3.3", "mcu.family": "F4", "firmware.reset_flags": ["BOR", "PIN", "POR", "IWDG"],
      "firmware.reset_cause": "IWDG"},
     "firmware.watchdog_reset", "fail", []),
    ("a reading below 1.5 V but clearly above zero, nothing answers: a brown-out supply",
     [finding("power", "fail", "power.low_reading", volts="1.43"), "noanswer"], {"target.voltage": "1.43"},
     "power.brownout", "fail", []),
    ("a few hundred mV, nothing answers: no supply", [finding("power", "fail", "power.low_reading", volts="0.40"),
                                                        "noanswer"], {"target.voltage": "0.40"},
     "power.unpowered", "fail", []),
    ("held in reset below the F4 minimum", [finding("power", "fail", "power.low_reading", volts="1.48"), "wire",
                                            ("firmware", "fail", "firmware.held_in_reset")],
     {"target.voltage": "1.48", "mcu.family": "F4"}, "power.brownout", "fail", []),
    ("held in reset at 3.3 V", ["power", "wire", ("firmware", "fail", "firmware.held_in_reset")],
     {"target.voltage": "3.3", "mcu.family": "F4"}, "firmware.held_in_reset", "fail", []),
    ("held in reset, VAPP unwired", ["low", "wire", ("firmware", "fail", "firmware.held_in_reset")],
     {"target.voltage": "0.02", "mcu.family": "F4"}, "firmware.held_in_reset", "fail", []),
    ("resets near the minimum explain a broken software reset and an intermittent link",
     ["power", ("wire", "fail", "wire.intermittent"), ("firmware", "fail", "firmware.resets_seen"),
      ("reset", "warn", "reset.sw_reset_broken")],
     {"target.voltage": "1.77", "mcu.family": "F7", "firmware.reset_flags": ["BOR", "PIN", "POR"],
      "firmware.reset_cause": "BOR"}, "power.brownout", "fail", []),
    ("watchdog resets near the minimum stay a watchdog",
     ["power", "wire", ("firmware", "fail", "firmware.resets_seen")],
     {"target.voltage": "1.76", "mcu.family": "L4", "firmware.reset_flags": ["PIN", "BOR", "IWDG"],
      "firmware.reset_cause": "IWDG", "firmware.watchdog_fix": "freeze it"},
     "firmware.watchdog_reset", "fail", []),
    ("pins taken", ["power", "noanswer", "cur"], {"target.voltage": "3.3", "reset.after_release": "pins"},
     "firmware.swd_pins_taken", "fail", []),
    ("STOP", ["power", "noanswer", "cur"], {"target.voltage": "3.3", "reset.after_release": "stop"},
     "firmware.stop_no_dbg", "fail", []),
    ("STANDBY", ["power", "noanswer", "cur"], {"target.voltage": "3.3", "reset.after_release": "standby"},
     "firmware.standby_no_dbg", "fail", []),
    ("sleep stops the AP", ["power", "wire", ("debug", "fail", "debug.cpuid_unreadable"), "cur"],
     {"target.voltage": "3.3", "reset.after_release": "sleep"}, "firmware.sleep_no_dbg", "fail", []),
    ("AP dead also under release test", ["power", "wire", ("debug", "fail", "debug.cpuid_unreadable"), "cur"],
     {"target.voltage": "3.3", "reset.after_release": "none"}, "debug.cpuid_unreadable", "fail", []),
    ("answers only under reset, cause not separable", ["power", "noanswer", "cur"],
     {"target.voltage": "3.3", "reset.after_release": "unknown"}, "firmware.lost_after_reset", "fail", []),
    ("STOP, the application rewrites DBGMCU_CR", ["power", "noanswer", "cur"],
     {"target.voltage": "3.3", "reset.after_release": "app_stop", "reset.app_dbgmcu_cr": "0x00000004",
      "reset.lowpower_others": ["pins"]}, "firmware.stop_no_dbg", "fail", []),
    ("STANDBY, the application rewrites DBGMCU_CR", ["power", "wire", ("debug", "fail", "debug.cpuid_unreadable"),
                                                     "cur"],
     {"target.voltage": "3.3", "reset.after_release": "app_standby", "reset.app_dbgmcu_cr": "0x00000002",
      "reset.lowpower_others": ["sleep"]}, "firmware.standby_no_dbg", "fail", []),
    ("sleep, the application rewrites DBGMCU_CR", ["power", "wire", ("debug", "fail", "debug.cpuid_unreadable"),
                                                   "cur"],
     {"target.voltage": "3.3", "reset.after_release": "app_sleep", "reset.app_dbgmcu_cr": "0x00000006"},
     "firmware.sleep_no_dbg", "fail", []),
    ("lockup", ["power", "wire", ("firmware", "fail", "firmware.lockup")], {"target.voltage": "3.3"},
     "firmware.lockup", "fail", []),
    ("lockup on empty flash", ["power", "wire", ("boot", "fail", "boot.empty_flash"),
                               ("firmware", "fail", "firmware.lockup")], {"target.voltage": "3.3"},
     "boot.empty_flash", "fail", []),
    ("lockup on zero vectors", ["power", "wire", ("boot", "fail", "boot.bad_vector_table"),
                                ("firmware", "fail", "firmware.lockup")],
     {"target.voltage": "3.3", "boot.vector_note": "initial SP 0x00000000 is not in RAM"},
     "boot.bad_vector_table", "fail", []),
    ("clone that is also RDP1", ["power", "wire", ("debug", "fail", "debug.cputapid_mismatch"),
                                 ("protection", "fail", "protection.rdp1")],
     {"target.voltage": "3.3", "protection.summary": "RDP 1", "protection.fix": "unlock",
      "debug.mismatch_summary": "DPIDR differs", "debug.mismatch_fix": "set CPUTAPID"},
     "debug.cputapid_mismatch", "fail", ["protection.rdp1"]),
    ("RDP1 with NRST unwired", ["power", "wire", ("reset", "warn", "reset.nrst_unwired"),
                                ("protection", "fail", "protection.rdp1")],
     {"target.voltage": "3.3", "protection.summary": "RDP 1", "protection.fix": "unlock"},
     "protection.rdp1", "fail", ["reset.nrst_unwired"]),
    ("NRST unwired alone warns", ["power", "wire", ("reset", "warn", "reset.nrst_unwired")],
     {"target.voltage": "3.3"}, "reset.nrst_unwired", "warn", []),
    ("old probe firmware is normal", [("probe", "warn", "probe.fw_old"), "power", "wire"],
     {"target.voltage": "3.3"}, "verdict.ok", "ok", []),
    # read with the core held at its reset vector (issue 13 §3a): the reset layer's cause stays the root
    # cause, the boot or protection finding is a second one
    ("pins taken, boots the ROM bootloader", ["power", "noanswer", "cur", ("boot", "fail", "boot.system_memory")],
     {"target.voltage": "3.3", "reset.after_release": "pins"}, "firmware.swd_pins_taken", "fail",
     ["boot.system_memory"]),
    ("pins taken, RDP1", ["power", "noanswer", "cur", ("protection", "fail", "protection.rdp1")],
     {"target.voltage": "3.3", "reset.after_release": "pins", "protection.summary": "RDP 1",
      "protection.fix": "unlock"}, "firmware.swd_pins_taken", "fail", ["protection.rdp1"]),
    ("STOP, empty flash", ["power", "noanswer", "cur", ("boot", "fail", "boot.empty_flash")],
     {"target.voltage": "3.3", "reset.after_release": "stop"}, "firmware.stop_no_dbg", "fail",
     ["boot.empty_flash"]),
    ("sleep, bad vector table", ["power", "wire", ("debug", "fail", "debug.cpuid_unreadable"), "cur",
                                 ("boot", "fail", "boot.bad_vector_table")],
     {"target.voltage": "3.3", "reset.after_release": "sleep"}, "firmware.sleep_no_dbg", "fail",
     ["boot.bad_vector_table"]),
    ("lost after reset, boots from SRAM", ["power", "noanswer", "cur", ("boot", "fail", "boot.sram")],
     {"target.voltage": "3.3", "reset.after_release": "unknown", "boot.summary": "boots from SRAM"},
     "firmware.lost_after_reset", "fail", ["boot.sram"]),
    # one case for each rule the cases above do not reach (test_rules_coverage.py checks that every rule has one)
    ("option bytes that surprise are normal without resets",
     ["power", "wire", ("protection", "warn", "protection.option_surprise")],
     {"target.voltage": "3.3", "protection.surprise_summary": "nBOOT_SEL = 0"}, "verdict.ok", "ok", []),
    ("option bytes that surprise, with a watchdog flag", ["power", "wire",
                                                          ("protection", "warn", "protection.option_surprise"),
                                                          ("firmware", "fail", "firmware.watchdog_flag")],
     {"target.voltage": "3.3", "protection.surprise_summary": "WDG_SW = 0", "firmware.reset_cause": "IWDG",
      "firmware.watchdog_fix": "freeze it"}, "firmware.watchdog_reset", "fail", []),
    ("SRAM boot that locks up", ["power", "wire", ("boot", "warn", "boot.sram"), ("firmware", "fail", "firmware.lockup")],
     {"target.voltage": "3.3", "boot.summary": "boots from SRAM", "boot.fix": "BOOT0 low"}, "boot.sram", "fail", []),
    ("CPUID unreadable, no connect under reset", ["power", "wire", ("debug", "fail", "debug.cpuid_unreadable")],
     {"target.voltage": "3.3", "debug.no_cpuid_summary": "CPUID unreadable"}, "debug.cpuid_unreadable", "fail", []),
    ("application writes DBGMCU_CR, STOP named, STANDBY open", ["power", "noanswer", "cur"],
     {"target.voltage": "3.3", "reset.after_release": "app_stop", "reset.app_dbgmcu_cr": "0x00000001",
      "reset.lowpower_others": ["standby"]}, "firmware.stop_no_dbg", "fail", []),
    ("nothing answers at the F0/F1 minimum: dips hold the part in reset", ["power", "noanswer"],
     {"target.voltage": "2.03"}, "power.brownout", "fail", []),
    ("nothing answers at the F1 minimum, F1 named", ["power", "noanswer"],
     {"target.voltage": "2.05", "part.family_hint": "F1"}, "power.brownout", "fail", []),
    ("nothing answers on a 1.8 V rail at the F4 minimum: a nominal rail, not evidence", ["power", "noanswer"],
     {"target.voltage": "1.80", "part.family_hint": "F4"}, "wire.no_answer", "fail", []),
    ("nothing answers 0.2 V above the minimum", ["power", "noanswer"], {"target.voltage": "2.20"},
     "wire.no_answer", "fail", []),
    ("link comes and goes, core unreadable, near the L4 minimum",
     ["power", ("wire", "fail", "wire.intermittent"), ("debug", "fail", "debug.cpuid_unreadable")],
     {"target.voltage": "1.76", "mcu.family": "L4", "debug.no_cpuid_summary": "CPUID unreadable"},
     "power.brownout", "fail", []),
    ("link comes and goes, core unreadable, part unknown below 2.0 V",
     ["power", ("wire", "fail", "wire.intermittent"), ("debug", "fail", "debug.cpuid_unreadable"),
      ("reset", "skipped", "reset.no_core")],
     {"target.voltage": "1.79", "debug.no_cpuid_summary": "CPUID unreadable"}, "power.brownout", "fail", []),
    ("link comes and goes, core unreadable, at 3.3 V: the link", ["power", ("wire", "fail", "wire.intermittent"),
                                                                 ("debug", "fail", "debug.cpuid_unreadable")],
     {"target.voltage": "3.3", "debug.no_cpuid_summary": "CPUID unreadable"}, "wire.intermittent", "fail", []),
    ("link comes and goes at 3.3 V, sleep named under reset", ["power", ("wire", "fail", "wire.intermittent"),
                                                              ("debug", "fail", "debug.cpuid_unreadable"), "cur"],
     {"target.voltage": "3.3", "reset.after_release": "sleep"}, "firmware.sleep_no_dbg", "fail", []),
    ("transfer errors at every speed, core unreadable: the link, with its measured summary",
     ["power", ("wire", "fail", "wire.intermittent"), ("debug", "fail", "debug.cpuid_unreadable")],
     {"target.voltage": "3.3", "wire.summary": "transfer errors at every speed measured", "wire.fix": "connect GND"},
     "wire.intermittent", "fail", []),
    ("errors only at the speed OpenOCD will use, core unreadable: the speed",
     ["power", ("wire", "fail", "wire.low_speed_only"), ("debug", "fail", "debug.cpuid_unreadable")],
     {"target.voltage": "3.3", "wire.summary": "errors at the 100 kHz OpenOCD will use, none at 25 kHz",
      "wire.fix": "adapter speed 25"}, "wire.low_speed_only", "fail", []),
    ("errors at the faster clocks only, core unreadable, near the L4 minimum: dips, not the speed",
     ["power", ("wire", "fail", "wire.low_speed_only"), ("debug", "fail", "debug.cpuid_unreadable")],
     {"target.voltage": "1.76", "mcu.family": "L4", "wire.summary": "errors at the 100 kHz OpenOCD will use",
      "wire.fix": "adapter speed 25", "debug.no_cpuid_summary": "CPUID unreadable"}, "power.brownout", "fail", []),
    ("errors at every clock, answers under reset, release tests name STOP: the link",
     ["power", ("wire", "fail", "wire.intermittent"), ("debug", "fail", "debug.cpuid_unreadable"), "cur"],
     {"target.voltage": "3.3", "reset.after_release": "app_stop", "link.errors_every_speed": "5 25",
      "wire.summary": "transfer errors at every speed measured", "wire.fix": "connect GND"},
     "wire.intermittent", "fail", []),
    ("contradictory connects only, answers under reset, release tests name STOP: STOP",
     ["power", ("wire", "fail", "wire.intermittent"), ("debug", "fail", "debug.cpuid_unreadable"), "cur"],
     {"target.voltage": "3.3", "reset.after_release": "stop",
      "wire.summary": "contradictory link results", "wire.fix": "connect GND"},
     "firmware.stop_no_dbg", "fail", []),
    ("software resets at 3.3 V: a reset loop, not a watchdog nor a brown-out",
     ["power", "wire", ("firmware", "fail", "firmware.resets_seen")],
     {"target.voltage": "3.3", "mcu.family": "F4", "firmware.reset_flags": ["BOR", "PIN", "POR", "SFT"],
      "firmware.reset_cause": "RCC reset flags BOR,PIN,POR,SFT"}, "firmware.reset_loop", "fail", []),
    ("software and watchdog flags: the watchdog",
     ["power", "wire", ("firmware", "fail", "firmware.resets_seen")],
     {"target.voltage": "3.3", "mcu.family": "F4", "firmware.reset_flags": ["PIN", "SFT", "IWDG"],
      "firmware.reset_cause": "IWDG", "firmware.watchdog_fix": "freeze it"}, "firmware.watchdog_reset", "fail", []),
    ("software reset flag near the minimum: the brown-out",
     ["power", "wire", ("firmware", "fail", "firmware.resets_seen")],
     {"target.voltage": "1.85", "mcu.family": "F4", "firmware.reset_flags": ["BOR", "PIN", "POR", "SFT"],
      "firmware.reset_cause": "?"}, "power.brownout", "fail", []),
    ("software resets with VAPP unwired: the reset loop",
     ["low", "wire", ("firmware", "fail", "firmware.resets_seen")],
     {"target.voltage": "0.02", "mcu.family": "L4", "firmware.reset_flags": ["PIN", "BOR", "SFT"],
      "firmware.reset_cause": "?"}, "firmware.reset_loop", "fail", []),
    ("CPUID unreadable under reset too", ["power", "wire", ("debug", "fail", "debug.cpuid_unreadable"),
                                          ("reset", "skipped", "reset.no_core")],
     {"target.voltage": "3.3", "debug.no_cpuid_summary": "CPUID unreadable"}, "debug.cpuid_unreadable", "fail", []),
    ("-passive leaves NRST wiring open", ["power", "wire", ("reset", "skipped", "reset.passive")],
     {"target.voltage": "3.3"}, "verdict.ok", "ok", []),
    ("lockup not ruled out stays open", ["power", "wire", ("firmware", "ok", "firmware.ok")],
     {"target.voltage": "3.3", "firmware.lockup_unknown": "S_LOCKUP read without C_DEBUGEN"}, "verdict.ok", "ok", []),
]


def build(items):
    out = []
    for it in items:
        out.append(OK[it] if isinstance(it, str) else it if isinstance(it, dict) else finding(*it))
    return out


@pytest.mark.parametrize("name,items,facts,vid,status,also", CASES, ids=[c[0] for c in CASES])
def test_rule(run_openocd, name, items, facts, vid, status, also):
    v = decide(run_openocd, build(items), facts)
    assert v["id"] == vid and v["status"] == status, v
    assert [a["id"] for a in v["also"] if a["id"] in also] == also, v
    # the verdict's own finding is never repeated in "also"
    assert vid not in [a["id"] for a in v["also"]], v
    if vid != "verdict.ok":
        assert v["rule"] != "none" and v["observations"], v


def test_open_lookalikes_of_no_answer(run_openocd):
    v = decide(run_openocd, build(["power", "noanswer"]),
               {"target.voltage": "3.3", "reset.cur_note": "connect under reset was not tried (-passive)"})
    assert {o["id"] for o in v["open"]} >= {"protection.rdp2", "firmware.swd_pins_taken"}, v
    assert any("-passive" in o["check"] for o in v["open"]), v


def test_missing_fact_is_named(run_openocd):
    v = decide(run_openocd, build(["power", "noanswer", "cur"]), {"target.voltage": "3.3"})
    skipped = {s["rule"]: s["reason"] for s in v["skipped_rules"]}
    assert skipped.get("swd_pins_taken") == "missing fact reset.after_release", v
    # without the second observation the verdict is not a guess at the cause
    assert v["id"] not in ("firmware.swd_pins_taken", "firmware.stop_no_dbg"), v


def test_observations_carry_the_evidence(run_openocd):
    v = decide(run_openocd, build(["power", "noanswer", "cur"]), {"target.voltage": "3.3",
                                                                   "reset.after_release": "pins"})
    assert v["observations"]["wire.no_answer"]["attempts"] == "4000:0/2", v
    assert v["observations"]["reset.answers_under_reset"]["under_reset_dpidr"] == "0x2ba01477", v
    assert v["observations"]["facts"]["reset.after_release"] == "pins", v


def test_checks_not_made_stay_open(run_openocd):
    """-passive: an ok verdict still names what could not be checked (NRST wiring; a lockup when S_LOCKUP
    was read without C_DEBUGEN and no PC could be sampled)."""
    v = decide(run_openocd, build(["power", "wire", ("reset", "skipped", "reset.passive"),
                                   ("firmware", "ok", "firmware.ok")]),
               {"target.voltage": "3.3", "firmware.lockup_unknown": "lockup not ruled out (-passive)"})
    assert v["id"] == "verdict.ok", v
    assert {o["id"] for o in v["open"]} == {"reset.nrst_unwired", "firmware.lockup"}, v
    # the core read as unreadable: sleep and STOP stay open when no connect under reset was made
    v = decide(run_openocd, build(["power", "wire", ("debug", "fail", "debug.cpuid_unreadable"),
                                   ("reset", "skipped", "reset.passive")]),
               {"target.voltage": "3.3", "debug.no_cpuid_summary": "CPUID unreadable",
                "reset.cur_note": "connect under reset was not tried (-passive)"})
    assert v["id"] == "debug.cpuid_unreadable", v
    assert {"firmware.sleep_no_dbg", "firmware.stop_no_dbg"} <= {o["id"] for o in v["open"]}, v


@pytest.mark.parametrize("after,others", [("app_stop", ["pins"]), ("app_stop", ["sleep", "standby"]),
                                          ("app_standby", ["stop", "pins"]), ("app_sleep", [])])
def test_lowpower_lookalikes_stay_open(run_openocd, after, others):
    """An application that writes DBGMCU_CR itself: the mode named from its own value, and the other
    candidates the reset layer could not rule out (reset.lowpower_others) as open look-alikes, each with a
    check; none that it ruled out."""
    ids = {"sleep": "firmware.sleep_no_dbg", "stop": "firmware.stop_no_dbg", "standby": "firmware.standby_no_dbg",
           "pins": "firmware.swd_pins_taken"}
    v = decide(run_openocd, build(["power", "noanswer", "cur"]),
               {"target.voltage": "3.3", "reset.after_release": after, "reset.app_dbgmcu_cr": "0x00000000",
                "reset.lowpower_others": others})
    named = ids[after[4:]]
    assert v["id"] == named and v["status"] == "fail", v
    assert "0x00000000" in v["summary"] and "itself" in v["summary"], v
    opened = {o["id"]: o["check"] for o in v["open"]}
    assert {i for i in opened if i in ids.values()} == {ids[o] for o in others}, v
    assert all(opened[ids[o]] for o in others), v


def test_brownout_resets_explain_their_symptoms(run_openocd):
    """Resets seen near the part's minimum account for a software reset test they disturbed and for a
    link that comes and goes: neither is repeated as a cause of its own."""
    v = decide(run_openocd, build(["power", ("wire", "fail", "wire.intermittent"),
                                   ("firmware", "fail", "firmware.resets_seen"),
                                   ("reset", "warn", "reset.sw_reset_broken")]),
               {"target.voltage": "1.80", "mcu.family": "H7", "firmware.reset_flags": ["BOR", "PIN", "POR"],
                "firmware.reset_cause": "BOR"})
    assert v["id"] == "power.brownout", v
    assert not {"wire.intermittent", "reset.sw_reset_broken", "firmware.resets_seen"} & \
        {a["id"] for a in v["also"]}, v["also"]


def test_brownout_resets_leave_the_watchdog_open(run_openocd):
    """Resets near the minimum without RCC flags read: the brown-out is the cause, the watchdog that would
    look the same at a steady supply is an open look-alike with its check, not a second cause; transfer
    errors at the faster clocks during the dips are the brown-out's too."""
    v = decide(run_openocd, build(["power", ("wire", "fail", "wire.low_speed_only"),
                                   ("firmware", "fail", "firmware.resets_seen")]),
               {"target.voltage": "1.76", "mcu.family": "L4", "firmware.reset_cause": "no RCC reset flags read",
                "firmware.watchdog_fix": "freeze it", "wire.summary": "errors at 100 kHz", "wire.fix": "adapter speed 25"})
    assert v["id"] == "power.brownout" and v["rule"] == "brownout_resets", v
    assert not {"firmware.watchdog_reset", "wire.low_speed_only", "firmware.resets_seen"} & \
        {a["id"] for a in v["also"]}, v["also"]
    checks = {o["id"]: o["check"] for o in v["open"]}
    assert "IWDGRSTF" in checks.get("firmware.watchdog_reset", ""), v["open"]
    # the same resets at 3.3 V are the watchdog's
    w = decide(run_openocd, build(["power", "wire", ("firmware", "fail", "firmware.resets_seen")]),
               {"target.voltage": "3.3", "mcu.family": "L4", "firmware.reset_cause": "no RCC reset flags read",
                "firmware.watchdog_fix": "freeze it"})
    assert w["id"] == "firmware.watchdog_reset", w


def test_low_reading_with_a_held_core_is_not_an_unwired_sense(run_openocd):
    """A reading clearly above zero is a supply: the power layer is not marked normal as an unwired
    VAPP/T_VCC pin while the core is held in reset below the part's minimum; at about 0 V it is."""
    def normal(volts):
        fl = " ".join("{" + tcl_dict(f) + "}" for f in build(
            [finding("power", "fail", "power.low_reading", volts=volts), "wire",
             ("firmware", "fail", "firmware.held_in_reset")]))
        facts = tcl_dict({"target.voltage": volts, "mcu.family": "H7"})
        script = f"set v [stlink_diag_rules_try {{{fl}}} {{{facts}}}]; " \
                 "echo \"normal=[dict exists [dict get $v normal] power.low_reading] id=[dict get $v id]\"; shutdown"
        status, out = run_openocd(["-f", "interface/stlink.cfg", "-c", script])
        assert status == 0, out
        return [l for l in out.splitlines() if l.startswith("normal=")][0]
    assert normal("1.34") == "normal=0 id=power.brownout"
    assert normal("0.00") == "normal=1 id=firmware.held_in_reset"


def test_brownout_stays_open_when_nothing_answers_near_the_minimum(run_openocd):
    """No answer (or a link that comes and goes) at a supply just above the minimum: the resets cannot be
    seen, so a brown-out is listed as a look-alike left open; at 3.3 V it is not."""
    near = decide(run_openocd, build(["power", "noanswer"]), {"target.voltage": "2.25"})
    assert near["id"] == "wire.no_answer", near
    assert "power.brownout" in [o["id"] for o in near["open"]], near["open"]
    flaky = decide(run_openocd, build(["power", ("wire", "fail", "wire.intermittent")]),
                   {"target.voltage": "1.76", "mcu.family": "L4"})
    assert "power.brownout" in [o["id"] for o in flaky["open"]], flaky["open"]
    far = decide(run_openocd, build(["power", "noanswer"]), {"target.voltage": "3.3"})
    assert "power.brownout" not in [o["id"] for o in far["open"]], far["open"]


def test_brownout_at_the_minimum_leaves_the_wiring_open(run_openocd):
    """Nothing answers at a reading within 0.1 V of the 2.0 V minimum (no nominal rail there): brown-out
    dips explain the silence and the reading, open wires only the silence; the probe cannot tell them
    apart, so the wiring and RDP level 2 stay open, each with a check."""
    v = decide(run_openocd, build(["power", "noanswer"]), {"target.voltage": "2.03"})
    assert v["id"] == "power.brownout" and v["rule"] == "brownout_silent_near_min", v
    opened = {o["id"]: o["check"] for o in v["open"]}
    assert {"wire.no_answer", "protection.rdp2"} <= set(opened), v["open"]
    assert all(opened.values()), v["open"]


def test_core_unreadable_open_texts_are_never_empty(run_openocd):
    """The look-alikes of an unreadable core always say something, whatever the reset layer recorded:
    no note (it did not run, or the core was unreadable under reset too) or its own note."""
    cases = [
        (["power", "wire", ("debug", "fail", "debug.cpuid_unreadable")], {}),
        (["power", "wire", ("debug", "fail", "debug.cpuid_unreadable"), ("reset", "skipped", "reset.no_core")], {}),
        (["power", "wire", ("debug", "fail", "debug.cpuid_unreadable"), ("reset", "skipped", "reset.passive")],
         {"reset.cur_note": "connect under reset was not tried (-passive)"}),
    ]
    for items, extra in cases:
        v = decide(run_openocd, build(items), {"target.voltage": "3.3", "debug.no_cpuid_summary": "CPUID unreadable",
                                               **extra})
        assert v["id"] == "debug.cpuid_unreadable", v
        opened = {o["id"]: o["check"] for o in v["open"]}
        assert {"firmware.sleep_no_dbg", "firmware.stop_no_dbg"} <= set(opened), (items, v["open"])
        for oid in ("firmware.sleep_no_dbg", "firmware.stop_no_dbg"):
            check = opened[oid]
            assert len(check) > 40 and not check.startswith((";", ":", " ")), (items, oid, check)
        if extra:
            assert extra["reset.cur_note"] in opened["firmware.sleep_no_dbg"], v["open"]
