# SPDX-License-Identifier: GPL-2.0-or-later
"""The troubleshooting guide as steps: every section of the guide maps to layers
(or to by-hand checks), each layer runs alone with `stlink_diag step`, from a cfg
and through GDB, and the by-hand checklist appears only when the evidence points
to its section."""

import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import (DRIVERS, LAYERS, OPENOCD, OPENOCD_SCRIPTS, REPO, extract_json, interface_args,
                      require_file)

# The guide as published (ST, "How to fix communication issues between ST-LINK and STM32 devices?",
# 2024-10-14), committed as test data so the check below runs in every clone.
GUIDE = REPO / "testing" / "integration" / "troubleshooting-guide.txt"
# The project's reference copy, where it exists (the machine the project was written on): the test data
# must not drift from it.
REFERENCE_GUIDE = Path(os.environ.get("STLINK_DIAG_REFERENCE", "/work/shared/reference")) / "troubleshooting-guide.txt"
# the guide's section headings, as published
SECTIONS = ["Check the Hardware Connections", "Verify ST-LINK Firmware and Drivers",
            "Correct Tool Configuration", "Adjusting Debugging Settings", "Check for Boot Configuration",
            "Code Protection and Debug Locks", "Analyze and Resolve Software Issues",
            "Advanced Troubleshooting Techniques"]


def test_every_guide_section_is_mapped(run_openocd):
    status, out = run_openocd(["-c", "echo [stlink_diag guide]", "-c", "shutdown"])
    assert status == 0, out
    text = require_file(GUIDE, "the guide is test data of this repository").read_text()
    for title in SECTIONS:
        assert re.search(rf"^{re.escape(title)}\s*$", text, re.M), f"section list out of date: {title}"
    for title in SECTIONS:
        line = [l for l in out.splitlines() if l.startswith(title)]
        assert line, f"guide section '{title}' not covered:\n{out}"
    # every layer is named by exactly one section
    named = re.findall(r"checked by ([a-z, ]+)$", out, re.M)
    layers = [n.strip() for group in named for n in group.split(",")]
    assert sorted(layers) == sorted(LAYERS), layers


def test_guide_test_data_is_the_reference():
    if not REFERENCE_GUIDE.exists():
        pytest.skip(f"no reference copy at {REFERENCE_GUIDE} to compare the test data with")
    assert GUIDE.read_bytes() == REFERENCE_GUIDE.read_bytes(), \
        f"{GUIDE.relative_to(REPO)} differs from {REFERENCE_GUIDE}: copy the reference again"


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("step", LAYERS)
def test_step_runs_its_layer_and_needs_only(sim, run_openocd, driver, step):
    s = sim("healthy-f407")
    status, out = run_openocd(interface_args(driver, s.port) + ["-c", f"stlink_diag step {step} -json"])
    s.stop()
    r = extract_json(out)
    assert status == r["exit_status"], out
    by_name = {l["name"]: l for l in r["layers"]}
    # the step itself ran (whatever its result), unrequested layers say so
    assert not by_name[step]["id"].endswith(".not_requested"), by_name[step]
    ran = [n for n, l in by_name.items() if not l["id"].endswith(".not_requested")]
    assert "host" in ran and step in ran
    later = LAYERS[LAYERS.index(step) + 1:]
    assert not set(ran) & set(later), ran
    if r["verdict"]["layer"] == "none":
        assert "among those checked" in r["verdict"]["summary"] or step == "firmware", r["verdict"]


def test_step_unknown_layer(run_openocd):
    status, out = run_openocd(["-f", "interface/stlink.cfg", "-c", "stlink_diag step nosuch"])
    assert status != 0 and "is not a layer" in out, out


def test_checklist_only_when_evidence_points_there(sim, run_openocd):
    s = sim("target-unpowered")
    status, out = run_openocd(interface_args("hla", s.port) + ["-c", "stlink_diag -json"])
    s.stop()
    r = extract_json(out)
    sections = [c["section"] for c in r["checklist"]]
    assert sections == ["Check the Hardware Connections"], sections
    assert all(c["items"] for c in r["checklist"])
    s = sim("healthy-f407")
    status, out = run_openocd(interface_args("hla", s.port) + ["-c", "stlink_diag -json"])
    s.stop()
    assert extract_json(out)["checklist"] == []


def test_layers_name_their_guide_section(sim, run_openocd):
    s = sim("healthy-f407")
    status, out = run_openocd(interface_args("dap-direct", s.port) + ["-c", "stlink_diag -json"])
    s.stop()
    for l in extract_json(out)["layers"]:
        assert l["guide"] and any(l["guide"].startswith(t) for t in SECTIONS), l


def test_every_step_through_gdb(sim, gdb, tmp_path):
    """`monitor stlink_diag step LAYER` for every layer, after init, in one GDB session."""
    exe = require_file(OPENOCD, "make -j2 && make install")
    s = sim("healthy-f407")
    pipe = (f"target extended-remote | {exe} -s {OPENOCD_SCRIPTS} -f interface/stlink.cfg "
            f"-c 'hla_stlink_backend tcp {s.port}' -f target/stm32f4x.cfg -c 'gdb_port pipe' "
            f"-c 'tcl_port disabled' -c 'telnet_port disabled' 2>{tmp_path / 'openocd.log'}")
    args = [gdb, "-nx", "-batch", "-ex", pipe]
    for step in LAYERS:
        args += ["-ex", f"monitor stlink_diag step {step}"]
    args += ["-ex", "detach"]
    p = subprocess.run(args, capture_output=True, text=True, timeout=90, stdin=subprocess.DEVNULL)
    s.stop()
    out = p.stdout + p.stderr
    assert p.returncode == 0 and "Protocol error" not in out, out
    assert len(re.findall(r"^verdict: ", out, re.M)) == len(LAYERS), out
    for step in LAYERS:
        assert f"not requested: stlink_diag step {step}" in out or step == "firmware", step


# -target NAME: the part named on the command line against the part identified (healthy-f407 is an
# STM32F407, whose OpenOCD config is target/stm32f4x.cfg: stm32-devid.tsv, DEV_ID 0x413)
@pytest.mark.parametrize("named,match", [("stm32f4x", True), ("target/stm32f4x.cfg", True), ("STM32F407", True),
                                         ("stm32f1x", False), ("STM32L476", False)])
def test_target_by_name(sim, run_openocd, named, match):
    s = sim("healthy-f407")
    status, out = run_openocd(interface_args("hla", s.port) + ["-c", f"stlink_diag -json -passive -quick -target {named}"])
    s.stop()
    r = extract_json(out)
    debug = [l for l in r["layers"] if l["name"] == "debug"][0]
    assert debug["evidence"]["target_named"] == named
    if match:
        assert debug["status"] == "ok", debug
    else:
        assert debug["status"] == "warn" and debug["id"] == "debug.target_mismatch", debug
        assert "target/stm32f4x.cfg" in debug["fix"] and named in debug["summary"], debug


def test_target_needs_a_name(run_openocd):
    status, out = run_openocd(["-f", "interface/stlink.cfg", "-c", "stlink_diag -target"])
    assert status != 0 and "-target needs a name" in out, out
