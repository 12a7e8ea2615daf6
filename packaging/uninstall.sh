#!/bin/sh
# Remove Bedside as install.sh put it: the program folder and the files it listed outside it
# (the command, the menu entry, the icons). The clinic's data stays where it is: databases,
# backups and logs are never in the program folder.
set -eu
PREFIX=$(cd "$(dirname "$0")" && pwd)
[ -e "$PREFIX/.bedside-install" ] || { echo "uninstall.sh: $PREFIX is not a Bedside installation" >&2; exit 1; }
if [ -f "$PREFIX/installed-files" ]; then  # only what install.sh wrote, line by line
    while IFS= read -r path; do
        [ -n "$path" ] && rm -f "$path"
    done <"$PREFIX/installed-files"
fi
DATA_DIRS=$(sed -n 's|/applications/bedside.desktop$||p' "$PREFIX/installed-files" 2>/dev/null || true)
rm -rf "$PREFIX"
# The menu's and the icon theme's caches are shared with other programs: refresh, never remove.
for data in $DATA_DIRS; do
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
    [ -f "$data/icons/hicolor/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null 2>&1 \
        && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
done
echo "Bedside removed from $PREFIX."
echo "Kept: each user's databases and settings (~/.local/share/Bedside, ~/.config/Bedside),"
echo "logs (~/.local/state/Bedside/log), the clinic's backup folder, and any --db file."
