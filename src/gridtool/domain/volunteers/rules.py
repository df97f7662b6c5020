"""The [volunteers] section of gridtool.toml: points per hour, multipliers, the daily cap, the time bank.

Read when `gridtool volunteers` runs, so a mistake here stops only that command, with a message that
names the key and what it should be.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gridtool.config import Bound, Settings
from gridtool.errors import GridtoolError
from gridtool.table.values import clean_text

DEFAULT_POINTS = 10.0
MULTIPLIERS = {"night": "夜间", "weekend": "周末", "urgent": "紧急配送"}
SCALARS = {"points_per_hour": "每小时积分", "daily_cap_hours": "每人每天最多计入的小时数",
           "night_start": "夜间开始时间", "night_end": "夜间结束时间", "round_service": "配送轮次的服务类型",
           "minutes_per_stop": "配送单每送达一户计入的分钟数"}
POINTS = Bound(0, 1000, "分")
MULTIPLIER = Bound(0.1, 10, "倍")
CAP = Bound(0, 24, "小时")
STOP_MINUTES = Bound(1, 240, "分钟")
SECTIONS = {"service_points": "各服务类型每小时积分", "multipliers": "倍数", "time_bank": "时间银行"}


@dataclass(frozen=True)
class VolunteerRules:
    """How service is credited. A multiplier of 1 means the rule is off; a cap of 0 means no cap."""

    points_per_hour: float = DEFAULT_POINTS
    service_points: Mapping[str, float] = field(default_factory=dict)
    night: float = 1.0
    weekend: float = 1.0
    urgent: float = 1.0
    night_start: dt.time = dt.time(22, 0)
    night_end: dt.time = dt.time(6, 0)
    daily_cap_hours: float = 8.0
    transfer_to_family: bool = True
    round_service: str = "送菜"
    minutes_per_stop: float = 10.0

    def rate(self, service: str) -> float:
        """Points per hour for a service type: its own rate, else the default."""
        return self.service_points.get(service, self.points_per_hour)


def volunteer_rules(settings: Settings) -> VolunteerRules:
    """The rules from gridtool.toml's [volunteers] section, checked; defaults where a key is absent."""
    raw = dict(settings.volunteers)
    where = f"配置文件 {settings.source} 的 [volunteers]"
    _known(raw, {**SCALARS, **SECTIONS}, where)
    multipliers = _section(raw, "multipliers", where)
    _known(multipliers, MULTIPLIERS, f"{where}.multipliers")
    bank = _section(raw, "time_bank", where)
    _known(bank, {"transfer_to_family": "可转给家人"}, f"{where}.time_bank")
    rates = _section(raw, "service_points", where)
    transfer = bank.get("transfer_to_family", True)
    if not isinstance(transfer, bool):
        raise GridtoolError(f"{where}.time_bank 的 transfer_to_family 应为 true 或 false，现在是「{transfer}」。")
    return VolunteerRules(
        points_per_hour=POINTS.check(raw.get("points_per_hour", DEFAULT_POINTS), f"{where} 的 points_per_hour"),
        service_points={clean_text(k): POINTS.check(v, f"{where}.service_points 的「{k}」") for k, v in rates.items()},
        night=_multiplier(multipliers, "night", where), weekend=_multiplier(multipliers, "weekend", where),
        urgent=_multiplier(multipliers, "urgent", where),
        night_start=_time(raw.get("night_start", "22:00"), f"{where} 的 night_start"),
        night_end=_time(raw.get("night_end", "06:00"), f"{where} 的 night_end"),
        daily_cap_hours=CAP.check(raw.get("daily_cap_hours", 8), f"{where} 的 daily_cap_hours"),
        transfer_to_family=transfer, round_service=clean_text(raw.get("round_service", "送菜")) or "送菜",
        minutes_per_stop=STOP_MINUTES.check(raw.get("minutes_per_stop", 10), f"{where} 的 minutes_per_stop"))


def _known(raw: Mapping[str, Any], keys: Mapping[str, str], where: str) -> None:
    unknown = [k for k in raw if k not in keys]
    if unknown:
        accepted = "、".join(f"{k}（{label}）" for k, label in keys.items())
        raise GridtoolError(f"{where} 中没有「{unknown[0]}」这一项。", f"可用的项：{accepted}。")


def _section(raw: Mapping[str, Any], name: str, where: str) -> dict[str, Any]:
    part = raw.get(name, {})
    if not isinstance(part, dict):
        raise GridtoolError(f"{where}.{name} 应是一个小节，例如 [volunteers.{name}]。")
    return part


def _multiplier(raw: Mapping[str, Any], key: str, where: str) -> float:
    return float(MULTIPLIER.check(raw.get(key, 1.0), f"{where}.multipliers 的 {key}（{MULTIPLIERS[key]}倍数）"))


def _time(value: Any, where: str) -> dt.time:
    match = re.fullmatch(r"(\d{1,2})[:：](\d{2})", clean_text(value)) if isinstance(value, str) else None
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise GridtoolError(f"{where}：「{value}」不是有效的时间。", "请写成 \"22:00\" 这样的格式（带英文引号）。")
    return dt.time(int(match.group(1)), int(match.group(2)))
