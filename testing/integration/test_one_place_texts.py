# SPDX-License-Identifier: GPL-2.0-or-later
"""Mechanism in C, policy in Tcl, each text once:
- what a failed `stlink_probe open` means and how to fix it is written only in the open-findings table of
  tcl/layers/host.tcl; C (stlink_diag_open_failure.c, stlink_diag_cmd_session.c) returns the id and the
  driver's log, and every id it can return has a row there;
- firmware minimums (V2J24, V2J21, ...) come from the firmware-minimum table of stlink_diag_version.c
  (`stlink_probe info` min_*), never spelled in a Tcl message."""

import re

from conftest import REPO

DIAG = REPO / "src" / "jtag" / "drivers" / "stlink_diag"
HOST = DIAG / "tcl" / "layers" / "host.tcl"


def open_findings():
    """{id: (summary, fix)} of the open-findings table in host.tcl."""
    text = HOST.read_text()
    m = re.search(r"^set stlink_diag_open_findings \{\n(.*?)\n\}", text, re.M | re.S)
    assert m, "no open-findings table in host.tcl"
    rows = re.findall(r'^\t([a-z]+\.[a-z0-9_]+) \{\n\t\t"([^"\n]+)"\n\t\t"([^"\n]+)"\n\t\}', m.group(1), re.M)
    assert len(rows) == m.group(1).count(" {\n"), "a row of the open-findings table is not {id {summary fix}}"
    return {i: (s, f) for i, s, f in rows}


def c_sources():
    return sorted(DIAG.glob("*.c")) + sorted(DIAG.glob("*.h"))


def tcl_sources():
    return sorted(DIAG.rglob("*.tcl"))


def test_table_has_the_known_rows():
    t = open_findings()
    assert {"host.no_driver", "host.serial_mismatch", "host.no_probe", "host.open_failed"} <= set(t), sorted(t)


def test_every_id_c_returns_has_a_text():
    t = open_findings()
    ids = set(re.findall(r'\.id = "([a-z]+\.[a-z0-9_]+)"', (DIAG / "stlink_diag_open_failure.c").read_text()))
    ids |= set(re.findall(r'"(host\.[a-z0-9_]+)"', (DIAG / "stlink_diag_cmd_session.c").read_text()))
    assert len(ids) >= 10, ids
    assert not ids - set(t), f"ids C returns without a text in host.tcl: {sorted(ids - set(t))}"


def test_c_has_no_finding_text():
    found = []
    for f in c_sources():
        text = f.read_text()
        for fid, (summary, fix) in open_findings().items():
            for s in (summary, fix):
                probe = s.replace("%PORT%", "%u")[:40]
                if probe in text:
                    found.append(f"{f.name}: {fid}: {probe}")
        if f.stem == "stlink_diag_open_failure" and re.search(r"\b(summary|fix)\b", text.split("*/", 1)[1]):
            found.append(f"{f.name}: a summary/fix field in the open-failure table")
    assert not found, "finding texts in C (policy belongs in host.tcl):\n" + "\n".join(found)


def test_each_finding_text_once_in_tcl():
    counts = {}
    for f in tcl_sources():
        text = f.read_text()
        for fid, (summary, fix) in open_findings().items():
            for s in (summary, fix):
                counts[s] = counts.get(s, 0) + text.count(s)
    twice = [s for s, n in counts.items() if n != 1]
    assert not twice, "finding texts written more than once:\n" + "\n".join(twice)


def test_no_firmware_minimum_spelled_in_tcl():
    found = []
    for f in tcl_sources():
        for n, line in enumerate(f.read_text().splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue
            if re.search(r"\bV[123]J\d+", line):
                found.append(f"{f.relative_to(REPO)}:{n}: {line.strip()}")
    assert not found, "firmware versions spelled in Tcl (use stlink_probe info min_*):\n" + "\n".join(found)
