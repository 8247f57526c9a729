#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Accuracy of stlink_diag over the variant matrix (a benchmark, not a test): see README.md here.

Every variant of testing/variants (seeded: gen.py) runs once: a fresh simulator with the variant's
scenario, then `openocd -f interface/... [-f target/...] -c "stlink_diag -json"` with the variant's
driver. The verdict (id, status) is compared with the root cause the variant's true fault class must get
(testing/variants/fault-classes.tsv). Writes a confusion matrix (true class x verdict id) with the round
trips per class, for a fixed seed set and a fresh one, to testing/bench/accuracy.md."""

import argparse
import collections
import concurrent.futures
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "testing" / "integration"))
sys.path.insert(0, str(REPO / "testing" / "variants"))
import gen  # noqa: E402
from run_variant import judge, run_variant  # noqa: E402

FIXED_SEED = 12


def run_set(variants, jobs, workdir, label):
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        futs = {ex.submit(run_variant, workdir, v): v for v in variants}
        for n, f in enumerate(concurrent.futures.as_completed(futs), 1):
            v = futs[f]
            r = f.result()
            r["judgement"] = judge(v, r)
            results.append((v, r))
            if r["judgement"] != "right":
                print(f"[{label} {n}/{len(variants)}] {v.id}: {r['judgement']}: got {r['verdict']} "
                      f"({r['status']}), want {'|'.join(v.expected_ids)} ({v.expected_status})", flush=True)
    results.sort(key=lambda x: x[0].id)
    return results


def matrix_lines(results, title):
    by_class = collections.defaultdict(list)
    for v, r in results:
        by_class[v.klass].append((v, r))
    verdicts = sorted({r["verdict"] for _, r in results})
    count = collections.Counter(r["judgement"] for _, r in results)
    lines = [f"## {title}", "",
             f"{len(results)} runs: {count['right']} right, {count['wrong_cause']} wrong cause, "
             f"{count['silent_miss']} silent misses (a fault called ok), {count['false_alarm']} false alarms "
             f"(a healthy set-up called warn/fail), {count['error']} errors (no report).", ""]
    lines += ["### Per class", "",
              "| true class | runs | right | wrong cause | silent miss | false alarm | error | round trips "
              "(min/median/max) | verdicts seen |", "|---|---:|---:|---:|---:|---:|---:|---|---|"]
    for k in sorted(by_class):
        rows = by_class[k]
        c = collections.Counter(r["judgement"] for _, r in rows)
        rts = sorted(r["rt"] for _, r in rows)
        seen = collections.Counter(r["verdict"] for _, r in rows)
        lines.append(f"| {k} | {len(rows)} | {c['right']} | {c['wrong_cause']} | {c['silent_miss']} "
                     f"| {c['false_alarm']} | {c['error']} | {rts[0]}/{rts[len(rts) // 2]}/{rts[-1]} "
                     f"| {', '.join(f'{vd} x{n}' for vd, n in seen.most_common())} |")
    lines += ["", "### Confusion matrix (rows: true class; columns: verdict id; cells: runs)", ""]
    lines.append("| true class | " + " | ".join(verdicts) + " |")
    lines.append("|---|" + "---:|" * len(verdicts))
    for k in sorted(by_class):
        seen = collections.Counter(r["verdict"] for _, r in by_class[k])
        lines.append(f"| {k} | " + " | ".join(str(seen.get(vd, "")) for vd in verdicts) + " |")
    misses = [(v, r) for v, r in results if r["judgement"] != "right"]
    lines += ["", "### Misses", ""]
    if not misses:
        lines.append("none")
    for v, r in misses:
        lines.append(f"* `{v.id}` ({v.describe()}): {r['judgement']}: got `{r['verdict']}` ({r['status']}), "
                     f"want `{'|'.join(v.expected_ids)}` ({v.expected_status}){' ' + r['error'][:120] if r['error'] else ''}")
    lines.append("")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-class", type=int, default=20, help="variants per fault class (default 20)")
    ap.add_argument("--seed", type=int, default=FIXED_SEED, help=f"the fixed seed set (default {FIXED_SEED})")
    ap.add_argument("--fresh-seed", type=int, default=None,
                    help="seed of the fresh set (default: from the clock); 0 = no fresh set")
    ap.add_argument("--fresh-per-class", type=int, default=2)
    ap.add_argument("--spec", help="a variant spec (JSON) restricting classes, parts, probes, drivers")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", default=str(REPO / "testing" / "bench" / "accuracy.md"))
    a = ap.parse_args()
    spec = gen.load_spec(a.spec) if a.spec else gen.Spec()
    workdir = REPO / "testing" / "out" / "accuracy"
    workdir.mkdir(parents=True, exist_ok=True)
    fresh = a.fresh_seed if a.fresh_seed is not None else int(time.time()) % 100000 + 1

    t0 = time.monotonic()
    fixed = run_set(gen.generate(spec, a.seed, a.per_class), a.jobs, workdir, "fixed")
    sets = [(f"Fixed seed set (seed {a.seed}, {a.per_class} variants per class)", fixed)]
    if fresh:
        fr = run_set(gen.generate(spec, fresh, a.fresh_per_class), a.jobs, workdir, "fresh")
        sets.append((f"Fresh seed set (seed {fresh}, {a.fresh_per_class} variants per class)", fr))
    took = time.monotonic() - t0
    cmd = f"testing/bench/accuracy --per-class {a.per_class} --seed {a.seed}" + (f" --spec {a.spec}" if a.spec else "")
    lines = ["# stlink_diag accuracy over the variant matrix", "",
             f"Written by `{cmd}` (do not edit by hand; the fresh seed changes every run). "
             "Each variant is a simulated ST-LINK + STM32 (`testing/sim`, physical model) made by "
             "`testing/variants/gen.py` from its fault class (`testing/variants/fault-classes.tsv`: the root "
             "cause each class must get), part, probe, firmware, driver, rates and timings. "
             f"{sum(len(s) for _, s in sets)} runs in {took / 60:.1f} min with {a.jobs} jobs.", "",
             "Judgement: **right** = a verdict id of the class (for a fault: with status warn or fail); **silent miss** = a fault called "
             "ok (the worst error); **false alarm** = a healthy set-up called warn or fail; **wrong cause** = a "
             "failing verdict that names another cause.", ""]
    for title, res in sets:
        lines += matrix_lines(res, title)
    Path(a.out).write_text("\n".join(lines))
    print(f"written {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
