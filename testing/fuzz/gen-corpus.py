#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seed corpus (corpus/TARGET/NAME) from the reply layouts OpenOCD 0.12.0
decodes (src/jtag/drivers/stlink_usb.c: stlink_usb_version(), stlink_usb_check_voltage(),
stlink_get_com_freq(), stlink_usb_error_check()). The files are committed; run this again only to change them.

  testing/fuzz/gen-corpus.py [SIM_LOG]

SIM_LOG (optional): a simulator --log of an OpenOCD session; its ST-LINK commands become one
sim_request seed (each as the SEND_USB_CMD frame the client sent)."""

import re
import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def le32(*v):
    return b"".join(struct.pack("<I", x) for x in v)


def f1(hw, jtag, low, vid=0x0483, pid=0x374B):
    # GET_VERSION: big-endian version word hw:4 jtag:6 swim-or-msd:6, then VID, PID little-endian
    return struct.pack(">H", hw << 12 | jtag << 6 | low) + struct.pack("<HH", vid, pid)


def fb(hw, swim, jtag, msd, bridge, vid=0x0483, pid=0x374F):
    return bytes([hw, swim, jtag, msd, bridge, 0, 0, 0]) + struct.pack("<HH", vid, pid)


def tcp_usb(cmd, direction, size, data=b""):
    # SEND_USB_CMD: [0] 0x05, [4..7] connect id, [8..23] ST-LINK command, [24] direction, [28..31] size
    cmd = cmd.ljust(16, b"\0")
    return bytes([5, 0, 0, 0]) + le32(0xC0FFEE01) + cmd + bytes([direction, 0, 0, 0]) + le32(size) + data


OPEN = (bytes([6, 2, 0, 0]) + bytes([1]) + bytes([2, 0, 0, 0]) + le32(41)   # version, NB_DEV, DEV_INFO 0
        + bytes([3, 0, 0, 0]) + le32(0xB00B0001))                            # OPEN_DEV

SEEDS = {
    "version": {
        "v2-1-j37m26": f1(2, 37, 26),
        "v2-j29s7": f1(2, 29, 7, pid=0x3748),
        "v3-j7m2b4s1": f1(3, 0, 0, pid=0x374F) + fb(3, 1, 7, 2, 4),
        "v1": f1(1, 13, 0, pid=0x3744),
        "zero": bytes(6),
        "short": b"\x29",
    },
    "voltage": {
        "3v3": le32(1600, 2200),
        "unpowered": le32(1600, 0),
        "a0-zero": le32(0, 2200),
        "huge": le32(1, 0xFFFFFFFF),
        "short": le32(1600),
    },
    "status": {
        "ok": bytes([0x80, 0]),
        "idcode-error": bytes([0x09, 0]),
        "rw2-ap-fault": bytes([0x11, 0, 0, 0]) + le32(0x20020000) + bytes(4),
        "rw2-ok": bytes([0x80]) + bytes(11),
        "tcp-open-err": le32(0x1003),
        "unknown": bytes([0xEE]),
    },
    "idcodes": {
        "f407": bytes([0x80, 0, 0, 0]) + le32(0x2BA01477) + bytes(4),
        "no-target": bytes([0x09, 0, 0, 0]) + le32(0) + bytes(4),
        "all-ones": bytes([0x80, 0, 0, 0]) + le32(0xFFFFFFFF) + bytes(4),
        "short": bytes([0x80, 0, 0]),
    },
    "com_freq": {
        # byte 0: caller's array size; then [0] status, [8] count, [12 + 4i] kHz
        "v3-swd": bytes([10, 0x80]) + bytes(7) + le32(7) + le32(24000, 8000, 3300, 1000, 200, 50, 5)
        + bytes(12),
        "count-255": bytes([10, 0x80]) + bytes(7) + le32(255) + bytes(40),
        "count-big-small-array": bytes([2, 0x80]) + bytes(7) + le32(10) + le32(*range(10)),
        "status-bad": bytes([10, 0x09]) + bytes(51),
        "short": bytes([10, 0x80, 0, 0, 0, 0, 0, 0, 0, 3]),
    },
    "arm_regs": {
        "dpidr-f407": le32(0x2BA01477) + bytes([64]),
        "cpuid-m4": le32(0x410FC241) + bytes([64]),
        "ap-idr-ahb": le32(0x24770011) + bytes([64]),
        "dhcsr-halted": le32(0x00030003) + bytes([8]),
        "ctrl-stat-up": le32(0xF0000040) + bytes([1]),
        "ones": le32(0xFFFFFFFF) + bytes([255]),
    },
    "sim_request": {
        "open-version": OPEN + tcp_usb(b"\xf1", 1, 6),
        "bad-direction": OPEN + tcp_usb(b"\xf1", 7, 6),
        "write-data": OPEN + tcp_usb(b"\xf2\x08\x00\x20", 0, 8, le32(0x12345678, 0)),
        "huge-read": tcp_usb(b"\xf2\x0c", 1, 0xFFFFFF),
        "unknown-tcp": bytes([0x42, 0, 0, 0]),
    },
}


def from_sim_log(path):
    out = bytearray(OPEN)
    pat = re.compile(r"USB dev=\d+ cmd=\[([0-9a-f ]*)\] out=\[([0-9a-f ]*)\] in=\[([0-9a-f ]*)\]")
    for line in Path(path).read_text().splitlines():
        m = pat.search(line)
        if not m:
            continue
        cmd, data, reply = (bytes.fromhex(g) for g in m.groups())
        out += tcp_usb(cmd, 0, len(data), data) if data else tcp_usb(cmd, 1, len(reply))
    return bytes(out)


def main():
    if len(sys.argv) > 1:
        SEEDS["sim_request"]["openocd-hla-session"] = from_sim_log(sys.argv[1])
    for target, seeds in SEEDS.items():
        d = HERE / "corpus" / target
        d.mkdir(parents=True, exist_ok=True)
        for name, data in seeds.items():
            (d / name).write_bytes(data)


if __name__ == "__main__":
    main()
