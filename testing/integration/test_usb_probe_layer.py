# SPDX-License-Identifier: GPL-2.0-or-later
"""Probe layer over USB: signs of a clone ST-LINK (the clone table of tcl/layers/probe.tcl), in both
drivers and both forms, and a genuine probe that shows none."""

import pytest

from conftest import DRIVERS, extract_json, layer
from usbsim_helper import USB_DRIVER_ARGS, run_usb


def report(tmp_path, driver, device):
    r = run_usb(tmp_path, {"usb": {"devices": [device]}}, USB_DRIVER_ARGS[driver] + ["-c", "stlink_diag -json"])
    return r, extract_json(r.out)


@pytest.mark.parametrize("driver", DRIVERS)
def test_clone_vid_pid_zero(tmp_path, driver):
    """CKS32 clone firmware: GET_VERSION says VID:PID 0000:0000 (rust-embedded/book issue #380,
    probe-rs/probe-rs issue #209)."""
    r, rep = report(tmp_path, driver, {"pid": "0x3748", "firmware_vid": 0, "firmware_pid": 0})
    rec = layer(rep, "probe")
    assert (rec["status"], rec["id"]) == ("warn", "probe.clone_signs"), rec
    assert rec["evidence"]["clone_signs"] == "vid_not_st"
    assert "0000:0000" in rec["summary"]
    assert "do not update its firmware" in rec["fix"]
    assert r.rc == 0  # a warning does not fail the run


@pytest.mark.parametrize("driver", DRIVERS)
def test_clone_garbage_serial(tmp_path, driver):
    r, rep = report(tmp_path, driver, {"pid": "0x3748", "serial": "QW12 zz"})
    rec = layer(rep, "probe")
    assert rec["id"] == "probe.clone_signs" and rec["evidence"]["clone_signs"] == "serial_not_st", rec
    r2 = run_usb(tmp_path, {"usb": {"devices": [{"pid": "0x3748", "serial": "QW12 zz"}]}},
                 USB_DRIVER_ARGS[driver] + ["-c", "stlink_diag"])
    assert "WARN     STLINK" in r2.out and "signs of a clone" in r2.out, r2.out


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("device", [{"pid": "0x374B"},
                                    {"pid": "0x3748", "firmware": "V2J37S7", "serial_binary": True,
                                     "serial": "57FF72067265575742132067"}])
def test_genuine_probe_no_clone_signs(tmp_path, driver, device):
    """A V2-1 with a hex serial, and an old V2 with a binary serial, are not clones."""
    r, rep = report(tmp_path, driver, device)
    rec = layer(rep, "probe")
    assert rec["id"] != "probe.clone_signs", rec
    assert "clone_signs" not in rec["evidence"]


@pytest.mark.parametrize("driver,status,finding", [("hla", "ok", "probe.ok"),
                                                   ("dap-direct", "fail", "probe.fw_too_old_for_dap")])
def test_old_v2_firmware_per_driver(tmp_path, driver, status, finding):
    """V2J22: fine for hla (>= V2J21), too old for dap-direct (needs V2J24); what it cannot do is said in
    words (OpenOCD 0.12.0 stlink_usb.c, stlink_usb_version(): STLINK_F_HAS_DAP_REG
    from J24, STLINK_F_HAS_MEM_16BIT from J26)."""
    r, rep = report(tmp_path, driver, {"pid": "0x3748", "firmware": "V2J22S5"})
    rec = layer(rep, "probe")
    assert (rec["status"], rec["id"]) == (status, finding), rec
    assert "cannot access DAP registers directly" in rec["evidence"]["cannot"]
    assert "cannot do 16-bit memory accesses" in rec["evidence"]["cannot"]
    if status == "fail":
        assert "STSW-LINK007" in rec["fix"] and "interface/stlink.cfg" in rec["fix"]
