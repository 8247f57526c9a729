# SPDX-License-Identifier: GPL-2.0-or-later
"""Unchanged when unused: without stlink_diag, the patched OpenOCD sends exactly the ST-LINK commands stock
Debian openocd 0.12.0 sends, byte for byte, in both drivers, for the usual work (connect, reset halt, halt,
resume, step, breakpoints, memory and register reads and writes, flash info).

The simulator logs each ST-LINK command with its host-to-probe data (and the reply it gave); both runs use the
same scenario, so equal logs mean equal traffic. The sequence of stock OpenOCD is deterministic for a command
list without sleep or a free-running target (measured: two runs of stock openocd 0.12.0-1
against the same scenario give byte-identical sequences): `resume` is always followed at once by
`halt`, and the simulated core runs into its idle loop immediately, so the halt finds the same state every time.
"""

import pytest

from conftest import DRIVERS, interface_args

# one command per -c, as a user would type them; every one must succeed in both builds
WORK = [
    "init",
    "reset halt",
    "halt",
    "reg pc",
    "reg r0 0x12345678",
    "reg r0",
    "step",
    "step",
    "bp 0x080001d0 2 hw",
    "resume",
    "halt",
    "rbp 0x080001d0",
    "mdw 0xE0042000",
    "mdw 0x08000000 4",
    "mdh 0x1FFF7A22",
    "mdb 0x20000000 8",
    "mww 0x20000000 0xdeadbeef",
    "mwh 0x20000004 0x1234",
    "mwb 0x20000006 0x56",
    "mdw 0x20000000 2",
    "flash info 0",
    "reset halt",
    "resume",
    "halt",
    "shutdown",
]

HEALTHY = {"hla": "healthy-f407", "dap-direct": "healthy-f407"}


def traffic(sim_obj):
    """The simulator's ST-LINK lines without timestamps: command, host data, reply, status."""
    return sim_obj.usb_lines()


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def describe(patched, stock):
    i = first_difference(patched, stock)
    lines = [f"patched sent {len(patched)} ST-LINK commands, stock {len(stock)}; first difference at #{i}:"]
    for k in range(max(0, i - 2), i):
        lines.append(f"    same    {stock[k]}")
    lines.append(f"  patched {patched[i] if i < len(patched) else '(nothing)'}")
    lines.append(f"  stock   {stock[i] if i < len(stock) else '(nothing)'}")
    return "\n".join(lines)


def run_work(sim, runner, driver, scenario):
    s = sim(scenario)
    args = interface_args(driver, s.port) + ["-f", "target/stm32f4x.cfg"] + [a for c in WORK for a in ("-c", c)]
    status, out = runner(args)
    s.stop()
    return status, out, traffic(s)


@pytest.mark.parametrize("driver", DRIVERS)
def test_unused_patch_sends_what_stock_sends(sim, run_openocd, run_stock_openocd, driver):
    st_s, out_s, stock = run_work(sim, run_stock_openocd, driver, HEALTHY[driver])
    st_p, out_p, patched = run_work(sim, run_openocd, driver, HEALTHY[driver])
    assert st_s == 0, f"stock openocd failed the command list:\n{out_s}"
    assert st_p == 0, f"patched openocd failed the command list:\n{out_p}"
    # the list really did the work: a halt after resume, a step, flash info (not a silent early stop)
    assert "#0 : stm32f2x at 0x08000000" in out_p and "20000000: deadbeef" in out_p, out_p
    assert len(stock) > 100, f"suspiciously few ST-LINK commands from stock openocd: {len(stock)}"
    assert patched == stock, describe(patched, stock)


def test_first_difference_is_reported():
    """The mismatch message names the first differing command (the test above can fail usefully)."""
    a = ["USB cmd=[f1]", "USB cmd=[f5]", "USB cmd=[f7]"]
    b = ["USB cmd=[f1]", "USB cmd=[f5]", "USB cmd=[f2 21]"]
    msg = describe(a, b)
    assert "#2" in msg and "patched USB cmd=[f7]" in msg and "stock   USB cmd=[f2 21]" in msg
    assert "(nothing)" in describe(a, a[:2])
