# SPDX-License-Identifier: GPL-2.0-or-later
"""stlink_diag before init: the report (JSON, text, dict), the verdict and OpenOCD's exit status.

Every run goes through OpenOCD's real stlink-server TCP client to the simulator. Expected values
come from the scenario files (testing/scenarios) and the public sources cited where they are used,
never from the output under test.
"""

import json
import re

import pytest

from conftest import (DRIVERS, LAYERS, exit_status_of, extract_json, free_port, interface_args, layer,
                      load_scenario, num)

MIN_VOLTS = 1.5     # OpenOCD's own "target voltage may be too low" threshold (stlink_usb.c)


def diag(sim, run_openocd, scenario, driver, *cmds, timeout=None):
    """Start a simulator with scenario, run openocd with the driver and cmds; -> (sim, status, output)."""
    s = sim(scenario)
    args = interface_args(driver, s.port) + [a for c in cmds for a in ("-c", c)]
    status, out = run_openocd(args) if timeout is None else run_openocd(args, timeout)
    s.stop()
    return s, status, out


def check_layer_shape(report):
    assert [entry["name"] for entry in report["layers"]] == LAYERS
    for entry in report["layers"]:
        assert set(entry) >= {"name", "status", "id", "summary", "evidence", "fix"}, entry
        assert entry["status"] in {"ok", "warn", "fail", "skipped"}, entry
        assert isinstance(entry["evidence"], dict), entry
        assert entry["fix"] is None or isinstance(entry["fix"], str), entry
        if entry["status"] in ("fail", "warn"):
            assert entry["fix"], f"a {entry['status']} layer needs a fix: {entry}"
        assert isinstance(entry["summary"], str) and entry["summary"], entry


# ---------------------------------------------------------------- 1. healthy, JSON

@pytest.mark.parametrize("driver", DRIVERS)
def test_healthy_json(sim, run_openocd, driver):
    sc = load_scenario("healthy-f407")
    s, status, out = diag(sim, run_openocd, "healthy-f407", driver, "stlink_diag -json")
    assert status == 0, out
    r = extract_json(out)

    assert r["schema"] == "stlink_diag/1"
    assert r["verdict"]["layer"] == "none" and r["verdict"]["status"] == "ok", r["verdict"]
    assert r["exit_status"] == 0
    assert r["context"]["stage"] == "before_init"
    assert r["context"]["backend"] == "tcp" and r["context"]["port"] == s.port
    check_layer_shape(r)
    # a healthy board: every layer checked and found it ok, none merely skipped
    statuses = {e["name"]: e["status"] for e in r["layers"]}
    assert statuses == dict.fromkeys(LAYERS, "ok"), statuses
    # no layer says "ok" without having read something: its evidence names what it saw
    for e in r["layers"]:
        assert e["evidence"] and all(str(v).strip() for v in e["evidence"].values()), \
            f"{e['name']} says ok without evidence: {e}"

    f = r["facts"]
    assert f["probe"]["firmware"] == sc["probe"]["firmware"]
    assert num(f["probe"]["pid"]) == num(sc["probe"]["pid"])
    assert num(f["probe"]["vid"]) == 0x0483              # STMicroelectronics (tcl/interface/stlink.cfg, hla_vid_pid 0x0483 ...)
    assert f["probe"]["serial"] == sc["probe"]["serial"]
    assert f["probe"]["api"] == 2
    assert f["probe"]["server_api"] == sc["server"]["api"]
    assert f["probe"]["server_version"] == sc["server"]["version"]
    assert f["target"]["voltage"] == pytest.approx(sc["target"]["voltage"], abs=0.02)
    assert num(f["dp"]["dpidr"]) == num(sc["target"]["dpidr"])
    assert num(f["core"]["cpuid"]) == num(sc["target"]["cpuid"])
    assert f["core"]["name"] == "Cortex-M4"               # CPUID partno 0xC24 (ARMv7-M ARM)
    assert num(f["ap"]["idr"]) == num(sc["target"]["ap_idr"])
    assert num(f["mcu"]["idcode_addr"]) == num(sc["target"]["dbgmcu_idcode_addr"])
    assert num(f["mcu"]["idcode"]) == num(sc["target"]["dbgmcu_idcode"])
    assert num(f["mcu"]["dev_id"]) == 0x413               # STM32F405/407/415/417 (reference stm32-devid.tsv)
    assert isinstance(r["round_trips"], int) and r["round_trips"] > 0
    # the simulator saw the probe released: its one client disconnected
    assert s.proc.returncode == 0


# ---------------------------------------------------------------- 2. V3

@pytest.mark.parametrize("driver", DRIVERS)
def test_healthy_v3_json(sim, run_openocd, driver):
    sc = load_scenario("healthy-f407-v3")
    s, status, out = diag(sim, run_openocd, "healthy-f407-v3", driver, "stlink_diag -json")
    assert status == 0, out
    r = extract_json(out)
    check_layer_shape(r)
    assert r["verdict"]["layer"] == "none", r["verdict"]
    f = r["facts"]
    assert f["probe"]["firmware"] == sc["probe"]["firmware"] == "V3J7M2B4S1"
    assert f["probe"]["api"] == 3                         # V3 speaks API v3 (stlink_usb.c, stlink_usb_version())
    assert num(f["probe"]["pid"]) == num(sc["probe"]["pid"])
    khz = f["link"]["speed_khz"]
    assert khz in sc["probe"]["swd_freqs_khz"], f"{khz} is not one of the probe's GET_COM_FREQ speeds"
    # what the report says is what was sent: SET_COM_FREQ (f2 61, SWD) with that speed
    # the speed ladder sets several speeds; the last one set is the one reported
    set_freq = [l for l in s.usb_lines() if "cmd=[f2 61 00" in l][-1:]
    assert len(set_freq) == 1, set_freq
    sent = int.from_bytes(bytes.fromhex(set_freq[0].split("cmd=[")[1][12:23].replace(" ", "")), "little")
    assert sent == khz
    # no V2 divisor command on a V3 (stlink_usb.c, stlink_speed(): V3 uses stlink_speed_v3())
    assert not [l for l in s.usb_lines() if "cmd=[f2 43" in l]


# ---------------------------------------------------------------- 3. unpowered target

@pytest.mark.parametrize("driver", DRIVERS)
def test_unpowered_json(sim, run_openocd, driver):
    sc = load_scenario("target-unpowered")
    fail_status = num(sc["probe"]["connect_fail_status"])          # 0x09 JTAG_GET_IDCODE_ERROR
    s, status, out = diag(sim, run_openocd, "target-unpowered", driver, "stlink_diag -json")
    r = extract_json(out)
    check_layer_shape(r)
    assert r["verdict"]["layer"] == "power" and r["verdict"]["status"] == "fail", r["verdict"]
    assert status == exit_status_of("power") == 12, out
    assert r["exit_status"] == 12
    assert r["facts"]["target"]["voltage"] < MIN_VOLTS
    power = layer(r, "power")
    assert power["status"] == "fail"
    wire = layer(r, "wire")
    assert wire["status"] == "fail", wire
    assert any(f"0x{fail_status:02x}" in str(v) for v in wire["evidence"].values()), wire["evidence"]
    assert "JTAG_GET_IDCODE_ERROR" in json.dumps(wire["evidence"]), wire["evidence"]
    # layers after a failed wire could not run
    assert layer(r, "debug")["status"] == "skipped"


@pytest.mark.parametrize("driver", DRIVERS)
def test_unpowered_text_names_the_fix(sim, run_openocd, driver):
    s, status, out = diag(sim, run_openocd, "target-unpowered", driver, "stlink_diag")
    assert status == 12, out
    verdict = re.search(r"^verdict: (.*)$", out, re.M)
    assert verdict and verdict.group(1).startswith("power"), out
    fix = re.search(r"^fix:\s+(.*)$", out, re.M)
    assert fix and re.search(r"power the target", fix.group(1), re.I), out
    assert re.search(r"^\s+wire\s+FAIL\b.*0x09", out, re.M), out


# ---------------------------------------------------------------- 4. host failures

HOST_SCENARIOS = [("no-probe", "host.no_probe"), ("probe-in-use", "host.busy")]


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("scenario,verdict_id", HOST_SCENARIOS)
def test_host_failures(sim, run_openocd, scenario, verdict_id, driver):
    s, status, out = diag(sim, run_openocd, scenario, driver, "stlink_diag -json")
    r = extract_json(out)
    check_layer_shape(r)
    assert r["verdict"]["layer"] == "host" and r["verdict"]["id"] == verdict_id, r["verdict"]
    assert status == 10 == r["exit_status"], out
    assert r["verdict"]["fix"]
    for entry in r["layers"][1:]:
        assert entry["status"] == "skipped", entry
        # blocked layers name the layer that failed, also through another blocked layer
        assert entry["id"] == entry["name"] + ".blocked" and "host layer failed" in entry["summary"], entry
    # nothing reached a probe
    assert s.stats()["stlink_commands"] == 0


@pytest.mark.parametrize("driver", DRIVERS)
def test_host_no_server(run_openocd, driver):
    port = free_port()
    status, out = run_openocd(interface_args(driver, port) + ["-c", "stlink_diag -json"])
    r = extract_json(out)
    assert r["verdict"]["layer"] == "host" and r["verdict"]["id"] == "host.tcp_no_server", r["verdict"]
    assert str(port) in r["verdict"]["summary"]
    assert status == 10, out


def test_host_no_driver(run_openocd):
    status, out = run_openocd(["-c", "stlink_diag -json"])
    r = extract_json(out)
    assert r["verdict"]["layer"] == "host" and r["verdict"]["id"] == "host.no_driver", r["verdict"]
    assert "interface/stlink" in r["verdict"]["fix"]
    # nothing could be asked: a usage error, exit 1; the report's exit_status is the process's
    assert status == 1, out
    assert r["exit_status"] == status


# ---------------------------------------------------------------- 5. WAIT injection

# dp-wait: the first 3 retryable accesses after connect answer SWD_DP_WAIT (0x14);
# ap-wait: 3 MEM-AP WAITs (SWD_AP_WAIT, 0x10) after 20 MEM-AP accesses. WAIT is transient:
# OpenOCD retries it (OpenOCD 0.12.0 stlink_usb.c, stlink_usb_error_check(): 0x10/0x14 -> ERROR_WAIT) and stock
# OpenOCD connects through both scenarios (test_sim_conformance.py).
WAITS = [("dp-wait", 0x14, "SWD_DP_WAIT"), ("ap-wait", 0x10, "SWD_AP_WAIT")]


def _waits_in_evidence(report):
    """WAIT retries the report admits to: evidence keys ending in _waits."""
    return sum(int(v) for e in report["layers"] for k, v in e["evidence"].items() if k.endswith("_waits"))


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("scenario,code,token", WAITS)
def test_wait_scenarios(sim, run_openocd, scenario, code, token, driver):
    s, status, out = diag(sim, run_openocd, scenario, driver, "stlink_diag -json")
    r = extract_json(out)
    check_layer_shape(r)
    v = r["verdict"]
    waits_sent = sum(f"status=0x{code:02x}" in l for l in s.usb_lines())
    if v["layer"] == "none":
        assert status == 0, out
        # every WAIT the simulator answered was retried through, and the report counts them
        assert _waits_in_evidence(r) == waits_sent, (waits_sent, r["layers"])
        return
    # a layer failed: then it must say it was the WAIT, in its evidence
    failed = layer(r, v["layer"])
    evidence = json.dumps(failed["evidence"])
    assert f"0x{code:02x}" in evidence and token in evidence, \
        f"the {v['layer']} layer failed on an injected WAIT but its evidence does not name {token} " \
        f"(0x{code:02x}): {failed}"
    assert status == exit_status_of(v["layer"])


def test_dp_wait_really_injected(sim, run_openocd):
    """The dp-wait run above is meaningful: the scenario's first WAITs hit stlink_diag's own reads."""
    sc = load_scenario("dp-wait")
    s, status, out = diag(sim, run_openocd, "dp-wait", "hla", "stlink_diag -json")
    assert "FAULT dp_wait fired" in s.log()
    assert sum("status=0x14" in l for l in s.usb_lines()) >= sc["faults"][0]["first"]


@pytest.mark.parametrize("driver", DRIVERS)
def test_persistent_dp_wait_fails_with_wait_evidence(sim, run_openocd, driver):
    """A DP that answers WAIT to every retryable access: stlink_diag gives up after a bounded number of
    retries, and the failing layer names the WAIT status."""
    sc = load_scenario("dp-wait")
    sc["faults"] = [{"type": "dp_wait", "first": 1000000, "scope": "retryable"}]
    s, status, out = diag(sim, run_openocd, sc, driver, "stlink_diag -json")
    r = extract_json(out)
    check_layer_shape(r)
    v = r["verdict"]
    assert v["status"] == "fail", v
    assert status == exit_status_of(v["layer"]) == r["exit_status"], out
    evidence = json.dumps(layer(r, v["layer"])["evidence"])
    assert "0x14" in evidence and "SWD_DP_WAIT" in evidence, layer(r, v["layer"])
    # bounded: far from the 1000000 WAITs on offer
    st = s.stats()
    assert 0 < st["stlink_commands"] < 100 and r["round_trips"] < 100, (st, r["round_trips"])
    # and bounded as OpenOCD bounds it (stlink_usb.c, stlink_cmd_allow_retry(): 8 retries after the first
    # WAIT): the simulator saw each WAIT-answered command sent at most 9 times in a row (the second
    # observations retry fewer times: test_probe_transport.py checks both ladders exactly)
    runs, last, n = [], None, 0
    for line in s.usb_lines():
        cmd = line.split("cmd=[", 1)[1].split("]", 1)[0] if "cmd=[" in line else None
        if "status=0x14" in line and cmd == last:
            n += 1
        else:
            if n:
                runs.append(n)
            n = 1 if "status=0x14" in line else 0
        last = cmd
    runs.append(n)
    assert 1 < max(runs) <= 9, runs


# ---------------------------------------------------------------- 6. text and dict forms

@pytest.mark.parametrize("driver", DRIVERS)
def test_text_form(sim, run_openocd, driver):
    s, status, out = diag(sim, run_openocd, "healthy-f407", driver, "stlink_diag")
    assert status == 0, out
    lines = out.splitlines()
    expected = dict.fromkeys(LAYERS, "ok")
    rows = []
    for name in LAYERS:
        idx = [i for i, l in enumerate(lines) if re.match(rf"^\s+{name}\s+(ok|WARN|FAIL|skipped)\b", l)]
        assert len(idx) == 1, f"layer {name} not shown exactly once:\n{out}"
        assert lines[idx[0]].split()[1] == expected[name], lines[idx[0]]
        rows.append(idx[0])
    assert rows == sorted(rows), "layers out of order"
    # the report leads with the verdict (issue 13 §4), then one line per healthy layer
    verdict = [i for i, l in enumerate(lines) if l.startswith("verdict:")]
    assert len(verdict) == 1, out
    assert verdict[0] < rows[0]
    assert lines[verdict[0]].startswith("verdict: ok"), lines[verdict[0]]
    assert rows == list(range(rows[0], rows[0] + len(LAYERS))), "a healthy layer took more than one line"
    # after the layers only the cost line may follow, then OpenOCD's shutdown message
    tail = [l for l in lines[rows[-1] + 1:] if l.strip()]
    assert all(re.match(r"^(cost:|shutdown command invoked)", l) for l in tail), tail
    # -v shows every layer's evidence
    s, status, out = diag(sim, run_openocd, "healthy-f407", driver, "stlink_diag -v")
    assert status == 0 and len(re.findall(r"^\s+evidence: ", out, re.M)) >= len(LAYERS) - 1, out
    assert not any(l.startswith("{") for l in lines), "text form printed JSON"


def test_dict_form_after_init(sim, run_openocd):
    """-dict returns a Tcl dict the calling script can take apart (after init, the command returns)."""
    s = sim("healthy-f407")
    script = ('set r [stlink_diag -dict]; echo "LAYER=[dict get $r verdict layer]"; '
              'echo "N=[llength [dict get $r layers]]"; '
              'echo "PID=[dict get [dict get $r facts] probe.pid]"; echo "EXIT=[dict get $r exit_status]"')
    status, out = run_openocd(interface_args("hla", s.port) + ["-f", "target/stm32f4x.cfg", "-c", "init",
                                                               "-c", script, "-c", "shutdown"])
    s.stop()
    assert status == 0, out
    assert re.search(r"^LAYER=none$", out, re.M), out
    assert re.search(rf"^N={len(LAYERS)}$", out, re.M), out
    pid = re.search(r"^PID=(\S+)$", out, re.M)
    assert pid and num(pid.group(1)) == num(load_scenario("healthy-f407")["probe"]["pid"]), out
    assert re.search(r"^EXIT=0$", out, re.M), out


def test_dict_form_before_init_returns_to_script(sim, run_openocd):
    """A cfg script that asks for -dict before init gets the dict back and goes on."""
    s = sim("healthy-f407")
    script = 'set r [stlink_diag -dict]; echo "LAYER=[dict get $r verdict layer]"'
    status, out = run_openocd(interface_args("hla", s.port) + ["-c", script, "-c", "shutdown"])
    s.stop()
    assert re.search(r"^LAYER=none$", out, re.M), \
        f"the script after 'set r [stlink_diag -dict]' never ran (stlink_diag shut OpenOCD down):\n{out}"


# ---------------------------------------------------------------- 9. bad input

def _no_crash(status, out):
    assert 0 < status < 128, f"status {status}:\n{out}"
    for bad in ("Segmentation fault", "AddressSanitizer", "Aborted", "core dumped", "internal error"):
        assert bad not in out, out


@pytest.mark.parametrize("driver", DRIVERS)
def test_bad_option(run_openocd, driver):
    # the option is rejected before any probe is opened: no simulator needed, nothing listens
    status, out = run_openocd(interface_args(driver, free_port()) + ["-c", "stlink_diag -bogus"])
    _no_crash(status, out)
    assert "-bogus" in out and "usage: stlink_diag" in out, out
    assert "verdict:" not in out


@pytest.mark.parametrize("driver", DRIVERS)
def test_help_option(run_openocd, driver):
    # -help returns the usage text and diagnoses nothing (nothing listens on the port)
    status, out = run_openocd(interface_args(driver, free_port()) + ["-c", "stlink_diag -help", "-c", "shutdown"])
    assert status == 0, out
    assert "usage: stlink_diag" in out and "verdict:" not in out, out


def test_passive_option_recorded(sim, run_openocd):
    s, status, out = diag(sim, run_openocd, "healthy-f407", "hla", "stlink_diag -json -passive")
    assert status == 0, out
    r = extract_json(out)
    assert r["context"]["passive"] is True
    assert r["verdict"]["layer"] == "none"


def test_probe_read32_unaligned(run_openocd):
    status, out = run_openocd(interface_args("hla", free_port()) + ["-c", "stlink_probe read32 0x3"])
    _no_crash(status, out)
    assert re.search(r"not word.aligned|align", out, re.I), out


def test_probe_speed_not_a_number(run_openocd):
    status, out = run_openocd(interface_args("hla", free_port()) + ["-c", "stlink_probe speed notanumber"])
    _no_crash(status, out)
    assert "notanumber" in out and re.search(r"not valid|invalid", out, re.I), out


# ---------------------------------------------------------------- 11. cost

STOCK_CONNECT_COST = 144   # init; reset halt; mdw; mdw; reg pc; shutdown over HLA (measured with stock
                           # openocd 0.12.0-1 against the simulator, see test_sim_conformance.py)


@pytest.mark.parametrize("driver", DRIVERS)
def test_round_trips(sim, run_openocd, driver):
    # -passive: the default run resets the target on purpose (reset layer, announced)
    s, status, out = diag(sim, run_openocd, "healthy-f407", driver, "stlink_diag -json -passive")
    assert status == 0, out
    r = extract_json(out)
    assert 0 < r["round_trips"] < 100, r["round_trips"]
    st = s.stats()
    assert 0 < st["stlink_commands"] < STOCK_CONNECT_COST, st
    # the report's own count covers stlink_diag's exchanges, never more than the whole run
    assert r["round_trips"] <= st["stlink_commands"]
    # left the probe as found: one DEBUG_EXIT (f2 21), and no reset or halt of the target
    ops = st["per_opcode"]
    assert ops.get("f2 21") == 1, ops
    for op in ("f2 32", "f2 3c", "f2 35"):      # RESETSYS, DRIVE_NRST, WRITEDEBUGREG
        assert op not in ops, ops
    after_start = s.log().split(" START ", 1)[1]
    assert "TARGET" not in after_start, "the target was reset or NRST driven during stlink_diag"
