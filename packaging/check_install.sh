#!/bin/sh
# CI: install the bundle into a temporary prefix as a clinic's IT would, without any package
# registry, then run the installed app's checks and uninstall it, proving nothing is left.
#   packaging/check_install.sh dist/bedside-VERSION-linux-x86_64.tar.gz
set -eu
BUNDLE=$(realpath "${1:?usage: check_install.sh BUNDLE.tar.gz}")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"  # never the checkout: the installed program must not find the source tree
tar -xzf "$BUNDLE"
# No registry reachable: pip would fail here if the bundle lacked a wheel.
export PIP_INDEX_URL=http://127.0.0.1:9/ PIP_NO_INDEX=1
export BEDSIDE_LOG_DIR="$T/log" XDG_DATA_HOME="$T/home/data" XDG_CONFIG_HOME="$T/home/config"
export XDG_STATE_HOME="$T/home/state"
./bedside-*/install.sh --prefix "$T/opt/bedside" --bin-dir "$T/bin" --data-dir "$T/share"

VERSION=$(cat "$T/opt/bedside/VERSION")
head -1 "$T/opt/bedside/venv/bin/bedside" | grep -q "^#!$T/opt/bedside/venv/bin/python"
./bedside-*/install.sh --help | grep -q "usage:"
echo "::: installed bedside --version"
"$T/bin/bedside" --version | tee "$T/version.txt"
grep -q "^bedside $VERSION " "$T/version.txt"
echo "::: installed bedside demo --db"
"$T/bin/bedside" demo --db "$T/demo.db"
"$T/bin/bedside" sessions --all --db "$T/demo.db" >"$T/sessions.txt"
test "$(wc -l <"$T/sessions.txt")" -gt 1  # a heading and the demo's sessions
echo "::: installed bedside --smoke (a new clinic's database)"
QT_QPA_PLATFORM=offscreen "$T/bin/bedside" --db "$T/clinic.db" --smoke
test -s "$T/log/bedside.log"
if command -v desktop-file-validate >/dev/null 2>&1; then
    desktop-file-validate "$T/share/applications/bedside.desktop"
fi
grep -q "^Exec=$T/bin/bedside$" "$T/share/applications/bedside.desktop"
test -s "$T/share/icons/hicolor/scalable/apps/bedside.svg"
test -s "$T/share/icons/hicolor/48x48/apps/bedside.png"

echo "::: reinstall over it (an upgrade keeps one environment)"
./bedside-*/install.sh --prefix "$T/opt/bedside" --bin-dir "$T/bin" --data-dir "$T/share" >/dev/null
test "$(ls -d "$T"/opt/bedside/venv-* | wc -l)" -eq 1
"$T/bin/bedside" --version >/dev/null

echo "::: uninstall"
"$T/opt/bedside/uninstall.sh"
test ! -e "$T/opt/bedside"
test ! -e "$T/bin/bedside"
# Only the desktop's shared caches may remain (they belong to every program in that folder).
left=$(find "$T/share" -type f ! -name icon-theme.cache ! -name mimeinfo.cache)
[ -z "$left" ] || { echo "check_install: uninstall left files: $left" >&2; exit 1; }
test -e "$T/demo.db"  # the data stays
echo "::: the package installs, runs and uninstalls cleanly"
