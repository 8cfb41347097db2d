# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by run-app and run-tests: installs what a fresh Debian 12 machine lacks.

# Everything the build, the app and the whole test suite need, as Debian packages.
FULCRUM_DEBIAN_PACKAGES="
  gcc meson ninja-build pkg-config gettext
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libjson-glib-dev libsecret-1-dev
  desktop-file-utils appstream python3
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools
  chromium nodejs
"

fulcrum_install_packages () {
  missing=""
  for pkg in $FULCRUM_DEBIAN_PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing="$missing $pkg"
    fi
  done
  [ -z "$missing" ] && return 0

  echo "Installing missing Debian packages:$missing" >&2
  if [ "$(id -u)" -eq 0 ]; then
    sudo=""
  elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "These packages are missing and this is not root and has no sudo:$missing" >&2
    return 1
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # shellcheck disable=SC2086
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
}

# The browser hand-off test drives Debian's Chromium with npm's playwright-core (never a
# browser of its own). Some nodejs builds ship npm, Debian's does not.
fulcrum_install_e2e () {
  if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm
  fi
  if [ ! -d tests/e2e/node_modules/playwright-core ] ||
     [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; then
    (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# meson setup once, then only rebuild.
fulcrum_build () {
  builddir=$1
  shift
  if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" "$@"
  fi
  ninja -C "$builddir"
}
