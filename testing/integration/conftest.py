# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared fixtures for the integration tests of stlink_diag.

Environment (all optional):
  OPENOCD          patched OpenOCD (default: _install/bin/openocd in this repository)
  OPENOCD_SCRIPTS  its scripts (default: _install/share/openocd/scripts in this repository)
  STLINK_SIM       simulator binary (default: testing/sim/stlink-sim in this repository)
  STOCK_OPENOCD    stock OpenOCD 0.12.0 (default: /usr/bin/openocd)
  GDB              GDB for Arm (default: gdb-multiarch)

A missing binary is a test failure with a message saying how to build or install it,
never a silent skip.
"""

import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "testing" / "scenarios"

OPENOCD = Path(os.environ.get("OPENOCD", REPO / "_install" / "bin" / "openocd"))
OPENOCD_SCRIPTS = Path(os.environ.get("OPENOCD_SCRIPTS", REPO / "_install" / "share" / "openocd" / "scripts"))
STLINK_SIM = Path(os.environ.get("STLINK_SIM", REPO / "testing" / "sim" / "stlink-sim"))
STOCK_OPENOCD = Path(os.environ.get("STOCK_OPENOCD", "/usr/bin/openocd"))
GDB = os.environ.get("GDB", "gdb-multiarch")

# generous against a loaded 2-core machine, short enough that a hang fails fast
OPENOCD_TIMEOUT = 30
SIM_START_TIMEOUT = 10
SIM_LIFETIME = 30

QUIET_PORTS = ["-c", "gdb_port disabled", "-c", "tcl_port disabled", "-c", "telnet_port disabled"]

# the layers in the order stlink_diag checks them; a failing layer's exit status is 10 + index
LAYERS = ["host", "probe", "power", "wire", "debug", "reset", "boot", "protection", "firmware"]
DRIVERS = ["hla", "dap-direct"]


def exit_status_of(layer):
    return 10 + LAYERS.index(layer)


def load_scenario(name):
    name = name if name.endswith(".json") else name + ".json"
    with open(SCENARIOS / name) as f:
        return json.load(f)


def num(v):
    """Scenario and report numbers: integers or "0x..." strings."""
    return int(v, 0) if isinstance(v, str) else int(v)


def require_file(path, how):
    """Fail (not skip) when a binary the tests need is missing."""
    p = Path(path)
    if not p.exists():
        pytest.fail(f"required file missing: {p} ({how})", pytrace=False)
    return p


def require_program(name, how):
    found = shutil.which(str(name))
    if not found:
        pytest.fail(f"required program not found: {name} ({how})", pytrace=False)
    return found


def interface_args(driver, port):
    """The -f/-c arguments that select one ST-LINK driver on the TCP backend at port."""
    if driver == "hla":
        return ["-f", "interface/stlink.cfg", "-c", f"hla_stlink_backend tcp {port}"]
    if driver == "dap-direct":
        return ["-f", "interface/stlink-dap.cfg", "-c", f"st-link backend tcp {port}",
                "-c", "transport select dapdirect_swd"]
    raise ValueError(driver)


def free_port():
    """A TCP port on 127.0.0.1 with nothing listening on it (bound then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sim:
    """One simulator on a free port (--port 0, --port-file); exits by itself on disconnect or timeout."""

    def __init__(self, workdir, scenario, exit_on_disconnect=True, timeout=SIM_LIFETIME, extra_args=()):
        """scenario: a file name in testing/scenarios (without .json), or a scenario dict;
        extra_args: more simulator options (e.g. ["--hostile", "random"])."""
        sim = require_file(STLINK_SIM, "build it: make -C testing/sim")
        self.workdir = Path(workdir)
        name = scenario if isinstance(scenario, str) else "default" if scenario is None else "custom"
        tag = f"{name}-{time.monotonic_ns()}"
        self.port_file = self.workdir / f"{tag}.port"
        self.stats_file = self.workdir / f"{tag}.stats.json"
        self.log_file = self.workdir / f"{tag}.log"
        if scenario is None:
            # the simulator's built-in default (a healthy STLINK-V2-1 with an STM32F407)
            self.scenario = None
            path = None
        elif isinstance(scenario, str):
            self.scenario = load_scenario(scenario)
            path = SCENARIOS / f"{scenario}.json"
        else:
            self.scenario = scenario
            path = self.workdir / f"{tag}.json"
            path.write_text(json.dumps(scenario))
        args = [str(sim)] + (["--scenario", str(path)] if path else []) + ["--port", "0",
                "--port-file", str(self.port_file), "--timeout", str(timeout),
                "--stats", str(self.stats_file), "--log", str(self.log_file)]
        if exit_on_disconnect:
            args.append("--exit-on-disconnect")
        args += list(extra_args)
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.port = self._wait_port()

    def _wait_port(self):
        deadline = time.monotonic() + SIM_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.port_file.exists():
                text = self.port_file.read_text().strip()
                if text:
                    return int(text)
            if self.proc.poll() is not None:
                raise AssertionError(f"simulator exited early ({self.proc.returncode}): {self.proc.stderr.read()}")
            time.sleep(0.01)
        self.kill()
        raise AssertionError("simulator did not write its port file in time")

    def stop(self, timeout=2):
        """Call once the client is gone. Waits for the simulator's own exit (--exit-on-disconnect), else
        sends SIGTERM (a normal end: it still writes its stats). A client that never opened a device
        (no probe, probe in use, nothing reached it) does not make it exit by itself."""
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        return self.proc.returncode

    def terminate(self):
        """For runs where no client ever opened a device (--exit-on-disconnect never fires)."""
        self.proc.terminate()
        return self.proc.wait(timeout=10)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def stats(self):
        """Counters written at exit: call stop() first."""
        self.stop()
        with open(self.stats_file) as f:
            return json.load(f)

    def log(self):
        return self.log_file.read_text() if self.log_file.exists() else ""

    def usb_lines(self):
        """The ST-LINK commands of the log, in order: (command hex, reply hex) without the timestamp."""
        out = []
        for line in self.log().splitlines():
            i = line.find("USB dev=")
            if i >= 0:
                out.append(line[i:])
        return out


@pytest.fixture
def sim(tmp_path):
    """Factory: sim("healthy-f407") (or sim(scenario_dict)) starts a simulator and returns the Sim
    (.port, .stats_file, .log(), .usb_lines(), .stats())."""
    sims = []

    def start(scenario, exit_on_disconnect=True, timeout=SIM_LIFETIME, extra_args=()):
        s = Sim(tmp_path, scenario, exit_on_disconnect, timeout, extra_args)
        sims.append(s)
        return s

    yield start
    for s in sims:
        s.kill()
        s.proc.stderr.close()


# a sanitizer build (testing/run-tests, sanitizer pass) prints these on any finding: always a failure,
# whatever exit status the test expects
SANITIZER_REPORTS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                     "ERROR: UndefinedBehaviorSanitizer")


def _run(args, timeout):
    try:
        p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        raise AssertionError(f"timed out after {timeout} s: {args}\n{out}") from None
    for marker in SANITIZER_REPORTS:
        if marker in p.stdout:
            raise AssertionError(f"sanitizer report ({marker}) from {args}:\n{p.stdout}")
    return p.returncode, p.stdout


@pytest.fixture
def run_openocd():
    """run_openocd(args, timeout) -> (exit status, stdout+stderr) of the patched OpenOCD.

    -s SCRIPTS and the options disabling the GDB, Tcl and telnet ports come first, unless
    quiet_ports=False."""
    exe = require_file(OPENOCD, "build and install it: cd /work/main && make -j2 && make install")
    require_file(OPENOCD_SCRIPTS / "interface" / "stlink.cfg", "make install")

    def run(args, timeout=OPENOCD_TIMEOUT, quiet_ports=True, wrapper=()):
        """wrapper: a program the command runs under (e.g. valgrind and its options)."""
        full = list(wrapper) + [str(exe), "-s", str(OPENOCD_SCRIPTS)] + (QUIET_PORTS if quiet_ports else []) \
            + list(args)
        return _run(full, timeout)

    return run


@pytest.fixture
def run_stock_openocd():
    exe = require_file(STOCK_OPENOCD, "apt-get install openocd")

    def run(args, timeout=OPENOCD_TIMEOUT):
        return _run([str(exe)] + QUIET_PORTS + list(args), timeout)

    return run


@pytest.fixture
def gdb():
    return require_program(GDB, "apt-get install gdb-multiarch")


def extract_json(output):
    """The one stlink_diag JSON object in OpenOCD's output (a line starting with '{"schema"')."""
    decoder = json.JSONDecoder()
    found = []
    i = output.find('{"schema"')
    while i >= 0:
        obj, end = decoder.raw_decode(output, i)
        found.append(obj)
        i = output.find('{"schema"', end)
    assert len(found) == 1, f"expected exactly one stlink_diag JSON object, found {len(found)}:\n{output}"
    return found[0]


def layer(report, name):
    """The layer record called name in a JSON report."""
    for entry in report["layers"]:
        if entry["name"] == name:
            return entry
    raise AssertionError(f"no layer {name!r} in {[e['name'] for e in report['layers']]}")
