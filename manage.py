#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # manage.py is the developer's entry point. Production serves through config.wsgi and runs its
    # workers through config.celery, where DEBUG is off unless set and SECRET_KEY is required; set
    # DEBUG=0 in production's environment for management commands too.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
