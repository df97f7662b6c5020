"""Household pages drawn from their group's shared parts (output/notice_shared.py) against the same notices laid
out whole: the same characters at the same places in the same fonts and sizes, the same text, the same look;
and the notices that must be laid out whole (a salutation that might wrap, a page that runs over, a group of
one) are."""

from __future__ import annotations

import shutil
import subprocess
from io import BytesIO
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pypdf import PdfReader

from gridtool.output.notice_files import NoticePage
from gridtool.output.notice_shared import compile_volume, notice_data, share_pages
from gridtool.output.notice_volumes import LAYOUT
from gridtool.output.pdf import compile_notices, find_font

FOOTER = "东园社区 2026年11月21日"
BODY = ["为了及时知道大家身体好不好，请您每天 10:00 前完成健康打卡。",
        "不会用手机、或者不方便操作的，请打电话给网格员，我们帮您代打卡。"]
LONG_BODY = ["这是一段很长的正文，用来把一份通知撑到第二页。" * 3] * 12


def _notice(room: str, worker: str, body: list[str] = BODY, salutation: str | None = None,
            title: str = "请您每天健康打卡") -> NoticePage:
    return NoticePage(f"1栋1单元{room}室", title, [f"尊敬的 1栋1单元{room}室 住户：" if salutation is None else salutation, *body],
                      [("网格员", worker), ("网格员电话", "13800000001")], "东园社区　2026年11月21日")


def _lay_out(notices: list[NoticePage], folder: Path, shared: bool) -> tuple[dict[str, Any], bytes, list[int]]:
    font = find_font(None)
    folder.mkdir(exist_ok=True)
    if not shared:
        data = {"notices": [notice_data(notice) for notice in notices]}
        pdf, sheets = compile_notices(LAYOUT, {"document": "通知", "footer": FOOTER, **data}, font, str(folder))
        return data, pdf, sheets
    data = share_pages(notices, FOOTER, LAYOUT, font, folder)
    pdf, sheets = compile_volume(LAYOUT, {"document": "通知", "footer": FOOTER, **data}, font, str(folder))
    _every_name_drawn_is_defined(pdf)
    return data, pdf, sheets


DEVICE_SPACES = {"/DeviceGray", "/DeviceRGB", "/DeviceCMYK", "/Pattern"}


def _every_name_drawn_is_defined(pdf: bytes) -> None:
    """Every font, form and colour space a page's operators name is in the page's resources (a reader may draw
    without one silently, as pdfplumber and pypdf do, or refuse it: pdftoppm's `Bad color space`)."""
    import pikepdf

    kinds = {"Tf": "/Font", "Do": "/XObject", "cs": "/ColorSpace", "CS": "/ColorSpace"}
    with pikepdf.open(BytesIO(pdf)) as document:
        for page in document.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                kind = kinds.get(str(operator))
                if kind and str(operands[0]) not in DEVICE_SPACES:
                    assert str(operands[0]) in page.Resources[kind], (str(operator), str(operands[0]))


@pytest.fixture
def assembled(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The page counts of the volumes put together from a sheet of salutations (not laid out by typst)."""
    from gridtool.output import notice_shared

    made: list[int] = []
    real = notice_shared.assemble

    def counting(*args: Any) -> tuple[bytes, list[int]]:
        pdf, sheets = real(*args)
        made.append(len(sheets))
        return pdf, sheets

    monkeypatch.setattr(notice_shared, "assemble", counting)
    return made


def _chars(pdf: bytes) -> list[list[tuple[str, float, float, float, str]]]:
    """Every page's characters: text, left, top, size and font (without the subset's random prefix)."""
    with pdfplumber.open(BytesIO(pdf)) as document:
        return [sorted((c["text"], round(c["x0"], 2), round(c["top"], 2), round(c["size"], 2),
                        c["fontname"].split("+")[-1]) for c in page.chars) for page in document.pages]


def _fonts(resources: Any) -> list[Any]:
    """The fonts of a page's resources and of every form it draws, however deep."""
    found = [font.get_object() for font in resources.get("/Font", {}).values()]
    for form in resources.get("/XObject", {}).values():
        form = form.get_object()
        if "/Resources" in form:
            found += _fonts(form["/Resources"])
    return found


NOTICES = [_notice("101", "王芳"), _notice("102", "王芳"), _notice("201", "李强"), _notice("103", "王芳"),
           _notice("202", "李强"),
           _notice("104", "王芳", salutation="尊敬的 1栋1单元104室 住户：" * 3),  # would wrap
           _notice("301", "赵六", title="停水通知")]                                # a group of one


def test_shared_pages_have_the_characters_where_the_whole_layout_puts_them(tmp_path: Path,
                                                                           assembled: list[int]) -> None:
    data, shared_pdf, sheets = _lay_out(NOTICES, tmp_path / "shared", shared=True)
    assert assembled == [7]
    assert [notice.get("group") for notice in data["notices"]] == [0, 0, 1, 0, 1, None, None]
    assert data["notices"][1] == {"group": 0, "line": "尊敬的 1栋1单元102室 住户："}
    assert [(g["head"], g["rest"]) for g in data["groups"]] == [(1, 2), (3, 4)] and sheets == [1] * 7
    _, whole_pdf, _ = _lay_out(NOTICES, tmp_path / "whole", shared=False)
    shared, whole = _chars(shared_pdf), _chars(whole_pdf)
    assert len(shared) == len(whole) == 7
    assert shared == whole
    assert [p.extract_text() for p in PdfReader(BytesIO(shared_pdf)).pages] == [
        p.extract_text() for p in PdfReader(BytesIO(whole_pdf)).pages]  # in reading order, not only in place
    assert "1栋1单元102室" in PdfReader(BytesIO(shared_pdf)).pages[1].extract_text()
    for page in PdfReader(BytesIO(shared_pdf)).pages:
        fonts = _fonts(page["/Resources"])
        assert fonts
        for font in fonts:
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))  # embedded
            assert "+" in str(descendant["/BaseFont"])  # a subset


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
def test_shared_pages_print_as_the_whole_layout(tmp_path: Path) -> None:
    _, shared_pdf, _ = _lay_out(NOTICES[:3], tmp_path / "shared", shared=True)
    _, whole_pdf, _ = _lay_out(NOTICES[:3], tmp_path / "whole", shared=False)
    images = []
    for name, pdf in (("shared", shared_pdf), ("whole", whole_pdf)):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        printed = subprocess.run(["pdftoppm", "-r", "100", "-gray", str(tmp_path / f"{name}.pdf"),
                                  str(tmp_path / name)], check=True, timeout=60, capture_output=True, text=True)
        assert printed.stderr == ""  # no complaint (a missing font or colour space is reported here, then drawn)
        images.append([path.read_bytes().split(b"\n", 3)[3] for path in sorted(tmp_path.glob(f"{name}-*.pgm"))])
    for shared, whole in zip(*images, strict=True):
        differences = [abs(a - b) for a, b in zip(shared, whole, strict=True) if a != b]
        # the same picture; only the box's border is smoothed differently at its edges when drawn from a form
        assert len(differences) < 0.005 * len(whole) and max(differences, default=0) < 128


def test_shared_pages_render_in_pdfium_as_the_whole_layout(tmp_path: Path) -> None:
    """PDFium (Chrome's and Edge's PDF viewer) draws the put-together pages as it draws the pages laid out whole."""
    pdfium = pytest.importorskip("pypdfium2")  # comes with pdfplumber
    pictures = []
    for name, shared in (("shared", True), ("whole", False)):
        _, pdf, _ = _lay_out(NOTICES[:3], tmp_path / name, shared=shared)
        document = pdfium.PdfDocument(pdf)
        pictures.append([document[index].render(scale=100 / 72, grayscale=True).to_pil().tobytes()
                         for index in range(len(document))])
    assert len(pictures[0]) == len(pictures[1]) == 3
    for shared_page, whole_page in zip(*pictures, strict=True):
        differences = [abs(a - b) for a, b in zip(shared_page, whole_page, strict=True) if a != b]
        assert len(differences) < 0.005 * len(whole_page) and max(differences, default=0) < 128


def test_a_group_whose_page_runs_over_is_laid_out_whole_and_its_sheets_numbered(tmp_path: Path) -> None:
    notices = [_notice("101", "王芳", LONG_BODY), _notice("102", "王芳", LONG_BODY), _notice("103", "王芳")]
    data, pdf, sheets = _lay_out(notices, tmp_path, shared=True)
    assert [notice.get("group") for notice in data["notices"]] == [None, None, None]
    assert data["groups"] == [{}] and sheets == [3, 3, 1]
    with pdfplumber.open(BytesIO(pdf)) as document:
        footers = [page.extract_text().splitlines()[-1] for page in document.pages]
    assert footers == [f"{FOOTER} {n}" for n in (1, 2, 3, 1, 2, 3, 1)]


@pytest.mark.parametrize("breaking", ["\n", "\r", "\u2028", "\u2029"])
def test_a_salutation_with_a_line_break_is_laid_out_whole(tmp_path: Path, breaking: str) -> None:
    """A line break kept in a salutation (typst starts a new line there) pushes the rest of the page down: that
    notice is laid out whole, as it prints."""
    notices = [_notice("101", "王芳", salutation=f"尊敬的{breaking}住户："), _notice("102", "王芳"), _notice("103", "王芳")]
    data, shared_pdf, sheets = _lay_out(notices, tmp_path / "shared", shared=True)
    _, whole_pdf, _ = _lay_out(notices, tmp_path / "whole", shared=False)
    assert [notice.get("group") for notice in data["notices"]] == [None, 0, 0] and sheets == [1, 1, 1]
    assert _chars(shared_pdf) == _chars(whole_pdf)


def test_a_salutation_is_shared_only_with_a_character_to_spare(tmp_path: Path) -> None:
    """The text is 470.55 pt wide and 22 pt ideographs fill it with 21: a salutation of 20 is drawn on the group's
    page, one of 21 (which would fit, but only just) is laid out whole."""
    twenty, twenty_one = "尊" * 19 + "：", "尊" * 20 + "："
    notices = [_notice("", "王芳", salutation=twenty), _notice("", "王芳", salutation=twenty_one)]
    data, pdf, _ = _lay_out(notices, tmp_path, shared=True)
    assert [notice.get("group") for notice in data["notices"]] == [0, None]
    with pdfplumber.open(BytesIO(pdf)) as document:
        lines = [page.extract_text().splitlines()[1] for page in document.pages]
    assert lines == [twenty, twenty_one]  # each on one line, as laid out


@pytest.mark.parametrize("text", ["尊敬的 1栋1单元101室 住户：", "王\u202e五", "第一行\n第二行", "他说\"好\"", "C:\\居民",
                                  "\x7f", "制表\t符", ""])
def test_the_typst_data_is_every_text_as_staff_read_it(text: str) -> None:
    """The JSON handed to typst equals the texts passed through `shown` one by one, whether or not a volume's
    JSON could be taken as it is."""
    import json

    from gridtool.output.pdf import shown_data, typst_data

    data = {"document": "通知", "notices": [{"title": text, "body": [text, "正文"], "facts": [("网格员", text)]}],
            "groups": [{"head": 1, "rest": 2, "y": 142.5}], "marks": False}
    assert typst_data(data) == json.dumps(shown_data(data), ensure_ascii=False)
    assert ("〔U+202E〕" in typst_data(data)) == ("\u202e" in text)


def test_the_lines_are_measured_at_once_as_one_by_one() -> None:
    import functools
    import operator
    import random

    from gridtool.output.notice_shared import _line_widths

    chance = random.Random(5)
    alphabet = "尊敬的住户：1234567890栋单元室 ABC𠀀"
    widths = {c: chance.uniform(5, 22) for c in alphabet}
    lines = ["", *("".join(chance.choice(alphabet) for _ in range(chance.randrange(0, 30))) for _ in range(300))]
    # added up left to right, as Python 3.11's sum does (3.12's sum compensates: it may differ in the last bit)
    assert _line_widths(lines, widths).tolist() == [functools.reduce(operator.add, (widths[c] for c in line), 0.0)
                                                    for line in lines]
    assert _line_widths(["", ""], {}).tolist() == [0.0, 0.0]


def test_household_pages_are_put_together_around_whole_notices_of_several_sheets(tmp_path: Path,
                                                                                   assembled: list[int]) -> None:
    """A notice laid out whole between household pages keeps its sheets, in order, numbered 1, 2, 3; the household
    pages around it are put together from the sheet of salutations, not laid out by typst."""
    notices = [_notice("101", "王芳"), _notice("102", "王芳", LONG_BODY, title="长通知"), _notice("103", "王芳"),
               _notice("104", "王芳")]
    data, pdf, sheets = _lay_out(notices, tmp_path / "shared", shared=True)
    assert [notice.get("group") for notice in data["notices"]] == [0, None, 0, 0] and assembled == [4]
    assert sheets == [1, 3, 1, 1]
    _, whole_pdf, _ = _lay_out(notices, tmp_path / "whole", shared=False)
    assert _chars(pdf) == _chars(whole_pdf)
    document = PdfReader(BytesIO(pdf))
    assert [page.extract_text() for page in document.pages] == [
        page.extract_text() for page in PdfReader(BytesIO(whole_pdf)).pages]
    assert [page.extract_text().splitlines()[-1] for page in document.pages] == [
        f"{FOOTER} {n}" for n in (1, 1, 2, 3, 1, 1)]
    assert document.metadata.title == "通知"
    assert b"<xmpTPg:NPages>6</xmpTPg:NPages>" in document.trailer["/Root"]["/Metadata"].get_object().get_data()


@pytest.mark.parametrize("salutation", ["", "尊敬的 ᚠᚢᚦ 住户：", "尊敬的 🏠 住户：", "尊敬的\u3000住户：", "尊敬的 محمد علي 住户：",
                                        "尊敬的 אבי 住户："])
def test_a_salutation_typst_draws_unusually_prints_as_laid_out_whole(tmp_path: Path, salutation: str,
                                                                      assembled: list[int]) -> None:
    """An empty salutation (an empty line on the sheet), one with characters from other fonts (several runs on one
    line), with a wide space, or with a name written right to left: the same characters in the same places."""
    notices = [_notice("101", "王芳", salutation=salutation), _notice("102", "王芳"), _notice("103", "王芳")]
    _, shared_pdf, sheets = _lay_out(notices, tmp_path / "shared", shared=True)
    _, whole_pdf, _ = _lay_out(notices, tmp_path / "whole", shared=False)
    assert sheets == [1, 1, 1] and assembled == [3]
    assert _chars(shared_pdf) == _chars(whole_pdf)
    assert [p.extract_text() for p in PdfReader(BytesIO(shared_pdf)).pages] == [
        p.extract_text() for p in PdfReader(BytesIO(whole_pdf)).pages]


def test_a_sheet_of_salutations_that_is_not_as_expected_is_refused(tmp_path: Path) -> None:
    """A line that wrapped, more lines than household pages, more than one sheet, or anything drawn on it that is
    not a text run as typst writes one: the volume is not put together from it."""
    import pikepdf

    from gridtool.output.notice_assembly import NotAssembled, assemble, sheet_data
    from gridtool.output.pdf import compile_document

    font = find_font(None)
    shared = share_pages([_notice("101", "王芳"), _notice("102", "王芳")], FOOTER, LAYOUT, font, tmp_path)
    for lines in (["尊敬的 1栋1单元101室 住户：" * 3, "甲"], ["甲", "乙", "丙"]):  # one wraps; one more than the pages
        sheet = compile_document(LAYOUT, sheet_data(lines, ""), font, str(tmp_path))
        with pytest.raises(NotAssembled):
            assemble(shared["notices"], shared["groups"], sheet, tmp_path / "parts.pdf", None)
    two_sheets = compile_document(LAYOUT, {"document": "", "footer": "", "notices": [notice_data(_notice("1", "王芳"))] * 2},
                                  font, str(tmp_path))
    with pytest.raises(NotAssembled):
        assemble(shared["notices"], shared["groups"], two_sheets, tmp_path / "parts.pdf", None)
    good = compile_document(LAYOUT, sheet_data(["甲", "乙"], ""), font, str(tmp_path))
    assemble(shared["notices"], shared["groups"], good, tmp_path / "parts.pdf", None)
    for drawn in (b"0 0 m 100 100 l S\n", b"q 1 0 0.2 -1 62 40 cm\nBT /f0 22 Tf (x) Tj\nET\nQ\n"):  # not a run as read
        with pikepdf.open(BytesIO(good)) as document:
            page = document.pages[0]
            page.Contents = document.make_stream(drawn + page.Contents.read_bytes())
            changed = BytesIO()
            document.save(changed)
        with pytest.raises(NotAssembled):
            assemble(shared["notices"], shared["groups"], changed.getvalue(), tmp_path / "parts.pdf", None)


def test_any_salutation_put_together_is_where_typst_puts_it(tmp_path: Path, assembled: list[int]) -> None:
    """Salutations of every kind of character (ideographs, kerned Latin pairs, digits, punctuation, spaces, wide
    spaces, nothing at all) in one volume: each page put together has the characters typst's whole layout has."""
    import random

    chance = random.Random(18)
    alphabet = "尊敬的住户：栋单元室 AVToWaLTy.,-1234567890（）《》、\u3000ÄéŸ"
    lines = ["".join(chance.choice(alphabet) for _ in range(chance.randrange(0, 19))) for _ in range(24)]
    notices = [_notice(str(100 + number), "王芳", salutation=line) for number, line in enumerate(lines)]
    data, shared_pdf, sheets = _lay_out(notices, tmp_path / "shared", shared=True)
    _, whole_pdf, _ = _lay_out(notices, tmp_path / "whole", shared=False)
    assert all(notice.get("group") == 0 for notice in data["notices"]) and sheets == [1] * len(lines)
    assert assembled == [len(lines)]
    assert _chars(shared_pdf) == _chars(whole_pdf)
    assert [p.extract_text() for p in PdfReader(BytesIO(shared_pdf)).pages] == [
        p.extract_text() for p in PdfReader(BytesIO(whole_pdf)).pages]


def test_a_volume_whose_sheet_is_refused_is_laid_out_by_typst(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the sheet of salutations is not as expected, typst lays out every page of the volume (each household's
    page drawing its group's parts around its salutation): the same pages."""
    from gridtool.output import notice_shared
    from gridtool.output.notice_assembly import NotAssembled

    def refused(*args: Any) -> tuple[bytes, list[int]]:
        raise NotAssembled("as if a line had wrapped")

    monkeypatch.setattr(notice_shared, "assemble", refused)
    _, shared_pdf, sheets = _lay_out(NOTICES, tmp_path / "shared", shared=True)
    _, whole_pdf, _ = _lay_out(NOTICES, tmp_path / "whole", shared=False)
    assert sheets == [1] * 7 and _chars(shared_pdf) == _chars(whole_pdf)
