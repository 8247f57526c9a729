# SPDX-License-Identifier: GPL-2.0-or-later
"""The fault classes of testing/variants/fault-classes.tsv against the simulator's physical scenarios
(testing/scenarios/phys-<class>.json), in both drivers: the verdict is the class's root cause with its
status, never `ok` on a fault and never a warning or failure on a healthy set-up, within the round-trip
budgets of issue 13 (healthy <= 100, failing <= 150)."""

import json

import pytest

from conftest import DRIVERS, REPO, SCENARIOS, extract_json, interface_args

CLASSES = []
for line in (REPO / "testing" / "variants" / "fault-classes.tsv").read_text().splitlines():
    if line and not line.startswith("#"):
        cls, status, ids, _ = line.split("\t")
        CLASSES.append((cls, status, ids.split("|")))

# the configuration the class is about: a clone is a mismatch with the loaded target config; signal
# integrity is errors at the speed OpenOCD will use, so that speed is configured (without `adapter speed`
# OpenOCD asks for 100 kHz, src/jtag/adapter.c, where the 60 cm leads of phys-signal_integrity are clean)
EXTRA = {"clone_tapid": ["-f", "target/stm32f1x.cfg"], "signal_integrity": ["-c", "adapter speed 1800"]}


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


# the target config a user would load for the simulated part (OpenOCD 0.12.0 tcl/target/)
TARGET_CFG = {"f0": "stm32f0x", "f1": "stm32f1x", "cks32f103": "stm32f1x", "f4": "stm32f4x", "f7": "stm32f7x",
              "l4": "stm32l4x", "g0": "stm32g0x", "h7": "stm32h7x"}


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("cls,status,ids", [c for c in CLASSES if c[0] not in ("no_probe", "probe_in_use")],
                         ids=[c[0] for c in CLASSES if c[0] not in ("no_probe", "probe_in_use")])
def test_fault_class_with_target_config(sim, run_openocd, cls, status, ids, driver):
    """The same classes with the part's own target config loaded, as users run it: its CPUTAPID, its
    adapter speed and its reset-start speed are part of the judgement."""
    sc = json.loads((SCENARIOS / f"phys-{cls}.json").read_text())
    cfg = TARGET_CFG.get(sc.get("target", {}).get("model", "f4"))
    if cfg is None:
        pytest.fail(f"no target config known for model {sc['target']['model']}")
    s = sim(f"phys-{cls}")
    code, out = run_openocd(interface_args(driver, s.port) + ["-f", f"target/{cfg}.cfg", "-c", "stlink_diag -json"],
                            timeout=60)
    s.stop()
    v = extract_json(out)["verdict"]
    assert v["id"] in ids and v["status"] == status, (cls, cfg, v["id"], v["status"], v["summary"])
