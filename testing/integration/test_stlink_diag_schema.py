# SPDX-License-Identifier: GPL-2.0-or-later
"""The JSON report of every simulated scenario validates against the published
schema (doc/stlink_diag.schema.json), in both drivers, before and after init."""

import json

import jsonschema
import pytest

from conftest import DRIVERS, QUIET_PORTS, REPO, SCENARIOS, extract_json, interface_args

SCHEMA = json.loads((REPO / "doc" / "stlink_diag.schema.json").read_text())
ALL_SCENARIOS = sorted(p.stem for p in SCENARIOS.glob("*.json"))


def validate(report):
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    errors = sorted(jsonschema.Draft202012Validator(SCHEMA).iter_errors(report), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_schema_rejects_what_it_should():
    """The schema is strict where scripts rely on it: a wrong layer order, an unknown
    status or a malformed finding id are errors (so the validation below can fail)."""
    good = {
        "schema": "stlink_diag/1",
        "context": {"driver": "hla", "backend": "tcp", "port": 1, "stage": "before_init", "passive": False},
        "verdict": {"layer": "none", "status": "ok", "id": "verdict.ok", "rule": "none", "summary": "s", "fix": None,
                    "observations": {}, "also": [], "open": [], "skipped_rules": []},
        "exit_status": 0,
        "layers": [{"name": n, "status": "skipped", "id": n + ".blocked", "summary": "s", "evidence": {},
                    "fix": None} for n in ["host", "probe", "power", "wire", "debug", "reset", "boot",
                                           "protection", "firmware"]],
        "facts": {"probe": {"model": None, "vid": None, "pid": None, "serial": None, "firmware": None,
                            "api": None, "mode": None},
                  "target": {"voltage": None}, "link": {}, "dp": {"dpidr": None}, "ap": {}, "core": {},
                  "mcu": {"dev_id": None}},
        "round_trips": 0, "server_requests": 0, "checklist": [],
    }
    validate(good)
    v = jsonschema.Draft202012Validator(SCHEMA)
    swapped = json.loads(json.dumps(good))
    swapped["layers"][0], swapped["layers"][1] = swapped["layers"][1], swapped["layers"][0]
    bad_status = json.loads(json.dumps(good))
    bad_status["layers"][3]["status"] = "maybe"
    bad_id = json.loads(json.dumps(good))
    bad_id["verdict"]["id"] = "Wire-Broken"
    fail_without_fix = json.loads(json.dumps(good))
    fail_without_fix["layers"][2].update(status="fail", fix=None)
    no_rule = json.loads(json.dumps(good))
    del no_rule["verdict"]["rule"]
    bad_also = json.loads(json.dumps(good))
    bad_also["verdict"]["also"] = [{"id": "protection.rdp1", "layer": "protection", "status": "ok", "rule": "rdp1",
                                    "summary": "s", "fix": None, "observations": {}}]
    for bad in (swapped, bad_status, bad_id, fail_without_fix, no_rule, bad_also):
        assert list(v.iter_errors(bad)), bad


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("scenario", ALL_SCENARIOS)
def test_every_scenario_validates(sim, run_openocd, scenario, driver):
    s = sim(scenario)
    status, out = run_openocd(interface_args(driver, s.port) + ["-c", "stlink_diag -json"])
    s.stop()
    report = extract_json(out)
    validate(report)
    assert status == report["exit_status"], out


@pytest.mark.parametrize("driver", DRIVERS)
def test_after_init_validates(sim, run_openocd, driver):
    s = sim("healthy-f407")
    status, out = run_openocd(interface_args(driver, s.port) + ["-f", "target/stm32f4x.cfg", "-c", "init",
                                                               "-c", "stlink_diag -json", "-c", "shutdown"])
    s.stop()
    assert status == 0, out
    validate(extract_json(out))


def test_no_driver_validates(run_openocd):
    status, out = run_openocd(["-c", "stlink_diag -json"])
    validate(extract_json(out))
