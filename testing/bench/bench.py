#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Round-trip budget of stlink_diag (a benchmark, not a test): see README.md here.

For every scenario in testing/scenarios and both drivers, in one run:
  * `openocd ... -c stlink_diag` (patched) and stock `openocd ... -f target/stm32f4x.cfg -c init
    -c "reset halt" -c shutdown`, each against a fresh simulator with the same scenario;
  * ST-LINK round trips = the simulator's stats (stlink_commands), stlink-server requests too;
  * wall time = median of REPEAT runs of the whole openocd process;
  * deliberate waits = sum of the pauses longer than GAP_MS between two consecutive ST-LINK commands of
    the stlink_diag run (simulator log timestamps): resets, settling, sleeps all show up there.
Writes a Markdown table (default testing/bench/results.md) and checks the budget."""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "testing" / "integration"))
from conftest import QUIET_PORTS, SCENARIOS, Sim, interface_args  # noqa: E402

OPENOCD = Path(os.environ.get("OPENOCD", REPO / "_install" / "bin" / "openocd"))
SCRIPTS = Path(os.environ.get("OPENOCD_SCRIPTS", REPO / "_install" / "share" / "openocd" / "scripts"))
STOCK = Path(os.environ.get("STOCK_OPENOCD", "/usr/bin/openocd"))
DRIVERS = ["hla", "dap-direct"]
GAP_MS = 2.0
# the budget of issue 8
BUDGET_HEALTHY = 100        # full diagnosis of a healthy target
BUDGET_NO_TARGET = 60       # "target not answering", speed ladder included
BUDGET_WAITS_MS = 300
HEALTHY = {"healthy-f407", "healthy-f407-v3"}
NO_TARGET = {"target-unpowered"}
STOCK_CMDS = ["-f", "target/stm32f4x.cfg", "-c", "init", "-c", "reset halt", "-c", "shutdown"]


def run_once(workdir, scenario, driver, stock):
    s = Sim(workdir, scenario)
    exe = [str(STOCK)] if stock else [str(OPENOCD), "-s", str(SCRIPTS)]
    args = exe + QUIET_PORTS + interface_args(driver, s.port) + (STOCK_CMDS if stock else ["-c", "stlink_diag"])
    t0 = time.monotonic()
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60,
                       stdin=subprocess.DEVNULL)
    wall = time.monotonic() - t0
    st = s.stats()
    s.proc.stderr.close()
    times = [float(l.split()[0]) for l in s.log().splitlines() if " USB dev=" in l]
    waits = sum(g for g in (1000 * (b - a) for a, b in zip(times, times[1:])) if g > GAP_MS)
    m = re.search(r"^verdict: *(?:\S+ \((\S+)\)|(ok))", p.stdout, re.M)
    return {"rt": st["stlink_commands"], "tcp": st["tcp_requests"], "wall": wall, "waits": waits,
            "status": p.returncode, "verdict": (m.group(1) or m.group(2)) if m else "-",
            "unimplemented": len(re.findall(r"^ +\S+ +skipped +not checked yet", p.stdout, re.M))}


def measure(workdir, scenario, driver, stock, repeat):
    runs = [run_once(workdir, scenario, driver, stock) for _ in range(repeat)]
    r = dict(runs[0])
    r["wall"] = statistics.median(x["wall"] for x in runs)
    r["waits"] = max(x["waits"] for x in runs)
    r["rt_varies"] = len({x["rt"] for x in runs}) > 1
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=str(REPO / "testing" / "bench" / "results.md"))
    ap.add_argument("scenarios", nargs="*")
    a = ap.parse_args()
    names = a.scenarios or sorted(p.stem for p in SCENARIOS.glob("*.json"))
    workdir = REPO / "testing" / "out" / "bench"
    workdir.mkdir(parents=True, exist_ok=True)

    rows, misses = [], []
    for name in names:
        for driver in DRIVERS:
            d = measure(workdir, name, driver, False, a.repeat)
            s = measure(workdir, name, driver, True, a.repeat)
            budget = BUDGET_HEALTHY if name in HEALTHY else BUDGET_NO_TARGET if name in NO_TARGET else None
            ok = []
            if budget is not None and d["rt"] > budget:
                ok.append(f"{d['rt']} > {budget} round trips")
            if d["waits"] >= BUDGET_WAITS_MS:
                ok.append(f"waits {d['waits']:.0f} ms >= {BUDGET_WAITS_MS}")
            if ok:
                misses.append(f"{name} {driver}: " + "; ".join(ok))
            rows.append((name, driver, d, s, budget, ok))
            print(f"{name:18} {driver:10} diag {d['rt']:4} rt {d['wall'] * 1000:7.1f} ms waits "
                  f"{d['waits']:5.1f} ms | stock {s['rt']:4} rt {s['wall'] * 1000:7.1f} ms "
                  f"| {'MISS ' + '; '.join(ok) if ok else 'ok'}", flush=True)

    cpu = subprocess.run(["sh", "-c", "nproc; uname -m"], capture_output=True, text=True).stdout.split()
    lines = [
        "# stlink_diag round-trip budget",
        "",
        "Written by `testing/bench/run` (do not edit by hand). Simulated ST-LINK (`testing/sim`), one fresh",
        f"simulator per run; wall time = median of {a.repeat} runs of the whole `openocd` process on this machine "
        f"({cpu[0] if cpu else '?'} cores, {cpu[1] if len(cpu) > 1 else '?'}), stock = Debian `/usr/bin/openocd` 0.12.0 "
        "doing `-f target/stm32f4x.cfg -c init -c \"reset halt\" -c shutdown` on the same scenario.",
        "",
        f"Budget (issue 8): healthy full diagnosis <= {BUDGET_HEALTHY} round trips; target not answering "
        f"<= {BUDGET_NO_TARGET}; deliberate waits (pauses > {GAP_MS:g} ms between two ST-LINK commands of the "
        f"stlink_diag run) < {BUDGET_WAITS_MS} ms.",
        "",
        "Layers that are not implemented yet report `skipped` and cost nothing: the column \"layers not yet "
        "implemented\" says how many, so the round trips of a full diagnosis grow as they land.",
        "",
        "| scenario | driver | layers not yet implemented | stlink_diag round trips | server requests | stlink_diag wall ms | waits ms "
        "| verdict | stock round trips | stock wall ms | stock exit | round trips diag/stock | wall diag/stock "
        "| budget |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, driver, d, s, budget, miss in rows:
        rr = f"{d['rt'] / s['rt']:.2f}" if s["rt"] else "-"
        wr = f"{d['wall'] / s['wall']:.2f}" if s["wall"] else "-"
        b = ("MISS: " + "; ".join(miss)) if miss else (f"ok (<= {budget})" if budget else "ok (waits)")
        lines.append(f"| {name} | {driver} | {d['unimplemented']} | {d['rt']}{' (varies)' if d['rt_varies'] else ''} | {d['tcp']} "
                     f"| {d['wall'] * 1000:.0f} | {d['waits']:.0f} | {d['verdict']} | {s['rt']} "
                     f"| {s['wall'] * 1000:.0f} | {s['status']} | {rr} | {wr} | {b} |")
    lines += ["", "Misses: " + ("none" if not misses else ""), *[f"* {m}" for m in misses], ""]
    Path(a.out).write_text("\n".join(lines))
    print(f"written {a.out}; {len(misses)} budget miss(es)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
