# SPDX-License-Identifier: GPL-2.0-or-later
"""No file under src/, testing/, contrib/ or doc/ cites a file the repository does not contain.

The project was written with a set of private reference notes (stlink-protocol.md, stm32-families.md,
...) outside the repository. Citations must name what a reader can open: an ST reference manual,
datasheet or application note with its section, an ARM document ID with its section, an OpenOCD file
and function, or a file of this repository (e.g. testing/unit/stm32-devid.tsv). Files another branch is
rewriting at the same time are in PENDING with that branch: they are printed, not failed, until the
lead empties the list after the merge."""

import re

from conftest import REPO

ROOTS = ["src", "testing", "contrib", "doc"]
SKIP_DIRS = {"out", "corpus", "__pycache__"}
TEXT_SUFFIXES = {".c", ".h", ".py", ".tcl", ".texi", ".md", ".txt", ".json", ".tsv", ".rules", ".am", ""}

# reference files by name: a citation is fine when the repository has a file of that name
NOTES = r"(stlink-protocol\.md|stm32-families\.md|silicon-behaviour\.md|tools-and-symptoms\.md|" \
        r"openocd-0\.12-notes\.md|troubleshooting-guide\.txt|stm32-devid\.tsv|STYLE\.md)"
# places outside the repository, never fine
OUTSIDE = r"(/work/shared|\.\./shared|shared/reference|parent / \"shared\")"
# "(reference 4.2)", "reference §4.1": a section of a note without its name
BARE = r"\breference (§|\d+(\.\d+)*\b)"

PENDING = {}
PENDING_DIRS = {}
# not citations: the test that compares the committed guide with the maintainers' copy, where present
NOT_CITATIONS = {("testing/integration/test_stlink_diag_guide.py", "/work/shared")}


def pending(rel):
    if rel in PENDING:
        return PENDING[rel]
    for d, (why, stems) in PENDING_DIRS.items():
        if rel.startswith(d) and (stems is None or rel[len(d):].rsplit(".", 1)[0] in stems):
            return why
    return None


def files():
    for root in ROOTS:
        for p in sorted((REPO / root).rglob("*")):
            if p.is_file() and not SKIP_DIRS & set(p.relative_to(REPO).parts) and p.suffix in TEXT_SUFFIXES:
                yield p


def repo_names():
    return {p.name for root in ROOTS for p in (REPO / root).rglob("*") if p.is_file()}


def citations():
    """(path, line number, what) of every citation of something the repository does not contain."""
    have = repo_names()
    found = []
    for p in files():
        rel = str(p.relative_to(REPO))
        if rel == "testing/integration/test_citations.py":
            continue
        try:
            lines = p.read_text().splitlines()
        except UnicodeDecodeError:
            continue
        for n, line in enumerate(lines, 1):
            for m in re.finditer(NOTES, line):
                if m.group(1) not in have:
                    found.append((rel, n, m.group(1)))
            for m in re.finditer(OUTSIDE, line):
                if (rel, m.group(1)) not in NOT_CITATIONS:
                    found.append((rel, n, m.group(1)))
            for m in re.finditer(BARE, line):
                found.append((rel, n, m.group(0)))
    return found


def test_the_scan_sees_the_sources():
    names = {str(p.relative_to(REPO)) for p in files()}
    assert "src/jtag/drivers/stlink_diag/stlink_diag_protocol.h" in names
    assert "testing/unit/test_stlink_diag_status.c" in names and "doc/stlink_diag.texi" in names


def test_no_citation_of_a_missing_file():
    bad = []
    for rel, n, what in citations():
        why = pending(rel)
        if why:
            print(f"PENDING {rel}:{n}: {what} ({why})")
        else:
            bad.append(f"{rel}:{n}: {what}")
    assert not bad, "citations of files the repository does not contain:\n" + "\n".join(bad)
