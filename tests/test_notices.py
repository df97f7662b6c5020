from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
from pypdf import PdfReader

from exports import write_xlsx
from gridtool.cli import app

ROSTER = [["姓名", "楼栋", "单元", "房号", "出生日期", "独居", "慢性病", "网格员", "居住状态"],
          ["甲老", "1", "1", "101", "1940-05-01", "是", "", "王芳", "在住"],     # elderly, alone
          ["乙老", "1", "1", "102", "1950-01-01", "否", "高血压", "王芳", "在住"],  # elderly, chronic
          ["乙妻", "1", "1", "102", "1952-01-01", "否", "", "王芳", "在住"],       # same household, elderly
          ["丙", "1", "2", "301", "1990-01-01", "是", "", "王芳", "在住"],         # alone, young
          ["丁", "2", "1", "101", "1985-01-01", "否", "糖尿病", "李强", "在住"],    # chronic
          ["戊老", "2", "1", "201", "1945-01-01", "是", "", "李强", "已搬离"],     # moved out
          ["己", "2", "2", "", "1944-01-01", "是", "", "李强", "在住"],            # no room number
          ["庚", "2", "1", "502", "2000-01-01", "否", "", "李强", "在住"]]
CONFIG = 'community = "东园社区"\nhotline = "0571-87654321"\npsych_hotline = "0571-85029595"\noffice = "幸福路1号"\n' \
         '[workers]\n"王芳" = "13800000001"\n"李强" = "13800000002"\n'


@pytest.fixture
def setup(tmp_path: Path) -> dict[str, Path]:
    config = tmp_path / "gridtool.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return {"roster": write_xlsx(tmp_path / "名册.xlsx", {"名册": ROSTER}), "config": config, "out": tmp_path / "out"}


def _notices(runner, setup, *args: str) -> dict:
    result = runner.invoke(app, ["notices", *args, "--roster", str(setup["roster"]), "--config", str(setup["config"]),
                                 "--out", str(setup["out"]), "--date", "2026-11-21", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("only, addresses", [
    ("elderly", ["1栋1单元101室", "1栋1单元102室"]),
    ("alone", ["1栋1单元101室", "1栋2单元301室"]),
    ("chronic", ["1栋1单元102室", "2栋1单元101室"]),
    ("elderly+alone", ["1栋1单元101室"]),
    ("elderly,chronic", ["1栋1单元101室", "1栋1单元102室", "2栋1单元101室"]),
    ("老人+独居", ["1栋1单元101室"]),
    ("老人，慢性病", ["1栋1单元101室", "1栋1单元102室", "2栋1单元101室"]),
    ("独居、chronic", ["1栋1单元101室", "1栋1单元102室", "1栋2单元301室", "2栋1单元101室"]),
])
def test_only_filters_choose_exactly_these_households(runner, setup, only: str, addresses: list[str]) -> None:
    record = _notices(runner, setup, "打卡提醒", "--only", only)
    assert [r["address"] for r in record["recipients"]] == addresses
    skipped = {s["name"]: s["reason"] for s in record["skipped"]}
    if "alone" in only or "elderly" in only:
        assert skipped["戊老"].startswith("已搬离") and skipped["己"] == "没有住址"


def _chars(path: Path) -> list[list[dict]]:
    with pdfplumber.open(path) as pdf:
        return [page.chars for page in pdf.pages]


def test_household_pdf_large_print_fonts_and_addresses(runner, setup) -> None:
    record = _notices(runner, setup, "打卡提醒", "--only", "elderly,alone")
    pdf = Path(record["files"][0])
    assert record["pages"] == {str(pdf): 3} and record["overflow"] == []
    pages = _chars(pdf)
    assert len(pages) == 3
    with pdfplumber.open(pdf) as document:
        texts = [page.extract_text() for page in document.pages]
    for text, address in zip(texts, ["1栋1单元101室", "1栋1单元102室", "1栋2单元301室"], strict=True):
        assert f"尊敬的 {address} 住户" in text and "东园社区" in text and "0571-87654321" in text
        assert "网格员：王芳" in text and "网格员电话：13800000001" in text  # the household's own grid worker
    for chars in pages:
        sizes = [round(c["size"], 1) for c in chars if c["text"].strip()]
        assert min(sizes) >= 16
        assert max(sizes) >= 36  # the title
        body = [c for c in chars if 21.5 <= c["size"] < 24]
        assert body and min(c["size"] for c in body) >= 22
        tops = sorted({round(c["top"], 1) for c in body})
        assert min(b - a for a, b in zip(tops, tops[1:], strict=False)) >= 1.5 * 22  # line spacing 1.5 or more
    reader = PdfReader(pdf)
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
def test_page_one_renders_and_is_not_blank(runner, setup, tmp_path: Path) -> None:
    record = _notices(runner, setup, "打卡提醒", "--per", "building")
    subprocess.run(["pdftoppm", "-r", "30", "-f", "1", "-l", "1", "-gray", record["files"][0], str(tmp_path / "p")],
                   check=True, timeout=60)
    image = next(tmp_path.glob("p*.pgm")).read_bytes()
    pixels = image.split(b"\n", 3)[3]
    dark = sum(1 for b in pixels if b < 128)
    assert 0.005 < dark / len(pixels) < 0.5


def test_entrance_notices_one_page_per_building_or_unit_and_no_names(runner, setup) -> None:
    by_building = _notices(runner, setup, "检测安排", "--set", "时间=11月22日 8:00-11:00", "--set", "地点=南门广场")
    assert [r["address"] for r in by_building["recipients"]] == ["1栋", "2栋"]
    by_unit = _notices(runner, setup, "检测安排", "--per", "unit", "--set", "时间=明天", "--set", "地点=南门")
    assert [r["address"] for r in by_unit["recipients"]] == ["1栋1单元", "1栋2单元", "2栋1单元", "2栋2单元"]
    with pdfplumber.open(by_unit["files"][0]) as pdf:
        assert len(pdf.pages) == 4
        text = "".join(page.extract_text() for page in pdf.pages)
    assert "1栋2单元全体居民" in text and "南门" in text
    for name in ("甲老", "乙老", "丙", "13800000001", "王芳"):
        assert name not in text


def test_missing_fields_are_named_before_anything_is_written(runner, setup) -> None:
    result = runner.invoke(app, ["notices", "检测安排", "--roster", str(setup["roster"]), "--out", str(setup["out"])])
    assert result.exit_code == 2
    assert "缺少字段：地点、时间" in result.stderr and not setup["out"].exists()


def test_hostile_body_file_is_printed_as_text(runner, setup, tmp_path: Path) -> None:
    body = tmp_path / "正文.txt"
    body.write_bytes("请注意 {{ 7*7 }} 和 {% if true %}x{% endif %}\n<script>alert(1)</script> #set text(red)\n"
                     .encode("gb18030"))
    record = _notices(runner, setup, "通知", "--set", "标题=停水通知", "--body-file", str(body), "--set", "时间=明天",
                      "--set", "地点=全小区")
    with pdfplumber.open(record["files"][0]) as pdf:
        text = pdf.pages[0].extract_text().replace("\n", "")
    assert "{{ 7*7 }}" in text and "{% if true %}x{% endif %}" in text and "<script>alert(1)</script>" in text
    assert "社区地址：幸福路1号" in text
    assert "49" not in text
    html = Path(record["files"][1]).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html


def test_a_long_notice_continues_on_a_second_page_and_is_reported(runner, setup, tmp_path: Path) -> None:
    body = tmp_path / "长.txt"
    body.write_text("这是一段很长的说明。" * 120, encoding="utf-8")
    record = _notices(runner, setup, "通知", "--set", "标题=长通知", "--body-file", str(body), "--set", "时间=明天",
                      "--set", "地点=全小区")
    counts = [o["pages"] for o in record["overflow"]]
    assert len(counts) == 2 and counts[0] == counts[1] > 1
    with pdfplumber.open(record["files"][0]) as pdf:
        assert len(pdf.pages) == sum(counts)
        assert min(c["size"] for page in pdf.pages for c in page.chars if c["text"].strip()) >= 16
        footers = [page.extract_text().splitlines()[-1] for page in pdf.pages]
    numbers = [int(footer.rsplit(" ", 1)[-1]) for footer in footers]  # each notice's own sheets: 1, 2 …
    assert numbers == [*range(1, counts[0] + 1), *range(1, counts[1] + 1)]
    assert all(footer.startswith("东园社区 2026年11月21日") for footer in footers)


def test_list_and_unknown_template(runner) -> None:
    listed = json.loads(runner.invoke(app, ["notices", "--list", "--json"]).stdout)
    assert {"通知", "检测安排", "物资配送", "打卡提醒", "心理援助"} <= set(listed)
    assert "时间" in listed["检测安排"]["fields"]
    result = runner.invoke(app, ["notices", "不存在的模板"])
    assert result.exit_code == 2 and "可用的模板" in result.stderr


def test_own_template_file(runner, setup, tmp_path: Path) -> None:
    own = tmp_path / "停电.j2"
    own.write_text('{#- gridtool\ndescription = "停电"\nfacts = [["时间", "时间"]]\n[fields]\n"时间" = "停电时间"\n-#}\n'
                   "{% block title %}停电通知{% endblock %}\n{% block body %}{{ 称呼 }}：\n明天停电。{% endblock %}\n",
                   encoding="utf-8")
    record = _notices(runner, setup, "--template", str(own), "--set", "时间=明天9点")
    with pdfplumber.open(record["files"][0]) as pdf:
        assert "停电通知" in pdf.pages[0].extract_text() and len(pdf.pages) == 2


@pytest.mark.parametrize("command", [["calls"], ["notices", "calls", "--checkins"]], ids=["calls", "notices-calls"])
def test_calls_three_steps_per_resident_and_hostile_names(runner, setup, tmp_path: Path, command: list[str]) -> None:
    rows = [["姓名", "楼栋", "单元", "房号", "体温", "打卡时间", "电话", "网格员"],
            ["{{ 7*7 }}", "1", "1", "101", None, "未打卡", "13800000009", "王芳"],
            ["<script>x</script>", "1", "1", "102", 38.5, "8:00", "13800000008", "王芳"]]
    checkins = write_xlsx(tmp_path / "11月21日.xlsx", {"打卡": rows})
    result = runner.invoke(app, [*command, str(checkins), "--config", str(setup["config"]),
                                 "--out", str(setup["out"]), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["calls"] == 2 and record["by_worker"] == {"王芳": 2}
    pdf = next(f for f in record["files"] if f.endswith(".pdf"))
    with pdfplumber.open(pdf) as document:
        text = document.pages[0].extract_text().replace("\n", "")
    assert "{{ 7*7 }}" in text and "<script>x</script>" in text
    assert "共情倾听" in text and "清晰解释" in text and "提供方案" in text
    assert "代为打卡" in text and "上门测温" in text and "0571-85029595" in text
    sheet = openpyxl.load_workbook(next(f for f in record["files"] if f.endswith(".xlsx")))["电话提纲"]
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[1]]
    assert [r[4] for r in rows] == ["体温偏高", "今天未打卡"]
    assert rows[0][1] == "<script>x</script>"


def test_no_font_found_says_which_to_install(monkeypatch) -> None:
    from gridtool.errors import GridtoolError
    from gridtool.output import pdf

    class NoFonts:
        def families(self) -> list[str]:
            return ["DejaVu Sans"]

    pdf.find_font.cache_clear()
    monkeypatch.setattr(pdf, "typst_fonts", lambda paths: NoFonts())  # the fonts typst finds, scanned once
    with pytest.raises(GridtoolError) as caught:
        pdf.find_font(None)
    assert "fonts-noto-cjk" in caught.value.hint and "--font" in caught.value.hint
    pdf.find_font.cache_clear()


@pytest.mark.parametrize("groups, size, volumes", [
    (["1栋"] * 3 + ["2栋"], 4, [(0, 4, "")]),
    (["1栋"] * 3 + ["2栋"], 3, [(0, 3, "1栋"), (3, 4, "2栋")]),
    (["1栋"] * 3 + ["2栋"], 2, [(0, 2, "1栋-1"), (2, 3, "1栋-2"), (3, 4, "2栋")]),
    (["1栋", "2栋", "2栋", "3栋", "4栋", "4栋", "4栋", "4栋", "4栋", "5栋"], 3,
     [(0, 3, "1栋至2栋"), (3, 4, "3栋"), (4, 7, "4栋-1"), (7, 9, "4栋-2"), (9, 10, "5栋")]),
    ([""] * 7, 3, [(0, 3, "第1至3份"), (3, 6, "第4至6份"), (6, 7, "第7至7份")]),
])
def test_many_notices_are_cut_into_volumes_at_buildings(groups: list[str], size: int, volumes: list) -> None:
    from gridtool.output.notice_volumes import cut_volumes

    assert [(v.start, v.stop, v.label) for v in cut_volumes(groups, size)] == volumes


def test_volumes_by_building_are_laid_out_in_two_processes_and_replace_earlier_ones(runner, setup, monkeypatch) -> None:
    from gridtool.output import notice_volumes

    monkeypatch.setattr(notice_volumes, "VOLUME_NOTICES", 2)
    record = _notices(runner, setup, "打卡提醒", "--only", "独居,chronic")
    out = setup["out"]
    names = ["打卡提醒_1栋-1_2026-11-21.pdf", "打卡提醒_1栋-2_2026-11-21.pdf", "打卡提醒_2栋_2026-11-21.pdf"]
    assert [Path(f).name for f in record["files"]] == [*names, "通知_打卡提醒_2026-11-21.html"]
    assert record["pages"] == {str(out / name): count for name, count in zip(names, [2, 1, 1], strict=True)}
    texts = []
    for name in names:
        with pdfplumber.open(out / name) as pdf:
            texts.append([page.extract_text() for page in pdf.pages])
    assert [[t.split("尊敬的 ")[1].split(" 住户")[0] for t in pages] for pages in texts] == [
        ["1栋1单元101室", "1栋1单元102室"], ["1栋2单元301室"], ["2栋1单元101室"]]
    assert "网格员：李强" in texts[2][0] and "网格员电话：13800000002" in texts[2][0]
    html = (out / "通知_打卡提醒_2026-11-21.html").read_text(encoding="utf-8-sig")
    assert html.count('<section class="page">') == 2 and "1栋1单元102室" in html and "1栋2单元301室" not in html
    assert "共 4 份通知，按楼栋分成 3 个 PDF（每个最多 2 份）。这里只预览第一个（1栋-1）的 2 份" in html
    again = _notices(runner, setup, "打卡提醒", "--only", "elderly+alone")  # one household: one PDF again
    assert [Path(f).name for f in again["files"]] == ["通知_打卡提醒_2026-11-21.pdf", "通知_打卡提醒_2026-11-21.html"]
    assert sorted(p.name for p in (out / "已作废").iterdir()) == sorted(names)
    assert '<p class="note">' not in (out / "通知_打卡提醒_2026-11-21.html").read_text(encoding="utf-8-sig")


def test_the_page_count_is_read_from_the_page_tree_typst_wrote() -> None:
    from io import BytesIO

    from gridtool.output.pdf import compile_document, find_font, pdf_page_count

    notices = [{"title": "通知", "body": ["尊敬的住户：", "正文"], "facts": [], "signature": "社区"}] * 3
    pdf = compile_document("notice_page.typ", {"document": "", "footer": "", "notices": notices}, find_font(None))
    assert pdf_page_count(pdf) == len(PdfReader(BytesIO(pdf)).pages) == 3
    assert pdf_page_count(b"%PDF-1.7\n1 0 obj\n<</Type/Catalog>>") is None  # not found: lay out with markers


def test_a_big_roster_run_prepares_its_processes_while_reading_and_writes_the_same(runner, setup, monkeypatch) -> None:
    """With a big roster, a standby process for the volumes and two sandboxed renderers start before the roster
    is read, and the collector is paused for the run: the notices are the same as without them, and the
    collector is on again afterwards."""
    import gc

    from gridtool.output import notice_templates, notice_volumes, second_process

    monkeypatch.setattr(notice_volumes, "VOLUME_NOTICES", 2)
    plain = _notices(runner, setup, "打卡提醒", "--only", "独居,chronic")
    texts = _texts(plain["files"][:-1])
    monkeypatch.setattr(second_process, "STANDBY_BYTES", 0)
    monkeypatch.setattr(notice_templates, "SPLIT_NOTICES", 1)
    started = []
    monkeypatch.setattr(notice_templates, "sandboxes", _counting(notice_templates.sandboxes, started))
    big = _notices(runner, setup, "打卡提醒", "--only", "独居,chronic")
    assert started == [2] and gc.isenabled()
    assert big == plain
    assert _texts(big["files"][:-1]) == texts


def _texts(files: list[str]) -> dict[str, list[str]]:
    texts = {}
    for file in files:
        with pdfplumber.open(file) as pdf:
            texts[Path(file).name] = [page.extract_text() for page in pdf.pages]
    return texts


def _counting(sandboxes, started: list[int]):
    def counted(count: int, warm):
        started.append(count)
        return sandboxes(count, warm)

    return counted


def test_the_collector_runs_again_after_the_pages_and_leaves_them_alone(monkeypatch) -> None:
    """The pages' millions of objects are not walked again by the collector's first run after them when the process
    ends with the command; a caller that goes on (this test) has what they left in cycles collected."""
    import gc
    import weakref

    from gridtool.cli.app import STATE
    from gridtool.cli.notices import collector_paused

    class Page:
        pass

    enabled = gc.isenabled()
    gc.enable()
    try:
        with collector_paused():
            assert not gc.isenabled()
            page = Page()
            page.itself = page  # type: ignore[attr-defined]
            left = weakref.ref(page)
            del page
        assert gc.isenabled()
        gc.collect()
        assert left() is None  # collected: this process goes on
        monkeypatch.setitem(STATE, "ends_with_command", True)
        before = gc.get_freeze_count()
        with collector_paused():
            made = [[number] for number in range(1000)]
        assert gc.isenabled() and gc.get_freeze_count() >= before + len(made)
    finally:
        gc.unfreeze()
        if not enabled:
            gc.disable()
