"""The main window: the chair board, where its numbers come from, sign-in, the first run, and the lock."""
