"""Fresh ledger signing keys for a test class that loads the demo once.

The signer refuses to sign a second history of a size it has signed (a
fork). A class loading the demo in `setUpTestData` signs a checkpoint with
the process's default keys; when the same process loads the demo again —
another such class, or the same class set up again after pytest-xdist split
its tests — the second history has the same size and another root. Each
set-up therefore signs with keys of its own (function tests get theirs from
the root conftest).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.test import override_settings


class FreshLedgerKeys:
    @classmethod
    def setUpClass(cls):
        keys = Path(tempfile.mkdtemp(prefix="zhifa-demo-keys-"))
        override = override_settings(
            ZHIFA_LEDGER_KEY_FILE=keys / "log.key", ZHIFA_WITNESS_KEY_FILE=keys / "witness.key"
        )
        override.enable()
        cls.addClassCleanup(override.disable)
        super().setUpClass()
