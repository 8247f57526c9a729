# SPDX-License-Identifier: GPL-2.0-or-later
"""stlink_diag over USB (LD_PRELOAD=libstlink-usbsim.so): each cause the USB simulation produces gets the
right layer, finding id, evidence and fix, in text and JSON, in both drivers."""

import os
import shutil
import subprocess
import time

import pytest

from conftest import DRIVERS, exit_status_of, extract_json, layer
from usbsim_helper import USB_DRIVER_ARGS, run_usb

V2_1 = {"pid": "0x374B"}


@pytest.fixture
def holder(tmp_path):
    """holder(bus, address, name): a process called name holding a file named .../bus/usb/BBB/DDD open,
    as a program holding the ST-LINK's device node would."""
    procs = []

    def start(bus, address, name):
        node = tmp_path / "bus" / "usb" / f"{bus:03d}" / f"{address:03d}"
        node.parent.mkdir(parents=True, exist_ok=True)
        node.write_text("")
        exe = tmp_path / name
        shutil.copy("/bin/sleep", exe)
        fd = os.open(node, os.O_RDONLY)
        p = subprocess.Popen([str(exe), "30"], pass_fds=(fd,))
        os.close(fd)
        procs.append(p)
        # the fd link must be visible in /proc before stlink_diag looks
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                if any(os.readlink(f"/proc/{p.pid}/fd/{f}") == str(node) for f in os.listdir(f"/proc/{p.pid}/fd")):
                    return p
            except OSError:
                pass
            time.sleep(0.01)
        raise AssertionError("holder process did not open the node")

    yield start
    for p in procs:
        p.kill()
        p.wait(timeout=5)


def diag(tmp_path, driver, devices, form, extra=()):
    args = USB_DRIVER_ARGS[driver] + list(extra) + ["-c", "stlink_diag" + (" -json" if form == "json" else "")]
    return run_usb(tmp_path, {"usb": {"devices": devices}}, args)


def check(r, form, layer_name, finding, evidence_has, fix_has):
    """Layer, id, evidence and fix, from the JSON report or from the text report."""
    assert r.rc == exit_status_of(layer_name), r.out
    if form == "json":
        rep = extract_json(r.out)
        rec = layer(rep, layer_name)
        assert rep["verdict"]["id"] == finding, rep["verdict"]
        assert rec["status"] == "fail"
        ev = " ".join(f"{k}={v}" for k, v in rec["evidence"].items())
        text = rec["summary"] + " " + ev
        fix = rec["fix"]
    else:
        lines = r.out.splitlines()
        verdict = [x for x in lines if x.startswith("verdict:")]
        assert verdict and f"({finding})" in verdict[0], r.out
        fix = "\n".join(x for x in lines if x.startswith("fix:"))
        text = r.out
    for s in evidence_has:
        assert s in text, f"{s!r} not in evidence:\n{text}"
    for s in fix_has:
        assert s in fix, f"{s!r} not in fix:\n{fix}"


@pytest.mark.parametrize("form", ["text", "json"])
@pytest.mark.parametrize("driver", DRIVERS)
def test_no_probe(tmp_path, driver, form):
    r = diag(tmp_path, driver, [], form)
    check(r, form, "host", "host.no_probe_usb", ["probes_found=0"], ["data cable", "lsusb -d 0483:"])


@pytest.mark.parametrize("form", ["text", "json"])
@pytest.mark.parametrize("driver", DRIVERS)
def test_permission(tmp_path, driver, form):
    r = diag(tmp_path, driver, [dict(V2_1, open_error="access", bus=3, address=7, ports=[2, 1])], form)
    check(r, form, "host", "host.usb_permission", ["LIBUSB_ERROR_ACCESS", "/dev/bus/usb/003/007", "3-2.1"],
          ["contrib/60-stlink-diag.rules", "/etc/udev/rules.d/", "udevadm control --reload-rules",
           "udevadm trigger", "plugdev", "replug"])


@pytest.mark.parametrize("form", ["text", "json"])
@pytest.mark.parametrize("driver", DRIVERS)
def test_busy_names_the_holder(tmp_path, driver, form, holder):
    p = holder(201, 77, "st-util")
    r = diag(tmp_path, driver, [dict(V2_1, claim_error="busy", bus=201, address=77)], form)
    check(r, form, "host", "host.usb_busy", ["st-util", f"pid {p.pid}"],
          [f"stop st-util (pid {p.pid})", "st-link backend tcp", "stlink-server"])


@pytest.mark.parametrize("driver", DRIVERS)
def test_busy_another_openocd(tmp_path, driver, holder):
    holder(202, 78, "openocd")
    r = diag(tmp_path, driver, [dict(V2_1, claim_error="busy", bus=202, address=78)], "json")
    check(r, "json", "host", "host.usb_busy", ["another OpenOCD"], ["stop openocd", "st-link backend tcp"])


@pytest.mark.parametrize("driver", DRIVERS)
def test_busy_holder_unknown(tmp_path, driver):
    r = diag(tmp_path, driver, [dict(V2_1, claim_error="busy", bus=203, address=79)], "json")
    check(r, "json", "host", "host.usb_busy", ["another program"], ["stop the other program", "st-link backend tcp"])


@pytest.mark.parametrize("form", ["text", "json"])
@pytest.mark.parametrize("driver", DRIVERS)
def test_pid_unknown_to_openocd(tmp_path, driver, form):
    """An STLINK-V3PWR (0x3757): OpenOCD 0.12.0 lists it in no cfg."""
    r = diag(tmp_path, driver, [{"pid": "0x3757", "firmware": "V3J12M3B5S1"}], form)
    vid_pid = "hla_vid_pid 0x0483 0x3757" if driver == "hla" else "st-link vid_pid 0x0483 0x3757"
    check(r, form, "host", "host.pid_not_listed", ["STLINK-V3PWR", "0x3757", "PID not in the selected interface cfg"],
          [vid_pid, "later OpenOCD"])


@pytest.mark.parametrize("form", ["text", "json"])
@pytest.mark.parametrize("driver", DRIVERS)
def test_pid_not_in_the_cfg(tmp_path, driver, form):
    """A V2-1 (0x374B) with a cfg that lists only the V2's 0x3748 (old stlink-v2.cfg, old board cfgs)."""
    only_v2 = "hla_vid_pid 0x0483 0x3748" if driver == "hla" else "st-link vid_pid 0x0483 0x3748"
    r = diag(tmp_path, driver, [V2_1], form, extra=["-c", only_v2])
    check(r, form, "host", "host.pid_not_listed", ["STLINK-V2-1", "0x374b", "PID not in the selected interface cfg"],
          ["interface/stlink.cfg", "hla_vid_pid / st-link vid_pid"])


@pytest.mark.parametrize("form", ["text", "json"])
@pytest.mark.parametrize("driver", DRIVERS)
def test_v3_in_usb_loader(tmp_path, driver, form):
    r = diag(tmp_path, driver, [{"pid": "0x374D", "loader": True}], form)
    check(r, form, "host", "host.probe_in_loader", ["STLINK-V3 (USB loader)"], ["replug", "STSW-LINK007"])


@pytest.mark.parametrize("form", ["text", "json"])
@pytest.mark.parametrize("driver", DRIVERS)
def test_stuck_in_dfu(tmp_path, driver, form):
    r = diag(tmp_path, driver, [dict(V2_1, mode="dfu", dfu_stuck=True)], form)
    check(r, form, "wire", "wire.dfu_stuck", ["left_mode=DFU", "mode=DFU"], ["replug", "STSW-LINK007"])


@pytest.mark.parametrize("driver", DRIVERS)
# the counts follow the healthy command sequence: 1 GET_VERSION at open, probe 2, power 1,
# the wire ladder with its error rate about 30 (it retries, so any count inside it lands in the wire
# layer), then debug
@pytest.mark.parametrize("after,where", [(2, "probe"), (3, "power"), (5, "wire"), (40, "debug")])
def test_unplugged_mid_session_never_hangs(tmp_path, driver, after, where):
    """Unplugged after N ST-LINK commands: the layer running at that moment fails with probe_lost, the
    later ones are blocked, and OpenOCD exits quickly."""
    r = diag(tmp_path, driver, [dict(V2_1, unplug_after=after)], "json")
    assert r.seconds < 10, r.out
    check(r, "json", where, f"{where}.probe_lost", ["transport_errors="], ["USB cable", "replug"])
    assert "FAULT usb unplugged" in r.log


@pytest.mark.parametrize("driver", DRIVERS)
def test_transfer_timeout_is_bounded(tmp_path, driver):
    """Every transfer times out from the 4th command on: each LIBUSB_ERROR_TIMEOUT comes back after the
    scaled wait, stlink_diag reports the lost probe and OpenOCD exits."""
    r = diag(tmp_path, driver, [dict(V2_1, timeout_after=4)], "json")
    assert r.seconds < 15, r.out
    rep = extract_json(r.out)
    assert rep["verdict"]["id"].endswith(".probe_lost"), rep["verdict"]
    assert "FAULT usb transfer timed out" in r.log


@pytest.mark.parametrize("driver", DRIVERS)
def test_healthy_usb_probe_passes(tmp_path, driver):
    """The control: the same run with a healthy probe over USB reaches the target."""
    r = diag(tmp_path, driver, [V2_1], "json")
    rep = extract_json(r.out)
    assert r.rc == 0, r.out
    assert layer(rep, "host")["id"] == "host.ok"
    assert rep["context"]["backend"] == "usb"
    assert layer(rep, "wire")["status"] == "ok"


TWO = [V2_1, {"pid": "0x374E", "firmware": "V3J7M2B4S1", "serial": "003A00293433510237363934", "ports": [3, 2]}]


@pytest.mark.parametrize("form", ["text", "json"])
@pytest.mark.parametrize("driver", DRIVERS)
def test_serial_mismatch_offers_the_serials_present(tmp_path, driver, form):
    r = diag(tmp_path, driver, TWO, form, extra=["-c", "adapter serial 0123456789ABCDEF01234567"])
    check(r, form, "host", "host.serial_mismatch", ["probes_found=2", "STLINK-V3E"],
          ['adapter serial "066DFF535254887767184434" (at USB 1-1)',
           'adapter serial "003A00293433510237363934" (at USB 1-3.2)'])


@pytest.mark.parametrize("form", ["text", "json"])
@pytest.mark.parametrize("driver", DRIVERS)
def test_location_mismatch_offers_the_locations_present(tmp_path, driver, form):
    r = diag(tmp_path, driver, TWO, form, extra=["-c", "adapter usb location 7-7"])
    check(r, form, "host", "host.location_mismatch", ["wanted_location=7-7"],
          ["adapter usb location 1-1", "adapter usb location 1-3.2"])


def test_list_costs_two_round_trips_per_v2_three_per_v3(tmp_path):
    """stlink_probe list: GET_VERSION + GET_CURRENT_MODE on a V2-1, plus GET_VERSION_EX on a V3."""
    r = run_usb(tmp_path, {"usb": {"devices": TWO}}, ["-f", "interface/stlink.cfg", "-c", "stlink_diag probes"])
    per_dev = {}
    for line in r.usb_commands():
        dev = line.split("dev=")[1].split()[0]
        per_dev.setdefault(dev, []).append(line.split("cmd=[")[1][:2])
    assert per_dev == {"0": ["f1", "f5"], "1": ["f1", "fb", "f5"]}, per_dev


@pytest.mark.parametrize("driver", DRIVERS)
def test_busy_held_by_stlink_server_says_connect_through_it(tmp_path, driver, holder):
    holder(205, 81, "stlink-server")
    r = diag(tmp_path, driver, [dict(V2_1, claim_error="busy", bus=205, address=81)], "json")
    check(r, "json", "host", "host.usb_busy", ["ST's stlink-server"],
          ["connect through it", "st-link backend tcp", "hla_stlink_backend tcp"])
