"""The parts of the session summary PDF: fonts, styles, page furniture, the trend chart and one
module per group of sections. :mod:`export.session_pdf` assembles them (no Qt anywhere)."""
