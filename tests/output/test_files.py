from __future__ import annotations

from pathlib import Path

import pytest

from gridtool.output.files import atomic_path, write_bytes, write_text


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing_behind(tmp_path: Path) -> None:
    target = write_text(tmp_path / "群消息.txt", "旧内容")
    with pytest.raises(RuntimeError), atomic_path(target) as temp:
        temp.write_text("写了一半", encoding="utf-8")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8-sig") == "旧内容"
    assert [p.name for p in tmp_path.iterdir()] == ["群消息.txt"]


def test_text_is_utf8_with_bom_and_windows_line_ends(tmp_path: Path) -> None:
    raw = write_text(tmp_path / "a.txt", "第一行\n第二行").read_bytes()
    assert raw == "\ufeff第一行\r\n第二行".encode()
    assert write_bytes(tmp_path / "b.pdf", b"%PDF").read_bytes() == b"%PDF"
