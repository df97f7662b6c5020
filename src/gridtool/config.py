"""Settings: built-in defaults < gridtool.toml < GRIDTOOL_* environment variables < command-line flags."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridtool.errors import GridtoolError

CONFIG_NAME = "gridtool.toml"


@dataclass(frozen=True)
class Assignment:
    """Who looks after a building, or one unit of it when `unit` is set: the grid worker and the
    volunteer building leader (楼栋长) with their phone."""

    building: str
    worker: str = ""
    unit: str = ""
    leader: str = ""
    leader_phone: str = ""


@dataclass(frozen=True)
class Settings:
    community: str = ""
    hotline: str = ""
    office: str = ""
    psych_hotline: str = ""
    deadline: str = "每天 10:00 前"
    fever_threshold: float = 37.3
    urgent_threshold: float = 38.0
    temperature_min: float = 34.0
    temperature_max: float = 43.0
    # health-code colours that need a follow-up of their own (绿码 never does)
    health_codes: tuple[str, ...] = ("黄码", "红码", "灰码")
    match_score: float = 85.0
    elderly_age: int = 70
    overdue_hours: float = 24.0
    lead_time: float = 3.0
    cover_days: float = 7.0
    fair_share: float = 0.7
    full_names: bool = False  # building task sheets show full names and the residents' own words
    out_dir: Path = Path("gridtool-out")
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    assignments: tuple[Assignment, ...] = ()
    answers: tuple[tuple[str, bool], ...] = ()
    workers: Mapping[str, str] = field(default_factory=dict)
    source: str = "默认设置"

    def with_flags(self, **flags: Any) -> Settings:
        """Apply command-line flags; a flag left as None keeps the configured value."""
        given = {k: v for k, v in flags.items() if v is not None}
        return dataclasses.replace(self, **given)


def _flag(raw: Any) -> bool:
    """A yes/no setting: true/false in the toml file; 1/0, true/false, 是/否 in the environment."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("1", "true", "yes", "是"):
        return True
    if text in ("0", "false", "no", "否"):
        return False
    raise ValueError(text)


_SCALARS: dict[str, Callable[[Any], Any]] = {
    "community": str, "hotline": str, "office": str, "psych_hotline": str, "deadline": str, "fever_threshold": float,
    "urgent_threshold": float, "temperature_min": float, "temperature_max": float,
    "match_score": float, "elderly_age": int, "overdue_hours": float, "lead_time": float,
    "cover_days": float, "fair_share": float, "out_dir": Path, "full_names": _flag,
}
_SECTIONS = {"checks": ("fever_threshold", "urgent_threshold", "temperature_min", "temperature_max", "health_codes",
                        "match_score", "elderly_age", "overdue_hours"),
             "stock": ("lead_time", "cover_days", "fair_share"), "tasks": ("full_names",)}
CLOSES = {"办结": True, "已办结": True, "关闭": True, "未办结": False, "待跟进": False, "继续跟进": False}


def load_settings(config: Path | None = None, env: Mapping[str, str] | None = None,
                  cwd: Path | None = None) -> Settings:
    """Read `config`, else gridtool.toml in the current folder when present, then the environment."""
    env = os.environ if env is None else env
    path = config or (cwd or Path.cwd()) / CONFIG_NAME
    values: dict[str, Any] = {}
    if config is not None and not config.exists():
        raise GridtoolError(f"找不到配置文件：{config}", "可用 `gridtool init` 生成一个。")
    if path.exists():
        values = _from_toml(path)
        values["source"] = str(path)
    for key, kind in _SCALARS.items():
        raw = env.get(f"GRIDTOOL_{key.upper()}")
        if raw:
            values[key] = _convert(kind, raw, f"环境变量 GRIDTOOL_{key.upper()}")
    return Settings(**values)


def _from_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise GridtoolError(f"配置文件 {path} 格式有误：{exc}", _toml_hint(path, str(exc))) from exc
    values: dict[str, Any] = {}
    flat = dict(data)
    for section, keys in _SECTIONS.items():
        part = flat.pop(section, {})
        if not isinstance(part, dict):
            raise GridtoolError(f"配置文件 {path}：[{section}] 应是一个小节。")
        flat.update({k: v for k, v in part.items() if k in keys})
    for key, kind in _SCALARS.items():
        if key in flat:
            values[key] = _convert(kind, flat[key], f"配置文件 {path} 的 {key}")
    if "health_codes" in flat:
        codes = flat["health_codes"]
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise GridtoolError(f"配置文件 {path} 的 health_codes 应写成 [\"黄码\", \"红码\", \"灰码\"] 这样的列表。")
        values["health_codes"] = tuple(codes)
    values["columns"] = _columns(path, flat.get("columns", {}))
    values["assignments"] = _assignments(path, flat.get("assignments", []))
    values["answers"] = _answers(path, flat.get("answers", {}))
    workers = flat.get("workers", {})
    if not isinstance(workers, dict):
        raise GridtoolError(f"配置文件 {path}：[workers] 应写成 王芳 = \"13800000000\" 这样的表。")
    values["workers"] = {str(k): str(v) for k, v in workers.items()}
    return values


def _answers(path: Path, raw: Any) -> tuple[tuple[str, bool], ...]:
    """[answers]: each answer staff may pick, and whether it closes the item (办结) or not (未办结)."""
    if not isinstance(raw, dict):
        raise GridtoolError(f"配置文件 {path}：[answers] 应写成 \"已补打卡\" = \"办结\" 这样的表。")
    result = []
    for answer, meaning in raw.items():
        if meaning not in CLOSES:
            raise GridtoolError(
                f"配置文件 {path}：[answers] 中「{answer}」的值「{meaning}」应为“办结”或“未办结”。")
        result.append((str(answer), CLOSES[meaning]))
    return tuple(result)


def _toml_hint(path: Path, error: str) -> str:
    """Say how to fix the mistake staff make most: a Chinese name left without quotes."""
    import re

    line = re.search(r"line (\d+)", error)
    if line:
        text = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()[int(line.group(1)) - 1]
        if text.strip() and not text.strip()[0].isascii():
            return f"第 {line.group(1)} 行「{text.strip()}」：中文名字两边要加英文双引号，例如 \"王芳\" = \"13800000001\"。"
    return "请对照 `gridtool init` 生成的示例修改。"


def _convert(kind: Callable[[Any], Any], raw: Any, where: str) -> Any:
    try:
        return kind(raw)
    except (TypeError, ValueError) as exc:
        expected = {float: "数字", int: "数字", _flag: "true 或 false"}.get(kind, "文字")
        raise GridtoolError(f"{where}：「{raw}」不是有效的值（应为{expected}）。") from exc


def _columns(path: Path, raw: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict) or not all(
        isinstance(v, list) and all(isinstance(n, str) for n in v) for v in raw.values()
    ):
        raise GridtoolError(f"配置文件 {path}：[columns] 每一项应是列名列表，例如 name = [\"住户姓名\"]。")
    return {str(k): tuple(v) for k, v in raw.items()}


def _assignments(path: Path, raw: Any) -> tuple[Assignment, ...]:
    if not isinstance(raw, list):
        raise GridtoolError(f"配置文件 {path}：assignments 应写成 [[assignments]] 表。")
    result = []
    for number, item in enumerate(raw, 1):
        if not isinstance(item, dict) or not item.get("building") or not (item.get("worker") or item.get("leader")):
            raise GridtoolError(
                f"配置文件 {path}：第 {number} 个 [[assignments]] 需要 building，以及 worker 或 leader。")
        result.append(Assignment(str(item["building"]), str(item.get("worker", "")), str(item.get("unit", "")),
                                 str(item.get("leader", "")), str(item.get("leader_phone", ""))))
    return tuple(result)


def default_config_text() -> str:
    """The commented gridtool.toml that `gridtool init` writes."""
    from importlib.resources import files

    return files("gridtool").joinpath("templates/gridtool.toml").read_text(encoding="utf-8")


def write_default_config(path: Path, force: bool = False) -> Path:
    if path.exists() and not force:
        raise GridtoolError(f"{path} 已存在，未做修改。", "如要重新生成，请加 --force（会覆盖原文件）。")
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".~{path.name}.tmp")
    temp.write_text(default_config_text(), encoding="utf-8")
    os.replace(temp, path)
    return path
