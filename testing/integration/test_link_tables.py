# SPDX-License-Identifier: GPL-2.0-or-later
"""The link layers' knowledge and rules, checked row by row without a probe.

Expected values are written from the references (stm32-families.md §6 for DBGMCU_CR,
stlink-protocol.md §4.2 for the V2 speed table and OpenOCD's matching rule), not from the code."""

import pytest


def tcl(run_openocd, script):
    status, out = run_openocd(["-c", script, "-c", "shutdown"])
    assert status == 0, out
    return [l.rstrip() for l in out.splitlines() if l.startswith("R:")]


# stm32-families.md §6: family -> (DBGMCU_CR address, low-power debug bits that exist there)
DBGMCU = {
    "F1": ("0xE0042004", 0x7), "F2": ("0xE0042004", 0x7), "F3": ("0xE0042004", 0x7),
    "F4": ("0xE0042004", 0x7), "F7": ("0xE0042004", 0x7), "G4": ("0xE0042004", 0x7),
    "L1": ("0xE0042004", 0x7), "L4": ("0xE0042004", 0x7), "WB": ("0xE0042004", 0x7),
    "WL": ("0xE0042004", 0x7),
    "F0": ("0x40015804", 0x6), "G0": ("0x40015804", 0x6), "C0": ("0x40015804", 0x6),   # no DBG_SLEEP
    "L0": ("0x40015804", 0x7),
    "L5": ("0xE0044004", 0x6), "U5": ("0xE0044004", 0x6), "H5": ("0xE0044004", 0x6),
    "H7": ("0x5C001004", 0x7),
}


@pytest.mark.parametrize("family", sorted(DBGMCU))
def test_dbgmcu_cr_row(run_openocd, family):
    addr, bits = DBGMCU[family]
    out = tcl(run_openocd, f'lassign [dict get $stlink_diag_dbgmcu_cr {family}] a b; echo "R: $a [expr {{$b + 0}}]"')
    assert out == [f"R: {addr} {bits}"], out


def test_dbgmcu_cr_no_other_rows(run_openocd):
    out = tcl(run_openocd, 'echo "R: [lsort [dict keys $stlink_diag_dbgmcu_cr]]"')
    assert out == ["R: " + " ".join(sorted(DBGMCU))], out


V2_SWD = [4000, 1800, 1200, 950, 480, 240, 125, 100, 50, 25, 15, 5]     # stlink-protocol.md §4.2
V3_SWD = [24000, 8000, 3300, 1000, 200, 50, 5]                          # the simulator's V3 list


@pytest.mark.parametrize("table,khz,expected", [
    (V2_SWD, 2000, 1800), (V2_SWD, 1800, 1800), (V2_SWD, 1, 5), (V2_SWD, 100000, 4000),
    (V3_SWD, 1800, 1000), (V3_SWD, 2, 5),
])
def test_speed_match_rule(run_openocd, table, khz, expected):
    """The fastest entry at or below the request, else the slowest."""
    out = tcl(run_openocd, f'echo "R: [stlink_diag_wire_match {{{" ".join(map(str, table))}}} {khz}]"')
    assert out == [f"R: {expected}"]


@pytest.mark.parametrize("table,configured,expected", [
    # fastest, then each next at most a quarter of the last, the slowest, the configured one
    (V2_SWD, 1800, [4000, 1800, 950, 125, 25, 5]),
    (V3_SWD, 1000, [24000, 3300, 1000, 200, 50, 5]),
    ([5], 5, [5]),
])
def test_ladder(run_openocd, table, configured, expected):
    out = tcl(run_openocd, f'echo "R: [stlink_diag_wire_ladder {{{" ".join(map(str, table))}}} {configured}]"')
    assert out == ["R: " + " ".join(map(str, expected))]


@pytest.mark.parametrize("results,reliable,monotonic", [
    ({4000: (0, 2), 1800: (0, 2), 480: (3, 3), 5: (3, 3)}, [480, 5], 1),      # low speed only
    ({4000: (3, 3), 1800: (3, 3), 5: (3, 3)}, [4000, 1800, 5], 1),            # healthy
    ({4000: (2, 3), 1800: (3, 3), 480: (1, 3), 5: (3, 3)}, [1800, 5], 0),     # failures below: noise
    ({4000: (0, 2), 5: (0, 2)}, [], 0),                                         # nothing answers
])
def test_reliable_and_monotonic(run_openocd, results, reliable, monotonic):
    d = " ".join(f"{k} {{ok {ok} tries {n}}}" for k, (ok, n) in results.items())
    out = tcl(run_openocd, f'set r [stlink_diag_wire_reliable {{{d}}}]; '
                           f'echo "R: $r"; echo "R: [stlink_diag_wire_monotonic {{{d}}} $r]"')
    assert out == [f"R: {' '.join(map(str, reliable))}".rstrip(), f"R: {monotonic}"], out


# power: the 1.5 V threshold (OpenOCD's own warning level, stlink-protocol.md §4.1), the VAPP inference
# (a target that answers while ~0 V is read), and the part-range hook
@pytest.mark.parametrize("volts,wire,vdd,expected", [
    ("3.30", "ok", None, "power.ok"),
    ("1.50", "ok", None, "power.ok"),
    ("1.49", "fail", None, "power.unpowered"),
    ("0.02", "ok", None, "power.vapp_not_wired"),
    ("0.00", "fail", None, "power.unpowered"),
    ("3.30", "ok", (1.71, 3.6), "power.ok"),
    ("3.30", "ok", (1.71, 3.0), "power.out_of_range"),
])
def test_power_rules(run_openocd, volts, wire, vdd, expected):
    facts = f"voltage {{ok 1 volts {volts} a0 1600 a1 0}} wire_record {{status {wire}}}"
    if vdd:
        facts += f" mcu.vdd_min {vdd[0]} mcu.vdd_max {vdd[1]}"
    out = tcl(run_openocd, f'set f {{{facts}}}; echo "R: [dict get [stlink_diag_layer_power f] id]"')
    assert out == [f"R: {expected}"], out
