# SPDX-License-Identifier: GPL-2.0-or-later
"""The fault classes under every value of the simulator's `options`: the behaviours the ARM and ST
documents leave open (testing/sim/README.md, "options"). The diagnosis must be right on each."""

import json

import pytest

from conftest import DRIVERS, REPO, SCENARIOS, extract_json, interface_args
from test_phys_matrix import EXTRA

CONTRACT = {}
for line in (REPO / "testing" / "variants" / "fault-classes.tsv").read_text().splitlines():
    if line and not line.startswith("#"):
        cls, status, ids, _ = line.split("\t")
        CONTRACT[cls] = (status, ids.split("|"))

# class -> the options whose other values change what the probe sees for it
VARIANTS = [
    ("lockup", {"s_lockup_needs_debugen": True}),
    ("lockup", {"pcsr_lockup": "lockup_pc"}),
    ("lockup", {"pcsr_without_trcena": "ones"}),
    ("hardfault_loop", {"pcsr_without_trcena": "ones"}),
    ("healthy", {"pcsr_without_trcena": "ones"}),
    ("stop_no_dbg", {"stop_dp": "silent"}),
    ("stop_no_dbg", {"stall_status": "fault"}),
    ("standby_no_dbg", {"standby_dp": "answers"}),
    ("sleep_no_dbg", {"stall_status": "fault"}),
    ("sleep_no_dbg", {"sleep_stops_hclk": "all"}),
    ("healthy_wfi_dbg", {"sleep_stops_hclk": "all"}),
    ("healthy_wfi_dbg", {"sleep_stops_hclk": "none"}),
    ("rdp1", {"rdp1_read_status": "ap_error"}),
    ("rdp1", {"rdp1_sram": "fault"}),
    ("brownout", {"below_pdr_dp": "answers_in_reset"}),
    ("wires_open", {"no_ack_status": "fault"}),
    ("wires_swapped", {"no_ack_status": "fault"}),
    ("no_ground", {"no_ground_errors": "rising"}),
    ("no_ground", {"parity_status": "error"}),
    ("signal_integrity", {"parity_status": "error"}),
    ("boot_sysmem", {"syscfg_unclocked": "zero"}),
    ("boot_sram", {"syscfg_unclocked": "zero"}),
    ("empty_flash", {"syscfg_unclocked": "zero"}),
    ("pins_taken", {"idcode_under_reset": "readable"}),
    ("watchdog_loop", {"s_lockup_needs_debugen": True}),
]


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("cls,options", VARIANTS, ids=[f"{c}-{'-'.join(f'{k}={v}' for k, v in o.items())}"
                                                       for c, o in VARIANTS])
def test_class_under_option(sim, run_openocd, cls, options, driver):
    sc = json.loads((SCENARIOS / f"phys-{cls}.json").read_text())
    sc.setdefault("options", {}).update(options)
    s = sim(sc)
    # the configuration the class is about (test_phys_matrix.py, EXTRA)
    extra = EXTRA.get(cls, [])
    code, out = run_openocd(interface_args(driver, s.port) + extra + ["-c", "stlink_diag -json"], timeout=60)
    s.stop()
    r = extract_json(out)
    status, ids = CONTRACT[cls]
    v = r["verdict"]
    assert v["id"] in ids and v["status"] == status, (cls, options, v["id"], v["status"], v["summary"])
    assert r["round_trips"] <= (100 if status == "ok" else 150), (cls, options, r["round_trips"])
