"""Admin: the clinic protocol — every value with its unit, allowed range and cited source.

Anyone may read it. "Change values" asks the domain whether this user may change the protocol
(a nurse or clinician is refused in words); saving sends the typed values to
``ChartService.new_protocol_version``, which validates them, refuses a bad value naming the
setting and its allowed range, and otherwise stores a new version. A version that changes a
clinical setting is saved *pending*: the screen says so, and it takes effect only when a
clinician approves it here ("Approve version …", :mod:`ui.admin.protocol_approval`). Nothing
is ever edited in place: earlier versions stay listed below, and each can be viewed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bedside.people import Permission, User
from bedside.protocol_approval import ProtocolVersion, VersionStatus
from bedside.protocol_settings import SECTIONS, setting_rows
from bedside.service import ChartService
from ui.admin.protocol_approval import (
    approve_shown,
    pending_banner,
    save_question,
    saved_words,
    state_words,
)
from ui.admin.protocol_model import (
    APPROVAL_COLUMN,
    VALUE_COLUMN,
    ProtocolHistoryModel,
    ProtocolSettingsModel,
)
from ui.common import operations
from ui.common.lock_gate import SurvivesLock
from ui.common.theme import TYPE_SCALE, points


class ProtocolDialog(SurvivesLock):
    """The protocol screen: header with version, id and hash; filters; settings; history."""

    def __init__(
        self,
        service: ChartService,
        actor: User,
        parent: QWidget | None = None,
        theme: str = "dim",
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.actor = actor
        self.theme = theme
        self.setWindowTitle("Protocol")
        self.shown: ProtocolVersion | None = None
        layout = QVBoxLayout(self)
        self._add_heading(layout)
        layout.addLayout(self._build_filters())
        settings = self._build_settings_table(theme)
        history = self._build_history()
        layout.addWidget(self._split(settings, history), 1)
        self.status = QLabel("")
        self.status.setObjectName("protocolStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addLayout(self._build_buttons())
        self.resize(1280, 720)
        self.refresh()

    def _add_heading(self, layout: QVBoxLayout) -> None:
        """The protocol's name, its version line, its id and hash, and the [verify] note."""
        self.title = QLabel("")
        self.title.setObjectName("protocolTitle")
        self.title.setStyleSheet(
            f"font-weight: bold; font-size: {points(TYPE_SCALE['font_large'])}pt;"
        )
        layout.addWidget(self.title)
        self.version_line = QLabel("")
        self.version_line.setObjectName("protocolVersion")
        self.version_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.version_line.setWordWrap(True)
        layout.addWidget(self.version_line)
        self.pending_note = QLabel("")
        self.pending_note.setObjectName("pendingNote")
        self.pending_note.setProperty("role", "warning")
        self.pending_note.setWordWrap(True)
        self.pending_note.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.pending_note)
        self.identity = QLabel("")
        self.identity.setObjectName("protocolIdentity")
        self.identity.setProperty("role", "muted")
        self.identity.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.identity)
        self.verify_note = QLabel("")
        self.verify_note.setObjectName("verifyNote")
        self.verify_note.setWordWrap(True)
        layout.addWidget(self.verify_note)

    def _build_filters(self) -> QHBoxLayout:
        """Search, section, "only [verify]" and "show alert limits not set" over the settings."""
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("protocolSearch")
        self.search.setPlaceholderText("Search settings, values or sources (e.g. systolic, APA)")
        self.search.setClearButtonEnabled(True)
        self.section = QComboBox()
        self.section.setObjectName("protocolSection")
        self.section.addItem("All sections", "")
        for key, title in SECTIONS.items():
            self.section.addItem(title, key)
        self.verify_only = QCheckBox("Only [verify]")
        self.verify_only.setObjectName("verifyOnly")
        self.show_unset = QCheckBox("Show alert limits not set")
        self.show_unset.setObjectName("showUnset")
        filters.addWidget(self.search, 3)
        filters.addWidget(self.section, 1)
        filters.addWidget(self.verify_only)
        filters.addWidget(self.show_unset)
        self.search.textChanged.connect(self._apply_filter)
        self.section.currentIndexChanged.connect(self._apply_filter)
        self.verify_only.toggled.connect(self._apply_filter)
        self.show_unset.toggled.connect(self._apply_filter)
        return filters

    def _build_settings_table(self, theme: str) -> QTableView:
        """Every setting with its value, unit, range and source; values typed in place."""
        self.model = ProtocolSettingsModel(theme)
        self.table = QTableView()
        self.table.setObjectName("protocolSettings")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        # Row heights follow the wrapped source text whenever the columns change width.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for col, width in enumerate((290, 130, 70, 300)):
            self.table.setColumnWidth(col, width)
        self.model.modelReset.connect(self._span_titles)
        self.model.pendingChanged.connect(self._pending_changed)
        return self.table

    def _build_history(self) -> QWidget:
        """The saved versions, newest first; clicking one shows it."""
        history_box = QWidget()
        history_layout = QVBoxLayout(history_box)
        history_layout.setContentsMargins(0, 6, 0, 0)
        history_layout.setSpacing(4)
        history_title = QLabel(
            "<b>Versions</b> — select one to view it; only the newest can be changed"
        )
        history_layout.addWidget(history_title)
        self.history = ProtocolHistoryModel(self.service.timezone, self.theme)
        self.history_table = QTableView()
        self.history_table.setObjectName("protocolHistory")
        self.history_table.setModel(self.history)
        self.history_table.verticalHeader().hide()
        self.history_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.history_table.setMinimumHeight(84)
        self.history_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        hh = self.history_table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(APPROVAL_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.history_table.clicked.connect(lambda index: self.show_version(index.row()))
        history_layout.addWidget(self.history_table)
        return history_box

    @staticmethod
    def _split(settings: QTableView, history: QWidget) -> QSplitter:
        """The settings above the versions; the settings take the spare height."""
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(settings)
        splitter.addWidget(history)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setSizes([560, 130])
        splitter.setChildrenCollapsible(False)
        return splitter

    def _build_buttons(self) -> QHBoxLayout:
        """Change values on the left; discard, save as a new version and close on the right."""
        buttons = QHBoxLayout()
        self.edit_button = QPushButton("Change values…")
        self.edit_button.setObjectName("editProtocol")
        self.edit_button.clicked.connect(self.begin_edit)
        self.approve_button = QPushButton("Approve…")
        self.approve_button.setObjectName("approveProtocol")
        self.approve_button.clicked.connect(self.approve)
        self.discard_button = QPushButton("Discard changes")
        self.discard_button.clicked.connect(self.discard)
        self.save_button = QPushButton("Save as new version…")
        self.save_button.setObjectName("saveProtocol")
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.approve_button)
        buttons.addStretch(1)
        for b in (self.discard_button, self.save_button, self.close_button):
            buttons.addWidget(b)
        return buttons

    # --- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the versions and show the newest."""
        self.service.ensure_protocol()
        versions = self.service.store.protocol_versions()
        names = {str(u.id): u.display_name for u in self.service.store.users()}
        self.history.set_versions(versions, names)
        self.pending_note.setText(pending_banner(versions))
        self.pending_note.setVisible(bool(self.pending_note.text()))
        self.show_version(0)

    def show_version(self, row: int) -> None:
        """Show one version's settings (row 0 is the current version)."""
        if self.model.pending():
            self.status.setText("Save or discard the changes before viewing another version.")
            return
        version = self.history.version_at(row)
        self.shown = version
        current = row == 0
        if not current:
            self.model.set_editable(False)
        self.model.set_protocol(version.protocol)
        self.history_table.selectRow(row)
        p = version.protocol
        self.title.setText(p.name)
        by = self.history.index(row, 2).data()
        state = state_words(version, newest=current)
        approved = version.approval is not None and version.approval.signature is not None
        self.version_line.setText(
            f"Version {p.version} ({state}) · saved {self.history.index(row, 1).data()} by {by}"
            + (f" · {version.approval_text(self.service.timezone)}" if approved else "")
        )
        self.identity.setText(f"id {version.id}   ·   sha256 {version.hash}")
        rows = setting_rows(p)
        verify = sum(1 for r in rows if r.verify)
        self.verify_note.setText(
            f"⚠ {verify} of {len(rows)} values cite a source marked [verify]: check them against "
            "the primary source before relying on them (CLINICAL.md §11)."
            if verify
            else ""
        )
        self._update_buttons()

    def _apply_filter(self) -> None:
        self.model.set_filter(
            self.search.text(),
            str(self.section.currentData() or ""),
            verify_only=self.verify_only.isChecked(),
            show_unset=self.show_unset.isChecked(),
        )

    def _span_titles(self) -> None:
        self.table.clearSpans()
        for row in self.model.title_rows():
            self.table.setSpan(row, 0, 1, self.model.columnCount())

    # --- editing ------------------------------------------------------------------------------

    def begin_edit(self) -> None:
        """Ask the domain whether this user may change the protocol; if so, allow typing."""
        allowed = operations.run(
            self,
            lambda: self.service.accounts.require(
                self.actor, Permission.MANAGE_PROTOCOL, "change the protocol"
            ),
        )
        if allowed is None:
            self.status.setText("Read-only: your account may not change the protocol.")
            return
        if self.history.rowCount() and self.shown is not self.history.version_at(0):
            self.show_version(0)
        self.model.set_editable(True)
        self.status.setText(
            "Editing: double-click a value (or select it and type), then press Save as new "
            "version. Nothing is saved until then; the current version stays as it is."
        )
        first = next(
            (r for r in range(self.model.rowCount()) if self.model.row_at(r) is not None), None
        )
        if first is not None:
            self.table.setCurrentIndex(self.model.index(first, VALUE_COLUMN))
        self.table.setFocus()
        self._update_buttons()

    def _pending_changed(self, count: int) -> None:
        if count:
            self.status.setText(
                f"{count} value{'s' if count != 1 else ''} changed, not saved yet: "
                + "; ".join(self.model.pending_descriptions())
            )
        self._update_buttons()

    def _update_buttons(self) -> None:
        pending = bool(self.model.pending())
        waiting = self.shown is not None and self.shown.status is VersionStatus.PENDING
        self.approve_button.setVisible(waiting)
        self.approve_button.setEnabled(waiting and not pending)
        if self.shown is not None:
            self.approve_button.setText(f"Approve version {self.shown.protocol.version}…")
        self.edit_button.setEnabled(not self.model.editable)
        self.edit_button.setText("Editing values" if self.model.editable else "Change values…")
        self.save_button.setEnabled(pending)
        self.discard_button.setEnabled(pending)
        self.save_button.setDefault(pending)
        self.history_table.setEnabled(not pending)

    def discard(self) -> None:
        """Forget the typed values."""
        self.model.discard()
        self.status.setText("Changes discarded.")

    def save(self) -> None:
        """Send the typed values to the domain; it stores a new version or says what is wrong."""
        changes = self.model.pending()
        if not changes:
            return
        clinical = operations.run(
            self, lambda: self.service.protocol_changes_needing_approval(changes)
        )
        saved = None
        if clinical is not None and operations.confirm(
            self,
            "Save a new protocol version?",
            save_question(self.model.pending_descriptions(), clinical),
        ):
            saved = operations.run(
                self, lambda: self.service.new_protocol_version(self.actor, changes)
            )
        if saved is None:
            if clinical is None or self.model.pending():
                self.status.setText(
                    "Not saved: correct the values shown in the message (they are still typed "
                    "in), or discard them."
                    if clinical is None
                    else "Not saved: the values are still typed in."
                )
            return
        self.model.discard()
        self.refresh()
        self.model.set_editable(True)
        self.status.setText(saved_words(self.history.version_at(0)))

    def approve(self) -> None:
        """A clinician approves the pending version shown (the core decides who may)."""
        if self.shown is None:
            return
        versions = [self.history.version_at(r) for r in range(self.history.rowCount())]
        number = self.shown.protocol.version
        approval = approve_shown(self, self.service, self.actor, self.shown, versions)
        if approval is None:
            self.status.setText(f"Version {number} was not approved.")
            return
        self.refresh()
        self.status.setText(
            f"Version {number} {approval.text(self.service.timezone)}. It is in effect: "
            "sessions opened from now on run under it."
        )

    def reject(self) -> None:
        """Close; typed but unsaved values are only dropped after asking."""
        count = len(self.model.pending())
        if count and not operations.confirm(
            self, "Discard changes?", f"{count} changed value(s) are not saved. Discard them?"
        ):
            return
        super().reject()
