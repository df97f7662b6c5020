"""The dashboard as one self-contained HTML page (styles and charts inline, no network request), and
optionally a WeChat-sized PNG of its headline and heat map taken by headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from gridtool.domain.dashboard.figures import MEASURES, STRIP_STATES, DashboardResult
from gridtool.domain.stock.levels import STATUS_LABELS
from gridtool.output import charts
from gridtool.output.files import write_bytes, write_text
from gridtool.output.messages import render_html

LEVEL_COLOURS = ("#c8e6c9", "#fff59d", "#ffcc80", "#ef9a9a")
HEADLINES = (("residents", "居民", "人"), ("rate", "打卡率", "%"), ("missing", "未打卡", "人"),
             ("fever", "发热", "人"), ("urgent", "高热", "人"), ("urgent_requests", "紧急诉求", "件"),
             ("below_threshold", "物资低于预警", "种"), ("done_yesterday", "昨日办结", "件"))
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "msedge",
            "microsoft-edge")


def page_values(result: DashboardResult, community: str) -> dict[str, Any]:
    """Everything the template shows: plain numbers and texts, charts as SVG."""
    label, unit, bounds = MEASURES[result.measure]
    values: dict[str, Any] = {
        "title": f"{community}疫情防控指挥看板".strip(), "date": f"{result.date:%Y年%m月%d日}",
        "headline": [(key, name, _figure(result.headline[key], unit_of))
                     for key, name, unit_of in HEADLINES if key in result.headline],
        "measure": label, "legend": _legend(bounds, unit), "buildings": _tiles(result.buildings, unit),
        "units": _unit_groups(result.units, unit), "strips": _strips(result.strips), "states": STRIP_STATES,
        "strip_days": [f"{d:%d}" for d in sorted(set(result.strips["date"]))],
        "sections": result.sections, "trend_chart": "", "stock_chart": "", "stock": [], "followup_chart": "",
        "followup": [], "requests_chart": "", "requests": [],
    }
    if len(result.trend):
        values["trend_chart"] = charts.rate_chart([f"{d:%m-%d}" for d in result.trend["date"]],
                                                  result.trend["rate"].fillna(0).tolist())
    if result.stock is not None and len(result.stock):
        values["stock_chart"] = charts.stock_chart(result.stock)
        values["stock"] = [{**row, "status": STATUS_LABELS.get(row["status"], row["status"])}
                           for row in _rows(result.stock, ["item", "stock", "threshold", "days_left", "status"])]
    if result.followup is not None and len(result.followup):
        values["followup_chart"] = charts.completion_chart(result.followup)
        values["followup"] = _rows(result.followup, ["worker", "total", "done", "open", "overdue"])
    if result.requests is not None and len(result.requests):
        values["requests_chart"] = charts.requests_chart(result.requests)
        values["requests"] = [{**row, "change": f"{row['change']:+d}"} for row in _rows(
            result.requests, ["category", "total", "open", "urgent", "overdue", "today", "change"])]
    return values


def write_dashboard(path: Path, result: DashboardResult, community: str) -> Path:
    write_text(path, render_html("dashboard.html.j2", **page_values(result, community)))
    return path


def write_png(path: Path, page: Path) -> Path | None:
    """A 750-px-wide picture of the page's top (headline and heat map) for WeChat; None without a browser."""
    browser = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    if browser is None:
        return None
    with tempfile.TemporaryDirectory() as profile:
        shot = Path(profile) / "shot.png"
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--disable-background-networking", "--disable-component-update", "--no-first-run",
                        f"--user-data-dir={profile}", "--window-size=750,1100", f"--screenshot={shot}",
                        page.resolve().as_uri() + "#wechat"], check=True, capture_output=True, timeout=120)
        write_bytes(path, shot.read_bytes())
    return path


def _figure(value: float | int | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.1f}%" if unit == "%" else f"{int(value)}"


def _number(value: float, unit: str) -> str:
    return f"{value * 100:.0f}%" if unit == "%" else f"{int(value)}"


def _legend(bounds: tuple[float, ...], unit: str) -> list[tuple[str, str]]:
    names = [f"{_number(bounds[0], unit)}"] + [
        f"{_number(low, unit)}–{_number(high, unit)}" if unit == "%" else f"{int(low) + 1}–{int(high)}"
        for low, high in zip(bounds, bounds[1:], strict=False)] + [f"{_number(bounds[-1], unit)} 以上"]
    return list(zip(LEVEL_COLOURS, names, strict=True))


def _tiles(tiles: pd.DataFrame, unit: str) -> list[dict[str, Any]]:
    return [{"building": str(t.building), "label": f"{t.building}栋" if str(t.building).isdigit() else str(t.building),
             "number": _number(float(t.value), unit), "colour": LEVEL_COLOURS[int(t.level)],
             "row": int(getattr(t, "grid_row", 1)), "col": int(getattr(t, "grid_col", 1)),
             "detail": f"居民 {t.residents}，未打卡 {t.missing}，发热 {t.fever}"}
            for t in tiles.itertuples()]


def _unit_groups(units: pd.DataFrame, unit: str) -> list[dict[str, Any]]:
    groups = []
    for building, part in units.groupby("building", sort=False):
        groups.append({"building": str(building), "tiles": [
            {"label": f"{u.unit}单元" if str(u.unit) else "（未填单元）", "number": _number(float(u.value), unit),
             "colour": LEVEL_COLOURS[int(u.level)]} for u in part.itertuples()]})
    return groups


def _strips(strips: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    for building, part in strips.groupby("building", sort=False):
        rows.append({"building": str(building), "days": [
            {"state": s.state, "title": f"{s.date:%m月%d日} {STRIP_STATES[s.state]}"
             + (f" {s.checked_in}/{s.expected}" if s.state != "none" else "")} for s in part.itertuples()]})
    return rows


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    out = []
    for record in frame[columns].to_dict("records"):
        out.append({k: ("—" if isinstance(v, float) and pd.isna(v) else
                        (f"{v:g}" if isinstance(v, float) else v)) for k, v in record.items()})
    return out
