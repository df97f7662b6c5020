"""The to-do list: flagged residents, most urgent first, with plain-Chinese reasons and stable keys."""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pandas as pd

from gridtool.table.address import format_addresses

REASONS = ("missing", "fever", "health_code", "symptoms", "temp_check", "bad_temperature")


def item_key(date: dt.date, person_key: str) -> str:
    """The same resident on the same day has the same key in every sheet gridtool writes."""
    return hashlib.sha1(f"{date.isoformat()}|{person_key}".encode()).hexdigest()[:12]


def item_keys(date: dt.date, person_keys: list[str]) -> list[str]:
    """`item_key` of each person on the day."""
    sha1, day = hashlib.sha1, f"{date.isoformat()}|"
    return [sha1(f"{day}{key}".encode()).hexdigest()[:12] for key in person_keys]


def flagged_table(people: pd.DataFrame, target: dt.date) -> pd.DataFrame:
    """The flagged residents: fever (high first), symptoms, unreadable temperatures, longest missing."""
    # the order is found on the few columns it depends on; every column is then taken once, in that order
    rows = np.flatnonzero(people["flagged"].to_numpy(bool))
    keys = people[["urgent", "fever", "health_code", "symptoms", "temp_check", "bad_temperature", "missing_days",
                   "temperature", "building", "unit", "room"]].iloc[rows].reset_index(drop=True)
    keys["tier"] = np.select(
        [keys["urgent"], keys["fever"], keys["health_code"] | keys["symptoms"],
         keys["temp_check"] | keys["bad_temperature"]],
        [0, 1, 2, 3], default=4,
    )
    order = keys.sort_values(
        ["tier", "missing_days", "temperature", "building", "unit", "room"],
        ascending=[True, False, False, True, True, True], kind="stable", na_position="last",
    ).index.to_numpy()
    flagged = people.iloc[rows[order]]
    flagged["tier"] = keys["tier"].to_numpy()[order]
    flagged["address"] = format_addresses(flagged["building"], flagged["unit"], flagged["room"])
    # the reasons of a row by which of the six it has: 64 combinations at most, each list made once
    combination = sum(flagged[r].to_numpy(bool).astype(np.int64) << bit for bit, r in enumerate(REASONS))
    lists = {c: [r for bit, r in enumerate(REASONS) if c >> bit & 1] for c in np.unique(combination).tolist()}
    flagged["reasons"] = [list(lists[c]) for c in combination.tolist()]
    flagged["reason_text"] = reason_texts(flagged)
    flagged["key"] = item_keys(target, flagged["person_key"].tolist())
    flagged["kind"] = "followup"
    return flagged.reset_index(drop=True)


# What a row's reasons are made from: rows alike in these have the same text
REASON_INPUTS = ["urgent", "fever", "health_code", "code_text", "temp_check", "bad_temperature", "temp_text",
                 "temperature", "symptoms", "symptom_detail", "missing", "missing_days"]


def reason_texts(flagged: pd.DataFrame) -> list[str]:
    """The reasons of each row as text (rows_reason_texts), made once for each distinct combination of
    what they are made from: 116k follow-ups are a few thousand combinations."""
    if flagged.empty:
        return []
    codes = row_codes(flagged[REASON_INPUTS])
    _, first = np.unique(codes, return_index=True)
    texts = np.array(rows_reason_texts(flagged.iloc[first]), dtype=object)
    return list(texts[codes].tolist())


def row_codes(frame: pd.DataFrame) -> np.ndarray:
    """A code per row, equal for rows equal in every column (a missing value equal to a missing value),
    numbered in order of first appearance."""
    codes = np.zeros(len(frame), dtype=np.int64)
    for position in range(frame.shape[1]):
        column, distinct = pd.factorize(frame.iloc[:, position], use_na_sentinel=True)
        codes, _ = pd.factorize(codes * (len(distinct) + 1) + column + 1)  # kept small: the product stays in range
    return np.asarray(codes, dtype=np.int64)


def rows_reason_texts(flagged: pd.DataFrame) -> list[str]:
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
