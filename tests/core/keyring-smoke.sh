#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs the secret-store tests against a real gnome-keyring-daemon, unlocked with a
# throwaway password, inside a D-Bus session of its own.
set -eu

test_bin=$1

for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "keyring-smoke: $tool is not installed (apt-get install dbus gnome-keyring)" >&2
    exit 1
  fi
done

home=$(mktemp -d "${TMPDIR:-/tmp}/fulcrum-keyring-XXXXXX")
trap 'rm -rf "$home"' EXIT
mkdir -p "$home/data" "$home/config" "$home/run"
chmod 700 "$home/run"

HOME=$home XDG_DATA_HOME=$home/data XDG_CONFIG_HOME=$home/config XDG_RUNTIME_DIR=$home/run \
  FULCRUM_TEST_REAL_KEYRING=1 SECRET_BACKEND=service \
  dbus-run-session -- sh -c '
    # The password must not be empty, or the login keyring stays locked.
    printf %s "fulcrum-smoke-password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    # The daemon leaves when this session bus goes away.
    exec "$1"
  ' sh "$test_bin"
