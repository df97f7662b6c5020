"""The to-do list: flagged residents, most urgent first, with plain-Chinese reasons and stable keys."""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pandas as pd

from gridtool.table.address import format_address

REASONS = ("missing", "fever", "health_code", "symptoms", "temp_check", "bad_temperature")


def item_key(date: dt.date, person_key: str) -> str:
    """The same resident on the same day has the same key in every sheet gridtool writes."""
    return hashlib.sha1(f"{date.isoformat()}|{person_key}".encode()).hexdigest()[:12]


def flagged_table(people: pd.DataFrame, target: dt.date) -> pd.DataFrame:
    """The flagged residents: fever (high first), symptoms, unreadable temperatures, longest missing."""
    flagged = people[people["flagged"]].copy()
    flagged["tier"] = np.select(
        [flagged["urgent"], flagged["fever"], flagged["health_code"] | flagged["symptoms"],
         flagged["temp_check"] | flagged["bad_temperature"]],
        [0, 1, 2, 3], default=4,
    )
    flagged = flagged.sort_values(
        ["tier", "missing_days", "temperature", "building", "unit", "room"],
        ascending=[True, False, False, True, True, True], kind="stable", na_position="last",
    )
    flagged["address"] = [format_address(b, u, r) for b, u, r in
                          zip(flagged["building"], flagged["unit"], flagged["room"], strict=True)]
    marks = [flagged[r].tolist() for r in REASONS]
    flagged["reasons"] = [[r for r, hit in zip(REASONS, hits, strict=True) if hit]
                          for hits in zip(*marks, strict=True)]
    flagged["reason_text"] = reason_texts(flagged)
    flagged["key"] = [item_key(target, k) for k in flagged["person_key"]]
    flagged["kind"] = "followup"
    return flagged.reset_index(drop=True)


def reason_texts(flagged: pd.DataFrame) -> list[str]:
    """未打卡 / 连续3天未打卡 / 体温37.8℃ / 有症状：咳嗽 / 体温填写有误：365, joined with ；."""
    if flagged.empty:
        return []
    written = flagged["temp_text"].fillna("").astype(str)
    # a number is shown as a number; a chosen option (`37.3℃及以上`) exactly as the form wrote it
    degrees = written.where(flagged["temperature"].isna(),
                            flagged["temperature"].map(lambda t: "" if pd.isna(t) else f"{t:.1f}℃"))
    fever_text = np.where(degrees != "", "体温" + degrees, "自报发热（未填体温）")
    fever = np.where(flagged["urgent"], "体温" + degrees + "（高热）", np.where(flagged["fever"], fever_text, ""))
    code = np.where(flagged["health_code"], "健康码：" + flagged["code_text"].fillna("").astype(str), "")
    check = np.where(flagged["temp_check"], "体温「" + written + "」跨过发热线，请核实", "")
    detail = flagged["symptom_detail"].fillna("").astype(str)
    symptoms = np.where(flagged["symptoms"], np.where(detail != "", "有症状：" + detail, "有症状"), "")
    bad = np.where(flagged["bad_temperature"], "体温填写有误：" + written + "，请核实", "")
    days = flagged["missing_days"].astype(int)
    missing = np.where(flagged["missing"], np.where(days >= 2, "连续" + days.astype(str) + "天未打卡", "未打卡"), "")
    return ["；".join(p for p in parts if p) for parts in zip(fever, code, symptoms, check, bad, missing, strict=True)]
