"""What a request says it does not (or no longer) need, taken out of the text before it is categorised.

Residents write the need and its end in one breath: 不用再送药了, 取消代购, 药已经送到了不用再送, 菜够了，
不用买了. The text is cut into clauses (at punctuation and at 但/不过/可是, so 不用买菜但需要降压药 keeps the
medicine), and within a clause:

- a negation with a keyword after it (不需要买菜, 想买菜不需要送药) is about that keyword: the clause from the
  negation on is dropped, what came before it stays;
- a negation with no keyword after it (药已经送到了不用再送, 菜不要了, 取消代购) looks back: the whole clause
  is dropped;
- a clause that ends by saying it is done (药已经送到了, 已解决, 菜够了, 收到了) is dropped;
- a request that ends in a bare cancellation (之前登记的买药，取消 / ……，不用了) is cancelled whole;
- a question is not a statement that something is over (请问什么时候取消隔离 is still a question), and 取消
  of a rule (取消隔离, 取消封控) is news, not a cancellation;
- a health word said to be over or absent (发烧已退, 没有发烧) is dropped (it does not make a request urgent).
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from gridtool.domain.requests.rules import Rules

END = r"，,。；;！!？?\s"
CLAUSE = f"[^{END}]"
# a clause boundary inside a sentence: what follows 但 is asked for whatever came before
TURN = r"但是|但|可是|只是|而是|(?<!喘)不过(?![气来去])"
NEGATION = (r"(?:不需要|不再需要|暂不需要|已经不需要|不用|无需|不必|不要了|"
            r"取消(?!隔离|封控|封闭|管控|静默|限制|弹窗|黄码|红码|健康码))")
QUESTION = r"吗|呢|什么时候|何时|能不能|能否|是否|会不会|可不可以|可以吗|请问|怎么"
DONE_WORDS = r"解决|收到|送到|送来|买到|买好|拿到|取到|领到|办好|办完|处理好|弄好|搞定|够用|够"
# said to be done at the end of its clause: 已(经)送到, or 送到了 (not 不够了, not 送到 alone: 请帮忙把药送到)
DONE = (rf"(?:(?:已经|已|都)(?:{DONE_WORDS})(?:了|啦)?|(?<![不只快没])(?:{DONE_WORDS})(?:了|啦))"
        rf"(?:谢谢|感谢)?(?=[{END}]|$)")
# a last clause that only cancels: what came before it is not wanted any more
CANCELLED = rf"^.*[{END}]\s*(?:取消|不用了|不需要了|不要了|不用|不需要)(?:了|吧|啦|谢谢|感谢)*[{END}]*$"
# health words that say it is over or absent: 发烧已退, 烧退了, 没有发烧, 无发热
RESOLVED = (r"(?:发烧|发热|高烧|烧)(?:已经|已)?(?:退|好|降下来|降)了?"
            r"|(?:没有|没|不|无|未)(?:再)?(?:发烧|发热|高烧|咳嗽)")


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True) if w)


@lru_cache(maxsize=8)
def _patterns(rules: Rules) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(negation before a keyword, a clause with a negation looking back, a clause said to be done)."""
    keywords = _alternation(tuple(w for _, words in rules.categories for w in words) + rules.urgent_words)
    ahead = f"(?={CLAUSE}*(?:{keywords}))" if keywords else "(?!)"
    start = f"(?:^|(?<=[{END}]))"
    not_question = f"(?!{CLAUSE}*(?:{QUESTION}))"
    return (re.compile(f"{NEGATION}{ahead}{CLAUSE}*"),
            re.compile(f"{start}{not_question}{CLAUSE}*?{NEGATION}{CLAUSE}*"),
            re.compile(f"{start}{not_question}{CLAUSE}*?{DONE}"))


def _replace(text: pd.Series, pattern: str | re.Pattern[str], marker: str, by: str = " ") -> pd.Series:
    """`pattern` replaced in the texts that hold `marker` (most hold none: a plain search is cheaper)."""
    holds = text.str.contains(marker, regex=True)
    if not holds.any():
        return text
    return text.mask(holds, text[holds].str.replace(pattern, by, regex=True))


def asked_for(text: pd.Series, rules: Rules) -> pd.Series:
    """The text without what it says is not needed, is cancelled, done or over: 不需要买菜了 -> '',
    不用买菜，但需要降压药 -> '，，需要降压药', 发烧已退 -> ''."""
    before, looking_back, done = _patterns(rules)
    cut = _replace(text, TURN, TURN, "，")
    cut = _replace(cut, CANCELLED, NEGATION)
    cut = _replace(_replace(cut, before, NEGATION), looking_back, NEGATION)
    return _replace(_replace(cut, done, DONE_WORDS), RESOLVED, RESOLVED)
