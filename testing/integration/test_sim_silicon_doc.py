# SPDX-License-Identifier: GPL-2.0-or-later
"""testing/sim/SILICON.md stays the complete list of what the physical model does.

- every behaviour tag the model's code cites (sim_phys.c) has a row in SILICON.md, and each row names a source
  and a test that exists;
- every uncertain-behaviour option of README "options" is accepted by the loader, named in SILICON.md, and
  each of its values is exercised by test_sim_physics.py;
- every fault class of testing/variants/fault-classes.tsv has a phys-<class>.json scenario that cites its
  sources.
"""

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SIM = REPO / "testing" / "sim"
DOC = (SIM / "SILICON.md").read_text()
CODE = (SIM / "sim_phys.c").read_text()
README = (SIM / "README.md").read_text()
LOADER = (SIM / "sim_scenario.c").read_text()
TESTS = {p.name: p.read_text() for p in (REPO / "testing" / "integration").glob("test_sim_physics*.py")}

ROWS = {m.group(1): m.group(0) for m in re.finditer(r"^\| ([A-Z]\d) \|.*$", DOC, re.M)}
CODE_TAGS = sorted(set(re.findall(r"(?:\(|/\* |, )([TWSRPGNLICDBX]\d)(?=[,):\s])", CODE)))


def options():
    sec = README[README.index("### `options`"):]
    sec = sec[:sec.index("\n### ", 5)]
    out = {}
    for m in re.finditer(r"^\| `(\w+)` \| ([^|]+) \|", sec, re.M):
        out[m.group(1)] = re.findall(r"`?([\w]+)`?", m.group(2))
    return out


def test_code_cites_tags():
    assert len(CODE_TAGS) > 20, CODE_TAGS


@pytest.mark.parametrize("tag", CODE_TAGS)
def test_code_tag_has_a_row(tag):
    assert tag in ROWS, f"sim_phys.c cites {tag}, SILICON.md has no row for it"


@pytest.mark.parametrize("tag", sorted(ROWS))
def test_row_names_its_test(tag):
    row = ROWS[tag]
    names = re.findall(r"`(test_\w+)", row)
    assert names, f"{tag}: no test named"
    for n in names:
        assert any(f"def {n}(" in t for t in TESTS.values()), f"{tag}: {n} does not exist"


@pytest.mark.parametrize("key", sorted(options()))
def test_option_is_loaded_documented_and_tested(key):
    values = options()[key]
    assert f'"{key}"' in LOADER, f"loader does not accept options.{key}"
    assert key in DOC, f"SILICON.md does not name options.{key}"
    text = "\n".join(TESTS.values())
    assert key in text, f"no test uses options.{key}"
    for v in values:
        if v in ("false", "true"):
            v = v.capitalize()
            assert re.search(rf"\b{v}\b", text), (key, v)
        else:
            assert f'"{v}"' in text, f"options.{key} value {v!r} is never tested"


def classes():
    rows = (REPO / "testing" / "variants" / "fault-classes.tsv").read_text().splitlines()
    return [r.split("\t")[0] for r in rows if r and not r.startswith("#")]


@pytest.mark.parametrize("cls", classes())
def test_every_class_has_a_physical_scenario(cls):
    sc = json.loads((REPO / "testing" / "scenarios" / f"phys-{cls}.json").read_text())
    assert "SILICON.md" in sc["description"]
    assert any(k in sc for k in ("supply", "wiring", "firmware", "timing", "options")), "not a physical scenario"
