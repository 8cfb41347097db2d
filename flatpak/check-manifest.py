#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the Flatpak manifest against the sandbox the app is meant to have.

flatpak-builder is not available on the development machines, so this script is the check:

    check-manifest.py MANIFEST SOURCE_ROOT              check the manifest
    check-manifest.py --self-test MANIFEST SOURCE_ROOT  check that broken copies are rejected

Exit status 0 when the manifest is right, 1 with one line per problem otherwise.
"""

import configparser
import copy
import json
import os
import re
import sys

APP_ID = "io.github.fulcrumdesk.Fulcrum"
COMMAND = "fulcrum"
RUNTIME = "org.gnome.Platform"
SDK = "org.gnome.Sdk"

# The least the app needs: the network (Lever, and the 127.0.0.1 OAuth callback server), a
# display, and GL. Secrets go through the Secret portal, browsers through the OpenURI portal.
ALLOWED_FINISH_ARGS = {
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
}

# Named separately so that the failure says why, not just "unexpected argument".
FORBIDDEN = [
    (re.compile(r"^--talk-name=org\.freedesktop\.secrets$"),
     "talks to org.freedesktop.secrets directly: libsecret must go through the Secret portal"),
    (re.compile(r"^--filesystem=(home|host|host-os|host-etc|~)(/.*)?(:(ro|rw|create))?$"),
     "grants access to the user's files"),
    (re.compile(r"^--socket=(session-bus|system-bus)$"),
     "opens the whole session or system bus"),
    (re.compile(r"^--device=all$"), "grants every device"),
]


def check_manifest(manifest, manifest_dir, source_root):
    """Return a list of problems, empty when the manifest is right."""
    problems = []

    if not isinstance(manifest, dict):
        return ["the manifest is not a JSON object"]

    if "app-id" in manifest:
        problems.append("uses the old key 'app-id': use 'id'")
    if manifest.get("id") != APP_ID:
        problems.append(f"id is {manifest.get('id')!r}, expected {APP_ID!r}")
    if manifest.get("runtime") != RUNTIME:
        problems.append(f"runtime is {manifest.get('runtime')!r}, expected {RUNTIME!r}")
    if manifest.get("sdk") != SDK:
        problems.append(f"sdk is {manifest.get('sdk')!r}, expected {SDK!r}")
    version = manifest.get("runtime-version")
    if not isinstance(version, str) or not re.fullmatch(r"[0-9]{2,}", version):
        problems.append(f"runtime-version is {version!r}, expected a stable GNOME branch such as '50'")
    if manifest.get("command") != COMMAND:
        problems.append(f"command is {manifest.get('command')!r}, expected {COMMAND!r}")

    finish_args = manifest.get("finish-args")
    if not isinstance(finish_args, list) or not all(isinstance(a, str) for a in finish_args):
        problems.append("finish-args is not a list of strings")
    else:
        for arg in finish_args:
            for pattern, why in FORBIDDEN:
                if pattern.match(arg):
                    problems.append(f"finish-args {arg!r} {why}")
        if len(finish_args) != len(set(finish_args)):
            problems.append("finish-args has duplicates")
        extra = sorted(set(finish_args) - ALLOWED_FINISH_ARGS)
        missing = sorted(ALLOWED_FINISH_ARGS - set(finish_args))
        if extra:
            problems.append(f"finish-args has more than the app needs: {', '.join(extra)}")
        if missing:
            problems.append(f"finish-args lacks what the app needs: {', '.join(missing)}")

    modules = manifest.get("modules")
    if not isinstance(modules, list) or len(modules) != 1:
        problems.append("expected exactly one module (the app, built from this tree)")
    else:
        problems += check_module(modules[0], manifest_dir, source_root)

    return problems


def check_module(module, manifest_dir, source_root):
    if not isinstance(module, dict):
        return ["the module is not an object (a path to another manifest?)"]

    problems = []
    if module.get("buildsystem") != "meson":
        problems.append(f"the module's buildsystem is {module.get('buildsystem')!r}, expected 'meson'")

    sources = module.get("sources")
    if not isinstance(sources, list) or len(sources) != 1 or not isinstance(sources[0], dict):
        return problems + ["the module needs exactly one source: this tree as type 'dir'"]

    source = sources[0]
    if source.get("type") != "dir":
        problems.append(f"the module's source type is {source.get('type')!r}, expected 'dir'")
    path = source.get("path")
    if not isinstance(path, str):
        problems.append("the module's dir source has no path")
    elif os.path.isabs(path):
        problems.append(f"the module's source path {path!r} is absolute; it must be relative")
    elif os.path.realpath(os.path.join(manifest_dir, path)) != os.path.realpath(source_root):
        problems.append(f"the module's source path {path!r} does not point at the source tree")
    return problems


def check_tree(source_root):
    """The files the manifest relies on: `command` launched from a desktop file named after the
    app id, and its icon."""
    problems = []
    data = os.path.join(source_root, "data")
    desktop_in = os.path.join(data, APP_ID + ".desktop.in")
    if not os.path.isfile(desktop_in):
        return [f"data/{APP_ID}.desktop.in is missing"]

    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(desktop_in, encoding="utf-8")
    entry = parser["Desktop Entry"] if parser.has_section("Desktop Entry") else {}
    exec_line = entry.get("Exec", "").split()
    if not exec_line or exec_line[0] != COMMAND:
        problems.append(f"the desktop file runs {entry.get('Exec')!r}, not the manifest's command {COMMAND!r}")
    if entry.get("Icon") != APP_ID:
        problems.append(f"the desktop file's Icon is {entry.get('Icon')!r}, expected {APP_ID!r}")

    for icon in (f"scalable/apps/{APP_ID}.svg", f"symbolic/apps/{APP_ID}-symbolic.svg"):
        if not os.path.isfile(os.path.join(data, "icons", "hicolor", icon)):
            problems.append(f"data/icons/hicolor/{icon} is missing")
    return problems


def load(manifest_path):
    with open(manifest_path, encoding="utf-8") as f:
        return json.load(f)


def self_test(manifest, manifest_dir, source_root):
    """Every one of these broken copies must be rejected; the real one must pass."""

    def mutated(change):
        m = copy.deepcopy(manifest)
        change(m)
        return m

    def add_arg(arg):
        return lambda m: m["finish-args"].append(arg)

    cases = {
        "secrets talk-name": add_arg("--talk-name=org.freedesktop.secrets"),
        "home filesystem": add_arg("--filesystem=home"),
        "host filesystem": add_arg("--filesystem=host:ro"),
        "session bus": add_arg("--socket=session-bus"),
        "system bus": add_arg("--socket=system-bus"),
        "x11 instead of fallback": add_arg("--socket=x11"),
        "duplicate arg": add_arg("--share=ipc"),
        "no network": lambda m: m["finish-args"].remove("--share=network"),
        "wrong id": lambda m: m.update(id="org.example.Fulcrum"),
        "freedesktop runtime": lambda m: m.update(runtime="org.freedesktop.Platform"),
        "wrong sdk": lambda m: m.update(sdk="org.kde.Sdk"),
        "master runtime": lambda m: m.update({"runtime-version": "master"}),
        "wrong command": lambda m: m.update(command="fulcrumctl"),
        "two modules": lambda m: m["modules"].append(copy.deepcopy(m["modules"][0])),
        "git source": lambda m: m["modules"][0]["sources"][0].update(type="git"),
        "elsewhere": lambda m: m["modules"][0]["sources"][0].update(path="../.."),
        "cmake": lambda m: m["modules"][0].update(buildsystem="cmake"),
    }

    failures = []
    if check_manifest(manifest, manifest_dir, source_root):
        failures.append("the real manifest is rejected")
    for name, change in cases.items():
        if not check_manifest(mutated(change), manifest_dir, source_root):
            failures.append(f"a manifest with {name} is accepted")
    return failures, len(cases)


def main(argv):
    args = argv[1:]
    selftest = bool(args) and args[0] == "--self-test"
    if selftest:
        args = args[1:]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2

    manifest_path, source_root = args
    manifest_dir = os.path.dirname(os.path.abspath(manifest_path))
    try:
        manifest = load(manifest_path)
    except (OSError, ValueError) as e:
        print(f"{manifest_path}: not valid JSON: {e}", file=sys.stderr)
        return 1

    if selftest:
        failures, n = self_test(manifest, manifest_dir, source_root)
        for failure in failures:
            print(f"self-test: {failure}", file=sys.stderr)
        if not failures:
            print(f"self-test: {n} broken manifests rejected, the real one accepted")
        return 1 if failures else 0

    problems = check_manifest(manifest, manifest_dir, source_root) + check_tree(source_root)
    for problem in problems:
        print(f"{manifest_path}: {problem}", file=sys.stderr)
    if not problems:
        print(f"{manifest_path}: OK ({manifest['runtime']}//{manifest['runtime-version']}, "
              f"{len(manifest['finish-args'])} finish-args)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
