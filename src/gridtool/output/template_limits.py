"""What a notice template may do, and the budget it renders in.

A `--template` is a file from anyone: jinja2's sandbox already refuses `__class__` and friends at run
time; here the same is refused before anything runs, with the template line (模板第3行), together with
include/extends/import of other files. Strings and lists a template builds are capped as they are
built, loops count their turns, and the whole rendering runs in a child process with a time and
memory budget, so a template can end in a clear message but never take the machine with it.
"""

from __future__ import annotations

import functools
import importlib
import multiprocessing
import operator
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from gridtool.errors import GridtoolError

MAX_TEXT = 200_000        # characters (or items) any one value a template builds may hold
MAX_TURNS = 1_000_000     # loop turns in one rendering
RENDER_SECONDS = 10.0
RENDER_MEMORY_MB = 500
TEMPLATE_NAME = "<template>"
FORBIDDEN = (nodes.Include, nodes.Extends, nodes.Import, nodes.FromImport)


class TemplateLimit(jinja2.TemplateError):
    """A template went past what a notice needs (its message is shown to staff)."""


class LimitedEnvironment(SandboxedEnvironment):
    """jinja2's sandbox, plus caps on the size of what `*`, `**` and `+` build and on loop turns."""

    intercepted_binops = frozenset({"*", "**", "+"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.turns = 0
        self.globals["range"] = self._range
        self.globals.pop("lipsum", None)  # lipsum(10**9) would write a billion words
        # center(2000000000) would allocate 2 GB, even while jinja2 folds constants at compile time
        self.filters = {name: _bounded(function) for name, function in self.filters.items()}

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**" and abs(_number(right)) > 64:
            raise TemplateLimit("乘方太大")
        if operator_name == "*" and _sized(left, right) * abs(_number(right, left)) > MAX_TEXT:
            raise TemplateLimit(f"生成的文字超过 {MAX_TEXT} 字")
        if operator_name == "+" and _length(left) + _length(right) > MAX_TEXT:
            raise TemplateLimit(f"生成的文字超过 {MAX_TEXT} 字")
        return {"*": operator.mul, "**": operator.pow, "+": operator.add}[operator_name](left, right)

    def _range(self, *args: int) -> Iterator[int]:
        values = range(*args)
        if len(values) > MAX_TURNS:
            raise TemplateLimit(f"循环超过 {MAX_TURNS} 次")
        return self.count(values)

    def count(self, items: Any) -> Iterator[Any]:
        for item in items:
            self.turns += 1
            if self.turns > MAX_TURNS:
                raise TemplateLimit(f"循环超过 {MAX_TURNS} 次")
            yield item


def _bounded(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that refuses a number larger than any notice needs (a width, a count, a length)."""

    @functools.wraps(function)  # keeps jinja2's pass_context/pass_environment marks
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if any(abs(_number(value)) > MAX_TEXT for value in (*args[1:], *kwargs.values())):
            raise TemplateLimit(f"数字超过 {MAX_TEXT}")
        return function(*args, **kwargs)

    return bounded


def _length(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple) else 0


def _sized(left: Any, right: Any) -> int:
    return max(_length(left), _length(right))


def _number(*values: Any) -> float:
    for value in values:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return 0.0


def environment() -> LimitedEnvironment:
    return LimitedEnvironment(autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=False)


def check_source(tree: nodes.Template, origin: str) -> None:
    """Refuse, before it runs, what no notice needs: other files, and names starting with `_`."""
    for node in tree.find_all((*FORBIDDEN, nodes.Getattr, nodes.Getitem, nodes.Name)):
        if isinstance(node, FORBIDDEN):
            raise GridtoolError(f"模板 {origin} 第{node.lineno}行：不允许引用其他文件（include、extends、import）。",
                                "通知模板只能用自己的文字和 {{ 字段名 }}。")
        name = _private_name(node)
        if name:
            raise GridtoolError(f"模板 {origin} 第{node.lineno}行：不允许访问 {name}。",
                                "通知模板只能用 {{ 字段名 }} 这样的字段。")


def _private_name(node: nodes.Node) -> str:
    if isinstance(node, nodes.Getattr):
        name = node.attr
    elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        name = node.arg.value
    elif isinstance(node, nodes.Name):
        name = node.name
    else:
        return ""
    return name if name.startswith("_") else ""


def template_line(error: BaseException) -> int | None:
    """The template line an error happened on: jinja2 rewrites its traceback to point into the template."""
    found = None
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == TEMPLATE_NAME:
            found = trace.tb_lineno
        trace = trace.tb_next
    return found


@dataclass(frozen=True)
class Sandbox:
    """A child process started ahead of its work (`sandboxes`): it has imported what the work needs and waits
    for it; the work then runs there within the same budget as in a child started for it."""

    process: Any
    tasks: Any  # the end this process sends the work on
    results: Any  # the end the outcome comes back on


@contextmanager
def sandboxes(count: int, warm: Sequence[str]) -> Iterator[list[Sandbox]]:
    """`count` children that import the modules `warm` now and wait for work (`within_budget_each`), so that
    starting them is not on the way to the work; leaving the block ends them, with or without work."""
    context = multiprocessing.get_context("spawn")
    ready: list[Sandbox] = []
    try:
        for _ in range(count):
            tasks_child, tasks = context.Pipe(duplex=False)
            results, results_child = context.Pipe(duplex=False)
            process = context.Process(target=_waiting_child, args=(tuple(warm), tasks_child, results_child),
                                      daemon=True)
            process.start()
            tasks_child.close()
            results_child.close()
            ready.append(Sandbox(process, tasks, results))
        yield ready
    finally:
        for sandbox in ready:
            sandbox.process.kill()
            sandbox.process.join()
            sandbox.tasks.close()
            sandbox.results.close()


def within_budget_each(work: Callable[..., Any], arguments: list[tuple[Any, ...]], origin: str,
                       ready: Sequence[Sandbox] = ()) -> list[Any]:
    """`work(*args)` for each of `arguments`, each in its own child process (side by side, on as many cores),
    each within about RENDER_MEMORY_MB, all together within RENDER_SECONDS; whatever goes wrong comes back as one
    Chinese message naming the template. The children `ready` take the first pieces of work."""
    context = multiprocessing.get_context("spawn")
    spare = list(ready)
    started = []
    for args in arguments:
        if spare:
            sandbox = spare.pop(0)
            sandbox.tasks.send((work, args))
            started.append((sandbox.process, sandbox.results))
            continue
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(work, args, send), daemon=True)
        child.start()
        send.close()
        started.append((child, receive))
    deadline = time.monotonic() + RENDER_SECONDS
    try:
        outcomes = [_outcome(receive, deadline, origin) for _, receive in started]
    finally:
        for child, _ in started:
            child.kill()
            child.join()
    for kind, payload in outcomes:
        if kind == "error":
            raise GridtoolError(payload, "通知模板只能用自己的文字、{{ 字段名 }} 和简单的 {% if %}、{% for %}。")
    return [payload for _, payload in outcomes]


def _outcome(receive: Any, deadline: float, origin: str) -> tuple[str, Any]:
    try:
        if not receive.poll(max(deadline - time.monotonic(), 0.0)):
            raise GridtoolError(f"模板 {origin} 排版超过 {RENDER_SECONDS:.0f} 秒，已停止。",
                                "请检查模板中的循环（{% for %}）是否过多或互相嵌套。")
        outcome: tuple[str, Any] = receive.recv()
        return outcome
    except EOFError:
        raise GridtoolError(f"模板 {origin} 排版时占用内存超过 {RENDER_MEMORY_MB} MB，已停止。",
                            "请检查模板是否生成了过长的文字。") from None


def _waiting_child(warm: tuple[str, ...], tasks: Any, send: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C while it waits is the parent's to handle
    for module in warm:
        importlib.import_module(module)
    try:
        work, args = tasks.recv()
    except EOFError:  # no work after all, or the parent is gone
        return
    _child(work, args, send)


def _child(work: Callable[..., Any], args: tuple[Any, ...], send: Any) -> None:
    _cap_memory(RENDER_MEMORY_MB)
    try:
        send.send(("ok", work(*args)))
    except GridtoolError as exc:
        send.send(("error", exc.message))
    except MemoryError:
        send.close()


def _cap_memory(megabytes: int) -> None:
    """Address space = what the child uses now + the budget (POSIX; elsewhere only the time budget holds)."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = used + megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, OSError, ValueError):
        pass
