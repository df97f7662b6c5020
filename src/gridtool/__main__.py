"""`python -m gridtool` and the `gridtool` command. Ctrl-C at any moment, even while Python is still
importing gridtool, ends with one Chinese line and exit 130."""

import sys

from gridtool.errors import INTERRUPTED_MESSAGE, ExitCode


def main() -> None:
    try:
        from gridtool.cli import main as run_cli

        run_cli()
    except KeyboardInterrupt:
        sys.stderr.write(f"\n{INTERRUPTED_MESSAGE}\n")
        sys.exit(int(ExitCode.INTERRUPTED))


if __name__ == "__main__":  # a spawned writer process imports this module again: it must not run the CLI
    main()
