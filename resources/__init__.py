"""Content that ships with the app: the default protocol with the source of every value
(``protocol_default.toml``), the consent template, and the style sheets (``qss/``). Read with
``importlib.resources``; nothing here is code that runs."""
