"""Work done in a second process beside this one, which never outlives it.

The child ignores Ctrl-C (the parent decides and stops it), and dies as soon as the parent is gone, even
after `kill -9`: on Linux the kernel sends it SIGKILL (PR_SET_PDEATHSIG); everywhere, a thread in the child
waits on a pipe whose other end only the parent holds, and ends the child when that pipe closes.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

PR_SET_PDEATHSIG = 1


class SecondProcess:
    def __init__(self, process: Any, results: Any) -> None:
        self.process = process
        self.results = results

    def result(self) -> Any:
        """Wait for the child; what its target returned, or its exception raised here."""
        try:
            outcome, value = self.results.recv()
        except EOFError:
            self.process.join()
            raise RuntimeError(f"second process ended without a result (exit code {self.process.exitcode})") from None
        if outcome == "error":
            raise value
        return value


@contextmanager
def second_process(target: Callable[..., Any], *args: Any) -> Iterator[SecondProcess]:
    """Run `target(*args)` in a spawned process; leaving the block (normally or not) ends it."""
    context = multiprocessing.get_context("spawn")  # the child gets its arguments only, not our memory
    results, results_child = context.Pipe(duplex=False)
    lifeline_child, lifeline = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(os.getpid(), lifeline_child, results_child, target, args),
                              daemon=True)
    with _interrupts_blocked():  # the child starts with Ctrl-C blocked and then ignores it
        process.start()
    results_child.close()
    lifeline_child.close()
    try:
        yield SecondProcess(process, results)
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        lifeline.close()
        results.close()


def _child(parent: int, lifeline: Any, results: Any, target: Callable[..., Any], args: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with(parent, lifeline)
    try:
        value = target(*args)
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        try:
            results.send(("error", exc))
        except Exception:  # an exception that cannot be pickled
            results.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    else:
        results.send(("ok", value))


def _die_with(parent: int, lifeline: Any) -> None:
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)

    def watch() -> None:
        try:
            lifeline.recv()
        except (EOFError, OSError):
            pass
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the parent died before we were watching
        os._exit(1)


@contextmanager
def _interrupts_blocked() -> Iterator[None]:
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    # Blocked here, and ignored while the child is started: an ignored disposition survives exec, and a new
    # interpreter that finds SIGINT ignored installs no KeyboardInterrupt handler, so a Ctrl-C during the
    # child's start-up (its imports) cannot print a traceback. A Ctrl-C meanwhile stays pending for us.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, handler)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
