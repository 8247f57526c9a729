# SPDX-License-Identifier: GPL-2.0-or-later
"""The one retrying transport of the stlink_probe capabilities (stlink_diag_session_xfer_retry_wait):
a WAIT answer is retried through and counted in the session's `stlink_probe stats`, whichever
capability met it: the reads (read32) and the one write (write32) alike.

Expected counts come from the simulator's own log (the replies it sent with status 0x14), never from
the output under test."""

import re

import pytest

from conftest import interface_args, load_scenario

DHCSR = 0xE000EDF0
DBGKEY_C_DEBUGEN = 0xA05F0001   # DHCSR write: key + C_DEBUGEN only, no halt (ARM DDI 0403E C1.6.3)
WAITS = 3


def tcl_dict(text):
    """A flat Tcl dict of single-word values -> Python dict."""
    words = text.split()
    return dict(zip(words[::2], words[1::2]))


def run_capability(sim, run_openocd, capability):
    sc = load_scenario("healthy-f407")
    # the first retryable access after ENTER (the capability under test) answers SWD_DP_WAIT WAITS times
    sc["faults"] = [{"type": "dp_wait", "first": WAITS, "after": 0, "scope": "retryable"}]
    s = sim(sc)
    script = ("stlink_probe open; stlink_probe enter; "
              f"set c [{capability}]; "
              'echo "CAP=ok [dict get $c ok] waits [dict get $c waits] wait_status [dict get $c wait_status]"; '
              'echo "STATS=[stlink_probe stats]"; stlink_probe close')
    status, out = run_openocd(interface_args("hla", s.port) + ["-c", script, "-c", "shutdown"])
    s.stop()
    assert status == 0, out
    cap = re.search(r"^CAP=(.*)$", out, re.M)
    stats = re.search(r"^STATS=(.*)$", out, re.M)
    assert cap and stats, out
    sent = sum("status=0x14" in l for l in s.usb_lines())
    return tcl_dict(cap.group(1)), tcl_dict(stats.group(1)), sent


@pytest.mark.parametrize("capability", [f"stlink_probe write32 {DHCSR:#x} {DBGKEY_C_DEBUGEN:#x}",
                                        f"stlink_probe read32 {DHCSR:#x}",
                                        f"stlink_probe peek {DHCSR:#x}",
                                        "stlink_probe dbgmcu_write F4 0"])
def test_wait_met_by_a_capability_is_counted(sim, run_openocd, capability):
    cap, stats, sent = run_capability(sim, run_openocd, capability)
    assert sent == WAITS, f"the simulator answered {sent} WAITs, the scenario asked for {WAITS}"
    assert cap["ok"] == "1", cap
    assert int(cap["waits"]) == sent and int(cap["wait_status"], 0) == 0x14, cap
    # the session's tally (what the report's evidence and `stats` show) has them too
    assert int(stats["waits"]) == sent, stats
    assert int(stats["wait_status"], 0) == 0x14, stats


# OpenOCD's ladder (stlink_usb.c, stlink_cmd_allow_retry(): a WAIT answer re-sent up to 8 more times) for
# read32; at most 3 retries for peek, the bounded read of the second observations
@pytest.mark.parametrize("capability,sends", [(f"stlink_probe read32 {DHCSR:#x}", 9),
                                              (f"stlink_probe peek {DHCSR:#x}", 4)])
def test_persistent_wait_is_retried_a_bounded_number_of_times(sim, run_openocd, capability, sends):
    sc = load_scenario("healthy-f407")
    sc["faults"] = [{"type": "dp_wait", "first": 1000000, "after": 0, "scope": "retryable"}]
    s = sim(sc)
    script = (f"stlink_probe open; stlink_probe enter; set c [{capability}]; "
              'echo "CAP=ok [dict get $c ok] status [dict get $c status]"; stlink_probe close')
    status, out = run_openocd(interface_args("hla", s.port) + ["-c", script, "-c", "shutdown"])
    s.stop()
    assert status == 0, out
    cap = tcl_dict(re.search(r"^CAP=(.*)$", out, re.M).group(1))
    assert cap["ok"] == "0" and int(cap["status"], 0) == 0x14, cap
    assert sum("status=0x14" in l for l in s.usb_lines()) == sends
