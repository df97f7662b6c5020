"""`python -m gridtool` and the `gridtool` command. Ctrl-C at any moment, even while Python is still
importing gridtool, ends with one Chinese line and exit 130.

Once the command has finished (its files written and closed, its second process ended, its summary
printed) the process ends at once: taking a district's million-row tables apart object by object took
0.25-0.5 s more, with nothing left to do."""

import os
import sys

from gridtool.errors import INTERRUPTED_MESSAGE, ExitCode


def main() -> None:
    try:
        from gridtool.cli import main as run_cli

        run_cli()
    except KeyboardInterrupt:
        sys.stderr.write(f"\n{INTERRUPTED_MESSAGE}\n")
        sys.exit(int(ExitCode.INTERRUPTED))
    except SystemExit as done:
        _end_now(done.code)
    _end_now(0)


def _end_now(code: object) -> None:
    """Exit with `code` as SystemExit would (a text is printed, exit 1), after flushing what was printed."""
    if code is not None and not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`): what could be written was
            pass
    os._exit(code or 0)


if __name__ == "__main__":  # a spawned writer process imports this module again: it must not run the CLI
    main()
