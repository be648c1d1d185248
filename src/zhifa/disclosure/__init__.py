"""disclosure — 事后公开: publications, redaction, withdrawal, portal, search, open data.

`zhifa.disclosure.redaction` is the redaction engine: a pure module (no
models, no database, no Django import) used by the publication services and
by the `zhifa redact` command, which runs before Django is set up.
"""
