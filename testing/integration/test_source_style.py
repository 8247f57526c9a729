# SPDX-License-Identifier: GPL-2.0-or-later
"""Small repeats that must not come back (issue 14), checked in the sources:
- the license line is the first line, in OpenOCD's style: `// SPDX-License-Identifier:` in .c files,
  `/* SPDX-License-Identifier: ... */` in headers (OpenOCD doc/manual/style.txt);
- ARRAY_LEN is defined once (stlink_diag_array.h; OpenOCD's ARRAY_SIZE elsewhere);
- ST-LINK PIDs are written only in the probe-model table (stlink_diag_probe_models.c);
- ST-LINK command bytes are defined only in stlink_diag_protocol.h;
- OpenOCD's speed-matching rule is written once in C (stlink_diag_speed_pick()).

Files another branch is rewriting at the same time are listed in PENDING with the branch; they are
reported (printed) but do not fail the test, until the lead empties the list after the merge."""

import re

import pytest

from conftest import REPO

DIAG = REPO / "src" / "jtag" / "drivers" / "stlink_diag"
C_DIRS = [DIAG, REPO / "testing" / "unit", REPO / "testing" / "fuzz", REPO / "testing" / "usbsim"]

# {(check, file name): why it is allowed for now}
PENDING = {}


def sources(*suffixes):
    return sorted(p for d in C_DIRS for s in suffixes for p in d.glob("*" + s))


def check(name, offenders):
    """Fail on offenders not in PENDING; print the pending ones."""
    pending = [(f, why) for f in offenders if (why := PENDING.get((name, f.rsplit("/", 1)[-1].split(":")[0])))]
    for f, why in pending:
        print(f"PENDING {name}: {f}: {why}")
    bad = [f for f in offenders if not PENDING.get((name, f.rsplit("/", 1)[-1].split(":")[0]))]
    assert not bad, f"{name}:\n" + "\n".join(bad)


def rel(p):
    return str(p.relative_to(REPO))


def test_spdx_first_line():
    bad = []
    for p in sources(".c"):
        if not p.read_text().startswith("// SPDX-License-Identifier: "):
            bad.append(rel(p))
    for p in sources(".h"):
        if not re.match(r"/\* SPDX-License-Identifier: [^\n]+ \*/\n", p.read_text()):
            bad.append(rel(p))
    check("spdx", bad)


def test_array_len_defined_once():
    bad = [rel(p) for p in sources(".c", ".h")
           if re.search(r"^#define ARRAY_LEN\b", p.read_text(), re.M) and p.name != "stlink_diag_array.h"]
    check("array_len", bad)
    assert re.search(r"^#define ARRAY_LEN\b", (DIAG / "stlink_diag_array.h").read_text(), re.M)


def test_pids_only_in_the_probe_model_table():
    bad = []
    for p in sorted(DIAG.glob("*.[ch]")):
        if p.name == "stlink_diag_probe_models.c":
            continue
        for n, line in enumerate(p.read_text().splitlines(), 1):
            if re.search(r"\b0x37[0-9A-Fa-f]{2}\b", line):
                bad.append(f"{rel(p)}:{n}: {line.strip()}")
    check("pid", bad)


def protocol_bytes():
    text = (DIAG / "stlink_diag_protocol.h").read_text()
    return {name: int(v, 16) for name, v in re.findall(r"^#define (STLINK_DIAG_\w+)\s+(0x[0-9a-fA-F]+)", text, re.M)}


def test_command_bytes_only_in_protocol_h():
    proto = protocol_bytes()
    assert len(proto) >= 30, proto
    words = ("DEBUG", "COMMAND", "CMD", "EXIT", "ENTER", "GET_", "SET_", "READ", "WRITE", "NRST", "FREQ")
    bad = []
    for p in sorted(DIAG.glob("*.[ch]")):
        if p.name == "stlink_diag_protocol.h":
            continue
        for name, v in re.findall(r"^#define (\w+)\s+(0x[0-9a-fA-F]+)\b", p.read_text(), re.M):
            same = [k for k, pv in proto.items() if pv == int(v, 16)]
            if same and any(w in name for w in words):
                bad.append(f"{rel(p)}: {name} {v} (stlink_diag_protocol.h has {', '.join(same)})")
    check("protocol", bad)


def test_speed_rule_written_once():
    bad = []
    for p in sorted(DIAG.glob("*.c")):
        if p.name == "stlink_diag_speed.c":
            continue
        for n, line in enumerate(p.read_text().splitlines(), 1):
            if re.search(r"<=\s*khz\b|\bkhz\s*>=", line):
                bad.append(f"{rel(p)}:{n}: {line.strip()}")
    for p in sorted(DIAG.rglob("*.tcl")):
        if re.search(r"^proc \w*match\w* \{table khz\}", p.read_text(), re.M) or \
                re.search(r"set want 1800\b", p.read_text()):
            bad.append(rel(p))
    check("speed_rule", bad)
