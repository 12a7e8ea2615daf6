#!/bin/sh
# Install Bedside from this bundle: no clone, no package registry, nothing but python3 (3.11+).
#
#   sudo ./install.sh                 # /opt/bedside, /usr/local/bin/bedside, the menu entry
#   ./install.sh --prefix DIR --bin-dir DIR --data-dir DIR    # anywhere you can write
#
# Run it again from a newer bundle to upgrade: the program is replaced, the clinic's data is
# never touched (it lives in each user's data folder or the --db the clinic chose, and the
# database is migrated the first time the new version opens it). Uninstall with
# PREFIX/uninstall.sh.
set -eu

PREFIX=/opt/bedside
BIN_DIR=/usr/local/bin
DATA_DIR=/usr/local/share
PYTHON=python3
usage() {
    echo "usage: $0 [--prefix DIR] [--bin-dir DIR] [--data-dir DIR] [--python PYTHON]"
    echo "  defaults: --prefix /opt/bedside --bin-dir /usr/local/bin --data-dir /usr/local/share"
}
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX=${2:?}; shift 2 ;;
        --bin-dir) BIN_DIR=${2:?}; shift 2 ;;
        --data-dir) DATA_DIR=${2:?}; shift 2 ;;
        --python) PYTHON=${2:?}; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done
HERE=$(cd "$(dirname "$0")" && pwd)
VERSION=$(cat "$HERE/VERSION")
fail() { echo "install.sh: $*" >&2; exit 1; }

# 1. A Python this bundle has wheels for.
command -v "$PYTHON" >/dev/null 2>&1 || fail "no $PYTHON on this machine (Bedside needs Python 3.11 or newer)"
PYV=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || fail "$PYTHON is Python $PYV; Bedside needs 3.11 or newer"
TAG=cp$(echo "$PYV" | tr -d .)
ls "$HERE"/wheels/pydantic_core-*-"$TAG"-*.whl >/dev/null 2>&1 \
    || fail "this bundle was built for Python $(cat "$HERE/PYTHONS"); this machine has $PYV (rebuild with ./run package --python $PYV)"

# 2. The program, in a private environment of its own; "venv" points to it only once it is
#    complete, so a failed install leaves the previous version working.
mkdir -p "$PREFIX"
if [ -e "$PREFIX/venv" ] && [ ! -e "$PREFIX/.bedside-install" ]; then
    fail "$PREFIX/venv exists and was not made by this installer; choose another --prefix"
fi
NEW="$PREFIX/venv-$VERSION.$$"
trap 'rm -rf "$NEW"' EXIT
# --without-pip: Debian's python3 has no ensurepip unless python3-venv is installed; pip is
# run from its own wheel, which is in the bundle (sqlite-utils depends on it anyway).
"$PYTHON" -m venv --without-pip "$NEW"
PIP_WHEEL=$(ls "$HERE"/wheels/pip-*.whl | head -n 1)
pip_install() {
    "$NEW/bin/python" "$PIP_WHEEL/pip" install --quiet --no-index --disable-pip-version-check \
        --find-links "$HERE/wheels" "$@"
}
pip_install --require-hashes -r "$HERE/requirements.txt"
pip_install --no-deps "$HERE"/wheels/bedside-"$VERSION"-*.whl
# The command names the stable "venv" link, not this versioned folder: a path the app shows
# (the restore command in Admin > Backups) must still work after the next upgrade.
sed -i "1s|^#!$NEW/|#!$PREFIX/venv/|" "$NEW/bin/bedside"
ln -sfn "$(basename "$NEW")" "$PREFIX/venv.link"
mv -T "$PREFIX/venv.link" "$PREFIX/venv"
trap - EXIT
for old in "$PREFIX"/venv-*; do
    [ "$old" = "$NEW" ] || rm -rf "$old"
done
touch "$PREFIX/.bedside-install"
echo "$VERSION" >"$PREFIX/VERSION"
cp "$HERE/uninstall.sh" "$PREFIX/uninstall.sh"
chmod 755 "$PREFIX/uninstall.sh"

# 3. The command, the menu entry and the icon; every file outside PREFIX is listed for uninstall.
MANIFEST="$PREFIX/installed-files"
: >"$MANIFEST"
mkdir -p "$BIN_DIR" "$DATA_DIR/applications"
ln -sf "$PREFIX/venv/bin/bedside" "$BIN_DIR/bedside"
echo "$BIN_DIR/bedside" >>"$MANIFEST"
sed "s|@BEDSIDE@|$BIN_DIR/bedside|" "$HERE/bedside.desktop" >"$DATA_DIR/applications/bedside.desktop"
echo "$DATA_DIR/applications/bedside.desktop" >>"$MANIFEST"
for png in "$HERE"/icons/bedside-*.png; do
    size=$(basename "$png" .png); size=${size#bedside-}
    mkdir -p "$DATA_DIR/icons/hicolor/${size}x${size}/apps"
    cp "$png" "$DATA_DIR/icons/hicolor/${size}x${size}/apps/bedside.png"
    echo "$DATA_DIR/icons/hicolor/${size}x${size}/apps/bedside.png" >>"$MANIFEST"
done
mkdir -p "$DATA_DIR/icons/hicolor/scalable/apps"
cp "$HERE/icons/bedside.svg" "$DATA_DIR/icons/hicolor/scalable/apps/bedside.svg"
echo "$DATA_DIR/icons/hicolor/scalable/apps/bedside.svg" >>"$MANIFEST"
# The desktop's caches, where the machine has the tools (a missing tool only delays the menu).
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATA_DIR/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$DATA_DIR/icons/hicolor" || true

# 4. The system libraries Qt needs for a window (present on a desktop install, not always on a
#    minimal one): say which are missing and how to add them, but do not fail.
if command -v ldconfig >/dev/null 2>&1; then
    missing=""
    for pair in libxcb-cursor.so.0:libxcb-cursor0 libxkbcommon-x11.so.0:libxkbcommon-x11-0 \
        libEGL.so.1:libegl1 libGL.so.1:libgl1 libfontconfig.so.1:libfontconfig1 \
        libdbus-1.so.3:libdbus-1-3 libxcb-icccm.so.4:libxcb-icccm4 libxcb-keysyms.so.1:libxcb-keysyms1; do
        ldconfig -p | grep -q "${pair%%:*}" || missing="$missing ${pair#*:}"
    done
    if [ -n "$missing" ]; then
        echo "install.sh: the desktop app needs these system packages:$missing" >&2
        echo "install.sh:   sudo apt install$missing" >&2
    fi
fi

echo "Bedside $VERSION installed in $PREFIX; command: $BIN_DIR/bedside; uninstall: $PREFIX/uninstall.sh"
echo "First start on each workstation: bedside  (asks for the clinic's name, address, time zone and"
echo "paper size, and its first admin)"
