"""Settings: built-in defaults < gridtool.toml < GRIDTOOL_* environment variables < command-line flags."""

from __future__ import annotations

import dataclasses
import math
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
class RequestSettings:
    """[requests]: how resident requests are sorted, flagged and delivered. Empty tuples mean the built-in
    lists (gridtool.domain.requests.rules); a category named in [requests.categories] replaces the
    built-in one of that name, a new name is added after the built-in ones."""

    categories: tuple[tuple[str, tuple[str, ...]], ...] = ()
    urgent_words: tuple[str, ...] = ()
    deliver: tuple[str, ...] = ()
    overdue_hours: float = 24.0
    urgent_overdue_hours: float = 4.0
    round_size: int = 15


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
    window: int = 7
    out_dir: Path = Path("gridtool-out")
    private_files: bool = False  # output files readable by their owner only, whatever the umask
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    assignments: tuple[Assignment, ...] = ()
    answers: tuple[tuple[str, bool], ...] = ()
    workers: Mapping[str, str] = field(default_factory=dict)
    # [volunteers] as written; gridtool.domain.volunteers.rules reads and checks it when the command runs
    volunteers: Mapping[str, Any] = field(default_factory=dict)
    requests: RequestSettings = field(default_factory=RequestSettings)
    source: str = "默认设置"

    def with_flags(self, **flags: Any) -> Settings:
        """Apply command-line flags; a flag left as None keeps the configured value. Numbers are checked
        against the same ranges as gridtool.toml and the environment."""
        given = {k: v for k, v in flags.items() if v is not None}
        for key, value in given.items():
            if key in BOUNDS:
                given[key] = BOUNDS[key].check(value, BOUNDS[key].flag or key)
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


@dataclass(frozen=True)
class Bound:
    """The sensible range of a number, wherever it comes from (flag, environment, gridtool.toml)."""

    low: float
    high: float
    unit: str = ""
    flag: str = ""
    whole: bool = False

    def check(self, value: Any, where: str) -> Any:
        """`value` as a number inside the range, or an input error naming `where` and the range."""
        try:
            number = float("nan") if isinstance(value, bool) else float(value)
            inside = self.low <= number <= self.high and (not self.whole or number.is_integer())
        except (TypeError, ValueError, OverflowError):
            inside = False
        if not inside:
            kind = "整数" if self.whole else "数字"
            shown = _plain(value) if isinstance(value, float) and math.isfinite(value) else value
            raise GridtoolError(f"{where}「{shown}」不是有效的值：应为 {_plain(self.low)} 到 {_plain(self.high)}"
                                f" {self.unit}之间的{kind}。")
        return int(number) if self.whole else number


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


BOUNDS = {
    "fever_threshold": Bound(35, 42, "℃", "--fever"), "urgent_threshold": Bound(35, 42, "℃"),
    "temperature_min": Bound(25, 40, "℃"), "temperature_max": Bound(38, 46, "℃"),
    "match_score": Bound(50, 100), "elderly_age": Bound(40, 120, "岁", whole=True),
    "overdue_hours": Bound(1, 720, "小时", "--overdue-hours"), "lead_time": Bound(0, 365, "天"),
    "cover_days": Bound(0, 365, "天"), "fair_share": Bound(0, 1), "window": Bound(1, 366, "天", "--window", True),
}


def choose(option: str, text: str, labels: Mapping[str, str]) -> str:
    """A choice written by its name (`building`) or its Chinese label (`楼栋`) -> the name."""
    wanted = text.strip()
    for name, label in labels.items():
        if wanted.lower() == name or wanted == label:
            return name
    raise GridtoolError(f"{option}「{text}」不对。", f"可选：{'、'.join(labels.values())}。")


_SCALARS: dict[str, Callable[[Any], Any]] = {
    "community": str, "hotline": str, "office": str, "psych_hotline": str, "deadline": str, "fever_threshold": float,
    "urgent_threshold": float, "temperature_min": float, "temperature_max": float,
    "match_score": float, "elderly_age": int, "overdue_hours": float, "lead_time": float,
    "cover_days": float, "fair_share": float, "window": int, "out_dir": Path, "full_names": _flag,
    "private_files": _flag,
}
_SECTIONS = {"checks": ("fever_threshold", "urgent_threshold", "temperature_min", "temperature_max", "health_codes",
                        "match_score", "elderly_age", "overdue_hours"),
             "stock": ("lead_time", "cover_days", "fair_share", "window"), "tasks": ("full_names",)}
CLOSES = {"办结": True, "已办结": True, "关闭": True, "未办结": False, "待跟进": False, "继续跟进": False}


# The example values `gridtool init` writes: printed on a notice they would send residents to the wrong office.
PLACEHOLDERS = {"community": "幸福里社区", "hotline": "0571-12345678", "office": "幸福里社区党群服务中心（幸福路 1 号）"}
TEMPLATE_KEYS = {"社区": "community", "热线": "hotline", "办公地址": "office"}


def require_edited(settings: Settings, keys: tuple[str, ...]) -> None:
    """Stop when a value that will reach residents is still the example `gridtool init` wrote."""
    left = [key for key in keys if key in PLACEHOLDERS and getattr(settings, key) == PLACEHOLDERS[key]]
    if not left:
        return
    path = Path(settings.source)
    where = "、".join(f"{_line_of(path, key) if path.is_file() else ''} {key} = \"{PLACEHOLDERS[key]}\"".strip()
                     for key in left)
    raise GridtoolError(f"配置文件 {settings.source} 里还是 gridtool init 写的示例：{where}。",
                        f"请用记事本打开 {settings.source}，改成本社区的信息后再运行；这些内容会印在给居民的通知和消息上。")


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
            values[key] = _convert(key, kind, raw, f"环境变量 GRIDTOOL_{key.upper()}")
    return Settings(**values)


def _from_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GridtoolError(f"配置文件 {path} 不是 UTF-8 编码。", "请用记事本打开，另存为时选择 UTF-8 编码。") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        number, line = toml_error_line(exc, text)
        raise GridtoolError(f"配置文件 {path} 第 {number} 行格式有误：「{line}」。", _toml_hint(number, line)) from exc
    values: dict[str, Any] = {}
    flat = dict(data)
    for section, keys in _SECTIONS.items():
        part = flat.pop(section, {})
        if not isinstance(part, dict):
            raise GridtoolError(f"配置文件 {path}：[{section}] 应是一个小节。")
        flat.update({k: v for k, v in part.items() if k in keys})
    for key, kind in _SCALARS.items():
        if key in flat:
            line = _line_of(path, key) if key in BOUNDS else ""  # a number out of range: say where to edit it
            values[key] = _convert(key, kind, flat[key], f"配置文件 {path} {line}的 {key}".replace("  ", " "))
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
    if not isinstance(flat.get("volunteers", {}), dict):
        raise GridtoolError(f"配置文件 {path}：[volunteers] 应是一个小节。")
    values["volunteers"] = flat.get("volunteers", {})
    if "requests" in flat:
        values["requests"] = _requests(path, flat["requests"])
    return values


def _words(path: Path, where: str, raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(w, str) and w.strip() for w in raw):
        raise GridtoolError(f"配置文件 {path}：{where} 应写成 [\"买菜\", \"蔬菜\"] 这样的文字列表。")
    return tuple(w.strip() for w in raw)


def _requests(path: Path, raw: Any) -> RequestSettings:
    """[requests] and [requests.categories]: hours, round size, urgent words, categories and their keywords."""
    if not isinstance(raw, dict):
        raise GridtoolError(f"配置文件 {path}：[requests] 应是一个小节。")
    categories = raw.get("categories", {})
    if not isinstance(categories, dict):
        raise GridtoolError(f"配置文件 {path}：[requests.categories] 应写成 药品 = [\"药\", \"胰岛素\"] 这样的表。")
    numbers: dict[str, Any] = {}
    for key, kind in (("overdue_hours", float), ("urgent_overdue_hours", float), ("round_size", int)):
        if key in raw:
            numbers[key] = _convert(f"requests.{key}", kind, raw[key], f"配置文件 {path} 的 [requests] {key}")
            if numbers[key] <= 0:
                raise GridtoolError(f"配置文件 {path}：[requests] {key} 应大于 0（现为 {raw[key]}）。")
    return RequestSettings(
        categories=tuple((str(name), _words(path, f"[requests.categories] {name}", words))
                         for name, words in categories.items()),
        urgent_words=_words(path, "[requests] urgent_words", raw["urgent_words"]) if "urgent_words" in raw else (),
        deliver=_words(path, "[requests] deliver", raw["deliver"]) if "deliver" in raw else (),
        **numbers)


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


def toml_error_line(error: tomllib.TOMLDecodeError, text: str) -> tuple[int, str]:
    """The line a TOML error points at (its number, its text), without the parser's English message."""
    import re

    found = re.search(r"line (\d+)", str(error))
    number = int(found.group(1)) if found else 1
    lines = text.splitlines()
    return number, lines[number - 1].strip() if number <= len(lines) else ""


def _toml_hint(number: int, line: str) -> str:
    """Say how to fix the mistake staff make most: a Chinese name left without quotes."""
    if line and not line[0].isascii():
        return f"第 {number} 行「{line}」：中文名字两边要加英文双引号，例如 \"王芳\" = \"13800000001\"。"
    return "每行写成 名称 = 值，文字两边加英文双引号；请对照 `gridtool init` 生成的示例修改。"


def _line_of(path: Path, key: str) -> str:
    """「第 N 行」of the first line that sets `key`, so staff know where to edit."""
    lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    found = next((n for n, line in enumerate(lines, 1) if line.split("=")[0].strip().strip('"') == key), None)
    return f"第 {found} 行" if found else ""


def _convert(key: str, kind: Callable[[Any], Any], raw: Any, where: str) -> Any:
    if key in BOUNDS:
        return BOUNDS[key].check(raw, where)
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
