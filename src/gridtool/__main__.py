"""`python -m gridtool` and the `gridtool` command. Ctrl-C at any moment, even while Python is still
importing gridtool, ends with one Chinese line and exit 130.

Once a command has finished well (its files written and closed, its second process ended, its summary
printed) the process ends at once: taking a district's million-row tables apart object by object took
0.25-0.5 s more, with nothing left to do. An error or an interrupt ends as usual: an interrupted run may
still hold the second process's lock, which multiprocessing's resource tracker would otherwise report."""

import os
import sys

from gridtool.errors import INTERRUPTED_MESSAGE, ExitCode


def main() -> None:
    try:
        from gridtool.cli import main as run_cli
        from gridtool.cli.app import STATE

        STATE["ends_with_command"] = True  # _end_now
        run_cli()
    except KeyboardInterrupt:
        sys.stderr.write(f"\n{INTERRUPTED_MESSAGE}\n")
        sys.exit(int(ExitCode.INTERRUPTED))
    except SystemExit as done:
        if done.code not in (0, None):
            raise  # an error or an interrupt ends as usual: what it still holds is cleaned up (the second process's lock)
    _end_now()


def _end_now() -> None:
    """Exit 0 after flushing what was printed."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`): what could be written was
            pass
    os._exit(0)


if __name__ == "__main__":  # a spawned writer process imports this module again: it must not run the CLI
    main()
