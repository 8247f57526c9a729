# SPDX-License-Identifier: GPL-2.0-or-later
"""Stock OpenOCD 0.12.0 works through the USB simulation (LD_PRELOAD=libstlink-usbsim.so), in both
drivers: its real libusb backend (asynchronous transfers) talks to the simulated ST-LINK."""

import pytest

from usbsim_helper import USB_DRIVER_ARGS, run_usb

SESSION = ["-f", "target/stm32f4x.cfg", "-c", "init", "-c", "reset halt", "-c", "mdw 0x08000000 2",
           "-c", "reg pc", "-c", "shutdown"]


@pytest.mark.parametrize("driver", ["hla", "dap-direct"])
def test_stock_openocd_over_usb(tmp_path, driver):
    r = run_usb(tmp_path, None, USB_DRIVER_ARGS[driver] + SESSION, stock=True)
    assert r.rc == 0, r.out
    assert "STLINK V2J37M26 (API v2) VID:PID 0483:374B" in r.out
    # the vector table of the simulated F407: initial SP, reset vector
    assert "0x08000000: 20020000 080001c5" in r.out
    assert "pc (/32): 0x080001c4" in r.out
    # it really went through the simulated USB device
    assert any("f1" in line.split("cmd=[")[1][:2] for line in r.usb_commands()), r.log[:2000]


def test_stock_openocd_usb_v3(tmp_path):
    """A V3 (PID 0x374E, GET_VERSION_EX) on the V2-1/V3 endpoints."""
    scenario = {"probe": {"pid": "0x374E", "firmware": "V3J7M2B4S1", "serial": "003A00293433510237363934"}}
    r = run_usb(tmp_path, scenario, USB_DRIVER_ARGS["hla"] + SESSION, stock=True)
    assert r.rc == 0, r.out
    assert "STLINK V3J7M2B4S1 (API v3) VID:PID 0483:374E" in r.out


def test_stock_openocd_serial_picks_second_probe(tmp_path):
    """Two probes: 'adapter serial' selects the second one (string descriptor match)."""
    scenario = {"usb": {"devices": [{"serial": "066DFF535254887767184434"},
                                    {"serial": "066DFF535254887767184999", "pid": "0x3752"}]}}
    r = run_usb(tmp_path, scenario, USB_DRIVER_ARGS["hla"] + ["-c", "adapter serial 066DFF535254887767184999"]
                + SESSION, stock=True)
    assert r.rc == 0, r.out
    assert "VID:PID 0483:3752" in r.out


def test_stock_openocd_binary_serial_alternate(tmp_path):
    """An old V2 whose descriptor holds 12 raw bytes: OpenOCD's alternate serial (hex) matches."""
    scenario = {"usb": {"devices": [{"pid": "0x3748", "firmware": "V2J29S7", "serial_binary": True,
                                     "serial": "57FF72067265575742132067"}]}}
    r = run_usb(tmp_path, scenario, USB_DRIVER_ARGS["hla"] + ["-c", "adapter serial 57FF72067265575742132067"]
                + SESSION, stock=True)
    assert r.rc == 0, r.out
    assert "VID:PID 0483:3748" in r.out


@pytest.mark.parametrize("driver", ["hla", "dap-direct"])
def test_stock_openocd_unplug_mid_session_does_not_hang(tmp_path, driver):
    """Unplugged after 60 ST-LINK commands (during examine/reset): OpenOCD fails and exits, quickly."""
    scenario = {"usb": {"devices": [{"unplug_after": 60}]}}
    r = run_usb(tmp_path, scenario, USB_DRIVER_ARGS[driver] + SESSION, stock=True, timeout=20)
    assert "FAULT usb unplugged" in r.log
    assert r.seconds < 15, r.out
    assert "pc (/32): 0x080001c4" not in r.out


@pytest.mark.parametrize("driver", ["hla", "dap-direct"])
def test_stock_openocd_transfer_timeout_is_bounded(tmp_path, driver):
    """Every transfer times out after 40 commands: each returns LIBUSB_ERROR_TIMEOUT after the scaled
    wait, so OpenOCD gives up instead of hanging."""
    scenario = {"usb": {"devices": [{"timeout_after": 40}]}}
    r = run_usb(tmp_path, scenario, USB_DRIVER_ARGS[driver] + SESSION, stock=True, timeout=25)
    assert "FAULT usb transfer timed out" in r.log
    assert r.seconds < 20, r.out
