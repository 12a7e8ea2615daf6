"""Administration: accounts, the protocol and its versions, the clinic settings."""
