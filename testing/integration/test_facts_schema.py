# SPDX-License-Identifier: GPL-2.0-or-later
"""The fact keys are written twice: in the JSON writer (tcl/stlink_diag_report.tcl, stlink_diag_json)
and in the published schema (doc/stlink_diag.schema.json, properties.facts). They must be the same
set, group by group: a fact the report prints that the schema does not name (or the reverse) fails
here, without running OpenOCD. The schema is also strict (additionalProperties false in facts and
every group), so test_stlink_diag_schema.py fails on such a report at run time too."""

import json
import re

from conftest import REPO

REPORT = REPO / "src" / "jtag" / "drivers" / "stlink_diag" / "tcl" / "stlink_diag_report.tcl"
SCHEMA = json.loads((REPO / "doc" / "stlink_diag.schema.json").read_text())


def writer_facts():
    """{group: {key}} of the facts object stlink_diag_json writes."""
    text = REPORT.read_text()
    body = text[text.index("proc stlink_diag_json {"):]
    body = body[body.index("\t\tfacts [json_obj [list"):body.index("\t\tround_trips ")]
    facts = {}
    group = None
    for line in body.splitlines()[1:]:
        g = re.match(r"^\t\t\t(\w+) \[json_obj \[list", line)
        if g:
            group = g.group(1)
            facts[group] = set()
            continue
        k = re.match(r"^\t\t\t\t(\w+) \[json_\w+ .*stlink_diag_get \$f (\w+)\.(\w+)\]", line)
        assert k, f"unexpected line in the facts writer: {line!r}"
        key, g2, k2 = k.groups()
        # the JSON name is the fact's own name: no renaming between the dict and the report
        assert (g2, k2) == (group, key), line
        facts[group].add(key)
    return facts


def schema_facts():
    props = SCHEMA["properties"]["facts"]["properties"]
    return {g: set(v.get("properties", {})) for g, v in props.items()}


def test_the_extraction_finds_the_known_facts():
    w = writer_facts()
    assert {"probe", "target", "link", "dp", "ap", "core", "mcu"} <= set(w), w
    assert {"firmware", "pid", "serial"} <= w["probe"] and "dev_id" in w["mcu"], w


def test_writer_and_schema_name_the_same_facts():
    w, s = writer_facts(), schema_facts()
    assert sorted(w) == sorted(s), f"fact groups differ: writer {sorted(w)}, schema {sorted(s)}"
    diff = {g: {"writer only": sorted(w[g] - s[g]), "schema only": sorted(s[g] - w[g])}
            for g in w if w[g] != s[g]}
    assert not diff, f"fact keys differ between stlink_diag_report.tcl and the schema: {diff}"


def test_schema_facts_are_closed():
    facts = SCHEMA["properties"]["facts"]
    assert facts.get("additionalProperties") is False
    for g, v in facts["properties"].items():
        assert v.get("additionalProperties") is False, f"facts.{g} accepts keys the schema does not name"
