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
    assert fit_on_one_line({"张三", "3栋"}, width, size)  # as long as the column holds them even at 1 em each
    wide = "张" * int(room + 0.05)
    assert fit_on_one_line({wide}, width, size) and layout.lines_needed(wide, width, size) == 1
    assert not fit_on_one_line({wide + "张"}, width, size) and layout.lines_needed(wide + "张", width, size) == 2
    # beyond that bound a mixed text is left to be measured, never said to fit when it does not
    mixed = "张" * int(room * 0.7) + "x" * int(room * 0.5)
    assert not fit_on_one_line({mixed}, width, size)
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


def test_lines_counted_for_many_texts_at_once_are_those_counted_one_by_one() -> None:
    import random

    pieces = ["幸福里", "3栋2单元502室", "张三", "abc ", "WiFi", "℃", "①", "（", "ｘ", "😀", "𠀀", "é", "\n", "\n\n",
              " ", "37.3℃及以上", "请于今天18:00前回电", "x" * 30, "长" * 30]
    chance = random.Random(7)
    texts = ["", "\n", "a\n", "\nb", "幸福里社区\n\n3栋"]
    texts += ["".join(chance.choice(pieces) for _ in range(chance.randint(1, 12))) for _ in range(3000)]
    for width, size in ((6.0, 11), (12.5, 12), (30.0, 14), (2.0, 22)):
        counted = layout.lines_needed_many(texts, width, size).tolist()
        assert counted == [layout.lines_needed(text, width, size) for text in texts]
        assert max(counted) > 3  # long and broken texts were among them
    assert layout.lines_needed_many([], 10.0, 11).tolist() == []


def test_the_widest_line_of_many_texts_is_the_widest_measured_one_by_one() -> None:
    texts = ["张三", "3栋2单元502室\n请回电", "abc", "", "\n\n", "37.3℃及以上 WiFi", "𠀀😀é①"]
    for end in range(len(texts) + 1):
        given = texts[:end]
        assert layout.longest_line_em_many(given) == max((layout.longest_line_em(t) for t in given), default=0.0)


def test_a_short_table_and_a_long_one_are_measured_alike(monkeypatch) -> None:
    """A short column is measured from a list, a long one by its codes: the same lines either way."""
    import random

    import pandas as pd

    from gridtool.output import xlsx

    chance = random.Random(3)
    words = ["张三", "请提醒/协助联系", "其他求助（详情问网格员）", "3-1-502", "", None, float("nan"), 36.6, 7,
             "a\nb", "x" * 25]
    frame = pd.DataFrame({"a": [chance.choice(words) for _ in range(400)],
                          "b": pd.array([chance.choice(["代购药品", "送纸质通知", None, "提醒打卡（已连续3天未打卡）"])
                                         for _ in range(400)], dtype="string"),
                          "c": ["k1"] * 400})
    columns = [Column("甲"), Column("乙"), Column("丙")]
    for widths, size in (([6.0, 8.0, 4.0], 11), ([12.0, 5.0, 9.0], 14)):
        monkeypatch.setattr(xlsx, "SMALL_TABLE", 10_000)
        short = xlsx.frame_heights(frame, columns, widths, size, 20.0)
        monkeypatch.setattr(xlsx, "SMALL_TABLE", 0)
        assert xlsx.frame_heights(frame, columns, widths, size, 20.0) == short
        assert len(set(short)) > 2


def test_eleven_digits_fit_where_their_width_is_the_room_and_the_slack() -> None:
    """0.55 em added eleven times is 6.050000000000001: a phone number still fits a room of 6 em (and its 0.05
    slack), one line, counted one by one or many at once."""
    width = 13.0  # 6 em at 11 pt
    assert layout.capacity_em(width, 11) == 6.0 and layout.text_em("13800000001") == 11 * layout.NARROW_EM
    assert layout.lines_needed("13800000001", width, 11) == 1
    assert layout.lines_needed_many(["13800000001", "138000000012"], width, 11).tolist() == [1, 2]
