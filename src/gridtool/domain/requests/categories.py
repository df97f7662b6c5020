"""The one categoriser of resident requests: free text (家里没菜了, 高血压药还剩两天) -> category, a second
category, the keyword that put it there, and the urgent word it names.

Column operations only: one regular expression per category over the whole column, each distinct text
matched once. What the text says is not needed, cancelled or done (不需要买菜了, 取消代购, 药已经送到了) and a
health word said to be over (发烧已退) are removed first (gridtool.domain.requests.negation).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from gridtool.domain.requests.negation import asked_for
from gridtool.domain.requests.rules import ACTIONS, OTHER, Rules

TYPED = "登记类别"


def _pattern(words: tuple[str, ...]) -> str:
    """One alternation, longest words first so 降压药 wins over 药."""
    return "(" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + ")"


def _first_word(text: pd.Series, words: tuple[str, ...]) -> pd.Series:
    if not words:
        return pd.Series("", index=text.index, dtype=object)
    return text.str.extract(_pattern(words), expand=False).fillna("").astype(object)


def _hits(text: pd.Series, rules: Rules) -> tuple[list[str], np.ndarray]:
    """Per category (priority order, 其他 left out) the keyword each text names, as a texts x categories array."""
    names = [name for name, _ in rules.categories if name != OTHER]
    words = dict(rules.categories)
    columns = [_first_word(text, words[name]).to_numpy(dtype=object) for name in names]
    return names, np.column_stack(columns) if columns else np.empty((len(text), 0), dtype=object)


def _typed_category(typed: pd.Series, rules: Rules) -> np.ndarray:
    """A category staff typed: a known name as it is, 买菜 or 药品类 to the category it names, else as typed.
    Each distinct text is looked at once (most cells are empty)."""
    codes, distinct = pd.factorize(typed)
    texts = pd.Series(distinct, dtype=object)
    names, hits = _hits(texts, rules)
    by_word, _ = _first_of(names, hits)
    text = texts.to_numpy(dtype=object)
    known = np.isin(text, np.array(rules.names, dtype=object))
    chosen = np.where(known, text, np.where(by_word != OTHER, by_word, text)).astype(object)
    return chosen.take(codes) if len(chosen) else np.full(len(typed), "", dtype=object)


def _first_of(names: list[str], hits: np.ndarray, skip: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The first category (and its keyword) with a hit in each row, skipping `skip`; 其他 / '' when none."""
    rows = len(hits)
    if not names:
        return np.full(rows, OTHER, dtype=object), np.full(rows, "", dtype=object)
    found = hits != ""
    if skip is not None:
        found &= np.array(names, dtype=object)[None, :] != skip[:, None]
    index = found.argmax(axis=1)
    any_hit = found[np.arange(rows), index]
    labels = np.array(names, dtype=object)
    return (np.where(any_hit, labels[index], OTHER).astype(object),
            np.where(any_hit, hits[np.arange(rows), index], "").astype(object))


def categorise(text: pd.Series, rules: Rules, typed: pd.Series | None = None) -> pd.DataFrame:
    """category, second ('' when none), matched (the keyword, or 登记类别 when staff typed it), second_matched.

    A category staff typed wins; the text's own first category then becomes the second one.
    """
    codes, distinct = pd.factorize(text.fillna("").astype(str))
    names, unique_hits = _hits(asked_for(pd.Series(distinct, dtype=object), rules), rules)
    hits = unique_hits[codes] if len(unique_hits) else np.full((len(text), len(names)), "", dtype=object)
    first, matched = _first_of(names, hits)
    if typed is not None:
        staff = _typed_category(typed.fillna("").astype(str), rules)
        given = staff != ""
        first = np.where(given, staff, first).astype(object)
        matched = np.where(given, TYPED, matched).astype(object)
    second, second_word = _first_of(names, hits, skip=first)
    has_second = second != OTHER
    return pd.DataFrame({"category": first, "matched": matched, "second": np.where(has_second, second, ""),
                         "second_matched": np.where(has_second, second_word, "")}, index=text.index)


def urgent_word(text: pd.Series, rules: Rules) -> pd.Series:
    """The urgent word each request names (发烧, 断药, 透析 …), '' when none; negated and resolved ones do not count."""
    codes, distinct = pd.factorize(text.fillna("").astype(str))
    found = _first_word(asked_for(pd.Series(distinct, dtype=object), rules), rules.urgent_words).to_numpy(dtype=object)
    return pd.Series(found.take(codes) if len(found) else np.array([""] * len(text), dtype=object),
                     index=text.index, dtype=object)


def request_actions(text: pd.Series, rules: Rules, typed: pd.Series | None = None) -> pd.Series:
    """What to do for each request, by category and without the resident's words: 代购药品, 就医协助 …"""
    categories = categorise(text, rules, typed)["category"]
    return categories.map(lambda c: ACTIONS.get(c, f"{c}诉求")).astype(object)
