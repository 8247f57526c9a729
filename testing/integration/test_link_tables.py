# SPDX-License-Identifier: GPL-2.0-or-later
"""The link layers' knowledge and rules, checked row by row without a probe.

Expected values come from reference data committed next to the tests (testing/unit/stm32-lowpower.tsv
for the family data behind `stlink_probe stm32 family`; the V2 speed table and OpenOCD's matching rule
from OpenOCD 0.12.0 src/jtag/drivers/stlink_usb.c, stlink_khz_to_speed_map_swd), not from the code."""

import pytest

from conftest import REPO

LOWPOWER_TSV = REPO / "testing" / "unit" / "stm32-lowpower.tsv"


def tcl(run_openocd, script):
    # the stlink_probe command exists once an ST-LINK adapter driver is selected (no probe is opened)
    status, out = run_openocd(["-f", "interface/stlink.cfg", "-c", script, "-c", "shutdown"])
    assert status == 0, out
    return [l.rstrip() for l in out.splitlines() if l.startswith("R:")]


def reference_rows():
    lines = [l for l in LOWPOWER_TSV.read_text().splitlines() if l and not l.startswith("#")]
    head = lines[0].split("\t")
    return {r[0]: dict(zip(head, r)) for r in (l.split("\t") for l in lines[1:])}


REF = reference_rows()


def c_family(run_openocd, family):
    out = tcl(run_openocd, f'foreach {{k v}} [stlink_probe stm32 family {family}] {{echo "R: $k=$v"}}')
    return dict(l[3:].split("=", 1) for l in out)


@pytest.mark.parametrize("family", sorted(REF))
def test_family_row(run_openocd, family):
    """Every value the reference gives for a family is what C's family table says."""
    ref = REF[family]
    got = c_family(run_openocd, family)
    for key, want in ref.items():
        if key == "family" or want == "-":
            continue
        if key == "rcc_flags":
            # the C table names H7's IWDG1/WWDG1 by the generic names the rules look for
            want_pairs = [(n.rstrip("1") if n.endswith("WDG1") else n, int(b))
                          for n, b in (x.split(":") for x in want.split(","))]
            words = got[key].split()
            got_pairs = [(words[i], int(words[i + 1])) for i in range(0, len(words), 2)]
            assert got_pairs == want_pairs, (family, got[key], want)
        elif key == "dbg_bits":
            assert int(got[key], 0) == int(want, 0), (family, key, got[key], want)
        else:
            assert int(got[key], 0) == int(want, 0), (family, key, got[key], want)


def test_every_devid_family_has_a_row(run_openocd):
    """Every family of the DEV_ID table has family data (no DBGMCU_CR guessed from another family)."""
    fams = set()
    for line in (REPO / "testing" / "unit" / "stm32-devid.tsv").read_text().splitlines():
        cols = line.split("\t")
        # the look-alike rows ("GD32 clone") are not STM32 families
        if len(cols) > 2 and cols[0].startswith("0x") and "clone" not in cols[1]:
            fams.add(cols[1])
    out = tcl(run_openocd, 'echo "R: [dict get [stlink_probe stm32 families] families]"')
    have = set(out[0][3:].split())
    assert fams and fams <= have, (fams - have, fams, have)


def test_no_tcl_copy_of_the_dbgmcu_table(run_openocd):
    """The DBGMCU_CR knowledge lives once, in C: no Tcl table may come back."""
    out = tcl(run_openocd, 'echo "R: [info exists stlink_diag_dbgmcu_cr] [llength [info procs stlink_diag_family_guess]]"')
    assert out == ["R: 0 0"], out
    for f in (REPO / "src" / "jtag" / "drivers" / "stlink_diag" / "tcl").rglob("*.tcl"):
        text = f.read_text()
        for addr in ("0x40015804", "0xE0044004", "0x5C001004"):
            assert addr not in text, (f, addr)


def test_unknown_family_is_an_error(run_openocd):
    status, out = run_openocd(["-f", "interface/stlink.cfg", "-c", "stlink_probe stm32 family Z9", "-c", "shutdown"])
    assert status != 0 and "unknown family 'Z9'" in out, out


V2_SWD = [4000, 1800, 1200, 950, 480, 240, 125, 100, 50, 25, 15, 5]     # OpenOCD 0.12.0 stlink_usb.c, stlink_khz_to_speed_map_swd
V3_SWD = [24000, 8000, 3300, 1000, 200, 50, 5]                          # the simulator's V3 list


# the speed-match rule itself lives in C (stlink_probe speed_match): test_speed_match.py and the unit
# tests of stlink_diag_speed.c check it


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


# power: the layer only observes; below 1.5 V (OpenOCD's own warning level, stlink_usb.c stlink_usb_check_voltage) it
# records power.low_reading, whatever the cause (the correlation step decides: test_rules.py)
@pytest.mark.parametrize("volts,expected", [
    ("3.30", "power.ok"), ("1.50", "power.ok"), ("1.49", "power.low_reading"), ("0.00", "power.low_reading"),
])
def test_power_observation(run_openocd, volts, expected):
    facts = f"voltage {{ok 1 volts {volts} a0 1600 a1 0}} opt.target {{}}"
    out = tcl(run_openocd, f'set f {{{facts}}}; echo "R: [dict get [stlink_diag_layer_power f] id]"')
    assert out == [f"R: {expected}"], out


@pytest.mark.parametrize("named,family", [("stm32f4x", "F4"), ("target/stm32l4x.cfg", "L4"),
                                          ("STM32F407VG", "F4"), ("STM32G071", "G0"), ("nonsense", "")])
def test_power_family_hint(run_openocd, named, family):
    """The family the voltage is judged by before any part answers: from -target (or the target config)."""
    out = tcl(run_openocd, f'echo "R: [stlink_diag_power_family_hint {{opt.target {named}}}]"')
    assert out == [f"R: {family}".rstrip()], out



def test_one_place_for_idcode_and_option_register():
    """DBGMCU_IDCODE's address lives in the DEV_ID rows only (the core table and a candidates switch
    had copies), the option register in the layouts only (the DEV_ID rows had a copy)."""
    src = REPO / "src" / "jtag" / "drivers" / "stlink_diag"
    for f in list(src.glob("*.[ch]")) + [REPO / "contrib" / "stm32_devid_gen.py"]:
        text = f.read_text()
        assert "dbgmcu_idcode_addr" not in text, f
        assert ".rdp_reg" not in text and "rdp_reg;" not in text, f
    stm32 = (src / "stlink_diag_stm32.c").read_text()
    assert "0x5C001000" not in stm32        # H7's address comes from its DEV_ID rows, not a per-core switch
    assert "switch (cpuid_partno)" not in stm32
