"""Table models of the admin protocol screen: the settings of one version, and the versions.

The rows come from ``bedside.protocol_settings`` (labels, units, allowed ranges, sources and the
``[verify]`` flag are decided there); these models only lay them out, filter them, and hold the
values an admin has typed but not yet saved.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QFont

from bedside.errors import InputRejected
from bedside.protocol import Protocol
from bedside.protocol_approval import ProtocolVersion, VersionStatus
from bedside.protocol_settings import (
    GROUPS,
    SettingRow,
    apply_changes,
    describe_changes,
    setting_rows,
)
from bedside.timeutil import local_text
from ui.common.table_model import Index, RowTableModel
from ui.common.theme import colour

KeyRole = Qt.ItemDataRole.UserRole + 1
VerifyRole = Qt.ItemDataRole.UserRole + 2

SETTING_COLUMNS = ("Setting", "Value", "Unit", "Allowed", "Source")
VALUE_COLUMN = 1
VERIFY_NOTE = (
    "The cited source is marked [verify]: check it against the primary source before relying "
    "on this value (CLINICAL.md §11)."
)


class ProtocolSettingsModel(RowTableModel[SettingRow | str]):
    """Settings grouped by section (a title row per group), filtered, with pending edits."""

    pendingChanged = Signal(int)
    """Emitted with the number of pending (typed, unsaved) values."""

    headers = SETTING_COLUMNS

    def __init__(self, theme: str = "dim") -> None:
        super().__init__()
        self.theme = theme
        self._all: list[SettingRow] = []
        self._pending: dict[str, str] = {}
        self._problems: dict[str, str] = {}
        """Typed values the domain would refuse, with its words (shown as soon as typed)."""
        self._protocol: Protocol | None = None
        self._editable = False
        self._text = ""
        self._section = ""
        self._verify_only = False
        self._show_unset = False

    # --- row object interface -----------------------------------------------------------------

    def set_protocol(self, protocol: Protocol) -> None:
        """Show ``protocol``'s settings; pending edits are dropped."""
        self._all = setting_rows(protocol, include_unset=True)
        self._protocol = protocol
        self._pending.clear()
        self._problems.clear()
        self._rebuild()
        self.pendingChanged.emit(0)

    def set_filter(
        self,
        text: str = "",
        section: str = "",
        *,
        verify_only: bool = False,
        show_unset: bool = False,
    ) -> None:
        """Keep rows whose label, key, value, unit or source contains ``text``, in ``section``
        ("" = all), only ``[verify]`` ones if asked, and unset alert limits only if asked."""
        self._text = text.strip().lower()
        self._section = section
        self._verify_only = verify_only
        self._show_unset = show_unset
        self._rebuild()

    def set_editable(self, editable: bool) -> None:
        """Whether the value column accepts typing (the domain decided the user may edit)."""
        self._editable = editable
        if self._rows:
            self.dataChanged.emit(
                self.index(0, VALUE_COLUMN), self.index(len(self._rows) - 1, VALUE_COLUMN)
            )

    @property
    def editable(self) -> bool:
        """Whether values can be typed."""
        return self._editable

    def pending(self) -> dict[str, str]:
        """Dotted key → the text typed for it, for every changed value."""
        return dict(self._pending)

    def pending_descriptions(self) -> list[str]:
        """Each pending change in words: "Label (key): old → new"."""
        by_key = {r.key: r for r in self._all}
        return [
            f"{by_key[k].label} ({k}): {by_key[k].text or 'not set'} → {v or 'not set'}"
            for k, v in self._pending.items()
        ]

    def _judge(self, edited: str) -> None:
        """The domain's refusal of the typed values, now rather than at "Save": the values are
        judged together (a new maximum and a new default may only be valid as a pair), and
        each line of the refusal is shown on the setting it names."""
        self._problems.clear()
        if self._protocol is None or not self._pending:
            return
        try:
            apply_changes(self._protocol, self._pending)
        except InputRejected as exc:
            for line in str(exc).splitlines():
                named = [k for k in self._pending if k in line] or [edited]
                for key in named:
                    self._problems[key] = line

    def problems(self) -> dict[str, str]:
        """Dotted key → why the typed value would be refused."""
        return dict(self._problems)

    def discard(self) -> None:
        """Forget every pending value."""
        self._pending.clear()
        self._problems.clear()
        self._rebuild()
        self.pendingChanged.emit(0)

    def row_at(self, row: int) -> SettingRow | None:
        """The setting behind a table row (``None`` for a group title row)."""
        item = self._rows[row]
        return item if isinstance(item, SettingRow) else None

    def title_rows(self) -> list[int]:
        """Rows that are group titles (the view spans them across all columns)."""
        return [i for i, item in enumerate(self._rows) if isinstance(item, str)]

    def _matches(self, r: SettingRow) -> bool:
        unset_limit = r.value is None and r.group.startswith("alerts.")
        if unset_limit and not self._show_unset and r.key not in self._pending:
            return False
        if self._section and r.key.split(".")[0] != self._section:
            return False
        if self._verify_only and not r.verify:
            return False
        if not self._text:
            return True
        hay = " ".join((r.label, r.key, r.text, r.unit, r.source, GROUPS[r.group])).lower()
        return self._text in hay

    def _rebuild(self) -> None:
        self.beginResetModel()
        rows: list[SettingRow | str] = []
        for group in GROUPS:
            members = [r for r in self._all if r.group == group and self._matches(r)]
            if members:
                rows.append(group)
                rows.extend(members)
        self._rows = rows
        self.endResetModel()

    # --- Qt interface ---------------------------------------------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if isinstance(self._rows[index.row()], str):
            return Qt.ItemFlag.ItemIsEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editable and index.column() == VALUE_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self._row_of(index)
        if item is None:
            return None
        col = index.column()
        if isinstance(item, str):
            return self._title_data(item, col, role)
        pending = self._pending.get(item.key)
        problem = self._problems.get(item.key)
        if role == KeyRole:
            return item.key
        if role == VerifyRole:
            return item.verify
        if role == Qt.ItemDataRole.EditRole:
            return pending if pending is not None else item.text
        if role == Qt.ItemDataRole.DisplayRole:
            return _shown_text(item, col, pending, problem)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(item, col, problem)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            name = _tint(item, col, pending, problem, role)
            return QBrush(colour(self.theme, name)) if name else None
        if role == Qt.ItemDataRole.FontRole and col == VALUE_COLUMN:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _title_data(self, group: str, col: int, role: int) -> Any:
        if col != 0:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return GROUPS[group]
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(colour(self.theme, "accent"))
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or not self._editable
            or index.column() != VALUE_COLUMN
        ):
            return False
        item = self._rows[index.row()]
        if isinstance(item, str):
            return False
        text = str(value).strip()
        if text == item.text:
            self._pending.pop(item.key, None)
        else:
            self._pending[item.key] = text
        self._judge(item.key)
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), 4))
        self.pendingChanged.emit(len(self._pending))
        return True


HISTORY_COLUMNS = (
    "Version",
    "Saved",
    "By",
    "Hash",
    "Changes from the version before",
    "In effect",
)
APPROVAL_COLUMN = 5


class ProtocolHistoryModel(RowTableModel[ProtocolVersion]):
    """One row per stored protocol version, newest first, with whether and how it took effect
    (a version waiting for a clinician's approval is tinted)."""

    headers = HISTORY_COLUMNS

    def __init__(self, tz: str, theme: str = "dim") -> None:
        super().__init__()
        self.tz = tz
        self.theme = theme
        self._names: dict[str, str] = {}
        self._changes: list[str] = []

    def set_versions(self, versions: list[ProtocolVersion], names: dict[str, str]) -> None:
        """Replace the rows; ``names`` maps user ids to printed names."""
        self.beginResetModel()
        self._rows = list(versions)
        self._names = dict(names)
        self._changes = []
        for i, v in enumerate(self._rows):
            older = self._rows[i + 1] if i + 1 < len(self._rows) else None
            if older is None:
                self._changes.append("first version")
            else:
                self._changes.append("; ".join(describe_changes(older.protocol, v.protocol)))
        self.endResetModel()

    def version_at(self, row: int) -> ProtocolVersion:
        """The version behind a row."""
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        v = self._row_of(index)
        if v is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            status = "" if v.status is VersionStatus.EARLIER else f"  ({v.status.value})"
            by = self._names.get(v.created_by or "", "system") if v.created_by else "system"
            return (
                f"{v.protocol.version}{status}",
                local_text(v.created_at, self.tz, "%d %b %Y %H:%M"),
                by,
                v.hash[:12],
                self._changes[index.row()],
                v.approval_text(self.tz),
            )[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 3:
                return f"sha256 {v.hash}\nid {v.id}"
            if col == 4:
                return self._changes[index.row()].replace("; ", "\n")
            if col == APPROVAL_COLUMN:
                return v.approval_text(self.tz)
        pending = v.status is VersionStatus.PENDING
        if pending and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(colour(self.theme, "warning_bg"))
        if pending and role == Qt.ItemDataRole.ForegroundRole and col in (0, APPROVAL_COLUMN):
            return QBrush(colour(self.theme, "warning"))
        return None


def _shown_text(item: SettingRow, col: int, pending: str | None, problem: str | None) -> Any:
    """A setting's cell as shown: the name (flagged when unsourced), the value (with what it
    was, while an edit is pending), the unit, the allowed range, the source."""
    if col == 0:
        return f"⚠ {item.label}  [verify]" if item.verify else item.label
    if col == VALUE_COLUMN:
        if pending is not None:
            mark = "✖ " if problem else ""
            return f"{mark}{pending or 'not set'}   (was {item.text or 'not set'})"
        return item.text if item.value is not None else "not set"
    return (None, None, item.unit, item.allowed, item.source)[col]


def _tooltip(item: SettingRow, col: int, problem: str | None) -> str:
    """The key, the allowed range, why an edit would be refused, and the source."""
    lines = [f"{item.key}", f"Allowed: {item.allowed}"]
    if problem:
        lines.insert(0, f"Will be refused: {problem}")
    if col == 4 or item.verify:
        lines.append(f"Source: {item.source}")
    if item.verify:
        lines.append(VERIFY_NOTE)
    return "\n".join(lines)


def _tint(
    item: SettingRow, col: int, pending: str | None, problem: str | None, role: int
) -> str | None:
    """The palette colour of a cell's background or text (None: the table's own)."""
    if role == Qt.ItemDataRole.BackgroundRole:
        if col == VALUE_COLUMN and pending is not None:
            return "danger_bg" if problem else "accent_bg"
        return "warning_bg" if item.verify else None
    if problem and col == VALUE_COLUMN:
        return "danger"
    if item.verify and col in (0, 4):
        return "warning"
    if item.value is None and pending is None and col == VALUE_COLUMN:
        return "muted"
    return None
