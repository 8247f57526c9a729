# SPDX-License-Identifier: GPL-2.0-or-later
"""The CI subset of the variant matrix (issue 12): a fixed seed set of testing/variants/gen.py, a few
variants per fault class, each run through the patched OpenOCD against the simulator's physical model.
A fault called ok (a silent miss) or a healthy set-up called warn/fail (a false alarm) fails the test.

The full matrix (20 variants per class, plus a fresh seed set) is the benchmark testing/bench/accuracy.
Variants that the diagnosis is known to get wrong today are listed in testing/variants/known-misses.txt
(id and why); they run as expected failures (xfail) until the diagnosis (issue 13) gets them right.
The CI subset runs the simulated core on modelled time only (no wall clock), so a loaded machine cannot
change a verdict."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "testing" / "variants"))
import gen  # noqa: E402
from run_variant import judge, run_variant  # noqa: E402

CI_SEED = 12
CI_PER_CLASS = 3
KNOWN = REPO / "testing" / "variants" / "known-misses.txt"


def known_misses():
    out = {}
    for line in KNOWN.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            vid, why = line.split("\t", 1)
            out[vid] = why
    return out


VARIANTS = gen.generate(gen.Spec(), CI_SEED, CI_PER_CLASS, wall_clock=False)
KNOWN_MISSES = known_misses()


def test_known_misses_name_ci_variants():
    """Every entry of the known-miss list is a variant of the CI subset (no stale names)."""
    ids = {v.id for v in VARIANTS}
    assert set(KNOWN_MISSES) <= ids, sorted(set(KNOWN_MISSES) - ids)


@pytest.mark.parametrize("v", [pytest.param(v, id=v.id, marks=[pytest.mark.xfail(
    reason=KNOWN_MISSES[v.id], strict=False)] if v.id in KNOWN_MISSES else []) for v in VARIANTS])
def test_no_silent_miss_no_false_alarm(tmp_path, v):
    r = run_variant(tmp_path, v)
    j = judge(v, r)
    assert j not in ("silent_miss", "false_alarm", "error"), \
        f"{v.id} ({v.describe()}): {j}: got {r['verdict']} ({r['status']}), want {'|'.join(v.expected_ids)} " \
        f"({v.expected_status}) {r.get('error', '')}\nscenario: {json.dumps(v.scenario)}"


# ---- the generator itself ----

def test_every_class_has_variants_on_every_required_part_kind():
    """At least 20 variants per class over the default matrix; the parts cover an M0/M0+, F1, F4, L4, H7;
    every probe kind and both drivers appear."""
    vs = gen.generate(gen.Spec(), 5, 20)
    classes = list(gen.load_classes()) + ["+".join(c) for c in gen.COMBOS]
    for k in classes:
        assert sum(v.klass == k for v in vs) >= 20, k
    assert {"f1", "f4", "l4", "h7"} <= {v.part for v in vs} and {"f0", "g0"} & {v.part for v in vs}
    assert {v.probe for v in vs} == set(gen.PROBES)
    assert {v.driver for v in vs} == set(gen.DRIVERS)
    assert {v.firmware for v in vs} & {fw for p in gen.PROBES.values() for fw in p["old"]}


def test_generator_is_deterministic_and_seeded():
    a = [v.to_json() for v in gen.generate(gen.Spec(), 7, 2)]
    b = [v.to_json() for v in gen.generate(gen.Spec(), 7, 2)]
    c = [v.to_json() for v in gen.generate(gen.Spec(), 8, 2)]
    assert a == b
    assert a != c


def test_labels_come_from_the_class_table():
    classes = gen.load_classes()
    for v in gen.generate(gen.Spec(), 3, 2):
        if "+" not in v.klass:
            assert set(v.expected_ids) == set(classes[v.klass][1]) and v.expected_status == classes[v.klass][0], v.id


def test_brownout_variants_lie_below_the_part_minimum():
    """The brownout label follows the part's documented range, read from the simulator's family table."""
    fams = gen.load_families()
    for v in gen.generate(gen.Spec(classes=["brownout", "healthy_low_vdd_in_range"]), 4, 20):
        f = fams[v.part]
        vdd = v.scenario["supply"]["vdd"]
        if v.klass == "brownout":
            dips = v.scenario["supply"].get("dip_v", 0)
            if dips:
                assert vdd - dips < f["pdr_fall"], v.id
            else:
                assert vdd <= f["vdd_min"] - gen.VDD_MARGIN + 0.005, v.id
        else:
            assert vdd >= max(f["vdd_min"], f["pdr_rise"]), v.id


def test_every_variant_is_accepted_by_the_simulator(tmp_path):
    sim = REPO / "testing" / "sim" / "stlink-sim"
    for v in gen.generate(gen.Spec(), 9, 1):
        f = tmp_path / f"{v.id}.json"
        f.write_text(json.dumps(v.scenario))
        p = subprocess.run([str(sim), "--scenario", str(f), "--port", "0", "--timeout", "0.05"],
                           capture_output=True, text=True, timeout=10)
        assert p.returncode == 0, (v.id, p.stderr)


@pytest.mark.parametrize("spec,key", [
    ({"classes": ["no_such_fault"]}, "no_such_fault"),
    ({"parts": ["f9"]}, "f9"),
    ({"probes": ["V9"]}, "V9"),
    ({"drivers": ["jlink"]}, "jlink"),
    ({"per_class": 0}, "per_class"),
    ({"per_class": 5000}, "per_class"),
    ({"seed": -1}, "seed"),
    ({"colour": "red"}, "colour"),
    ({"classes": "rdp1"}, "classes"),
])
def test_bad_spec_names_the_key_and_exits_2(tmp_path, spec, key):
    f = tmp_path / "spec.json"
    f.write_text(json.dumps(spec))
    p = subprocess.run([sys.executable, str(REPO / "testing" / "variants" / "gen.py"), "--spec", str(f)],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 2, p.stdout + p.stderr
    assert key in p.stderr and p.stdout == ""


def test_bad_spec_file_is_an_error_not_a_crash(tmp_path):
    f = tmp_path / "spec.json"
    f.write_text("{not json")
    p = subprocess.run([sys.executable, str(REPO / "testing" / "variants" / "gen.py"), "--spec", str(f)],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 2 and "cannot read the spec" in p.stderr and "Traceback" not in p.stderr
