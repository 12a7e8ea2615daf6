"""The clinic server (issue 14): the shared record on PostgreSQL, reached with psycopg 3.

Each workstation keeps charting into its own SQLite file (:mod:`bedside.store`); this package
owns the server's schema (numbered migrations, :mod:`.migrations`), its set-up
(:func:`.setup.init_server`) and, later, the sync. See SEVERAL_WORKSTATIONS.md for the design.
"""

SERVER_URL_SETTING = "server_url"
"""This workstation's clinic server (kept on the workstation, never sent to the server). Here,
not beside the sync, so the app can ask whether it joined one without loading psycopg."""
