"""The shape every read-only table model of the app shares: one row object per table row and a
fixed tuple of column headers. Subclasses add ``data`` (and, where they differ, ``flags`` or
``headerData``); the Qt overrides below are the ones that were the same in every model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

RowT = TypeVar("RowT")

Index = QModelIndex | QPersistentModelIndex


class RowTableModel(QAbstractTableModel, Generic[RowT]):
    """A table over a sequence of row objects, with the column titles in :attr:`headers`.

    Rows are replaced as a whole (:meth:`_set_rows`, a model reset); every cell is enabled and
    selectable.
    """

    headers: tuple[str, ...] = ()
    """The horizontal header titles, left to right (one per column)."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: Sequence[RowT] = ()

    def _set_rows(self, rows: Sequence[RowT]) -> None:
        """Replace every row (a full model reset)."""
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def _row_of(self, index: Index) -> RowT | None:
        """The row object behind ``index``; ``None`` for an invalid or stale index."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    # --- Qt interface ---------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
