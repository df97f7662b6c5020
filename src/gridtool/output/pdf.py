"""Printable PDF pages through typst (installs with pip alone, embeds a subset of the font). Every text
goes in as JSON data through `sys.inputs`, never spliced into typst markup."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from gridtool.errors import GridtoolError
from gridtool.table.invisible import shown

# Simplified-Chinese fonts by the family name typst reports, in order of preference per system.
CJK_FAMILIES = (
    "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC", "Songti SC", "Noto Sans CJK SC", "Noto Sans SC",
    "Source Han Sans SC", "Source Han Sans CN", "Noto Serif CJK SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
    "SimSun", "Droid Sans Fallback",
)


@dataclass(frozen=True)
class FontChoice:
    family: str
    paths: tuple[str, ...]


@lru_cache(maxsize=8)
def find_font(font_file: str | None = None) -> FontChoice:
    """The font for Chinese text: `--font FILE`, else the first installed of CJK_FAMILIES."""
    import typst

    if font_file:
        path = Path(font_file)
        if not path.is_file():
            raise GridtoolError(f"找不到字体文件：{font_file}", "请给出 .ttf、.otf 或 .ttc 字体文件的完整路径。")
        own = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(path)])
        families = own.families()
        if not families:
            raise GridtoolError(f"{path.name} 不是可用的字体文件。", "请给出 .ttf、.otf 或 .ttc 字体文件。")
        return FontChoice(families[0], (str(path),))
    installed = set(typst_fonts(()).families())
    for family in CJK_FAMILIES:
        if family in installed:
            return FontChoice(family, ())
    raise GridtoolError(
        "找不到中文字体，无法生成 PDF。",
        "Windows 一般自带“微软雅黑”；macOS 自带“苹方”；Linux 请安装 Noto CJK 字体（Debian/Ubuntu："
        "sudo apt install fonts-noto-cjk）。也可以用 --font 指定一个中文字体文件（如 simhei.ttf）。",
    )


def compile_pages(layout: str, data: dict[str, Any], font: FontChoice, number_notices: bool = False,
                  root: str | None = None) -> tuple[bytes, list[int], int]:
    """The PDF, the first page of every `<notice>` marker the layout places, and the last page
    (the `<last>` marker at its end).

    One compiler serves the PDF and both queries, so the document is laid out once, not three times; the PDF is
    untagged (tags doubled the time and the memory of a long run of printed pages). With `number_notices`, a notice
    that runs onto more sheets has them numbered 1, 2 … in a second pass over the same layout (`numbers` in the
    data: page -> number; every other page shows 1): resetting typst's page counter at every notice cost time
    growing with the square of the notices (2,000 household pages took 17 s and 3 GB)."""
    import typst

    compiler = layout_compiler(layout, font.paths, root)
    pdf, starts, last = _compile(compiler, {**data, "fonts": [font.family]}, typst.TypstError)
    runs = [(start, count) for start, count in zip(starts, pages_per_notice(starts, last), strict=True) if count > 1]
    if number_notices and runs:
        numbers = {str(start + sheet): sheet + 1 for start, count in runs for sheet in range(1, count)}
        pdf, _, _ = _compile(compiler, {**data, "fonts": [font.family], "numbers": numbers}, typst.TypstError)
    return pdf, starts, last


def compile_notices(layout: str, data: dict[str, Any], font: FontChoice,
                    root: str | None = None) -> tuple[bytes, list[int]]:
    """The PDF of `data["notices"]` and how many sheets each took.

    Laid out first without the markers (`marks` false): nothing on the pages asks where it is, so typst lays them
    out once instead of twice (40 % less time and memory). When that PDF has exactly one page per notice, every
    notice took one sheet and the PDF is the same as with markers; only when one ran over is it laid out again
    with the markers, to find which, and its sheets numbered. `root`: the folder the layout may read files from
    (notice_shared.py's parts)."""
    pdf = compile_document(layout, data, font, root)
    if pdf_page_count(pdf) == len(data["notices"]):
        return pdf, [1] * len(data["notices"])
    pdf, starts, last = compile_pages(layout, data, font, number_notices=True, root=root)
    return pdf, pages_per_notice(starts, last)


def compile_document(layout: str, data: dict[str, Any], font: FontChoice, root: str | None = None) -> bytes:
    """The PDF of `data`, laid out once, without the markers."""
    import typst

    return _export(layout_compiler(layout, font.paths, root), {**data, "fonts": [font.family], "marks": False},
                   typst.TypstError)


@lru_cache(maxsize=4)
def layout_compiler(layout: str, font_paths: tuple[str, ...], root: str | None = None) -> Any:
    """One typst compiler per layout, font and root, kept for the process (one compiler reused keeps typst's
    caches warm from one document to the next). With a `root`, the layout may read the files in that folder
    (`/parts.pdf`): a copy of it there is the main file (typst reads only inside the main file's project)."""
    import typst

    if root is not None:
        main = Path(root) / layout
        main.write_bytes(files("gridtool").joinpath(f"templates/{layout}").read_bytes())
        return typst.Compiler(str(main), root=root, font_paths=typst_fonts(font_paths))
    with as_file(files("gridtool").joinpath(f"templates/{layout}")) as path:  # gridtool installs unpacked
        return typst.Compiler(str(path), font_paths=typst_fonts(font_paths))


@lru_cache(maxsize=4)
def typst_fonts(font_paths: tuple[str, ...]) -> Any:
    """The system's fonts and those of `font_paths`, found once for every compiler: a scan takes 0.3 s."""
    import typst

    return typst.Fonts(font_paths=list(font_paths))


def typst_failure() -> type[Exception]:
    import typst

    failure: type[Exception] = typst.TypstError
    return failure


PAGE_TREE = re.compile(rb"/Type\s*/Pages\s*/Count\s+(\d+)")


def pdf_page_count(pdf: bytes) -> int | None:
    """The page count typst writes in the page tree, its first object (None when it is not found there)."""
    found = PAGE_TREE.search(pdf, 0, 4096)
    return int(found.group(1)) if found else None


def shown_data(value: Any) -> Any:
    """The page data with every text as staff read it: a hidden character (U+202E …) as its marker `〔U+202E〕`."""
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, dict):
        return {key: shown_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [shown_data(item) for item in value]
    return value


def typst_data(data: dict[str, Any]) -> str:
    """`data` as JSON, every text as staff read it (`shown_data`). A JSON text with no character that is not
    printable and no escape (JSON writes a control character as one) holds no text that `shown` would change:
    then it is the answer as it is, without going through every text of a volume's 500 notices."""
    text = json.dumps(data, ensure_ascii=False)
    if text.isprintable() and "\\" not in text:
        return text
    return json.dumps(shown_data(data), ensure_ascii=False)


def _compile(compiler: Any, data: dict[str, Any], failure: type[Exception]) -> tuple[bytes, list[int], int]:
    pdf = _export(compiler, data, failure)
    try:
        marks = json.loads(compiler.query("<notice>", field="value"))
        last = json.loads(compiler.query("<last>", field="value", one=True))
    except failure as exc:  # a layout bug, not bad input
        raise RuntimeError(f"typst: {getattr(exc, 'message', exc)}") from exc
    return pdf, [int(m["page"]) for m in sorted(marks, key=lambda m: m["index"])], int(last)


def _export(compiler: Any, data: dict[str, Any], failure: type[Exception]) -> bytes:
    inputs = {"data": typst_data(data)}
    try:
        pdf = compiler.compile(format="pdf", sys_inputs=inputs, pdf_tags=False)
    except failure as exc:  # a layout bug, not bad input
        raise RuntimeError(f"typst: {getattr(exc, 'message', exc)}") from exc
    assert isinstance(pdf, bytes)
    return pdf


def pages_per_notice(starts: list[int], total: int) -> list[int]:
    return [following - start for start, following in zip(starts, [*starts[1:], total + 1], strict=True)]
