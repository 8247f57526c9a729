# SPDX-License-Identifier: GPL-2.0-or-later
"""`stlink_diag probes` and `stlink_probe list` over the USB simulation: 0, 1 and 2 probes, the line to
paste for each, binary V2 serials, USB locations, permission/busy/mode per probe, before and after init,
with no target cfg."""

import json

import pytest

from conftest import DRIVERS
from usbsim_helper import USB_DRIVER_ARGS, run_usb


def probes_json(out):
    i = out.find('{"schema":"stlink_diag_probes/1"')
    assert i >= 0, out
    obj, _ = json.JSONDecoder().raw_decode(out, i)
    return obj["probes"]


@pytest.mark.parametrize("driver", DRIVERS)
def test_zero_probes(tmp_path, driver):
    r = run_usb(tmp_path, {"usb": {"devices": []}}, USB_DRIVER_ARGS[driver] + ["-c", "stlink_diag probes"])
    assert r.rc == 0, r.out
    assert "stlink_diag probes: 0 ST-LINKs on USB" in r.out
    assert "lsusb -d 0483:" in r.out


@pytest.mark.parametrize("driver", DRIVERS)
def test_one_probe_no_paste_line(tmp_path, driver):
    r = run_usb(tmp_path, None, USB_DRIVER_ARGS[driver] + ["-c", "stlink_diag probes"])
    assert r.rc == 0, r.out
    assert "stlink_diag probes: 1 ST-LINK on USB" in r.out
    assert "1. STLINK-V2-1 (0x0483:0x374b), serial 066DFF535254887767184434, at USB 1-1, firmware V2J37M26, " \
           "mode mass storage" in r.out
    assert "to pick it" not in r.out
    # GET_VERSION and GET_CURRENT_MODE, nothing else: the probe is not disturbed
    cmds = [line.split("cmd=[")[1][:5] for line in r.usb_commands()]
    assert cmds == ["f1 00", "f5 00"], cmds


@pytest.mark.parametrize("driver", DRIVERS)
def test_two_probes_paste_lines(tmp_path, driver):
    """An old V2 with a binary serial and a V3 on a hub: each gets its adapter serial line."""
    devices = [{"pid": "0x3748", "firmware": "V2J29S7", "serial_binary": True,
                "serial": "57FF72067265575742132067", "bus": 2, "ports": [1, 4]},
               {"pid": "0x374E", "firmware": "V3J7M2B4S1", "serial": "003A00293433510237363934", "bus": 1,
                "ports": [3]}]
    r = run_usb(tmp_path, {"usb": {"devices": devices}}, USB_DRIVER_ARGS[driver] + ["-c", "stlink_diag probes"])
    assert r.rc == 0, r.out
    assert "2 ST-LINKs on USB" in r.out
    assert 'to pick it: adapter serial "57FF72067265575742132067" (or: adapter usb location 2-1.4)' in r.out
    assert 'to pick it: adapter serial "003A00293433510237363934" (or: adapter usb location 1-3)' in r.out
    # the binary serial as text shows its control bytes escaped (0x06, 0x13)
    assert "serial W?r\\x06reWWB\\x13 g," in r.out
    assert "firmware V3J7M2B4S1" in r.out


def test_paste_line_selects_that_probe(tmp_path):
    """The printed adapter serial of the binary-serial V2 really selects it in OpenOCD."""
    devices = [{"pid": "0x374B"},
               {"pid": "0x3748", "firmware": "V2J29S7", "serial_binary": True, "serial": "57FF72067265575742132067"}]
    r = run_usb(tmp_path, {"usb": {"devices": devices}}, ["-f", "interface/stlink.cfg", "-c", "stlink_diag probes"])
    line = [x for x in r.out.splitlines() if "57FF7206" in x and "adapter serial" in x][0]
    serial_cmd = line.split("to pick it: ")[1].split(" (or:")[0]
    r2 = run_usb(tmp_path, {"usb": {"devices": devices}}, ["-f", "interface/stlink.cfg", "-c", serial_cmd,
                                                           "-f", "target/stm32f4x.cfg", "-c", "init", "-c", "shutdown"])
    assert "VID:PID 0483:3748" in r2.out, r2.out


@pytest.mark.parametrize("driver", DRIVERS)
def test_json_per_probe_states(tmp_path, driver):
    devices = [{"pid": "0x374B"}, {"pid": "0x374B", "open_error": "access"},
               {"pid": "0x374B", "claim_error": "busy", "bus": 204, "address": 80},
               {"pid": "0x3757", "firmware": "V3J12M3B5S1"}, {"pid": "0x374B", "mode": "dfu"}]
    r = run_usb(tmp_path, {"usb": {"devices": devices}}, USB_DRIVER_ARGS[driver] + ["-c", "stlink_diag probes -json"])
    p = probes_json(r.out)
    assert [x["state"] for x in p] == ["free", "no_permission", "busy", "free", "free"]
    assert p[1]["open_error"] == "LIBUSB_ERROR_ACCESS" and p[1]["can_open"] == 0
    assert p[2]["claim_error"] == "LIBUSB_ERROR_BUSY" and p[2]["can_claim"] == 0 and p[2]["firmware"] == ""
    assert p[2]["devnode"] == "/dev/bus/usb/204/080"
    assert (p[3]["model"], p[3]["listed"], p[3]["known_to_openocd"]) == ("STLINK-V3PWR", 0, 0)
    assert p[0]["listed"] == 1 and p[0]["mode"] == "mass storage"
    assert p[4]["mode"] == "DFU" and p[4]["mode_code"] == 0
    # the busy probe got no ST-LINK command at all, the unopenable one neither
    assert not [x for x in r.usb_commands() if "dev=1 " in x or "dev=2 " in x]


def test_non_stlink_st_devices_are_not_listed(tmp_path):
    """VID 0483 with a PID that is no ST-LINK (an STM32 in its own DFU bootloader, 0xdf11) is left out."""
    r = run_usb(tmp_path, {"usb": {"devices": [{"pid": "0xdf11"}, {"pid": "0x374B"}]}},
                ["-f", "interface/stlink.cfg", "-c", "stlink_diag probes -json"])
    assert [x["pid"] for x in probes_json(r.out)] == ["0x374b"]


@pytest.mark.parametrize("driver", DRIVERS)
def test_after_init_own_probe_in_use(tmp_path, driver):
    """After init, OpenOCD's own probe is reported in use by this OpenOCD and not reopened; a second one is
    looked at normally."""
    devices = [{"pid": "0x374B"}, {"pid": "0x3752", "serial": "0670FF3632524B3043205426"}]
    args = USB_DRIVER_ARGS[driver] + ["-c", "adapter serial 066DFF535254887767184434", "-f", "target/stm32f4x.cfg",
                                      "-c", "init", "-c", "echo [stlink_diag probes]", "-c", "shutdown"]
    r = run_usb(tmp_path, {"usb": {"devices": devices}}, args)
    assert "1. STLINK-V2-1 (0x0483:0x374b), serial 066DFF535254887767184434, at USB 1-1, in use by this OpenOCD" \
        in r.out, r.out
    assert "2. STLINK-V2-1 (no MSD) (0x0483:0x3752), serial 0670FF3632524B3043205426, at USB 1-2, " \
           "firmware V2J37M26" in r.out


def test_no_driver_is_an_error(tmp_path):
    r = run_usb(tmp_path, None, ["-c", "stlink_diag probes"])
    assert r.rc == 1, r.out
    assert "no ST-LINK adapter driver is selected" in r.out


def test_duplicate_serials_pick_by_location(tmp_path):
    """Two clones with the same serial: only the USB location can pick one."""
    devices = [{"pid": "0x3748", "serial": "303030303030303030303031", "ports": [1]},
               {"pid": "0x3748", "serial": "303030303030303030303031", "ports": [2]}]
    r = run_usb(tmp_path, {"usb": {"devices": devices}}, ["-f", "interface/stlink.cfg", "-c", "stlink_diag probes"])
    assert r.out.count("to pick it: adapter usb location") == 2, r.out
    assert "adapter serial" not in r.out
    assert "its serial is shared by another probe" in r.out
