# SPDX-License-Identifier: GPL-2.0-or-later
"""The fault classes of testing/variants/fault-classes.tsv against the simulator's physical scenarios
(testing/scenarios/phys-<class>.json), in both drivers: the verdict is the class's root cause with its
status, never `ok` on a fault and never a warning or failure on a healthy set-up, within the round-trip
budgets of issue 13 (healthy <= 100, failing <= 150)."""

import pytest

from conftest import DRIVERS, REPO, SCENARIOS, extract_json, interface_args

CLASSES = []
for line in (REPO / "testing" / "variants" / "fault-classes.tsv").read_text().splitlines():
    if line and not line.startswith("#"):
        cls, status, ids, _ = line.split("\t")
        CLASSES.append((cls, status, ids.split("|")))

# the configuration the class is about: a clone is a mismatch with the loaded target config
EXTRA = {"clone_tapid": ["-f", "target/stm32f1x.cfg"]}


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("cls,status,ids", CLASSES, ids=[c[0] for c in CLASSES])
def test_fault_class(sim, run_openocd, cls, status, ids, driver):
    name = f"phys-{cls}"
    assert (SCENARIOS / f"{name}.json").exists(), f"no physical scenario for class {cls}"
    s = sim(name)
    code, out = run_openocd(interface_args(driver, s.port) + EXTRA.get(cls, []) + ["-c", "stlink_diag -json"],
                            timeout=60)
    s.stop()
    r = extract_json(out)
    v = r["verdict"]
    assert v["id"] in ids and v["status"] == status, (cls, v["id"], v["status"], v["summary"])
    limit = 100 if status == "ok" else 150
    assert r["round_trips"] <= limit, (cls, r["round_trips"])
