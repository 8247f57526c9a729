# SPDX-License-Identifier: GPL-2.0-or-later
"""stlink_diag on the simulator's STM32 part models (testing/scenarios/part-*.json): the part, its
revision, the RDP level and what it means, the boot source and the surprising option bytes, with the
regress command, in JSON and text, in both drivers.

Expected values: the IDs each model answers (listed below from the part's reference manual values:
DEV_ID/REV_ID, DPIDR) are looked up in the reference table stm32-devid.tsv (copied to
testing/unit/stm32-devid.tsv) for the line name, revision letter, flash driver and regress command;
scenario files give the RDP level, boot mode, empty flash and watchdog option.
"""

import csv
import re

import pytest

from conftest import DRIVERS, REPO, exit_status_of, extract_json, interface_args, layer, load_scenario

TSV = {r["dev_id_hex"]: r for r in csv.DictReader(open(REPO / "testing" / "unit" / "stm32-devid.tsv"),
                                                   delimiter="\t")}

# model -> (DEV_ID, REV_ID, flash KiB) the simulated part answers; one per family layout
MODELS = {
    "f0": ("0x448", "0x2000", 128),
    "f1": ("0x410", "0x2003", 64),
    "cks32f103": ("0x410", "0x2003", 64),
    "f4": ("0x413", "0x1007", 1024),
    "f7": ("0x449", "0x1001", 1024),
    "l0": ("0x447", "0x2008", 192),
    "l4": ("0x415", "0x1007", 1024),
    "g0": ("0x460", "0x2000", 128),
    "g4": ("0x469", "0x1000", 512),
    "h7": ("0x450", "0x2003", 2048),
    "u5": ("0x482", "0x2001", 2048),
    "wb": ("0x495", "0x2001", 1024),
}
BASE = [f"part-{m}" for m in MODELS]
VARIANTS = ["part-f1-rdp1", "part-f4-rdp1", "part-l0-rdp1", "part-u5-rdp1", "part-h7-rdp1", "part-f4-rdp2",
            "part-f0-rdp2", "part-f4-boot-sysmem", "part-g0-boot-sysmem", "part-f7-boot-sysmem",
            "part-h7-boot-sysmem", "part-l4-empty", "part-g4-hw-watchdog", "part-wb-hw-watchdog"]


def revision_letter(row, rev_id):
    """REV_ID -> revision from the TSV's rev_ids column ("0x1000=A 0x1001=Z ...")."""
    m = re.search(rf"{rev_id}=([0-9A-Za-z.,/]+)", row["rev_ids"], re.I)
    return m.group(1) if m else None


def expected(scenario):
    sc = load_scenario(scenario)
    t = sc["target"]
    dev, rev, kb = MODELS[t["model"]]
    row = TSV[dev.upper().replace("0X", "0x")]
    regress = row["openocd_rdp_regress_cmd"].split(" (")[0].split(";")[0].strip()
    return dict(sc=sc, dev=dev, rev=rev, kb=kb, row=row, name=row["line_name"],
                revision=revision_letter(row, rev), regress=regress, level=t.get("rdp_level", 0),
                boot=t.get("boot", "flash"), empty=t.get("empty_flash", False),
                watchdog=t.get("hw_watchdog", False), clone=t["model"].startswith("cks32"))


def run(sim, run_openocd, scenario, driver, cmd):
    s = sim(scenario)
    status, out = run_openocd(interface_args(driver, s.port) + ["-c", cmd])
    s.stop()
    return s, status, out


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("scenario", BASE + VARIANTS)
def test_part_json(sim, run_openocd, scenario, driver):
    e = expected(scenario)
    # -passive: the STM32 checks must identify the part, RDP and boot source without any reset
    # or halt (the reset layer's own resets are tested in test_link_layers.py)
    s, status, out = run(sim, run_openocd, scenario, driver, "stlink_diag -json -passive")
    r = extract_json(out)
    f = r["facts"]

    if e["level"] == 2:
        # RDP level 2 turns the debug port off, also under reset (ST RM0090 §3.7.3 "Read protection"): no SW-DP answer at all,
        # while the board is powered
        assert r["verdict"]["layer"] == "wire", r["verdict"]
        assert status == exit_status_of("wire")
        assert layer(r, "power")["status"] == "ok"
        assert layer(r, "protection")["status"] == "skipped"
        assert f["mcu"]["dev_id"] is None
        return

    # identification (DBGMCU_IDCODE: ST RM0090 §38.6.1; line names: testing/unit/stm32-devid.tsv)
    assert f["mcu"]["dev_id"] == e["dev"]
    assert f["mcu"]["rev_id"] == e["rev"]
    assert f["mcu"]["name"] == e["name"]
    assert f["mcu"]["family"] == e["row"]["family"]
    assert f["mcu"]["revision"] == e["revision"]
    assert f["mcu"]["flash_kb"] == e["kb"]
    assert int(f["mcu"]["idcode_addr"], 16) == int(e["row"]["idcode_addr"].split()[0], 16)
    assert re.fullmatch(r"[0-9A-F]{8}-[0-9A-F]{8}-[0-9A-F]{8}", f["mcu"]["uid"] or ""), f["mcu"]
    if e["clone"]:
        # look-alike: DEV_ID of a genuine F103, DPIDR 0x2BA01477 (the "UNEXPECTED idcode: 0x2ba01477" of
        # CKS32 boards: platformio/platform-ststm32 issue #247, TeXitoi/blue-pill-quickstart issue #9)
        assert "CKS32" in f["mcu"]["clone"]
        assert "set CPUTAPID" in layer(r, "debug")["evidence"]["clone_fix"]
    else:
        assert f["mcu"]["clone"] is None

    # protection (RDP levels: ST RM0090 §3.7.3; regress: OpenOCD doc/openocd.texi, "stm32f2x unlock")
    p = layer(r, "protection")
    assert f["protection"]["rdp_level"] == str(e["level"])
    assert e["regress"] in f["protection"]["regress"]
    assert e["row"]["openocd_target_cfg"].split()[0] in f["protection"]["regress"]
    iface = "interface/stlink.cfg" if driver == "hla" else "interface/stlink-dap.cfg"
    assert iface in f["protection"]["regress"]
    if e["level"] == 1:
        assert p["status"] == "fail" and p["id"] == "protection.rdp1", p
        assert "debugger reads of flash fault" in p["summary"]
        assert e["regress"] in p["fix"] and "ERASES THE WHOLE FLASH" in p["fix"] and "power-cycle" in p["fix"]
        assert f["boot"]["flash_read"] == "fault"
        assert r["verdict"]["layer"] == "protection" and status == exit_status_of("protection")
        return
    assert f["boot"]["flash_read"] == "ok"

    # firmware-related option bytes
    if e["watchdog"]:
        # an option bit that changes firmware behaviour is evidence, not a warning, while nothing resets
        assert p["status"] == "ok" and p["id"] == "protection.option_surprise", p
        assert "IWDG_SW" in f["options"]["surprises"]
        assert "hardware watchdog" in p["summary"]
    else:
        assert f["options"]["surprises"] == []
        assert p["status"] == "ok", p

    # boot (ST RM0090 §2.4 "Boot configuration")
    b = layer(r, "boot")
    if e["empty"]:
        assert b["status"] == "fail" and b["id"] == "boot.empty_flash", b
        assert f["boot"]["empty_flash"] == 1
    elif e["boot"] == "sysmem":
        assert b["status"] == "fail" and b["id"] == "boot.system_memory", b
        assert f["boot"]["source"] == "system memory"
        assert "BOOT0" in b["fix"] or "nBOOT" in b["fix"], b
    else:
        assert b["status"] == "ok" and f["boot"]["source"] == "user flash", b
    # a wrong boot source is the root cause (fault classes empty_flash, boot_sysmem): exit 16
    assert status == (exit_status_of("boot") if e["empty"] or e["boot"] == "sysmem" else 0), out
    # no reset or halt of the target during stlink_diag
    assert "TARGET" not in s.log().split(" START ", 1)[1]


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("scenario", ["part-f1", "part-f1-rdp1", "part-g0-boot-sysmem", "part-g4-hw-watchdog",
                                      "part-cks32f103", "part-h7"])
def test_part_text(sim, run_openocd, scenario, driver):
    e = expected(scenario)
    _, status, out = run(sim, run_openocd, scenario, driver, "stlink_diag")
    prot = [l for l in out.splitlines() if re.match(r"^\s+protection\s", l)]
    assert len(prot) == 1, out
    assert e["name"] in prot[0] and f"rev {e['revision']}" in prot[0], prot[0]
    assert f"RDP level {e['level']}" in prot[0]
    boot = [l for l in out.splitlines() if re.match(r"^\s+boot\s", l)][0]
    if e["level"] == 1:
        assert "FAIL" in prot[0] and "debugger reads of flash fault" in prot[0]
        assert re.search(rf"^fix: .*{re.escape(e['regress'])}", out, re.M), out
    if e["boot"] == "sysmem":
        assert "FAIL" in boot and "ROM bootloader" in boot
    if e["watchdog"]:
        assert "IWDG_SW=0: hardware watchdog" in out
    if e["clone"]:
        assert "CKS32" in prot[0]


def test_unknown_part_model_is_a_scenario_error(sim, tmp_path):
    with pytest.raises(AssertionError, match="exited early"):
        sim({"target": {"model": "f9"}})
