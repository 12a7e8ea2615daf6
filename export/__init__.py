"""Exports of the record that leave the clinic, without Qt: the session summary PDF
(:mod:`export.session_pdf`, reportlab). The Qt app calls the same functions to save or print."""
