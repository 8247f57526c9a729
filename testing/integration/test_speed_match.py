# SPDX-License-Identifier: GPL-2.0-or-later
"""`stlink_probe speed_match KHZ` answers with the speed the firmware will run at, by OpenOCD's rule,
and `stlink_probe speed KHZ` sets exactly that speed (one rule in C: stlink_diag_speed_pick()).
The oracle is the rule as OpenOCD 0.12.0 documents and implements it (stlink_usb.c,
stlink_match_speed_map() for V2, stlink_speed_v3() for V3): the fastest speed offered at or below the
request, else the slowest; the speeds offered come from `stlink_probe speeds` and the simulator's
scenario, and what was set is read back from the simulator's log."""

import re

import pytest

from conftest import interface_args, load_scenario

REQUESTS = [100000, 4000, 3999, 1800, 1000, 480, 101, 5, 1]


def rule(offered, khz):
    below = [s for s in offered if s <= khz]
    return max(below) if below else min(offered)


def tcl_dict(text):
    words = text.split()
    return dict(zip(words[::2], words[1::2]))


@pytest.mark.parametrize("scenario", ["healthy-f407", "healthy-f407-v3"])
def test_speed_match_is_the_speed_set(sim, run_openocd, scenario):
    s = sim(scenario)
    script = ['stlink_probe open', 'echo "SPEEDS=[dict get [stlink_probe speeds] khz]"']
    for k in REQUESTS:
        script.append(f"set m [stlink_probe speed_match {k}]")
        script.append(f'echo "MATCH {k}=ok [dict get $m ok] khz [dict get $m khz] exact [dict get $m exact]"')
        script.append(f'echo "SET {k}=[stlink_probe speed {k}]"')
    script.append("stlink_probe close")
    status, out = run_openocd(interface_args("hla", s.port) + ["-c", "; ".join(script), "-c", "shutdown"])
    s.stop()
    assert status == 0, out
    offered = [int(x) for x in re.search(r"^SPEEDS=(.*)$", out, re.M).group(1).split()]
    sc = load_scenario(scenario)
    if "swd_freqs_khz" in sc["probe"]:
        assert sorted(offered) == sorted(sc["probe"]["swd_freqs_khz"])
    assert len(offered) > 3, offered
    for k in REQUESTS:
        m = tcl_dict(re.search(rf"^MATCH {k}=(.*)$", out, re.M).group(1))
        st = re.search(rf"^SET {k}=(.*)$", out, re.M).group(1)
        assert m["ok"] == "1", m
        assert int(m["khz"]) == rule(offered, k), (k, m)
        assert m["exact"] == ("1" if k in offered else "0"), (k, m)
        assert re.search(rf"\bkhz {m['khz']}\b", st), (k, st)
    # the simulator saw the same speeds set, in order
    if "swd_freqs_khz" in sc["probe"]:
        sent = [int.from_bytes(bytes.fromhex(l.split("cmd=[")[1][12:23].replace(" ", "")), "little")
                for l in s.usb_lines() if "cmd=[f2 61 00" in l]
        assert sent == [rule(offered, k) for k in REQUESTS], sent


def test_speed_match_needs_a_number(run_openocd, sim):
    s = sim("healthy-f407")
    status, out = run_openocd(interface_args("hla", s.port) + ["-c", "stlink_probe open; stlink_probe speed_match fast"])
    s.stop()
    assert status != 0 and "fast" in out and re.search(r"not valid|invalid", out, re.I), out
