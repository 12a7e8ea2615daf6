"""A session's window: the shell that draws the record, its actions (one module per part of the session), the side panel, the flowsheet model and the trend plot."""
