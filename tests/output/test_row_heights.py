"""Row heights: a column whose texts all fit on one line is passed over whole, with the same heights as
measuring each text."""

from __future__ import annotations

from gridtool.output import layout
from gridtool.output.xlsx import Column, fit_on_one_line, row_heights


def test_one_line_columns_are_recognised_exactly_as_lines_needed_measures_them() -> None:
    width, size = 10.0, 11
    room = layout.capacity_em(width, size)
    fits = "x" * int((room + 0.05) / layout.NARROW_EM)
    over = fits + "x"
    assert layout.lines_needed(fits, width, size) == 1 and layout.lines_needed(over, width, size) == 2
    assert fit_on_one_line({fits, "2026-11-21 09:10"[:len(fits)]}, width, size)
    assert not fit_on_one_line({fits, over}, width, size)
    assert not fit_on_one_line({"a\nb"}, width, size)  # two lines
    assert not fit_on_one_line({"张三"}, width, size)  # wide characters are measured one by one
    assert fit_on_one_line(set(), width, size)


def test_heights_are_the_same_whether_a_column_is_passed_over_or_measured() -> None:
    columns = [Column("编号"), Column("说明")]
    rows = [[f"k{n:011d}", "发烧" * (n % 9)] for n in range(50)] + [["x" * 40, ""]]
    widths, size = [8.0, 4.0], 11
    expected = [max(layout.row_height(max(layout.lines_needed(str(v), w, size) for v, w in zip(r, widths,
                                                                                               strict=True)), size), 20)
                for r in rows]
    assert row_heights(rows, columns, widths, size, 20) == expected
    assert len(set(expected)) > 2
