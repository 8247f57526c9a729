# SPDX-License-Identifier: GPL-2.0-or-later
"""Every row of the rules table (tcl/stlink_diag_rules.tcl) is exercised by at least one case of
test_rules.py: a failing or warning rule is the verdict of a case, a normal-condition rule (status ok)
classifies a finding as normal in a case, and a rule that records a check it could not make (status open)
puts its look-alikes in a case's open list. A rule added without a case fails here, naming it.

The table is read from the built OpenOCD (not parsed from the file), so what is checked is what runs."""

import json

from test_rules import CASES, build, tcl_dict


def rule_table(run_openocd):
    """{name: (status, id, [open ids])} of every row, in table order."""
    script = ("foreach {name row} $stlink_diag_rules {echo \"RULE $name [dict get $row status] "
              "[dict get $row id] [join [dict keys [stlink_diag_get $row open]] ,]\"}; shutdown")
    status, out = run_openocd(["-f", "interface/stlink.cfg", "-c", script])
    assert status == 0, out
    table = {}
    for line in out.splitlines():
        if line.startswith("RULE "):
            words = line.split()
            opens = words[4].split(",") if len(words) > 4 else []
            table[words[1]] = (words[2], words[3], opens)
    assert table, out
    return table


def run_cases(run_openocd):
    """For each case: (rule of the verdict, ids classified normal, ids left open), one OpenOCD run."""
    lines = []
    for name, items, facts, *_ in CASES:
        fl = " ".join("{" + tcl_dict(f) + "}" for f in build(items))
        lines.append(f"set v [stlink_diag_rules_try {{{fl}}} {{{tcl_dict(facts or {})}}}]; "
                     "echo [stlink_diag_json_verdict $v]; "
                     "echo [list NORMAL [lmap {k n} [dict get $v normal] {lindex $n 0}]]")
    status, out = run_openocd(["-f", "interface/stlink.cfg", "-c", "; ".join(lines) + "; shutdown"])
    assert status == 0, out
    verdicts = [json.loads(l) for l in out.splitlines() if l.startswith('{"layer"')]
    normals = [l.split(None, 1)[1].strip("{}").split() if " " in l else []
               for l in out.splitlines() if l.startswith("NORMAL")]
    assert len(verdicts) == len(CASES) == len(normals), out
    return [(v["rule"], set(n), {o["id"] for o in v["open"]}) for v, n in zip(verdicts, normals)]


def test_every_rule_has_a_case(run_openocd):
    table = rule_table(run_openocd)
    results = run_cases(run_openocd)
    fired = {r for r, _, _ in results}
    normal = set().union(*(n for _, n, _ in results))
    opened = set().union(*(o for _, _, o in results))
    missing = []
    for name, (st, rid, opens) in table.items():
        if st in ("fail", "warn") and name not in fired:
            missing.append(f"{name} ({st}): no case has it as the verdict's rule")
        elif st == "ok" and rid not in normal:
            missing.append(f"{name} (ok): no case classifies a finding as {rid}")
        elif st == "open" and not set(opens) & opened:
            missing.append(f"{name} (open): no case leaves {opens} open")
    assert not missing, "rules without a test case in test_rules.py:\n" + "\n".join(missing)
