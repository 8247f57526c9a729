# SPDX-License-Identifier: GPL-2.0-or-later
"""Running OpenOCD over the USB simulation (testing/usbsim): LD_PRELOAD=libstlink-usbsim.so.

Environment: STLINK_USBSIM_LIB (default: testing/usbsim/libstlink-usbsim.so in this repository).
"""

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from conftest import OPENOCD, OPENOCD_SCRIPTS, OPENOCD_TIMEOUT, QUIET_PORTS, REPO, STOCK_OPENOCD, require_file

USBSIM_LIB = Path(os.environ.get("STLINK_USBSIM_LIB", REPO / "testing" / "usbsim" / "libstlink-usbsim.so"))

# the two drivers over the USB backend (the default backend)
USB_DRIVER_ARGS = {
    "hla": ["-f", "interface/stlink.cfg"],
    "dap-direct": ["-f", "interface/stlink-dap.cfg", "-c", "transport select dapdirect_swd"],
}


class UsbRun:
    """One OpenOCD run over the USB simulation: exit status, output, the simulator's log."""

    def __init__(self, rc, out, log, seconds):
        self.rc, self.out, self.log, self.seconds = rc, out, log, seconds

    def usb_commands(self):
        return [line for line in self.log.splitlines() if " USB dev=" in line and "cmd=" in line]


def run_usb(tmp_path, scenario, args, stock=False, timeout=OPENOCD_TIMEOUT, env=None):
    """Run (patched or stock) OpenOCD with the simulated ST-LINKs of scenario (a dict, or None for one
    healthy probe). Returns a UsbRun."""
    lib = require_file(USBSIM_LIB, "build it: make -C testing/usbsim")
    exe = require_file(STOCK_OPENOCD if stock else OPENOCD,
                       "apt-get install openocd" if stock else "build and install it: make -j2 && make install")
    tag = time.monotonic_ns()
    log = Path(tmp_path) / f"usbsim-{tag}.log"
    e = dict(os.environ, LD_PRELOAD=str(lib), STLINK_USBSIM_LOG=str(log))
    e.pop("STLINK_USBSIM_SCENARIO", None)
    if scenario is not None:
        path = Path(tmp_path) / f"usbsim-{tag}.json"
        path.write_text(json.dumps(scenario))
        e["STLINK_USBSIM_SCENARIO"] = str(path)
    if env:
        e.update(env)
    full = [str(exe)] + ([] if stock else ["-s", str(OPENOCD_SCRIPTS)]) + QUIET_PORTS + list(args)
    start = time.monotonic()
    try:
        p = subprocess.run(full, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout,
                           stdin=subprocess.DEVNULL, env=e)
    except subprocess.TimeoutExpired as ex:
        out = ex.stdout.decode(errors="replace") if isinstance(ex.stdout, bytes) else (ex.stdout or "")
        pytest.fail(f"OpenOCD hung over the USB simulation (> {timeout} s): {full}\n{out}", pytrace=False)
    text = log.read_text() if log.exists() else ""
    return UsbRun(p.returncode, p.stdout, text, time.monotonic() - start)
