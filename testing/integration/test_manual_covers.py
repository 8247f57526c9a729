# SPDX-License-Identifier: GPL-2.0-or-later
"""The manual chapter (doc/stlink_diag.texi) documents every finding id, every
stlink_diag option and subcommand, and every stlink_probe capability the sources
define: a new one without documentation fails here."""

import re

import pytest

from conftest import REPO

SRC = REPO / "src" / "jtag" / "drivers" / "stlink_diag"
MANUAL = (REPO / "doc" / "stlink_diag.texi").read_text()
LAYER_RE = r"(?:host|probe|power|wire|debug|reset|boot|protection|firmware|verdict)"


def finding_ids():
    ids = set()
    for p in list(SRC.rglob("*.tcl")) + list(SRC.glob("*.c")):
        text = p.read_text()
        ids |= set(re.findall(rf'"({LAYER_RE}\.[a-z0-9_]+)"', text))
        ids |= set(re.findall(rf"\b(?:ok|warn|fail|skipped) ({LAYER_RE}\.[a-z0-9_]+)\b", text))
        # the correlation rules name their root-cause ids as "id X.y"
        ids |= set(re.findall(rf"\bid ({LAYER_RE}\.[a-z0-9_]+)\b", text))
    return sorted(ids)


def options():
    text = (SRC / "tcl" / "stlink_diag.tcl").read_text()
    table = re.search(r"set stlink_diag_options \{(.*?)\n\}", text, re.S).group(1)
    return sorted(re.findall(r"^\s*(-[a-z]+)\s", table, re.M))


def probe_capabilities():
    """stlink_probe subcommands; those of stlink_diag_stm32_commands.c sit in the 'stm32' group."""
    names = set()
    for p in SRC.glob("*.c"):
        group = "stm32 " if p.name == "stlink_diag_stm32_commands.c" else ""
        names |= {group + n for n in re.findall(r'\.name = "([a-z0-9_]+)", \.handler', p.read_text())}
    return sorted(names)


def test_sources_define_what_this_test_looks_for():
    # the extraction itself must find the known basics, or the checks below prove nothing
    assert {"host.no_probe", "power.unpowered", "wire.no_answer", "protection.rdp1"} <= set(finding_ids())
    assert {"-json", "-dict", "-passive", "-quick", "-watch"} <= set(options())
    assert {"open", "voltage", "read32", "list"} <= set(probe_capabilities())


@pytest.mark.parametrize("fid", finding_ids())
def test_finding_id_documented(fid):
    assert fid in MANUAL, f"finding id {fid} is produced by the sources but not in doc/stlink_diag.texi"


STLINK_DIAG_DEFFN = re.search(r"^@deffn \{Command\} \{stlink_diag\} (.*)$", MANUAL, re.M)


@pytest.mark.parametrize("option", options())
def test_option_documented(option):
    """Each option is in the synopsis of the stlink_diag @deffn and has its own @item entry that says
    what it does (a mention elsewhere in the text does not document it)."""
    assert STLINK_DIAG_DEFFN, "no '@deffn {Command} {stlink_diag}' in the manual"
    assert f"@option{{{option}}}" in STLINK_DIAG_DEFFN.group(1), f"{option} is not in the stlink_diag synopsis"
    item = re.search(rf"^@item @option\{{{re.escape(option)}\}}(?: @var\{{\w+\}})?:? (\S.*)$", MANUAL, re.M)
    assert item, f"{option} has no '@item @option{{{option}}}' entry in doc/stlink_diag.texi"


@pytest.mark.parametrize("sub", ["probes", "guide", "step"])
def test_subcommand_documented(sub):
    assert re.search(rf"stlink_diag\}}? {sub}\b|stlink_diag {sub}\b", MANUAL), sub


@pytest.mark.parametrize("cap", probe_capabilities())
def test_probe_capability_documented(cap):
    assert re.search(rf"stlink_probe {cap}\b", MANUAL), f"stlink_probe {cap} is not in the manual"
    assert f"@deffn {{Command}} {{stlink_probe {cap}}}" in MANUAL, f"stlink_probe {cap} has no @deffn"


@pytest.mark.parametrize("status", [0, 1] + list(range(10, 19)))
def test_exit_status_documented(status):
    assert re.search(rf"@item {status}\b|\b{status} @code\{{", MANUAL), status
