# SPDX-License-Identifier: GPL-2.0-or-later
"""contrib/60-stlink-diag.rules grants access to every ST-LINK PID of the probe-model table (the one place
for PIDs), and only to VID 0483."""

import re

from conftest import REPO

RULES = REPO / "contrib" / "60-stlink-diag.rules"
MODELS = REPO / "src" / "jtag" / "drivers" / "stlink_diag" / "stlink_diag_probe_models.c"


def table_pids():
    pids = {int(m, 16) for m in re.findall(r"\.pid\s*=\s*(0x[0-9A-Fa-f]{4})", MODELS.read_text())}
    assert len(pids) >= 13, pids  # V1, V2, V2-1 x4, V3 x6, V3PWR x2 at least (OpenOCD 0.12.0 tcl/interface/stlink.cfg; pyOCD
    # pyocd/probe/stlink/usb.py; stlink-org src/stlink-lib/usb.h)
    return pids


def rule_lines():
    return [x for x in RULES.read_text().splitlines() if x.strip() and not x.lstrip().startswith("#")]


def test_rule_covers_every_pid_of_the_table():
    granted = set()
    for line in rule_lines():
        m = re.search(r'ATTR\{idProduct\}=="([0-9a-fA-F|]+)"', line)
        if m and "MODE=" in line:
            granted |= {int(p, 16) for p in m.group(1).split("|")}
    missing = sorted(table_pids() - granted)
    assert not missing, "PIDs of the probe-model table without a udev rule: " + ", ".join(f"0x{p:04x}" for p in missing)


def test_rule_is_limited_to_st_vid_and_usb():
    text = "\n".join(rule_lines())
    assert 'ATTR{idVendor}!="0483", GOTO="stlink_diag_end"' in text
    assert 'SUBSYSTEM!="usb", GOTO="stlink_diag_end"' in text
    assert 'LABEL="stlink_diag_end"' in text
    assert 'GROUP="plugdev"' in text and 'TAG+="uaccess"' in text


def test_install_lines_match_the_host_fix():
    """The commands in the rule's header are the ones the host layer prints."""
    head = RULES.read_text()
    for cmd in ["sudo cp contrib/60-stlink-diag.rules /etc/udev/rules.d/",
                "sudo udevadm control --reload-rules && sudo udevadm trigger", "sudo usermod -aG plugdev $USER"]:
        assert cmd in head, cmd
    host = (REPO / "src" / "jtag" / "drivers" / "stlink_diag" / "tcl" / "layers" / "host.tcl").read_text()
    assert "sudo cp contrib/60-stlink-diag.rules /etc/udev/rules.d/" in host
    assert "sudo udevadm control --reload-rules && sudo udevadm trigger" in host
