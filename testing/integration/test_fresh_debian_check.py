# SPDX-License-Identifier: GPL-2.0-or-later
"""contrib/fresh-debian-check refuses bad input before it makes anything: a missing
program is named with the package to install, exit status 2, and the closing line
still counts a failure. (The full run takes minutes and root: contrib/fresh-debian-check.)"""

import os
import shutil
import subprocess

from conftest import REPO

SCRIPT = REPO / "contrib" / "fresh-debian-check"
# what the script runs before it makes anything, except mmdebstrap
TOOLS = ["id", "dirname", "git", "unshare", "chroot", "mount", "umount", "timeout", "flock", "awk", "cat"]


def run(args, path=None):
    env = dict(os.environ)
    if path is not None:
        env["PATH"] = str(path)
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=60, env=env,
                          stdin=subprocess.DEVNULL)


def test_without_mmdebstrap_it_names_it_and_makes_nothing(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for t in TOOLS:
        found = shutil.which(t)
        if found:
            (bin_dir / t).symlink_to(found)
    target = tmp_path / "fresh"
    p = run(["--tests-only", "--dir", str(target)], path=bin_dir)
    assert p.returncode == 2, p.stdout + p.stderr
    assert "mmdebstrap" in p.stderr and "apt-get install mmdebstrap" in p.stderr, p.stderr
    assert p.stdout.strip().splitlines()[-1] == "0 passed, 1 failed"
    assert not target.exists()


def test_bad_options_exit_2(tmp_path):
    for args, word in ([["--dir", "relative/dir"], "absolute"],
                       [["--tests-only", "--demo-only"], "exclude"],
                       [["--timeout", "soon"], "seconds"],
                       [["--frobnicate"], "usage"]):
        p = run(args)
        assert p.returncode == 2, (args, p.stdout, p.stderr)
        assert word in p.stderr, (args, p.stderr)
