# SPDX-License-Identifier: GPL-2.0-or-later
"""stlink_diag after init: on OpenOCD's live connection, from a -c command and from GDB.

It must diagnose without breaking the session: no reset, no halt, no DEBUG_EXIT, no re-open, and
OpenOCD's own commands (reset halt, reg pc) keep working afterwards in the same run.
"""

import re
import subprocess

import pytest

from conftest import (DRIVERS, LAYERS, OPENOCD, OPENOCD_SCRIPTS, extract_json, interface_args, layer,
                      load_scenario, num, require_file)

# Two reads of distinct SRAM words bracket stlink_diag in the simulator's log: READMEM_32 (f2 07)
# at 0x20000010 before it and at 0x20000020 after it, over both drivers.
MARK_BEFORE = "mdw 0x20000010"
MARK_AFTER = "mdw 0x20000020"
MARK_BEFORE_CMD = "cmd=[f2 07 10 00 00 20"
MARK_AFTER_CMD = "cmd=[f2 07 20 00 00 20"

# ST-LINK commands that change the target or the probe's mode (OpenOCD 0.12.0 stlink_usb.c,
# STLINK_* command #defines):
# DEBUG_EXIT, WRITEMEM_32, WRITEMEM_8, RESETSYS, WRITEREG, WRITEDEBUGREG, DRIVE_NRST, WRITE_DAP_REG,
# and a new ENTER
FORBIDDEN = {"f2 21": "DEBUG_EXIT", "f2 08": "WRITEMEM_32", "f2 0d": "WRITEMEM_8", "f2 32": "RESETSYS",
             "f2 34": "WRITEREG", "f2 35": "WRITEDEBUGREG", "f2 3c": "DRIVE_NRST", "f2 46": "WRITE_DAP_REG",
             "f2 30": "ENTER"}

V2_SPEED_FOR_2000 = 1800    # stm32f4x.cfg's adapter speed 2000 -> SWD divisor 1 = 1800 kHz
#                           (stlink_usb.c, stlink_khz_to_speed_map_swd[], stlink_match_speed_map())


def window(lines):
    """The simulator log lines strictly between the two marker reads."""
    start = [i for i, l in enumerate(lines) if MARK_BEFORE_CMD in l]
    end = [i for i, l in enumerate(lines) if MARK_AFTER_CMD in l]
    assert len(start) == 1 and len(end) == 1 and start[0] < end[0], "marker reads not found in the log"
    return lines[start[0] + 1:end[0]]


@pytest.mark.parametrize("driver", DRIVERS)
def test_after_init_keeps_the_session(sim, run_openocd, driver):
    sc = load_scenario("healthy-f407")
    s = sim("healthy-f407")
    cmds = ["init", 'echo "STATE0=[stm32f4x.cpu curstate]"', MARK_BEFORE, "stlink_diag", MARK_AFTER,
            "stm32f4x.cpu arp_poll", 'echo "STATE1=[stm32f4x.cpu curstate]"', "reset halt", "reg pc", "shutdown"]
    status, out = run_openocd(interface_args(driver, s.port) + ["-f", "target/stm32f4x.cfg"]
                              + [a for c in cmds for a in ("-c", c)])
    s.stop()
    assert status == 0, out

    # the report was printed as the command's result, and says it ran on the live connection
    assert re.search(r"^stlink_diag: .*after init", out, re.M), out
    verdict = re.search(r"^verdict: (.*)$", out, re.M)
    assert verdict and verdict.group(1).startswith("ok"), out
    assert "OpenOCD's live connection" in out
    for name in LAYERS:
        assert re.search(rf"^\s+{name}\s+(ok|skipped)\b", out, re.M), f"layer {name}:\n{out}"

    # not halted by stlink_diag: running before and after (the simulated core runs after power-on)
    assert re.search(r"^STATE0=running$", out, re.M), out
    assert re.search(r"^STATE1=running$", out, re.M), out
    # OpenOCD's session still works: reset halt stops at the reset vector
    assert "halted due to" in out
    reset_pc = num(sc["target"]["reset_vector"]) & ~1
    assert f"pc (/32): 0x{reset_pc:08x}" in out, out

    # the simulator's view of stlink_diag's traffic
    lines = s.log().splitlines()
    diag = window(lines)
    usb = [l for l in diag if "USB dev=" in l]
    assert any("cmd=[f2 31" in l for l in usb), "stlink_diag sent no READ_IDCODES: did it run?"
    for l in usb:
        cmd = l.split("cmd=[")[1][:5]
        assert cmd not in FORBIDDEN, f"stlink_diag sent {FORBIDDEN[cmd]} on the live connection: {l}"
    assert not [l for l in diag if "TARGET" in l], "target reset or NRST driven during stlink_diag"
    assert not [l for l in diag if "OPEN_DEV" in l or "CLOSE_DEV" in l], "the live device was re-opened"
    # the one DEBUG_EXIT of the run is OpenOCD's own, at shutdown
    assert sum("cmd=[f2 21" in l for l in lines) == 1


@pytest.mark.parametrize("driver", DRIVERS)
def test_after_init_json(sim, run_openocd, driver):
    sc = load_scenario("healthy-f407")
    s = sim("healthy-f407")
    status, out = run_openocd(interface_args(driver, s.port) + ["-f", "target/stm32f4x.cfg", "-c", "init",
                                                                "-c", "stlink_diag -json", "-c", "shutdown"])
    s.stop()
    assert status == 0, out
    r = extract_json(out)
    assert r["context"]["stage"] == "after_init"
    assert r["verdict"]["layer"] == "none", r["verdict"]
    assert [e["name"] for e in r["layers"]] == LAYERS
    assert num(r["facts"]["dp"]["dpidr"]) == num(sc["target"]["dpidr"])
    assert r["facts"]["core"]["name"] == "Cortex-M4"
    # DHCSR read, not written: the core is still running (S_HALT clear)
    assert r["facts"]["core"]["state"] == "running", r["facts"]["core"]
    # after init nothing resets and nothing reconnects: well under the 100 of a full diagnosis
    assert 0 < r["round_trips"] < 40


@pytest.mark.parametrize("driver", DRIVERS)
def test_after_init_report_values_are_clean(sim, run_openocd, driver):
    """No stray line breaks in values, numbers typed as numbers, the speed actually in use."""
    s = sim("healthy-f407")
    status, out = run_openocd(interface_args(driver, s.port) + ["-f", "target/stm32f4x.cfg", "-c", "init",
                                                                "-c", "stlink_diag -json", "-c", "shutdown"])
    s.stop()
    r = extract_json(out)
    for e in r["layers"]:
        assert "\n" not in e["summary"], f"line break in the {e['name']} summary: {e['summary']!r}"
        for k, v in e["evidence"].items():
            assert "\n" not in v, f"line break in {e['name']} evidence {k}: {v!r}"
    assert isinstance(r["facts"]["link"]["speed_khz"], int), repr(r["facts"]["link"]["speed_khz"])
    assert isinstance(r["facts"]["target"]["voltage"], float), repr(r["facts"]["target"]["voltage"])


@pytest.mark.parametrize("driver", DRIVERS)
def test_after_init_reports_speed_in_use(sim, run_openocd, driver):
    """stm32f4x.cfg asks for 2000 kHz; a V2 probe cannot do it and OpenOCD sets 1800 kHz. The report's
    speed is the one the wire runs at (before init it is the one stlink_diag set)."""
    s = sim("healthy-f407")
    status, out = run_openocd(interface_args(driver, s.port) + ["-f", "target/stm32f4x.cfg", "-c", "init",
                                                                "-c", "stlink_diag -json", "-c", "shutdown"])
    s.stop()
    # what OpenOCD's init really sent: SWD_SET_FREQ f2 43 with divisor 1
    assert any("cmd=[f2 43 01 00" in l for l in s.usb_lines()), s.usb_lines()
    khz = extract_json(out)["facts"]["link"]["speed_khz"]
    assert khz == V2_SPEED_FOR_2000, f"the wire runs at {V2_SPEED_FOR_2000} kHz, the report says {khz}"


def test_gdb_monitor(sim, gdb, tmp_path):
    """monitor stlink_diag through a real GDB (pipe mode, after init): the report reaches GDB."""
    exe = require_file(OPENOCD, "make -j2 && make install")
    s = sim("healthy-f407")
    ocd_log = tmp_path / "openocd.log"
    # OpenOCD's own stderr goes to a file: what GDB prints came through the remote protocol
    pipe = (f"target extended-remote | {exe} -s {OPENOCD_SCRIPTS} -f interface/stlink.cfg "
            f"-c 'hla_stlink_backend tcp {s.port}' -f target/stm32f4x.cfg -c 'gdb_port pipe' "
            f"-c 'tcl_port disabled' -c 'telnet_port disabled' 2>{ocd_log}")
    args = [gdb, "-nx", "-batch", "-ex", pipe,
            "-ex", "monitor stlink_diag",
            "-ex", "monitor stlink_probe voltage",
            "-ex", "detach"]
    p = subprocess.run(args, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    s.stop()
    out = p.stdout + p.stderr
    assert p.returncode == 0, out + ocd_log.read_text()
    assert "Protocol error" not in out and "invalid command name" not in out, out
    assert re.search(r"^stlink_diag: .*after init", out, re.M), out
    assert re.search(r"^verdict: ok", out, re.M), out
    for name in LAYERS:
        assert re.search(rf"^\s+{name}\s+(ok|skipped)\b", out, re.M), f"layer {name}:\n{out}"

    # after init a capability borrows OpenOCD's connection by itself: no 'open' needed
    assert not [l for l in out.splitlines() if l.startswith("ok 0 error")], out
    volts_lines = [l for l in out.splitlines() if re.search(r"\bvolts\b", l)]
    assert volts_lines, out
    fields = volts_lines[-1].split()
    d = dict(zip(fields[0::2], fields[1::2]))
    assert d.get("ok") == "1", volts_lines
    assert float(d["volts"]) == pytest.approx(load_scenario("healthy-f407")["target"]["voltage"], abs=0.02)
    # detached cleanly: the target was left running, the simulator saw one session end
    assert "[Inferior 1 (Remote target) detached]" in out
