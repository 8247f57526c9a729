# SPDX-License-Identifier: GPL-2.0-or-later
"""patches/: every patch of the series is a `git format-patch` file in OpenOCD's commit style, the
series is what patches/ holds, patches/README describes each patch, and `git am` applies the whole
series to a fresh git tree of the unpacked 0.12.0 release tarball (the way upstream review takes it),
giving the same tree as the build's `patch -p1`."""

import email.parser
import email.policy
import os
import re
import subprocess
import tarfile

import pytest

from conftest import REPO, require_file

PATCHES = REPO / "patches"
TARBALL = REPO / "upstream-cache" / "openocd_0.12.0.orig.tar.bz2"
IDENT = {"GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
         "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
         "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
# OpenOCD's subject prefixes are the path of what changed ("jtag/drivers/stlink:", "doc:", "openocd:")
SUBJECT = re.compile(r"^\[PATCH(?: \d+/\d+)?\] (([a-z0-9_/.-]+): \S.{9,})$")


def series():
    names = [x.strip() for x in (PATCHES / "series").read_text().splitlines()]
    return [n for n in names if n and not n.startswith("#")]


def headers(name):
    """The mail headers of a patch file, unfolded."""
    return email.parser.Parser(policy=email.policy.default).parsestr((PATCHES / name).read_text(),
                                                                      headersonly=True)


def subject(name):
    m = SUBJECT.match(str(headers(name)["Subject"]))
    return m.group(1) if m else None


def git(cwd, *args):
    env = dict(os.environ, **IDENT)
    r = subprocess.run(["git", "-c", f"safe.directory={cwd}", *args], cwd=cwd, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, f"git {' '.join(args)} failed:\n{r.stdout}\n{r.stderr}"
    return r.stdout


def unpack(dest):
    require_file(TARBALL, "fetch it: contrib/fetch-openocd-source")
    with tarfile.open(TARBALL) as t:
        t.extractall(dest)
    (tree,) = [p for p in dest.iterdir() if p.is_dir()]
    return tree


def test_series_lists_exactly_the_patch_files():
    assert series(), "patches/series is empty"
    assert len(set(series())) == len(series()), "a patch is listed twice"
    assert sorted(series()) == sorted(p.name for p in PATCHES.glob("*.patch"))


@pytest.mark.parametrize("name", series())
def test_patch_is_a_format_patch_file(name):
    text = (PATCHES / name).read_text()
    assert re.match(r"From [0-9a-f]{40} ", text), "no mbox 'From <sha>' line: not made by git format-patch"
    author = headers(name)["From"]
    assert author and author.addresses and "@" in author.addresses[0].addr_spec, "no From: author with an address"
    assert subject(name), "Subject: is not '[PATCH n/N] subsystem/path: what it does' (OpenOCD's commit style)"
    head, _, rest = text.partition("\n---\n")
    body = head.split("\n\n", 1)[1]
    body_lines = [x for x in body.splitlines() if x.strip() and not x.startswith("Signed-off-by:")]
    assert len(body_lines) >= 2, "the commit message has no body saying why"
    assert re.search(r"^Signed-off-by: .+ <.+@.+>$", head, re.M), "no Signed-off-by (OpenOCD requires one)"
    assert all(len(x) <= 75 for x in body.splitlines() if not x.startswith("Signed-off-by:")), \
        "commit message lines longer than 75 columns"
    files = re.findall(r"^diff --git a/(\S+) b/\S+$", rest, re.M)
    assert files, "no 'diff --git' headers"
    assert len(files) == len(re.findall(r"^\+\+\+ b/", rest, re.M)), "a file diff without a 'diff --git' header"


def test_readme_describes_each_patch():
    readme = (PATCHES / "README").read_text()
    for name in series():
        assert name in readme, f"patches/README does not describe {name}"


def test_git_am_applies_the_series_to_0_12_0(tmp_path):
    """The whole series with `git am` onto the release tree, then the same series with `patch -p1`
    (what Makefile.am does) onto a second copy: both apply cleanly and give the same files."""
    tree = unpack(tmp_path / "am")
    git(tree, "init", "-q")
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "openocd 0.12.0 release tarball")
    git(tree, "am", "--quiet", "--whitespace=nowarn", *[str(PATCHES / n) for n in series()])
    subjects = git(tree, "log", "--reverse", "--format=%s", "HEAD~%d..HEAD" % len(series())).splitlines()
    assert subjects == [subject(n) for n in series()]
    assert git(tree, "status", "--porcelain") == ""

    plain = unpack(tmp_path / "patch")
    for n in series():
        with open(PATCHES / n) as f:
            r = subprocess.run(["patch", "-p1", "--forward", "--quiet"], cwd=plain, stdin=f,
                               capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, f"patch -p1 < {n} failed:\n{r.stdout}{r.stderr}"
    changed = git(tree, "diff", "--name-only", "HEAD~%d" % len(series()), "HEAD").split()
    assert changed
    for f in changed:
        assert (tree / f).read_bytes() == (plain / f).read_bytes(), f"git am and patch -p1 differ in {f}"
