# SPDX-License-Identifier: GPL-2.0-or-later
"""Run one variant (testing/variants/gen.py) through the patched OpenOCD and judge its verdict against the
variant's fault class. Shared by the accuracy benchmark (testing/bench/accuracy.py) and the CI subset
(testing/integration/test_variant_matrix.py), so both judge the same way."""

import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "testing" / "integration"))
from conftest import QUIET_PORTS, Sim, extract_json, interface_args  # noqa: E402

OPENOCD = Path(os.environ.get("OPENOCD", REPO / "_install" / "bin" / "openocd"))
SCRIPTS = Path(os.environ.get("OPENOCD_SCRIPTS", REPO / "_install" / "share" / "openocd" / "scripts"))
RUN_TIMEOUT = 90


def run_variant(workdir, v):
    """One variant: {'verdict', 'status', 'exit', 'rt', 'wall', 'error'}."""
    s = Sim(workdir, v.scenario, timeout=RUN_TIMEOUT + 10)
    args = [str(OPENOCD), "-s", str(SCRIPTS)] + QUIET_PORTS + interface_args(v.driver, s.port) \
        + list(v.openocd_args) + ["-c", "stlink_diag -json"]
    t0 = time.monotonic()
    try:
        p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL)
        out, code = p.stdout, p.returncode
    except subprocess.TimeoutExpired:
        out, code = "", None
    wall = time.monotonic() - t0
    try:
        st = s.stats()
    except Exception:  # a simulator that did not write its stats is reported, not fatal
        s.kill()
        st = {"stlink_commands": -1}
    s.proc.stderr.close()
    r = {"rt": st.get("stlink_commands", -1), "wall": wall, "exit": code, "error": ""}
    if code is None:
        r.update(verdict="(timeout)", status="error", error="openocd did not finish")
        return r
    try:
        rep = extract_json(out)
        r.update(verdict=rep["verdict"]["id"], status=rep["verdict"]["status"],
                 also=[a.get("id", a) if isinstance(a, dict) else a for a in rep["verdict"].get("also", [])])
    except AssertionError:
        r.update(verdict="(no report)", status="error", error=out[-400:])
    return r


def judge(v, r):
    """right | silent_miss (a fault called ok) | false_alarm (healthy called warn/fail) | wrong_cause"""
    ok_class = v.expected_status == "ok"
    if r["status"] == "error":
        return "error"
    if ok_class:
        return "right" if r["status"] == "ok" else "false_alarm"
    if r["status"] == "ok":
        return "silent_miss"
    # the cause decides; its severity (warn or fail) is the diagnosis's to weigh
    if r["verdict"] in v.expected_ids:
        return "right"
    return "wrong_cause"
