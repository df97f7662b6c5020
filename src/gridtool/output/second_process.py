"""Work done in a second process beside this one, which never outlives it.

The child ignores Ctrl-C (the parent decides and stops it), and dies as soon as the parent is gone, even
after `kill -9`: on Linux the kernel sends it SIGKILL (PR_SET_PDEATHSIG); everywhere, a thread in the child
waits on a pipe whose other end only the parent holds, and ends the child when that pipe closes.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, TypeVar

PR_SET_PDEATHSIG = 1
T = TypeVar("T")


class Share:
    """A list of jobs shared out between the two processes: each takes the next one nobody has taken, so
    neither waits while the other still has work. Passed to the child at its start (a shared counter cannot
    go through a pipe later); handed to a task, it stands for the child's own copy."""

    def __init__(self, counter: Any) -> None:
        self.counter = counter

    def taken(self, jobs: Sequence[T]) -> Iterator[T]:
        while True:
            with self.counter.get_lock():
                index = self.counter.value
                self.counter.value += 1
            if index >= len(jobs):
                return
            yield jobs[index]

    def __reduce__(self) -> tuple[Callable[[], Share], tuple[()]]:
        return _inherited_share, ()


def taken(jobs: Sequence[T], share: Share | None) -> Iterator[T]:
    """The jobs this process does: with a `share`, those it takes before the other process does; else all."""
    return share.taken(jobs) if share is not None else iter(jobs)


_SHARE: list[Share] = []  # in the child: the share it was started with


def _inherited_share() -> Share:
    return _SHARE[0]


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


class Standby(SecondProcess):
    """A second process started early, importing what its work needs while this one reads; it is given
    one task later (`run`), or none."""

    def __init__(self, process: Any, results: Any, tasks: Any, share: Share) -> None:
        super().__init__(process, results)
        self.tasks = tasks
        self.share = share

    def run(self, target: Callable[..., Any], *args: Any) -> SecondProcess:
        """`target(*args)` in the child; `result()` waits for it."""
        self.tasks.send((target, args))
        return self


@contextmanager
def standby_process(warm: Sequence[str] = ()) -> Iterator[Standby]:
    """A second process that imports the modules `warm` now (and calls `module:function` entries) and waits for its
    task; leaving the block (normally or not) ends it."""
    context = multiprocessing.get_context("spawn")  # the child gets its arguments only, not our memory
    results, results_child = context.Pipe(duplex=False)
    lifeline_child, lifeline = context.Pipe(duplex=False)
    tasks_child, tasks = context.Pipe(duplex=False)
    counter = context.Value("q", 0)
    process = context.Process(target=_child, args=(os.getpid(), (lifeline_child, tasks_child, results_child),
                                                   tuple(warm), counter), daemon=True)
    with _interrupts_blocked():  # the child starts with Ctrl-C blocked and then ignores it
        process.start()
    for end in (results_child, lifeline_child, tasks_child):
        end.close()
    try:
        yield Standby(process, results, tasks, Share(counter))
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        for end in (lifeline, results, tasks):
            end.close()


def shared_out(work: Callable[..., T], jobs: Sequence[Any], args: tuple[Any, ...], standby: Standby | None,
               warm: Sequence[str], first: tuple[Callable[[], None] | None, Callable[[], None] | None] = (None, None),
               ) -> tuple[T, T]:
    """`work(jobs, *args, share)` in this process and in a second one (`standby`, or one started now), each
    taking the next job the other has not; what each returned, this process's first. `first`: what this
    process, and what the other (picklable), does before it starts on them."""
    mine, theirs = first
    with ExitStack() as stack:
        other = standby or stack.enter_context(standby_process(warm))
        done = other.run(_after, theirs, work, jobs, *args, other.share)
        if mine is not None:
            mine()
        here = work(jobs, *args, other.share)
        return here, done.result()


def _after(first: Callable[[], None] | None, work: Callable[..., T], *args: Any) -> T:
    if first is not None:
        first()
    return work(*args)


# Inputs this big (together) make enough output to share between two processes (a 1M-resident day is 56 MB).
STANDBY_BYTES = 8_000_000


@contextmanager
def standby_for(inputs: Sequence[Path], warm: Sequence[str]) -> Iterator[Standby | None]:
    """A standby process (see `standby_process`) when the inputs are big and there is a second core; None
    otherwise. A folder counts with the files in it."""
    if (os.cpu_count() or 1) < 2 or sum(_size(path) for path in inputs) < STANDBY_BYTES:
        yield None
        return
    with standby_process(warm) as standby:
        yield standby


def _size(path: Path) -> int:
    try:
        if path.is_dir():
            return sum(entry.stat().st_size for entry in path.iterdir() if entry.is_file())
        return path.stat().st_size
    except OSError:  # reading it will say what is wrong
        return 0


@contextmanager
def second_process(target: Callable[..., Any], *args: Any) -> Iterator[SecondProcess]:
    """Run `target(*args)` in a spawned process; leaving the block (normally or not) ends it."""
    with standby_process() as standby:
        yield standby.run(target, *args)


def _child(parent: int, pipes: tuple[Any, Any, Any], warm: tuple[str, ...], counter: Any) -> None:
    lifeline, tasks, results = pipes
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with(parent, lifeline)
    _SHARE.append(Share(counter))
    try:
        for entry in warm:  # "module", or "module:function" to call once it is imported
            module, _, function = entry.partition(":")
            imported = importlib.import_module(module)
            if function:
                getattr(imported, function)()
        try:
            target, args = tasks.recv()
        except EOFError:  # no task after all
            return
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
