# SPDX-License-Identifier: GPL-2.0-or-later
"""The status table (stlink_diag_status.c) is the only source of ST-LINK status names and meanings:
no other file of stlink_diag (C, Tcl, the patches) spells a status token or a table meaning."""

import re

from conftest import REPO

DIAG = REPO / "src" / "jtag" / "drivers" / "stlink_diag"
STATUS = DIAG / "stlink_diag_status.c"


def table_rows():
    text = STATUS.read_text()
    tokens = re.findall(r'\.token\s*=\s*"([A-Z0-9_]+)"', text)
    meanings = re.findall(r'\.meaning\s*=\s*"([^"]{24,})"', text)
    assert len(tokens) >= 40, tokens
    return tokens, meanings


def other_sources():
    # the table's own header documents its fields with examples
    files = [p for p in DIAG.rglob("*") if p.suffix in (".c", ".h", ".tcl") and p.stem != "stlink_diag_status"]
    files += sorted((REPO / "patches").glob("*.patch"))
    return files


def test_no_status_token_outside_the_table():
    tokens, _ = table_rows()
    # mode names (DEV_*_MODE) live in the mode table of the same file; they are not statuses
    tokens = [t for t in tokens if not t.startswith("DEV_")]
    found = []
    for f in other_sources():
        text = f.read_text()
        for t in tokens:
            if re.search(r'"[^"\n]*\b' + t + r'\b', text):
                found.append(f"{f.relative_to(REPO)}: {t}")
    assert not found, "status tokens spelled outside the status table:\n" + "\n".join(found)


def test_no_status_meaning_outside_the_table():
    _, meanings = table_rows()
    found = []
    for f in other_sources():
        text = f.read_text()
        for m in meanings:
            if m[:24] in text:
                found.append(f"{f.relative_to(REPO)}: {m[:40]}")
    assert not found, "status meanings copied outside the status table:\n" + "\n".join(found)
