"""The ``minqing`` console script: a thin wrapper over the management commands.

``minqing demo``, ``minqing import units FILE``, ``minqing tree CODE`` and every other
Django management command (``minqing migrate``, ``minqing runserver`` ...).
"""

import os
import sys

# Sub-commands whose user-facing name is not a valid Django command module name.
ALIASES = {
    "import": "import_data",
    "run-deadlines": "run_deadlines",
    "rollup-activities": "rollup_activities",
    "rollup-problems": "rollup_problems",
    "audit-archive": "audit_archive",
}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["minqing", *args])


if __name__ == "__main__":
    main()
