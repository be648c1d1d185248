"""The `zhifa` console script: Django management with the platform's settings.

`zhifa demo`, `zhifa rules`, `zhifa deadline RULE_ID DATE` and every Django
command (`zhifa migrate`, `zhifa createsuperuser`, …) go through here.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zhifa", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
