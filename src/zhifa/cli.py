"""The `zhifa` console script: Django management with the platform's settings.

`zhifa demo`, `zhifa rules`, `zhifa deadline RULE_ID DATE` and every Django
command (`zhifa migrate`, `zhifa createsuperuser`, …) go through here.

`zhifa redact` is dispatched before Django is set up: the redaction engine
needs no settings and no database (issue 8's CLI contract).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["redact"]:
        from zhifa.disclosure.redaction.cli import main as redact

        sys.exit(redact(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zhifa", *args])


if __name__ == "__main__":
    main()
