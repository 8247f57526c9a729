#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Seeded variant generator: simulator scenarios (physical model, testing/sim/README.md "Physical model")
for every fault class of fault-classes.tsv, spread over parts, probes, firmware, drivers, rates, timings
and the simulator's options for behaviours the documents leave open, plus two-fault combinations.

  gen.py [--seed N] [--per-class K] [--spec SPEC.json] [--out DIR]   write DIR/<variant>.json + index.json
  gen.py --list                                                     class, part, probe and driver names

A variant spec (JSON) narrows the matrix: {"classes": [...], "parts": [...], "probes": [...],
"drivers": [...], "per_class": K, "seed": N}. An unknown key, class, part, probe or driver, or a number out
of range, is named on stderr and exits 2.

The generator labels each variant with its true fault class only; the root cause that class must get is
fault-classes.tsv's, never something read from stlink_diag."""

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CLASSES_TSV = HERE / "fault-classes.tsv"
SIM_PHYS_C = REPO / "testing" / "sim" / "sim_phys.c"


class SpecError(Exception):
    """A bad variant spec: the message names the key."""


def load_classes(path=CLASSES_TSV):
    """{class: (status, [verdict ids], what)} in file order."""
    out = {}
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, status, ids, what = line.split("\t")
        out[name] = (status, ids.split("|"), what)
    return out


def load_families(path=SIM_PHYS_C):
    """The simulator's own family table (one place for VDD range and PDR): {model: {vdd_min, pdr_fall, ...}}."""
    fams = {}
    text = path.read_text()
    for m in re.finditer(r'\{ \.model = "(\w+)"(.*?)\},\n', text, re.S):
        row = {"v6m": ".v6m = true" in m.group(2)}
        for k in ("vdd_min", "vdd_max", "pdr_fall", "pdr_rise", "lsi_hz", "hsi_hz"):
            mm = re.search(r"\.%s = ([0-9.e]+)" % k, m.group(2))
            if mm:
                row[k] = float(mm.group(1))
        row["has_dbg_sleep"] = ".has_dbg_sleep = true" in m.group(2)
        row["sleep_stops_hclk"] = ".sleep_stops_hclk = true" in m.group(2)
        fams[m.group(1)] = row
    return fams


# The genuine parts of the matrix (cks32f103 is the clone class's part). At least one Cortex-M0/M0+ (f0, g0),
# F1, F4, L4 and H7, as issue 12 asks.
PARTS = ["f0", "g0", "f1", "f4", "f7", "l4", "h7"]
# target config of each part (for the classes that load one, and for the clone)
TARGET_CFG = {"f0": "stm32f0x", "g0": "stm32g0x", "f1": "stm32f1x", "cks32f103": "stm32f1x", "f4": "stm32f4x",
              "f7": "stm32f7x", "l4": "stm32l4x", "h7": "stm32h7x"}
# DBGMCU_CR low-power debug bits the family has (RM0360/RM0444: no DBG_SLEEP on F0/G0; RM0008, RM0090,
# RM0385, RM0351: SLEEP|STOP|STANDBY; RM0433: D1 SLEEP|STOP|STANDBY)
DBG_BITS = {"f0": 0x6, "g0": 0x6, "f1": 0x7, "cks32f103": 0x7, "f4": 0x7, "f7": 0x7, "l4": 0x7, "h7": 0x7}

# probes: PID, current and old firmware (old = older than current, still at or above what both drivers
# need: the st-link driver needs V2J24; OpenOCD's manual recommends V2J21 or later)
PROBES = {
    "V2": {"pid": "0x3748", "current": "V2J45S7", "old": ["V2J25S4", "V2J29S7", "V2J33S7"]},
    "V2-1": {"pid": "0x374B", "current": "V2J45M30", "old": ["V2J26M16", "V2J29M18", "V2J37M26"]},
    "V3": {"pid": "0x374F", "current": "V3J15M7B5S1", "old": ["V3J2M1B2S1", "V3J7M2B4S1"]},
}
V3_SWD_KHZ = [24000, 8000, 3300, 1000, 200, 50, 5]
DRIVERS = ["hla", "dap-direct"]

# The speed OpenOCD will use: without any `adapter speed` OpenOCD 0.12.0 asks for 100 kHz (src/jtag/adapter.c,
# DEFAULT_CLOCK_SPEED_KHZ), where a lead whose 50 % point lies at 150-500 kHz is nearly clean. Variants of the
# wire classes therefore carry the `adapter speed` of their family's target config (OpenOCD 0.12.0
# tcl/target/stm32*.cfg, the top-level `adapter speed` line), at least 1000 kHz: with the matching rule of the
# probe (V2 table, V3 list) that is 950-2000 kHz, well above such a lead's 50 % point, so its errors are
# certain there. Up to USED_KHZ_MAX: errors of a lead whose 50 % point lies 4x above it are negligible there.
USED_KHZ_MAX = 4000
CFG_KHZ = {"f0": 1000, "g0": 2000, "f1": 1000, "cks32f103": 1000, "f4": 2000, "f7": 2000, "l4": 500, "h7": 1800}


def used_speed(b):
    khz = max(1000, CFG_KHZ[b.part])
    if "adapter speed" not in " ".join(b.openocd_args):
        b.openocd_args = list(b.openocd_args) + ["-c", f"adapter speed {khz}"]
        b.notes.append(f"adapter speed {khz}")

# two-fault combinations: the verdict may name either; the other, where separable, belongs in verdict.also
COMBOS = [("rdp1", "clone_tapid"), ("nrst_unwired", "lockup"), ("signal_integrity", "rdp1"),
          ("boot_sysmem", "rdp1"), ("watchdog_loop", "hardfault_loop")]


# classes where nothing answers on SWD, not even under reset
NO_ANSWER = {"unpowered", "brownout", "wires_open", "wires_swapped", "rdp2", "pins_taken_no_nrst", "no_probe",
             "probe_in_use"}


@dataclass
class Spec:
    classes: list = None
    parts: list = None
    probes: list = None
    drivers: list = None
    per_class: int = None
    seed: int = None
    combos: bool = True


SPEC_KEYS = {"classes", "parts", "probes", "drivers", "per_class", "seed", "combos"}


def load_spec(path):
    """Read and check a variant spec; SpecError names the bad key."""
    try:
        raw = json.loads(Path(path).read_text())
    except (OSError, ValueError) as e:
        raise SpecError(f"{path}: cannot read the spec: {e}")
    return check_spec(raw, str(path))


def check_spec(raw, where="spec"):
    if not isinstance(raw, dict):
        raise SpecError(f"{where}: a spec is a JSON object")
    for k in raw:
        if k not in SPEC_KEYS:
            raise SpecError(f"{where}: unknown key '{k}' (known: {', '.join(sorted(SPEC_KEYS))})")
    classes = load_classes()
    allowed = {"classes": list(classes) + ["+".join(c) for c in COMBOS], "parts": PARTS,
               "probes": list(PROBES), "drivers": DRIVERS}
    s = Spec()
    for k, names in allowed.items():
        if k in raw:
            v = raw[k]
            if not isinstance(v, list) or not v or not all(isinstance(x, str) for x in v):
                raise SpecError(f"{where}: '{k}' must be a non-empty list of names")
            for x in v:
                if x not in names:
                    raise SpecError(f"{where}: '{k}': unknown name '{x}' (known: {', '.join(names)})")
            setattr(s, k, v)
    for k, lo, hi in (("per_class", 1, 1000), ("seed", 0, 2 ** 53)):
        if k in raw:
            v = raw[k]
            if not isinstance(v, int) or isinstance(v, bool) or not lo <= v <= hi:
                raise SpecError(f"{where}: '{k}' must be an integer from {lo} to {hi}, not {v!r}")
            setattr(s, k, v)
    if "combos" in raw:
        if not isinstance(raw["combos"], bool):
            raise SpecError(f"{where}: 'combos' must be true or false")
        s.combos = raw["combos"]
    return s


@dataclass
class Variant:
    id: str
    klass: str
    driver: str
    part: str
    probe: str
    firmware: str
    scenario: dict
    openocd_args: list = field(default_factory=list)
    expected_status: str = "ok"
    expected_ids: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def describe(self):
        return f"{self.part}, {self.probe} {self.firmware}, {self.driver}" + \
            (f"; {'; '.join(self.notes)}" if self.notes else "")

    def to_json(self):
        return {"id": self.id, "class": self.klass, "driver": self.driver, "part": self.part, "probe": self.probe,
                "firmware": self.firmware, "openocd_args": self.openocd_args,
                "expected_status": self.expected_status, "expected_ids": self.expected_ids,
                "notes": self.notes, "scenario": self.scenario}


# ---- the physical set-up of each class ---------------------------------------------------------------
# Each builder gets (rng, b) where b is the variant under construction (b.scenario already holds the part,
# probe and a healthy set-up) and changes b.scenario to make its fault. Values vary per variant: timings,
# rates, the uncertain behaviours (options) the documents leave open.

def opt(b, key, value):
    b.scenario.setdefault("options", {})[key] = value


def action(b, **kw):
    b.scenario.setdefault("firmware", {}).setdefault("actions", []).append(kw)


def wiring(b, **kw):
    b.scenario.setdefault("wiring", {}).update(kw)


def supply(b, **kw):
    b.scenario.setdefault("supply", {}).update(kw)


def soon_us(rng):
    """'Soon after reset': microseconds to tens of milliseconds, log-spread."""
    return int(10 ** rng.uniform(0.5, 4.5))


def iwdg_period_s(fam, prescaler, reload):
    return prescaler * (reload + 1) / fam["lsi_hz"]


def b_healthy(rng, b, fams):
    # an application that does ordinary things: a refreshed watchdog, a debug-friendly DBGMCU_CR, nothing
    k = rng.choice(["plain", "iwdg_refreshed", "dbgmcu_set", "plain"])
    if k == "iwdg_refreshed":
        action(b, at_us=soon_us(rng), do="iwdg_start", prescaler=rng.choice([32, 64, 256]), reload=4095,
               refresh_us=rng.choice([1000, 10000, 100000]))
    elif k == "dbgmcu_set":
        action(b, at_us=soon_us(rng), do="dbgmcu_cr", value=DBG_BITS[b.part])
    b.notes.append(k)


def b_healthy_wfi_dbg(rng, b, fams):
    mode = rng.choice(["sleep", "sleep", "stop"])
    t = soon_us(rng)
    # the bits are written before the WFI that never returns (written after it, they never are)
    action(b, at_us=rng.randint(0, t), do="dbgmcu_cr", value=DBG_BITS[b.part])
    action(b, at_us=t + 1, do="sleep", mode=mode)
    opt(b, "stop_dp", rng.choice(["answers", "silent"]))
    b.notes.append(f"{mode} with DBGMCU_CR {DBG_BITS[b.part]:#x}")


def b_vapp(rng, b, fams):
    supply(b, vapp_wired=False)


def b_f1_jtag_off(rng, b, fams):
    action(b, at_us=soon_us(rng), do="swj_cfg", value=2)
    opt(b, "swj_cfg_read", rng.choice(["zero", "written"]))


def b_low_vdd_ok(rng, b, fams):
    f = fams[b.part]
    low = max(f["vdd_min"], f["pdr_rise"])
    v = round(low + rng.uniform(0.04, 0.2), 2)
    supply(b, vdd=v)
    b.notes.append(f"VDD {v} V (part min {f['vdd_min']} V)")


def b_old_fw(rng, b, fams):
    pass  # the probe dimension picks old firmware for this class


def b_errors_above(rng, b, fams):
    crit = rng.randint(4 * USED_KHZ_MAX, 6 * USED_KHZ_MAX)
    wiring(b, crit_khz=crit)
    b.notes.append(f"crit_khz {crit}")
    used_speed(b)


# How far below a part's minimum a steady supply must be to count as out of range: the ST-LINK's VAPP
# reading is an ADC ratio against its internal reference (a 12-bit conversion of VREFINT and of VAPP/2),
# good to a few tens of mV, so a reading within this of the minimum cannot be told from one just above it.
VDD_MARGIN = 0.05


def b_unpowered(rng, b, fams):
    supply(b, vdd=round(rng.choice([0.0, 0.0, rng.uniform(0.0, 0.5)]), 2))


def b_brownout(rng, b, fams):
    f = fams[b.part]
    low = max(f["vdd_min"], f["pdr_rise"])
    k = rng.choice(["below_pdr", "dips", "out_of_spec"]) if f["vdd_min"] - VDD_MARGIN > f["pdr_rise"] + 0.01 \
        else rng.choice(["below_pdr", "dips"])
    if k == "below_pdr":
        # below the falling threshold and below the part's minimum too (where a family's borrowed PDR
        # lies above its documented minimum, only the range below both is unambiguous)
        top = min(f["pdr_fall"], f["vdd_min"] - VDD_MARGIN)
        v = round(rng.uniform(top - 0.25, top - 0.02), 2)
        supply(b, vdd=v)
        opt(b, "below_pdr_dp", rng.choice(["silent", "answers_in_reset"]))
    elif k == "dips":
        v = round(rng.uniform(f["pdr_rise"] + 0.01, low + 0.1), 2)
        supply(b, vdd=v, dip_v=round(v - f["pdr_fall"] + rng.uniform(0.05, 0.2), 2),
               dip_hz=rng.choice([5, 20, 100, 1000]))
    else:
        # at least VDD_MARGIN below the minimum: closer than that, the probe's VAPP reading cannot tell
        v = round(rng.uniform(f["pdr_rise"] + 0.01, f["vdd_min"] - VDD_MARGIN), 2)
        supply(b, vdd=v)
    b.notes.append(f"{k} VDD {v} V (part {f['vdd_min']}..{f['vdd_max']} V, PDR {f['pdr_fall']} V)")


def b_wires_open(rng, b, fams):
    wiring(b, **{rng.choice(["swdio", "swclk"]): "open"})


def b_wires_swapped(rng, b, fams):
    wiring(b, swapped=True)


def b_rdp2(rng, b, fams):
    b.scenario["target"]["rdp_level"] = 2


def b_no_ground(rng, b, fams):
    r = round(rng.uniform(0.08, 0.6), 2)
    wiring(b, ground=False, no_ground_rate=r)
    opt(b, "no_ground_errors", rng.choice(["flat", "rising"]))
    opt(b, "no_ack_status", rng.choice(["error", "fault"]))
    opt(b, "parity_status", rng.choice(["parity", "error"]))
    b.notes.append(f"rate {r}")


def b_signal_integrity(rng, b, fams):
    if rng.random() < 0.5:
        cm = rng.randint(250, 300)  # crit 400..480 kHz
        wiring(b, cable_cm=cm)
        b.notes.append(f"cable {cm} cm")
    else:
        crit = rng.randint(150, 500)
        wiring(b, crit_khz=crit)
        b.notes.append(f"crit_khz {crit}")
    opt(b, "no_ack_status", rng.choice(["error", "fault"]))
    opt(b, "parity_status", rng.choice(["parity", "error"]))
    used_speed(b)


def b_pins_taken(rng, b, fams):
    if b.part == "f1" and rng.random() < 0.5:
        action(b, at_us=soon_us(rng), do="swj_cfg", value=4)
    else:
        action(b, at_us=soon_us(rng), do="take_swd_pins")


def b_pins_taken_no_nrst(rng, b, fams):
    b_pins_taken(rng, b, fams)
    wiring(b, nrst=False)


def b_sleep_mode(mode):
    def build(rng, b, fams):
        t = soon_us(rng)
        if rng.random() < 0.3:
            # the application writes DBGMCU_CR, just not the bit this mode needs (before its WFI)
            other = {"stop": 0x4, "standby": 0x2, "sleep": 0x6}[mode] & DBG_BITS[b.part]
            action(b, at_us=rng.randint(0, t), do="dbgmcu_cr", value=other)
        action(b, at_us=t + 1, do="sleep", mode=mode)
        opt(b, "stop_dp", rng.choice(["answers", "silent"]))
        opt(b, "standby_dp", rng.choice(["silent", "answers"]))
        opt(b, "stall_status", rng.choice(["wait", "fault"]))
        if mode == "sleep":
            opt(b, "sleep_stops_hclk", "documented")
    return build


def b_fault(handler):
    def build(rng, b, fams):
        action(b, at_us=soon_us(rng), do="bad_pointer", handler=handler,
               address=rng.choice([0x00100000, 0x00100000, 0x60000000 if b.part in ("f4", "f7", "h7") else 0x00100000]))
        opt(b, "s_lockup_needs_debugen", rng.choice([False, True]))
        opt(b, "pcsr_lockup", rng.choice(["ones", "lockup_pc"]))
        opt(b, "pcsr_v6m", rng.choice(["absent", "present"]))
        opt(b, "pcsr_without_trcena", rng.choice(["pc", "ones"]))
    return build


def b_vectors(kind):
    def build(rng, b, fams):
        b.scenario["target"]["vectors"] = kind
        opt(b, "s_lockup_needs_debugen", rng.choice([False, True]))
        opt(b, "pcsr_lockup", rng.choice(["ones", "lockup_pc"]))
    return build


def b_boot(src):
    def build(rng, b, fams):
        b.scenario["target"]["boot"] = src
        if src == "sram":
            b.scenario["target"]["sram_contents"] = rng.choice(["zero", "random"])
        opt(b, "syscfg_unclocked", rng.choice(["reset_value", "zero"]))
    return build


def b_watchdog(rng, b, fams):
    f = fams[b.part]
    if rng.random() < 0.3:
        b.scenario["target"]["hw_watchdog"] = True
        b.notes.append(f"option-byte watchdog, period {iwdg_period_s(f, 4, 4095) * 1000:.0f} ms")
        return
    # periods up to about a second: the simulated board has run 2 s before the probe connects (README
    # "Physical model"), so at least one watchdog reset has happened and left its RCC flag
    pr = rng.choice([4, 8])
    rl = rng.randint(80, 4095)
    action(b, at_us=soon_us(rng), do="iwdg_start", prescaler=pr, reload=rl, refresh_us=0)
    b.notes.append(f"IWDG period {iwdg_period_s(f, pr, rl) * 1000:.0f} ms, never refreshed")


def b_reset_loop(rng, b, fams):
    # C4: every boot ends in a software reset after a few milliseconds (a clock set-up that fails into an
    # Error_Handler that resets, a HardFault handler that resets); a period the diagnosis's reset window
    # (a few hundred ST-LINK commands at most) covers several times
    at = round(rng.uniform(300, 3000))
    action(b, at_us=at, do="sysreset")
    b.notes.append(f"software reset {at} us after every boot")


def b_rdp1(rng, b, fams):
    b.scenario["target"]["rdp_level"] = 1
    opt(b, "rdp1_read_status", rng.choice(["ap_fault", "ap_error"]))
    opt(b, "rdp1_sram", rng.choice(["readable", "fault"]))


def b_nrst_unwired(rng, b, fams):
    wiring(b, nrst=False)


def b_held_in_reset(rng, b, fams):
    wiring(b, nrst_held_low=True)


def b_clone(rng, b, fams):
    b.scenario["target"]["model"] = "cks32f103"
    b.part = "cks32f103"
    b.openocd_args = ["-f", "target/stm32f1x.cfg"]


def b_probe_in_use(rng, b, fams):
    b.scenario["probe"]["in_use"] = True


def b_no_probe(rng, b, fams):
    b.scenario.setdefault("server", {})["num_probes"] = 0


BUILDERS = {
    "healthy": b_healthy, "healthy_wfi_dbg": b_healthy_wfi_dbg, "healthy_vapp_unwired": b_vapp,
    "healthy_f1_jtag_disabled": b_f1_jtag_off, "healthy_low_vdd_in_range": b_low_vdd_ok,
    "healthy_old_firmware": b_old_fw, "healthy_errors_above_used_speed": b_errors_above,
    "unpowered": b_unpowered, "brownout": b_brownout, "wires_open": b_wires_open,
    "wires_swapped": b_wires_swapped, "rdp2": b_rdp2, "no_ground": b_no_ground,
    "signal_integrity": b_signal_integrity, "pins_taken": b_pins_taken, "pins_taken_no_nrst": b_pins_taken_no_nrst,
    "stop_no_dbg": b_sleep_mode("stop"), "standby_no_dbg": b_sleep_mode("standby"),
    "sleep_no_dbg": b_sleep_mode("sleep"), "lockup": b_fault("fault"), "hardfault_loop": b_fault("spin"),
    "empty_flash": b_vectors("erased"), "zero_vectors": b_vectors("zero"), "boot_sysmem": b_boot("sysmem"),
    "boot_sram": b_boot("sram"), "watchdog_loop": b_watchdog, "reset_loop": b_reset_loop, "rdp1": b_rdp1, "nrst_unwired": b_nrst_unwired,
    "held_in_reset": b_held_in_reset, "clone_tapid": b_clone, "probe_in_use": b_probe_in_use,
    "no_probe": b_no_probe,
}

# parts a class applies to (physics: F1-only registers; sleep that stops HCLK is documented on F4/F7/H7)
CLASS_PARTS = {"healthy_f1_jtag_disabled": ["f1"], "sleep_no_dbg": ["f4", "f7", "h7"], "clone_tapid": ["f1"],
               # F7/H7 boot from BOOT_ADDx: SRAM boot is not modelled there
               "boot_sram": ["f0", "g0", "f1", "f4", "l4"]}


def base_scenario(part, probe, fw, seed):
    p = PROBES[probe]
    s = {"description": "", "seed": seed,
         "server": {"api": 3 if probe == "V3" else 2},
         "probe": {"pid": p["pid"], "firmware": fw},
         "target": {"model": part},
         "supply": {"vdd": 3.3},
         "timing": {"wall_clock": True}}
    if probe == "V3":
        s["probe"]["swd_freqs_khz"] = V3_SWD_KHZ
    return s


def make_variant(classes, fams, rng, klass, n, spec, seed):
    parts_for = [x for x in (spec.parts or PARTS) if x in CLASS_PARTS.get(klass.split("+")[0], PARTS)]
    for k in klass.split("+")[1:]:
        parts_for = [x for x in parts_for if x in CLASS_PARTS.get(k, PARTS)]
    if not parts_for:
        return None
    part = rng.choice(parts_for)
    probe = rng.choice(spec.probes or list(PROBES))
    driver = rng.choice(spec.drivers or DRIVERS)
    old = klass == "healthy_old_firmware" or rng.random() < 0.25
    fw = rng.choice(PROBES[probe]["old"]) if old else PROBES[probe]["current"]
    vseed = rng.randint(1, 2 ** 31)
    b = Variant(id="", klass=klass, driver=driver, part=part, probe=probe, firmware=fw,
                scenario=base_scenario(part, probe, fw, vseed))
    for k in klass.split("+"):
        BUILDERS[k](rng, b, fams)
    # benign background that must change nothing: VAPP unwired, but only where the target answers in some
    # way (with nothing answering, a 0 V reading is all there is, and an unpowered target looks the same)
    if not klass.startswith("healthy") and not set(klass.split("+")) & NO_ANSWER and rng.random() < 0.15:
        supply(b, vapp_wired=False)
        b.notes.append("VAPP unwired")
    acts = b.scenario.get("firmware", {}).get("actions")
    if acts:
        acts.sort(key=lambda x: x["at_us"])
    parts = klass.split("+")
    statuses = [classes[k][0] for k in parts]
    b.expected_status = "fail" if "fail" in statuses else "warn" if "warn" in statuses else "ok"
    b.expected_ids = sorted({i for k in parts for i in classes[k][1]
                             if classes[k][0] == b.expected_status or len(parts) > 1})
    if len(parts) > 1:
        # a combination is judged by its most serious part: a warn class (nrst_unwired) next to a failing
        # one is right when the verdict names the failing cause; the other belongs in verdict.also
        b.expected_ids = sorted({i for k in parts if classes[k][0] == b.expected_status for i in classes[k][1]})
    b.id = f"{klass}-{n:02d}-{b.part}-{probe}-{driver}"
    b.scenario["description"] = f"variant {b.id} (seed {seed}): {classes[parts[0]][2]}" + \
        "".join(f" + {classes[k][2]}" for k in parts[1:]) + f"; {b.describe()}. Physics: testing/sim/SILICON.md"
    return b


def generate(spec=None, seed=12, per_class=20, wall_clock=True):
    """The variants of one seed set, deterministic for (spec, seed, per_class). wall_clock=False: the
    simulated core's time advances by modelled command times only, so a run does not depend on how
    loaded the machine is (the CI subset)."""
    spec = spec or Spec()
    if spec.seed is not None:
        seed = spec.seed
    if spec.per_class is not None:
        per_class = spec.per_class
    classes = load_classes()
    fams = load_families()
    names = spec.classes or (list(classes) + (["+".join(c) for c in COMBOS] if spec.combos else []))
    out = []
    for klass in names:
        rng = random.Random(f"{seed}:{klass}")
        for n in range(per_class):
            v = make_variant(classes, fams, rng, klass, n, spec, seed)
            if v is not None:
                v.scenario["timing"]["wall_clock"] = wall_clock
                out.append(v)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--per-class", type=int, default=20)
    ap.add_argument("--spec")
    ap.add_argument("--out")
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.list:
        print("classes:", " ".join(list(load_classes()) + ["+".join(c) for c in COMBOS]))
        print("parts:", " ".join(PARTS), "\nprobes:", " ".join(PROBES), "\ndrivers:", " ".join(DRIVERS))
        return 0
    try:
        spec = load_spec(a.spec) if a.spec else Spec()
    except SpecError as e:
        print(f"gen.py: {e}", file=sys.stderr)
        return 2
    if not 1 <= a.per_class <= 1000:
        print(f"gen.py: --per-class must be from 1 to 1000, not {a.per_class}", file=sys.stderr)
        return 2
    vs = generate(spec, a.seed, a.per_class)
    if a.out:
        d = Path(a.out)
        d.mkdir(parents=True, exist_ok=True)
        for v in vs:
            (d / f"{v.id}.json").write_text(json.dumps(v.scenario, indent=1) + "\n")
        (d / "index.json").write_text(json.dumps([dict(v.to_json(), scenario=f"{v.id}.json") for v in vs],
                                                 indent=1) + "\n")
    for v in vs:
        print(f"{v.id}\t{v.expected_status}\t{'|'.join(v.expected_ids)}\t{v.describe()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
