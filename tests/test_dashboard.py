"""`gridtool dashboard`: the page's figures are the domain's, it stays offline and private, and reads on a phone."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest

from exports import write_xlsx
from gridtool.cli import app
from gridtool.config import Settings
from gridtool.domain.checkins.followups import followups
from gridtool.domain.dashboard.figures import dashboard
from gridtool.domain.requests.report import triage_requests

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (Debian package chromium)")


@pytest.fixture(scope="module")
def morning(example_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The morning's download folder: check-ins, roster, requests, stock, layout and yesterday's collected log."""
    folder = tmp_path_factory.mktemp("morning")
    for name in ("打卡记录.xlsx", "居民名册.xlsx", "居民诉求.xlsx", "物资库存.xlsx", "出入库记录.xlsx", "楼栋布局.xlsx"):
        shutil.copy(example_dir / name, folder / name)
    out = tmp_path_factory.mktemp("out")
    from typer.testing import CliRunner

    runner = CliRunner()
    runner.invoke(app, ["followups", str(folder / "打卡记录.xlsx"), "--out", str(out)])
    runner.invoke(app, ["collect", *map(str, out.glob("待跟进_*.xlsx")), "--out", str(out)])
    shutil.copy(out / "跟进记录.xlsx", folder / "跟进记录.xlsx")
    return folder


@pytest.fixture(scope="module")
def page(morning: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("dash")
    result = CliRunner().invoke(app, ["dashboard", str(morning), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    return Path(record["files"][0]), record


def test_the_figures_are_the_followups_figures(morning: Path, page: tuple[Path, dict]) -> None:
    _, record = page
    day = followups([morning / "打卡记录.xlsx"], Settings(), roster=morning / "居民名册.xlsx")
    counts = day.counts
    assert {k: record["headline"][k] for k in ("residents", "missing", "fever", "urgent")} == \
        {k: counts[k] for k in ("residents", "missing", "fever", "urgent")}
    assert record["headline"]["rate"] == pytest.approx(counts["checked_in"] / (counts["residents"] - counts["exempt"]))
    by_building = day.by_building.set_index("building")
    for tile in record["buildings"]:
        assert tile["missing"] == by_building.loc[tile["building"], "missing"]
        assert tile["checked_in"] == by_building.loc[tile["building"], "checked_in"]
    assert record["headline"]["below_threshold"] == 2  # N95 out of stock, 医用口罩 below its threshold
    assert set(record["sections"]) == {"checkins", "requests", "stock", "followup"}
    assert record["sections"]["followup"]["sources"] == ["跟进记录.xlsx「跟进记录」"]


def test_the_requests_figures_are_the_requests_commands(morning: Path, page: tuple[Path, dict]) -> None:
    """Requests by category with the day-on-day change, urgent open requests and open requests per building,
    all as `gridtool requests` triages the same log at the end of the dashboard's day."""
    _, record = page
    triaged = triage_requests([morning / "居民诉求.xlsx"], Settings(), dt.datetime(2026, 11, 21, 23, 59))
    frame, still = triaged.requests, triaged.requests[triaged.requests["status"] != "closed"]
    assert record["headline"]["urgent_requests"] == int(still["urgent"].sum()) == 6
    by_category = triaged.by_category.set_index("category")
    days = triaged.by_day
    for row in record["requests"]:
        assert [row[k] for k in ("total", "open", "urgent", "overdue")] == \
            [int(by_category.at[row["category"], k]) for k in ("total", "open", "urgent", "overdue")]
        assert (row["today"], row["change"]) == (int(days.at["2026-11-21", row["category"]]), int(
            days.at["2026-11-21", row["category"]] - days.at["2026-11-20", row["category"]]))
    assert sum(r["total"] for r in record["requests"]) == len(frame) == 68
    open_by_building = still.groupby("building").size().to_dict()
    assert {t["building"]: t["open_requests"] for t in record["buildings"]} == open_by_building


def test_open_requests_colour_the_heat_map(morning: Path) -> None:
    result = dashboard([morning], Settings(), measure="open_requests")
    assert result.buildings["value"].tolist() == result.buildings["open_requests"].astype(float).tolist()
    units = result.units.groupby("building")["open_requests"].sum()
    assert units.to_dict() == result.buildings.set_index("building")["open_requests"].to_dict()
    assert sum(units) == 36


def test_the_layout_sheet_places_the_buildings(page: tuple[Path, dict]) -> None:
    _, record = page
    assert [(t["building"], t["grid_row"], t["grid_col"]) for t in record["buildings"]] == [("1", 1, 1), ("2", 1, 3)]


def test_day_strips_cover_the_days_in_the_data(page: tuple[Path, dict]) -> None:
    _, record = page
    strips = record["strips"]
    assert sorted({s["date"] for s in strips}) == [f"2026-11-{d}" for d in range(17, 22)]
    assert all(s["state"] == ("full" if s["rate"] >= 1 else "partial" if s["rate"] >= 0.8 else "low") for s in strips)
    today = {s["building"]: s["checked_in"] for s in strips if s["date"] == "2026-11-21"}
    assert today == {t["building"]: t["checked_in"] for t in record["buildings"]}


def test_sections_without_an_input_are_left_out(example_dir: Path, tmp_path: Path, runner) -> None:
    result = runner.invoke(app, ["dashboard", str(example_dir / "打卡记录.xlsx"), "--out", str(tmp_path), "--json"])
    record = json.loads(result.stdout)
    assert set(record["sections"]) == {"checkins"} and record["stock"] == [] and record["followup"] == []
    html = Path(record["files"][0]).read_text(encoding="utf-8")
    assert 'id="stock"' not in html and 'id="followup"' not in html and 'id="requests"' not in html
    human = runner.invoke(app, ["dashboard", str(example_dir / "打卡记录.xlsx"), "--out", str(tmp_path)])
    assert "没有找到物资、跟进完成情况、居民诉求的表格" in human.stdout


def test_no_resident_name_or_phone_on_the_page(morning: Path, page: tuple[Path, dict]) -> None:
    html = page[0].read_text(encoding="utf-8")
    people = followups([morning / "打卡记录.xlsx"], Settings(), roster=morning / "居民名册.xlsx").people
    names, phones = set(people["name"]), {p for p in people["phone"] if p}
    assert len(names) > 100 and len(phones) > 100
    assert [n for n in names if n in html] == [] and [p for p in phones if p in html] == []


def test_the_page_makes_no_network_request(page: tuple[Path, dict]) -> None:
    html = page[0].read_text(encoding="utf-8")
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    assert "<script" not in html and "default-src 'none'" in html


def test_a_wrong_measure_and_no_checkins_are_input_errors(example_dir: Path, tmp_path: Path, runner) -> None:
    wrong = runner.invoke(app, ["dashboard", str(example_dir / "打卡记录.xlsx"), "--measure", "热度"])
    assert wrong.exit_code == 2 and "--measure「热度」不对" in wrong.stderr
    stock_only = runner.invoke(app, ["dashboard", str(example_dir / "物资库存.xlsx"), "--out", str(tmp_path)])
    assert stock_only.exit_code == 2 and "没有找到打卡表。读到的是：物资库存.xlsx「库存」是物资库存表" in stock_only.stderr


def test_fever_measure_and_unit_tiles(example_dir: Path) -> None:
    result = dashboard([example_dir / "打卡记录.xlsx"], Settings(), measure="fever")
    assert result.buildings["value"].tolist() == result.buildings["fever"].astype(float).tolist()
    units = result.units.groupby("building")["fever"].sum()
    assert units.to_dict() == result.buildings.set_index("building")["fever"].to_dict()


def test_a_bad_layout_row_is_ignored(example_dir: Path, tmp_path: Path) -> None:
    layout = write_xlsx(tmp_path / "布局.xlsx", {"布局": [["楼栋", "行", "列"], ["2栋", 1, 1], ["1栋", "x", 2]]})
    result = dashboard([example_dir / "打卡记录.xlsx", layout], Settings())
    assert [(b, r, c) for b, r, c in result.buildings[["building", "grid_row", "grid_col"]].itertuples(index=False)] \
        == [("1", 2, 1), ("2", 1, 1)]


def test_png_without_a_browser_says_how_to_get_one(example_dir: Path, tmp_path: Path, runner,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    result = runner.invoke(app, ["dashboard", str(example_dir / "打卡记录.xlsx"), "--out", str(tmp_path), "--png"])
    assert result.exit_code == 0, result.output
    assert "没有找到 Chrome、Edge 或 Chromium 浏览器，未生成图片" in result.stdout
    assert [p.suffix for p in tmp_path.iterdir() if p.is_file()] == [".html"]


@needs_chromium
def test_in_a_real_browser(page: tuple[Path, dict], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    path, record = page
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run"])
        errors: list[str] = []
        requests: list[str] = []
        for width in (1280, 390):
            view = browser.new_page(viewport={"width": width, "height": 900})
            view.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            view.on("pageerror", lambda e: errors.append(str(e)))
            view.on("request", lambda r: requests.append(r.url))
            view.goto(path.as_uri())
            figures = {key: view.locator(f"#headline [data-key={key}] .value").inner_text()
                       for key in ("residents", "missing", "fever", "urgent", "urgent_requests")}
            assert figures == {k: str(record["headline"][k]) for k in figures}
            tiles = {t.get_attribute("data-building"): t.locator(".number").inner_text()
                     for t in view.locator("#heatmap .map .tile").all()}
            assert tiles == {t["building"]: f"{t['value'] * 100:.0f}%" for t in record["buildings"]}
            shown = {r.get_attribute("data-category"): (r.locator(".today").inner_text(), r.locator(".change").inner_text())
                     for r in view.locator("#requests tr[data-category]").all()}
            assert shown == {r["category"]: (str(r["today"]), f"{r['change']:+d}") for r in record["requests"]}
            assert view.evaluate("document.documentElement.scrollWidth") <= width
            shot = tmp_path / f"page-{width}.png"
            view.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 20_000
            colours = _distinct_colours(shot)
            assert colours > 20, "the screenshot is blank"
        browser.close()
    assert errors == []
    assert {r.split(":", 1)[0] for r in requests} == {"file"} and len(set(requests)) == 1


def _distinct_colours(png: Path) -> int:
    from PIL import Image

    with Image.open(png) as image:
        return len(image.convert("RGB").resize((200, 600)).getcolors(maxcolors=200 * 600) or [])


@needs_chromium
def test_png_is_written_with_a_browser(example_dir: Path, tmp_path: Path, runner) -> None:
    result = runner.invoke(app, ["dashboard", str(example_dir / "打卡记录.xlsx"), "--out", str(tmp_path), "--png",
                                 "--json"])
    assert result.exit_code == 0, result.output
    png = Path(json.loads(result.stdout)["files"][1])
    assert png.suffix == ".png" and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and _distinct_colours(png) > 20
    assert os.path.getsize(png) > 20_000
