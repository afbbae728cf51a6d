"""The container's entrypoint: `mockd serve $MOCKD_OPTIONS <arguments>`, exec()ed.

- MOCKD_OPTIONS holds extra `mockd serve` flags in one string, split as a shell would (quotes work) but
  never run through a shell: `MOCKD_OPTIONS="--verbose --admin-api-basic-auth 'me:my secret'"`.
- Arguments after the image name are added after them (`docker run mockd --verbose`), unless the first
  is another mockd command (or --version): `docker run mockd validate /home/mockd` runs
  `mockd validate /home/mockd`.
- exec() replaces this process, so mockd is PID 1 and gets `docker stop`'s SIGTERM itself: it stops
  listening, finishes, and exits 0.
"""

from __future__ import annotations

import os
import sys

from mockd.cli import main as mockd_cli
from mockd.cli import split_options


def command(args: list[str], options: str) -> list[str]:
    if args and (args[0] in mockd_cli.commands or args[0] == "--version"):
        return ["mockd", *args]
    return ["mockd", "serve", *split_options(options), *args]


def run() -> None:
    try:
        argv = command(sys.argv[1:], os.environ.get("MOCKD_OPTIONS", ""))
    except ValueError as exc:  # an unbalanced quote
        sys.exit(f"mockd: cannot read MOCKD_OPTIONS: {exc}")
    os.execvp(argv[0], argv)


if __name__ == "__main__":
    run()
