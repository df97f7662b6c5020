"""What a building leader's task sheet, or a volunteer's 配送单, may say about a resident.

A 楼栋长 is a neighbour volunteer and the sheet hangs in stairwells and WeChat groups, so by default it
names a resident by room and masked name (张*丽), asks the same neutral thing for every follow-up
(whether the resident has a fever or only forgot to check in), and names a request by what to do for
its category ("代购药品"), never in the resident's words. A community that decides otherwise sets `full_names`.

Nor does the sheet carry the item's key: that key is a hash of the day, the name and the address, so a
neighbour who sees 张*丽 in 301 could try every middle character until it matches. The sheet's key is a
keyed hash (HMAC) of the item's key under a secret kept beside the follow-up log (`跟进记录.xlsx.key`),
which `collect` turns back into the item by looking it up among the log's items.

A 配送单 goes to a volunteer the same way (`printed_view`): masked name and its own key, with what to bring
and the phone to ring, which it prints (gridtool.domain.requests.delivery).
"""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd

from gridtool.domain.checkins.messages import mask_name
from gridtool.domain.requests.categories import request_actions
from gridtool.domain.requests.rules import Rules
from gridtool.table.columnwise import map_unique

FOLLOWUP_ACTION = "请提醒/协助联系"
NOTICE_ACTION = "送纸质通知"
REQUEST_PREFIX = "诉求："


def sheet_key(secret: bytes, key: str) -> str:
    """The key a building leader's sheet or a 配送单 shows for the item `key`: reveals nothing without the secret."""
    return hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()[:16]


def printed_view(items: pd.DataFrame, secret: bytes, action: pd.Series, full_names: bool = False) -> pd.DataFrame:
    """`items` (key, name) with what an opaque sheet prints of each: `shown_name` (masked unless `full_names`),
    `shown_action` (`action`) and `sheet_key`, the key it carries instead of the item's."""
    names = items["name"].astype(str)
    return items.assign(sheet_key=[sheet_key(secret, str(k)) for k in items["key"]],
                        shown_name=names if full_names else map_unique(names, mask_name),
                        shown_action=action.astype(str))


def leader_wording(items: pd.DataFrame, secret: bytes, rules: Rules, full_names: bool = False) -> pd.DataFrame:
    """`items` (key, kind, name, action) with `shown_name`, `shown_action` and `sheet_key`: what the sheet
    prints, and the key it carries. A request is named by what to do for its category (代购药品, 就医协助 …),
    from the one request categoriser (gridtool.domain.requests.categories) with the community's [requests]
    keywords."""
    if full_names:
        return printed_view(items, secret, items["action"], full_names=True)
    kinds = items["kind"].astype(str)
    shown = pd.Series(FOLLOWUP_ACTION, index=items.index, dtype=object).mask(kinds == "notice", NOTICE_ACTION)
    asked = kinds == "request"
    if asked.any():
        text = items.loc[asked, "action"].astype(str).str.removeprefix(REQUEST_PREFIX)
        shown[asked] = request_actions(text, rules)
    return printed_view(items, secret, shown)
