# SPDX-License-Identifier: GPL-2.0-or-later
"""contrib/setup-debian installs everything the build, the scripts and the tests use.

A fresh Debian 12 has only the Essential packages and apt. Every Python module that
testing/ and contrib/ import and every program that their scripts, Makefiles and
tests call must come from a Debian package that contrib/setup-debian names, or from
one of those packages' dependencies (first alternative). The check reads the package
list in contrib/setup-debian, not what this machine has installed, so a package
installed here by hand cannot hide a gap. dpkg -S finds the package of each file.
"""

import ast
import json
import os
import re
import shutil
import subprocess

import pytest

from conftest import REPO

SETUP = REPO / "contrib" / "setup-debian"
SCANNED_DIRS = [REPO / "testing", REPO / "contrib", REPO / ".ci"]
SCANNED_TOP = [REPO / "bootstrap", REPO / "Makefile.am", REPO / "configure.ac"]
# what the scripts' PATH holds on a fresh Debian (root's PATH)
FRESH_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# what a fresh root made by `mmdebstrap --variant=apt` has besides the Essential packages
FRESH_BASE = ["apt"]

# Programs the project is known to call (where, in the comment). The scan below must
# find each of them, so a scanner that silently finds nothing fails instead of passing.
KNOWN_PROGRAMS = {
    "gdb-multiarch": "testing/integration/conftest.py (GDB)",
    "valgrind": "testing/integration/test_sanitizers_valgrind.py",
    "clang": "testing/fuzz/Makefile",
    "/usr/bin/openocd": "testing/run-tests (STOCK_OPENOCD)",
    "mmdebstrap": "contrib/fresh-debian-check",
    "git": "contrib/fresh-debian-check",
    "autoreconf": "bootstrap",
    "/usr/bin/python3": "testing/run-pytest (its #! line)",
    "ldd": "testing/integration/test_sanitizers_wiring.py",
    "patch": "Makefile.am",
    "makeinfo": "configure.ac",
}

# a word that may name a program: not $var, not var=, not part of a path or option
WORD = re.compile(r"(?<![\w$./-])(/(?:usr/)?s?bin/[\w.+-]+|[A-Za-z][\w.+-]*)(?![\w.+=-])")
# the shell's own commands (dash) are no programs, whatever the PATH has
SHELL_BUILTINS = set("alias bg break cd command continue echo eval exec exit export false fg getopts hash "
                     "kill local printf pwd read readonly return set shift test times trap true type ulimit "
                     "umask unalias unset wait".split())
HEREDOC = re.compile(r"<<-?\s*'?\"?(\w+)'?\"?")


def setup_packages(text):
    """The package names of the PACKAGES="..." assignment in contrib/setup-debian."""
    m = re.search(r'^PACKAGES="([^"]*)"', text, re.M)
    assert m, "contrib/setup-debian: no PACKAGES=\"...\" assignment found"
    return m.group(1).replace("\\\n", " ").split()


def installed_packages():
    """name -> (essential, [dependency groups], [provided names]) for every installed package."""
    fmt = "${Package}\\t${db:Status-Abbrev}\\t${Essential}\\t${Pre-Depends}, ${Depends}\\t${Provides}\\n"
    out = subprocess.run(["dpkg-query", "-W", "-f", fmt], capture_output=True, text=True, timeout=60).stdout
    pkgs = {}
    for line in out.splitlines():
        name, status, essential, deps, provides = line.split("\t")
        if not status.startswith("ii"):
            continue
        groups = [g.strip() for g in deps.split(",") if g.strip()]
        prov = [p.split()[0] for p in provides.split(",") if p.strip()]
        pkgs[name] = (essential == "yes", groups, prov)
    return pkgs


def dep_name(alternative):
    """'libc6:any (>= 2.34)' -> 'libc6'."""
    return alternative.strip().split()[0].split(":")[0]


def closure(roots, pkgs):
    """The roots and their Pre-Depends/Depends, recursively; the first alternative of
    each group (what apt picks on a fresh machine), a virtual name by its providers."""
    providers = {}
    for name, (_, _, prov) in pkgs.items():
        for p in prov:
            providers.setdefault(p, []).append(name)
    seen = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name not in pkgs:
            todo.extend(providers.get(name, []))
            continue
        for group in pkgs[name][1]:
            todo.append(dep_name(group.split("|")[0]))
    return seen


def usrmerge_aliases(p):
    """/usr/bin/x and /bin/x name one file on Debian 12; dpkg knows it under one of them."""
    parts = p.split("/")
    if len(parts) > 3 and parts[1] == "usr" and parts[2] in ("bin", "sbin", "lib", "lib64"):
        return [p, p[4:]]
    if len(parts) > 2 and parts[1] in ("bin", "sbin", "lib", "lib64"):
        return [p, "/usr" + p]
    return [p]


def symlink_chain(p):
    """p and every path its symlinks lead through (x -> /etc/alternatives/x -> real file)."""
    chain = [p]
    while os.path.islink(p) and len(chain) < 10:
        p = os.path.normpath(os.path.join(os.path.dirname(p), os.readlink(p)))
        chain.append(p)
    return chain


def dpkg_owners(paths):
    """path -> the Debian package that ships it (dpkg -S, one call for all), or None.
    A symlink that no package ships (alternatives) counts by the file it leads to."""
    candidates = {p: [a for c in symlink_chain(p) for a in usrmerge_aliases(c)] for p in paths}
    unique = sorted({c for cs in candidates.values() for c in cs})
    owner = {}
    if unique:
        r = subprocess.run(["dpkg", "-S", *unique], capture_output=True, text=True, timeout=120)
        for line in r.stdout.splitlines():
            pkgs, _, owned = line.partition(": ")
            if not pkgs.startswith("diversion by"):
                owner.setdefault(owned, pkgs.split(",")[0].split(":")[0])
    return {p: next((owner[c] for c in cs if c in owner), None) for p, cs in candidates.items()}


# ---- what the project uses ----

def project_files():
    files = [f for d in SCANNED_DIRS if d.is_dir() for f in sorted(d.rglob("*")) if f.is_file()]
    files += [f for f in SCANNED_TOP if f.is_file()]
    skip = ("/out/", "/corpus/", "/__pycache__/")
    return [f for f in files if not any(s in str(f) for s in skip)]


def first_line(f):
    try:
        with open(f, "rb") as fh:
            return fh.readline().decode("utf-8", "replace")
    except OSError:
        return ""


def split_heredocs(text):
    """(shell text without heredoc bodies, [(tag, body, command line)])"""
    lines = text.splitlines()
    shell, docs = [], []
    i = 0
    while i < len(lines):
        line = lines[i]
        shell.append(line)
        m = HEREDOC.search(line)
        i += 1
        if m:
            body = []
            while i < len(lines) and lines[i].strip() != m.group(1):
                body.append(lines[i])
                i += 1
            i += 1
            docs.append((m.group(1), "\n".join(body), line))
    return "\n".join(shell), docs


def strip_comments(text):
    return "\n".join(re.sub(r"(^|\s)#.*$", "", line) for line in text.splitlines())


def python_sources():
    """(file, source) for every Python file, Python script and Python heredoc in a script."""
    out = []
    for f in project_files():
        head = first_line(f)
        if f.suffix == ".py" or (head.startswith("#!") and "python" in head):
            out.append((f, f.read_text()))
        elif head.startswith("#!") and "sh" in head:
            for _, body, cmd in split_heredocs(f.read_text())[1]:
                if "python" in cmd:
                    out.append((f, body))
    return out


def imported_modules():
    """top-level module name -> first file that imports it (local modules excluded)."""
    local = {f.stem for f in project_files() if f.suffix == ".py"}
    local |= {f.name for d in SCANNED_DIRS if d.is_dir() for f in d.rglob("*") if f.is_dir()}
    mods = {}
    for f, src in python_sources():
        for node in ast.walk(ast.parse(src, str(f))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for n in names:
                top = n.split(".")[0]
                if top not in local:
                    mods.setdefault(top, str(f.relative_to(REPO)))
    return mods


def python_program_words(src):
    """Program names in Python: the first element of a list handed to subprocess,
    require_program("x"), and os.environ.get("VAR", "default")'s default."""
    words = []
    for node in ast.walk(ast.parse(src)):
        if not isinstance(node, ast.Call):
            continue
        fn = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        args = node.args
        if fn in ("run", "Popen", "check_output", "check_call", "call") and args and isinstance(args[0], ast.List) \
                and args[0].elts and isinstance(args[0].elts[0], ast.Constant) and isinstance(args[0].elts[0].value, str):
            words.append(args[0].elts[0].value)
        if fn == "require_program" and args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
            words.append(args[0].value)
        if fn == "get" and len(args) == 2 and isinstance(args[1], ast.Constant) and isinstance(args[1].value, str):
            words.append(args[1].value)
    return words


def called_programs():
    """program name -> (path, first file that calls it): the #! interpreters, every word
    of the shell scripts and Makefiles (comments and heredoc bodies left out) that names
    a program on a fresh PATH, and the programs of the Python sources."""
    words = {}
    for f in project_files():
        head = first_line(f)
        rel = str(f.relative_to(REPO))
        if head.startswith("#!"):
            words.setdefault(head[2:].split()[0], rel)
        if f == SETUP:
            continue  # its words are package names; what it runs (apt-get, dpkg-query) is in the fresh base
        if (head.startswith("#!") and "sh" in head and "python" not in head) or f.name in ("Makefile", "Makefile.am", "configure.ac") \
                or f.suffix == ".mk":
            shell, _ = split_heredocs(f.read_text())
            for w in WORD.findall(strip_comments(shell)):
                if w not in SHELL_BUILTINS or f.suffix == ".mk" or "Makefile" in f.name:
                    words.setdefault(w, rel)
    for f, src in python_sources():
        for w in python_program_words(src):
            words.setdefault(w, str(f.relative_to(REPO)))
    progs = {}
    for w, where in words.items():
        path = w if w.startswith("/") and os.access(w, os.X_OK) else shutil.which(w, path=FRESH_PATH)
        if path and not os.path.isdir(path):
            progs[w] = (path, where)
    return progs


# ---- the checks ----

@pytest.fixture(scope="module")
def packages():
    if not shutil.which("dpkg-query"):
        pytest.fail("dpkg-query not found: this check needs Debian's dpkg", pytrace=False)
    return installed_packages()


@pytest.fixture(scope="module")
def covered(packages):
    listed = setup_packages(SETUP.read_text())
    not_installed = [p for p in listed if p not in packages]
    if not_installed:
        pytest.fail(f"contrib/setup-debian lists {' '.join(not_installed)}, not installed here: run contrib/setup-debian",
                    pytrace=False)
    base = [p for p, (essential, _, _) in packages.items() if essential] + FRESH_BASE
    return closure(listed + base, packages)


def gaps(things, covered, kind):
    out = []
    owners = dpkg_owners([path for path, _ in things.values()])
    for name, (path, where) in sorted(things.items()):
        pkg = owners[path]
        if pkg is None:
            out.append(f"{kind} {name} ({path}, named in {where}) belongs to no Debian package (installed by hand?)")
        elif pkg not in covered:
            out.append(f"{kind} {name} ({path}, named in {where}) comes from the Debian package {pkg}, "
                       "which contrib/setup-debian does not install")
    return out


def test_setup_debian_package_list_is_read():
    listed = setup_packages(SETUP.read_text())
    for p in ("python3", "python3-pytest", "gdb-multiarch", "valgrind", "mmdebstrap"):
        assert p in listed, f"{p} not found in contrib/setup-debian's PACKAGES: the parser or the list is wrong"


def test_scan_finds_the_known_programs():
    found = called_programs()
    missing = [f"{p} (called in {where})" for p, where in KNOWN_PROGRAMS.items() if p not in found]
    assert not missing, "the program scan does not find: " + "; ".join(missing)


def test_every_imported_python_module_is_installed_by_setup_debian(covered):
    mods = imported_modules()
    assert "pytest" in mods and "json" in mods, f"the import scan is broken: {sorted(mods)}"
    probe = ("import importlib.util, json, sys\n"
             "out = {}\n"
             "for m in sys.argv[1:]:\n"
             "    try:\n"
             "        s = importlib.util.find_spec(m)\n"
             "    except Exception:\n"
             "        s = None\n"
             "    out[m] = None if s is None else (s.origin if s.origin not in (None, 'built-in', 'frozen') else sys.executable)\n"
             "print(json.dumps(out))\n")
    r = subprocess.run(["/usr/bin/python3", "-c", probe, *mods], capture_output=True, text=True, timeout=60)
    origins = json.loads(r.stdout)
    problems = [f"Python module {m} (imported in {mods[m]}) is not importable by /usr/bin/python3: "
                "add its python3-* package to contrib/setup-debian"
                for m, o in sorted(origins.items()) if o is None]
    found = {m: (o, mods[m]) for m, o in origins.items() if o}
    problems += gaps(found, covered, "Python module")
    assert not problems, "\n".join(problems)


def test_every_called_program_is_installed_by_setup_debian(covered):
    problems = gaps(called_programs(), covered, "program")
    assert not problems, "\n".join(problems)
