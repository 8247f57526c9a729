# SPDX-License-Identifier: GPL-2.0-or-later
"""Conformance of the simulated ST-LINK (testing/sim/stlink-sim) with stock OpenOCD 0.12.0.

Stock OpenOCD talks to the simulator through its real stlink-server TCP client. If OpenOCD,
which knows nothing about the simulator, reaches the expected conclusions (IDCODE, halted,
PC = reset vector, the documented error messages), the simulator tells the truth well enough
for the diagnostics layer to be tested against it.

Expected values come from the scenario files and from the public sources cited where they are
used (OpenOCD 0.12.0 source and manual, ST reference manuals), never from the output under test.

Environment:
  STLINK_SIM     simulator binary (default: testing/sim/stlink-sim in this repository)
  STOCK_OPENOCD  stock OpenOCD 0.12.0 (default: /usr/bin/openocd)
The simulator is not built here: run `make -C testing/sim` first.
"""

import json
import os
import re
import socket
import struct
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SIM = Path(os.environ.get("STLINK_SIM", REPO / "testing" / "sim" / "stlink-sim"))
OPENOCD = os.environ.get("STOCK_OPENOCD", "/usr/bin/openocd")
SCENARIOS = REPO / "testing" / "scenarios"

OPENOCD_TIMEOUT = 60
SIM_START_TIMEOUT = 10



@pytest.fixture(autouse=True)
def require_binaries():
    """A missing binary is a failure that says how to get it, never a silent skip."""
    if not SIM.exists():
        pytest.fail(f"simulator not built: {SIM} (run: make -C testing/sim, or set STLINK_SIM)")
    if not Path(OPENOCD).exists():
        pytest.fail(f"stock OpenOCD not found: {OPENOCD} (apt-get install openocd, or set STOCK_OPENOCD)")

# the two drivers over the stlink-server backend: OpenOCD 0.12.0 doc/openocd.texi, "hla_stlink_backend"
# and "st-link backend"
INTERFACE_ARGS = {
    "hla": lambda port: ["-f", "interface/stlink.cfg", "-c", f"hla_stlink_backend tcp {port}"],
    "dap": lambda port: ["-f", "interface/stlink-dap.cfg", "-c", f"st-link backend tcp {port}",
                         "-c", "transport select dapdirect_swd"],
}
QUIET_PORTS = ["-c", "gdb_port disabled", "-c", "tcl_port disabled", "-c", "telnet_port disabled"]
CONNECT_CMDS = ["-c", "init", "-c", "reset halt", "-c", "mdw 0xE0042000", "-c", "reg pc", "-c", "shutdown"]


def load_scenario(name):
    with open(SCENARIOS / name) as f:
        return json.load(f)


def num(v):
    """Scenario numbers are integers or "0x..." strings."""
    return int(v, 0) if isinstance(v, str) else int(v)


# one simulator process per call: the shared helper of conftest.py
from conftest import Sim  # noqa: E402


@pytest.fixture
def sim_factory(tmp_path):
    sims = []

    def start(scenario=None, extra=(), timeout=90):
        s = Sim(tmp_path, scenario.removesuffix(".json") if scenario else None, exit_on_disconnect=False,
                timeout=timeout, extra_args=extra)
        sims.append(s)
        return s

    yield start
    for s in sims:
        s.kill()
        for stream in (s.proc.stdout, s.proc.stderr):
            if stream:
                stream.close()


def run_openocd(port, mode, cmds=CONNECT_CMDS, timeout=OPENOCD_TIMEOUT):
    args = [OPENOCD] + INTERFACE_ARGS[mode](port) + ["-f", "target/stm32f4x.cfg"] + QUIET_PORTS + cmds
    p = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    p.output = p.stdout + p.stderr
    return p


# ---------------------------------------------------------------- healthy connects

HEALTHY = [
    # scenario, firmware string and VID:PID OpenOCD prints (stlink_usb.c, stlink_usb_version()), API
    ("healthy-f407.json", "V2J37M26", "0483:374B", 2),
    ("healthy-f407-v3.json", "V3J7M2B4S1", "0483:374F", 3),
]

# plausible command counts for init + reset halt + mdw + reg pc + shutdown
# (measured with Debian's stock openocd 0.12.0-1 against this simulator: 144 over HLA, 595 over
# dap-direct for a similar list;
# dap-direct with server API 3 batches through RW_MISC and needs fewer)
COUNT_RANGE = {"hla": (80, 400), "dap": (150, 1500)}


@pytest.mark.parametrize("mode", ["hla", "dap"])
@pytest.mark.parametrize("scenario,fw,vidpid,api", HEALTHY)
def test_healthy_connect(sim_factory, scenario, fw, vidpid, api, mode):
    sc = load_scenario(scenario)
    sim = sim_factory(scenario, ["--exit-on-disconnect"])
    p = run_openocd(sim.port, mode)
    assert sim.stop() == 0
    out = p.output
    assert p.returncode == 0, out

    assert f"STLINK {fw} (API v{api}) VID:PID {vidpid}" in out
    assert f"stlink-server API v{sc['server']['api']}, version {sc['server']['version']}" in out
    volts = float(re.search(r"Target voltage: ([0-9.]+)", out).group(1))
    assert abs(volts - sc["target"]["voltage"]) < 0.01

    idcode = num(sc["target"]["dbgmcu_idcode"])
    assert re.search(r"0xe0042000: %08x\b" % idcode, out), out
    assert "halted due to" in out
    reset_pc = num(sc["target"]["reset_vector"]) & ~1
    assert f"pc (/32): 0x{reset_pc:08x}" in out
    assert f"pc: 0x{reset_pc:08x} msp: 0x{num(sc['target']['initial_sp']):08x}" in out
    if mode == "dap":
        assert f"SWD DPIDR 0x{num(sc['target']['dpidr']):08x}" in out

    st = sim.stats()
    lo, hi = COUNT_RANGE[mode]
    assert lo <= st["stlink_commands"] <= hi, st["stlink_commands"]
    ops = st["per_opcode"]
    assert ops["f1"] == 1                      # GET_VERSION once, at open
    assert ops.get("fb", 0) == (1 if fw.startswith("V3") else 0)
    assert ops["f2 30"] >= 1                   # ENTER
    assert ops["f2 31"] >= 1                   # READ_IDCODES
    assert ops["f2 21"] == 1                   # DEBUG_EXIT at shutdown
    if fw.startswith("V3"):
        assert ops.get("f2 62", 0) >= 1 and ops.get("f2 61", 0) >= 1 and "f2 43" not in ops
    else:
        assert ops.get("f2 43", 0) >= 1 and "f2 62" not in ops
    if mode == "dap":
        assert ops.get("f2 45", 0) + ops.get("f2 46", 0) > 10   # DAP register traffic
    # TCP: version, refresh, count, info, open, close (stlink_usb.c, stlink_tcp_open())
    tcp = st["per_tcp_command"]
    for code in ("06", "00", "01", "02", "03", "04"):
        assert tcp.get(code) == 1, tcp
    assert tcp["05"] == st["stlink_commands"]


def test_v3_speed_from_com_freq_list(sim_factory):
    """V3 speeds come from GET_COM_FREQ; adapter speed 2000 selects 1000 kHz (stlink_usb.c,
    stlink_speed_v3(): the fastest offered at or below the request)."""
    sim = sim_factory("healthy-f407-v3.json", ["--exit-on-disconnect"])
    p = run_openocd(sim.port, "hla")
    sim.stop()
    assert p.returncode == 0, p.output
    assert "f2 61 00 00 e8 03 00 00" in sim.log()


@pytest.mark.parametrize("mode", ["hla", "dap"])
def test_step_breakpoint_and_resume(sim_factory, mode):
    """Run control: step advances PC by one 16-bit instruction, a hardware breakpoint stops a run."""
    sc = load_scenario("healthy-f407.json")
    reset_pc = num(sc["target"]["reset_vector"]) & ~1
    bp = reset_pc + 8
    sim = sim_factory("healthy-f407.json", ["--exit-on-disconnect"])
    p = run_openocd(sim.port, mode, ["-c", "init", "-c", "reset halt", "-c", "step", "-c", "reg pc",
                                     "-c", f"bp 0x{bp:08x} 2 hw", "-c", "reset run", "-c", "sleep 100",
                                     "-c", "reg pc", "-c", "rbp all", "-c", "mww 0x20000100 0xcafef00d",
                                     "-c", "mdw 0x20000100", "-c", "shutdown"])
    sim.stop()
    assert p.returncode == 0, p.output
    pcs = re.findall(r"pc \(/32\): 0x([0-9a-f]{8})", p.output)
    assert [int(x, 16) for x in pcs] == [reset_pc + 2, bp]
    assert "halted due to single-step" in p.output
    assert "0x20000100: cafef00d" in p.output


@pytest.mark.parametrize("mode", ["hla", "dap"])
def test_connect_under_reset(sim_factory, mode):
    """Reference 7.2: NRST held through examine, reset halt stops at the reset vector."""
    sc = load_scenario("healthy-f407.json")
    sim = sim_factory("healthy-f407.json", ["--exit-on-disconnect"])
    p = run_openocd(sim.port, mode, ["-c", "reset_config srst_only srst_nogate connect_assert_srst"] + CONNECT_CMDS)
    sim.stop()
    assert p.returncode == 0, p.output
    assert f"pc (/32): 0x{num(sc['target']['reset_vector']) & ~1:08x}" in p.output
    assert re.search(r"cmd=\[f2 3c 00 ", sim.log()) and re.search(r"cmd=\[f2 3c 01 ", sim.log())
    assert "TARGET NRST asserted" in sim.log()


def test_flash_probe_reads_size_register(sim_factory):
    """stm32f2x driver: DEV_ID from DBGMCU_IDCODE and F_SIZE at 0x1FFF7A22 (OpenOCD 0.12.0
    src/flash/nor/stm32f2x.c, stm32x_probe(); ST RM0090 §38.6.1 DBGMCU_IDCODE, §39.2 Flash size)."""
    sc = load_scenario("healthy-f407.json")
    sim = sim_factory("healthy-f407.json", ["--exit-on-disconnect"])
    p = run_openocd(sim.port, "hla", ["-c", "init", "-c", "reset halt", "-c", "flash probe 0", "-c", "shutdown"])
    sim.stop()
    assert p.returncode == 0, p.output
    assert f"device id = 0x{num(sc['target']['dbgmcu_idcode']):08x}" in p.output
    assert f"flash size = {sc['target']['flash_kb']} KiB" in p.output


# ---------------------------------------------------------------- failures

@pytest.mark.parametrize("mode", ["hla", "dap"])
def test_unpowered_target(sim_factory, mode):
    sim = sim_factory("target-unpowered.json", ["--exit-on-disconnect"])
    p = run_openocd(sim.port, mode)
    sim.stop()
    assert p.returncode != 0
    assert "init mode failed (unable to connect to the target)" in p.output
    assert "target voltage may be too low for reliable debugging" in p.output
    # ENTER answered with the scenario's status byte (0x09 JTAG_GET_IDCODE_ERROR)
    status = num(load_scenario("target-unpowered.json")["probe"]["connect_fail_status"])
    assert re.search(r"cmd=\[f2 30 a3 [^\]]*\] out=\[\] in=\[%02x 00\]" % status, sim.log())
    assert sim.stats()["stlink_commands"] < 20


def test_no_probe(sim_factory):
    sim = sim_factory("no-probe.json", ["--exit-on-disconnect"])
    p = run_openocd(sim.port, "hla")
    assert sim.terminate() == 0
    assert p.returncode != 0
    assert "no ST-LINK detected" in p.output
    assert sim.stats()["stlink_commands"] == 0


def test_probe_in_use(sim_factory):
    sim = sim_factory("probe-in-use.json", ["--exit-on-disconnect"])
    p = run_openocd(sim.port, "hla")
    assert sim.terminate() == 0
    assert p.returncode != 0
    assert "the selected device is already used" in p.output
    assert sim.stats()["stlink_commands"] == 0


# ---------------------------------------------------------------- raw stlink-server client

class RawClient:
    """Minimal stlink-server client, request layouts from reference section 6.3."""

    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=5)

    def xfer(self, req, resp_len):
        self.s.sendall(req)
        buf = b""
        while len(buf) < resp_len:
            chunk = self.s.recv(resp_len - len(buf))
            if not chunk:
                raise ConnectionError("closed")
            buf += chunk
        return buf

    def dev_info(self, index):
        r = self.xfer(struct.pack("<BBxxI", 0x02, index, 41), 45)
        status, usb_id = struct.unpack_from("<II", r)
        serial = r[8:40].rstrip(b"\0").decode()
        vid, pid, used = struct.unpack_from("<HHB", r, 40)
        return status, usb_id, serial, vid, pid, used

    def open_dev(self, usb_id):
        return struct.unpack("<II", self.xfer(struct.pack("<BxxxI", 0x03, usb_id), 8))

    def usb_read(self, cid, cmd, size):
        hdr = struct.pack("<BxxxI16sBxxxI", 0x05, cid, bytes(cmd).ljust(16, b"\0"), 1, size)
        r = self.xfer(hdr, 4 + size)
        return struct.unpack_from("<I", r)[0], r[4:]

    def closed_by_peer(self, wait=5):
        self.s.settimeout(wait)
        try:
            return self.s.recv(1) == b""
        except ConnectionResetError:
            return True
        except socket.timeout:
            return False

    def close(self):
        self.s.close()


def test_second_client_sees_device_used(sim_factory):
    sc = load_scenario("healthy-f407.json")
    sim = sim_factory("healthy-f407.json")
    a = RawClient(sim.port)
    api, major, minor, build = struct.unpack("<IIII", a.xfer(bytes([0x06, 1, 0, 0]), 16))
    assert (api, f"{major}.{minor}.{build}") == (sc["server"]["api"], sc["server"]["version"])
    assert a.xfer(b"\x00\x00", 4) == struct.pack("<I", 1)
    assert struct.unpack("<I", a.xfer(b"\x01", 4))[0] == 1
    status, usb_id, serial, vid, pid, used = a.dev_info(0)
    assert (status, serial, vid, pid, used) == (1, sc["probe"]["serial"], 0x0483, num(sc["probe"]["pid"]), 0)
    status, cid = a.open_dev(usb_id)
    assert status == 1 and cid != 0
    # GET_VERSION through SEND_USB_CMD: 0x295A = V2, J37, M26 (stlink_usb.c, stlink_usb_version():
    # big-endian, bits 15:12 hardware, 11:6 J, 5:0 M on a V2-1)
    status, data = a.usb_read(cid, [0xF1], 6)
    assert status == 1 and data == bytes.fromhex("295a83044b37")

    b = RawClient(sim.port)
    assert b.dev_info(0)[5] == 1
    assert b.open_dev(usb_id)[0] != 1
    b.close()
    p = run_openocd(sim.port, "hla")
    assert p.returncode != 0
    assert "the selected device is already used" in p.output

    # once A lets go, the device is free again
    a.xfer(struct.pack("<BxxxI", 0x04, cid), 4)
    c = RawClient(sim.port)
    assert c.dev_info(0)[5] == 0
    c.close()
    a.close()


@pytest.mark.parametrize("garbage", [
    pytest.param(b"\x7f\x00\x00\x00", id="unknown-command"),
    pytest.param(struct.pack("<BxxxI16sBxxxI", 0x05, 1, b"\xf2\x07", 0, 1 << 20), id="oversized-write"),
    pytest.param(struct.pack("<BxxxI16sBxxxI", 0x05, 1, b"\xf2\x07", 1, 1 << 20), id="oversized-read"),
    pytest.param(struct.pack("<BxxxI16sBxxxI", 0x05, 1, b"\xf2\x07", 7, 4), id="bad-direction"),
    pytest.param(b"\x05\x00\x00", id="short-request"),
])
def test_bad_tcp_requests_close_connection_only(sim_factory, garbage):
    sim = sim_factory("healthy-f407.json")
    c = RawClient(sim.port)
    c.s.sendall(garbage)
    assert c.closed_by_peer(wait=8)
    c.close()
    assert sim.proc.poll() is None, "simulator died"
    # still fully usable
    p = run_openocd(sim.port, "hla")
    assert p.returncode == 0, p.output


def test_unknown_stlink_command_answers_0x42(sim_factory):
    sim = sim_factory("healthy-f407.json")
    c = RawClient(sim.port)
    usb_id = c.dev_info(0)[1]
    cid = c.open_dev(usb_id)[1]
    status, data = c.usb_read(cid, [0xF2, 0x99], 2)
    assert status == 1 and data[0] == 0x42
    status, data = c.usb_read(cid, [0xE0], 2)
    assert status == 1 and data[0] == 0x42
    c.close()


# ---------------------------------------------------------------- WAIT injection

@pytest.mark.parametrize("mode", ["hla", "dap"])
@pytest.mark.parametrize("scenario,wait_status", [("dp-wait.json", 0x14), ("ap-wait.json", 0x10)])
def test_wait_scenarios_still_succeed(sim_factory, scenario, wait_status, mode):
    sc = load_scenario(scenario)
    sim = sim_factory(scenario, ["--exit-on-disconnect"])
    p = run_openocd(sim.port, mode)
    sim.stop()
    assert p.returncode == 0, p.output
    assert re.search(r"0xe0042000: %08x\b" % num(sc["target"]["dbgmcu_idcode"]), p.output)
    reset_pc = num(sc["target"]["reset_vector"]) & ~1
    assert f"pc (/32): 0x{reset_pc:08x}" in p.output
    if mode == "hla":
        # the injected WAITs really happened and OpenOCD retried through them
        first = sc["faults"][0]["first"]
        assert sim.log().count(f"status=0x{wait_status:02x}") >= first
        assert sim.log().count("FAULT ") >= first


# ---------------------------------------------------------------- command line and scenario errors

BAD_SCENARIOS = [
    ("syntax", '{"probe": {"pid": "0x374B",}}', [r"line 1", r"syntax"]),
    ("unknown-key", '{\n  "probe": {\n    "colour": "blue"\n  }\n}', [r"probe\.colour", r"line 3", r"unknown key"]),
    ("wrong-type", '{"target": {"powered": "yes"}}', [r"target\.powered", r"true or false"]),
    ("out-of-range", '{"probe": {"pid": "0x123456"}}', [r"probe\.pid", r"out of range"]),
    ("bad-firmware", '{"probe": {"firmware": "X9"}}', [r"probe\.firmware"]),
    ("unknown-fault", '{"faults": [{"type": "gremlins"}]}', [r"gremlins", r"unknown fault type"]),
    ("fault-param-range", '{"faults": [{"type": "dp_wait", "rate": 2}]}', [r"faults\[0\]\.rate", r"out of range"]),
    ("top-level", '{"probes": {}}', [r"probes", r"unknown top-level key"]),
    ("not-object", '[1, 2]', [r"object"]),
]


@pytest.mark.parametrize("name,text,patterns", BAD_SCENARIOS, ids=[b[0] for b in BAD_SCENARIOS])
def test_bad_scenario_exits_2(tmp_path, name, text, patterns):
    path = tmp_path / f"bad-{name}.json"
    path.write_text(text)
    p = subprocess.run([str(SIM), "--scenario", str(path), "--port", "0", "--timeout", "5"],
                       capture_output=True, text=True, timeout=15)
    assert p.returncode == 2, p.stderr
    assert str(path) in p.stderr
    for pat in patterns:
        assert re.search(pat, p.stderr), (pat, p.stderr)


def test_missing_scenario_exits_2(tmp_path):
    p = subprocess.run([str(SIM), "--scenario", str(tmp_path / "nope.json")], capture_output=True, text=True,
                       timeout=15)
    assert p.returncode == 2 and "nope.json" in p.stderr


def test_unknown_option_exits_2():
    p = subprocess.run([str(SIM), "--frobnicate"], capture_output=True, text=True, timeout=15)
    assert p.returncode == 2
    assert "Usage" in p.stderr


def test_help():
    p = subprocess.run([str(SIM), "--help"], capture_output=True, text=True, timeout=15)
    assert p.returncode == 0
    for opt in ("--scenario", "--port", "--port-file", "--timeout", "--exit-on-disconnect", "--log", "--stats"):
        assert opt in p.stdout


@pytest.mark.parametrize("scenario", sorted(p.name for p in SCENARIOS.glob("*.json")))
def test_shipped_scenarios_load(tmp_path, scenario):
    p = subprocess.run([str(SIM), "--scenario", str(SCENARIOS / scenario), "--port", "0", "--timeout", "0.2"],
                       capture_output=True, text=True, timeout=15)
    assert p.returncode == 0, p.stderr


def test_timeout_with_client_connected(sim_factory):
    start = time.monotonic()
    sim = sim_factory("healthy-f407.json", timeout=1)
    c = RawClient(sim.port)
    c.open_dev(c.dev_info(0)[1])
    # client stays connected and silent: the simulator must still leave on its own
    assert sim.proc.wait(timeout=15) == 0
    assert time.monotonic() - start < 10
    assert sim.stats()["tcp_requests"] == 2
    c.close()


def test_exit_on_disconnect(sim_factory):
    sim = sim_factory("healthy-f407.json", ["--exit-on-disconnect"])
    c = RawClient(sim.port)
    c.open_dev(c.dev_info(0)[1])
    c.close()
    assert sim.proc.wait(timeout=10) == 0


def test_random_stlink_commands_do_not_crash(sim_factory):
    """Seeded random command blocks, sizes and data: every request is answered in full, nothing crashes."""
    import random

    rnd = random.Random(1234)
    sim = sim_factory("healthy-f407.json")
    c = RawClient(sim.port)
    cid = c.open_dev(c.dev_info(0)[1])[1]
    subs = [0x07, 0x08, 0x0C, 0x0D, 0x21, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x3A, 0x3B, 0x3C, 0x3E,
            0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x4B, 0x4C, 0x50, 0x51, 0x52, 0x54, 0x61, 0x62]
    for _ in range(3000):
        cmd = bytearray(rnd.randbytes(16))
        cmd[0] = rnd.choice([0xF1, 0xF2, 0xF2, 0xF2, 0xF3, 0xF4, 0xF5, 0xF7, 0xFB, 0x00])
        if cmd[0] == 0xF2:
            cmd[1] = rnd.choice(subs)
            if rnd.random() < 0.7:
                cmd[6:8] = struct.pack("<H", rnd.choice([0, 1, 2, 4, 64, 512, 4096, 6144, 6148, 65535]))
                cmd[8:12] = b"\0\0\0\0" if rnd.random() < 0.8 else cmd[8:12]
        size = rnd.choice([0, 1, 2, 8, 12, 52, 64, 4096, 10236])
        if rnd.random() < 0.5:
            hdr = struct.pack("<BxxxI16sBxxxI", 0x05, cid, bytes(cmd), 1, size)
            r = c.xfer(hdr, 4 + size)
            assert len(r) == 4 + size
        else:
            size = min(size, 10208)
            hdr = struct.pack("<BxxxI16sBxxxI", 0x05, cid, bytes(cmd), 0, size)
            assert c.xfer(hdr + rnd.randbytes(size), 4) == struct.pack("<I", 1)
    status, data = c.usb_read(cid, [0xF1], 6)
    assert status == 1 and data[4:6] == b"\x4b\x37"
    c.close()
    sim.proc.terminate()
    assert sim.proc.wait(timeout=10) == 0
    assert sim.stats()["stlink_commands"] == 3001


def test_nrst_unwired_fault(sim_factory, tmp_path):
    """A fault row from the table, configured from a scenario: DRIVE_NRST is acked but never reaches NRST."""
    sc = load_scenario("healthy-f407.json")
    sc["faults"] = [{"type": "nrst_unwired"}]
    path = tmp_path / "nrst-unwired.json"
    path.write_text(json.dumps(sc))
    sim = sim_factory(str(path), ["--exit-on-disconnect"])
    p = run_openocd(sim.port, "hla", ["-c", "reset_config srst_only srst_nogate connect_assert_srst"] + CONNECT_CMDS)
    sim.stop()
    # RESETSYS still resets the core, so OpenOCD gets its halt at the reset vector
    assert p.returncode == 0, p.output
    assert f"pc (/32): 0x{num(sc['target']['reset_vector']) & ~1:08x}" in p.output
    log = sim.log()
    assert "FAULT nrst_unwired fired" in log
    assert "TARGET NRST asserted" not in log
