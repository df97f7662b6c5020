"""Negation in resident requests (issue 15): a need the text says is not needed, cancelled or already met is
not the request's category, wherever the negation stands in its clause; a need said next to it still is."""

from __future__ import annotations

import pandas as pd
import pytest

from gridtool.config import Settings
from gridtool.domain.requests.categories import categorise, urgent_word
from gridtool.domain.requests.rules import rules_from

RULES = rules_from(Settings())

# text, the category it must be filed under, the category it must not be filed under
NEGATED = [
    # negation before the keyword
    ("不用再送药了", "其他", "药品"),
    ("不需要买菜了", "其他", "生活物资"),
    ("暂不需要代取快递", "其他", "快递/代办"),
    ("无需再配药，谢谢", "其他", "药品"),
    ("取消买菜", "其他", "生活物资"),
    # negation after the keyword, looking back at it
    ("药已经送到了不用再送", "其他", "药品"),
    ("买菜的事不用了", "其他", "生活物资"),
    ("菜不要了", "其他", "生活物资"),
    ("快递不需要了，谢谢", "其他", "快递/代办"),
    ("取消代购", "其他", "生活物资"),
    ("之前登记的买药，取消", "其他", "药品"),
    ("麻烦帮忙买点鸡蛋，不用了谢谢", "其他", "生活物资"),
    # a clause saying the need is met
    ("药已经送到了", "其他", "药品"),
    ("降压药已收到，谢谢", "其他", "药品"),
    ("菜已经买到了", "其他", "生活物资"),
    ("大米送到了", "其他", "生活物资"),
    ("菜够了，不用再买", "其他", "生活物资"),
    ("快递已经拿到了", "其他", "快递/代办"),
    ("核酸的问题已解决", "其他", "检测"),
    # the negated need beside one that stands
    ("不用买菜，但需要降压药", "药品", "生活物资"),
    ("不用买菜但需要降压药", "药品", "生活物资"),
    ("想买菜，不需要送药", "生活物资", "药品"),
    ("想买菜不需要送药", "生活物资", "药品"),
    ("药已经送到了，还想买点鸡蛋", "生活物资", "药品"),
    ("菜够了，就是胰岛素快没了", "药品", "生活物资"),
    ("不用代取快递了，想问问什么时候解封", "咨询", "快递/代办"),
]

# text that names a need with a word that looks like a negation or a closing, and must keep its category
STANDS = [
    ("家里没菜了", "生活物资"),
    ("米快吃完了，家里两个老人", "生活物资"),
    ("宝宝奶粉只够明天了", "生活物资"),
    ("降压药快不够了", "药品"),
    ("药还没收到", "药品"),
    ("请帮忙把药送到5楼", "药品"),
    ("快递送到了驿站，麻烦代取一下", "快递/代办"),
    ("快递已送到驿站三天了没人取", "快递/代办"),
    ("请问什么时候取消隔离", "咨询"),
    ("请问什么时候可以不用做核酸？", "咨询"),
    ("老伴喘不过气，要去医院", "就医"),
    ("速效救心丸没了", "药品"),
    ("家里猫粮没了，能帮忙带点吗", "快递/代办"),
]


@pytest.mark.parametrize(("text", "category", "not_category"), NEGATED)
def test_a_need_said_to_be_not_needed_or_met_is_not_its_category(text: str, category: str, not_category: str) -> None:
    found = categorise(pd.Series([text]), RULES)
    assert found["category"].tolist() == [category]
    assert not_category not in (found["category"].iloc[0], found["second"].iloc[0])


@pytest.mark.parametrize(("text", "category"), STANDS)
def test_a_need_beside_words_that_look_negated_stands(text: str, category: str) -> None:
    assert categorise(pd.Series([text]), RULES)["category"].tolist() == [category]


@pytest.mark.parametrize(("text", "word"), [
    ("不用再送胰岛素了", ""), ("胰岛素已经送到了", ""), ("孩子发烧已退，不用去医院了", ""),
    ("药送到了，但老人又发烧了", "发烧"), ("不用买菜，胰岛素快没了", "胰岛素"),
])
def test_a_negated_urgent_word_does_not_make_a_request_urgent(text: str, word: str) -> None:
    assert urgent_word(pd.Series([text]), RULES).tolist() == [word]


def test_the_same_texts_in_one_column_each_get_their_own_answer() -> None:
    texts = [t for t, _, _ in NEGATED] + [t for t, _ in STANDS]
    expected = [c for _, c, _ in NEGATED] + [c for _, c in STANDS]
    assert categorise(pd.Series(texts * 2), RULES)["category"].tolist() == expected * 2
