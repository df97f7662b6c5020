"""Printable PDF pages through typst (installs with pip alone, embeds a subset of the font). Every text
goes in as JSON data through `sys.inputs`, never spliced into typst markup."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from gridtool.errors import GridtoolError

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
    installed = set(typst.Fonts().families())
    for family in CJK_FAMILIES:
        if family in installed:
            return FontChoice(family, ())
    raise GridtoolError(
        "找不到中文字体，无法生成 PDF。",
        "Windows 一般自带“微软雅黑”；macOS 自带“苹方”；Linux 请安装 Noto CJK 字体（Debian/Ubuntu："
        "sudo apt install fonts-noto-cjk）。也可以用 --font 指定一个中文字体文件（如 simhei.ttf）。",
    )


def compile_pages(layout: str, data: dict[str, Any], font: FontChoice) -> tuple[bytes, list[int], int]:
    """The PDF, the first page of every `<notice>` marker the layout places, and the last page
    (the `<last>` marker at its end)."""
    import typst

    source = files("gridtool").joinpath(f"templates/{layout}").read_bytes()
    inputs = {"data": json.dumps({**data, "fonts": [font.family]}, ensure_ascii=False)}
    # typst's stubs want the font paths of the source's type; it takes a source's bytes with paths as text
    fonts: list[Any] = list(font.paths)
    try:
        pdf = typst.compile(source, format="pdf", font_paths=fonts, sys_inputs=inputs)
        marks = json.loads(typst.query(source, "<notice>", field="value", font_paths=fonts, sys_inputs=inputs))
        last = json.loads(typst.query(source, "<last>", field="value", one=True, font_paths=fonts, sys_inputs=inputs))
    except typst.TypstError as exc:  # a layout bug, not bad input
        raise RuntimeError(f"typst: {exc.message}") from exc
    assert isinstance(pdf, bytes)
    return pdf, [int(m["page"]) for m in sorted(marks, key=lambda m: m["index"])], int(last)


def pages_per_notice(starts: list[int], total: int) -> list[int]:
    return [following - start for start, following in zip(starts, [*starts[1:], total + 1], strict=True)]
