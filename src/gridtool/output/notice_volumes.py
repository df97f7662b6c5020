"""Many notices print as several PDFs ("volumes"), laid out on both cores.

Up to VOLUME_NOTICES notices make one PDF, as before. Beyond that (a notice for every household of a street)
the notices are cut, in print order and at building boundaries, into volumes of at most VOLUME_NOTICES, each
named by the buildings it holds (`打卡提醒_1栋至21栋_2026-11-21.pdf`): one print job of at most a ream that can
be handed to the people delivering those buildings, and a layout whose memory stays bounded (typst holds a
whole document: 78,768 pages in one PDF took 21 GB; its caches, kept across documents, level off at about
0.5 GB with volumes of 500, 1 GB with volumes of 1,000). The volumes are shared out between this process and
a second one, each taking the next volume not taken.
"""

from __future__ import annotations

import contextlib
import ctypes
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gridtool.output.files import write_bytes
from gridtool.output.notice_shared import compile_volume
from gridtool.output.pdf import FontChoice, compile_notices, find_font
from gridtool.output.second_process import Share, Standby, shared_out, taken

VOLUME_NOTICES = 500  # one ream of paper
LAYOUT = "notice_page.typ"
# What a second process imports (and does) while this one reads the roster and renders the texts (`standby_for`).
WARM = ("gridtool.output.notice_volumes:warm_up", "typst")
SAMPLE = {"title": "通知", "body": ["尊敬的 1栋1单元101室 住户：", "请您每天健康打卡。"], "facts": [["网格员", "网格员01"]],
          "signature": "社区居委会"}


@dataclass(frozen=True)
class Volume:
    start: int
    stop: int
    label: str  # "" for the one PDF of a run that needs only one


def cut_volumes(groups: list[str], size: int | None = None) -> list[Volume]:
    """Consecutive notices in volumes of at most `size` (VOLUME_NOTICES), cut where the group (building) changes; a
    building with more than `size` notices gets volumes of its own, its parts numbered (`3栋-1`, `3栋-2`)."""
    size = size or VOLUME_NOTICES
    if len(groups) <= size:
        return [Volume(0, len(groups), "")]
    volumes: list[Volume] = []
    start = 0
    for first, stop in _runs(groups):
        if start < first and (stop - start > size or stop - first > size):
            volumes.append(Volume(start, first, _label(groups, start, first)))
            start = first
        if stop - first > size:
            volumes += [Volume(a, min(a + size, stop), f"{groups[first]}-{n}" if groups[first]
                               else _label(groups, a, min(a + size, stop)))
                        for n, a in enumerate(range(first, stop, size), 1)]
            start = stop
    if start < len(groups):
        volumes.append(Volume(start, len(groups), _label(groups, start, len(groups))))
    return volumes


def _runs(groups: list[str]) -> list[tuple[int, int]]:
    """(start, stop) of each stretch of equal groups."""
    starts = [i for i in range(len(groups)) if i == 0 or groups[i] != groups[i - 1]]
    return list(zip(starts, [*starts[1:], len(groups)], strict=True))


def _label(groups: list[str], start: int, stop: int) -> str:
    first, last = groups[start], groups[stop - 1]
    if not first or not last:
        return f"第{start + 1}至{stop}份"
    return first if first == last else f"{first}至{last}"


def compile_volumes(jobs: list[tuple[Path, dict[str, Any]]], font: FontChoice, root: str,
                    standby: Standby | None = None) -> list[list[int]]:
    """Write each job's PDF (its path, its typst data); each notice's sheet count, volume by volume. `root`: the
    folder of the shared parts. With more than one volume, the volumes are shared out between this process and a
    second one (each takes the next volume nobody has taken): `standby`, started while the roster was read, or one
    started now."""
    if len(jobs) == 1:
        return list(write_volumes(list(enumerate(jobs)), font, root).values())
    # what choosing the pages freed goes back once the other process has its work: not on the way to it
    mine, theirs = shared_out(write_volumes, list(enumerate(jobs)), (font, root), standby, WARM,
                              first=(return_freed_memory, None))
    counts = {**mine, **theirs}
    return [counts[index] for index in range(len(jobs))]


def warm_up(font_file: str | None = None) -> None:
    """Typst made ready for the volumes: the font found, its file read and a page laid out (about 0.2 s that
    the first volume would otherwise take). Nothing is raised: a missing font is reported where it is needed."""
    with contextlib.suppress(Exception):
        compile_notices(LAYOUT, {"document": "", "footer": "", "notices": [SAMPLE]}, find_font(font_file))
        import pikepdf  # noqa: F401 - puts the household pages together (notice_assembly.py): 0.07 s to import


def write_volumes(jobs: list[tuple[int, tuple[Path, dict[str, Any]]]], font: FontChoice, root: str,
                  share: Share | None = None) -> dict[int, list[int]]:
    """Lay out and write each volume in turn (one typst compiler for all: its caches stay warm), or with a
    `share` those this process takes first; each one's sheet counts by its number."""
    counts = {}
    for index, (path, data) in taken(jobs, share):
        pdf, sheets = compile_volume(LAYOUT, data, font, root)
        write_bytes(path, pdf)
        counts[index] = sheets
    return counts


def return_freed_memory() -> None:
    """Give back to the system what choosing the pages freed (the roster's frames, arrow's buffers) before two
    layouts run side by side: freed memory otherwise stays in this process (78,768 households: 656 -> 459 MB).
    No cycle collection first: it took 0.2 s of this process for 1,700 objects, and the peak of the processes
    together stayed 0.85-0.87 GB without it."""
    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).malloc_trim(0)  # glibc: return free heap pages to the system
        except AttributeError:  # another C library (musl)
            pass
