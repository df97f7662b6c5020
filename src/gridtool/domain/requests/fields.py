"""The columns of a request log and a building-route sheet, with their Chinese names. The volunteer roster
is the volunteers' own (gridtool.domain.volunteers.fields)."""

from __future__ import annotations

from gridtool.table.columns import FIELD_LABELS, SYNONYMS

PEOPLE_FIELDS = ("name", "building", "unit", "room", "address", "phone", "worker", "note", "age", "birth",
                 "id_number", "alone", "chronic", "request")
REQUEST_SYNONYMS: dict[str, tuple[str, ...]] = {
    **{f: SYNONYMS[f] for f in PEOPLE_FIELDS},
    "request": (*SYNONYMS["request"], "诉求事项", "求助需求", "需要什么帮助", "需要的帮助", "需要帮助", "困难诉求",
                "遇到的困难", "困难和需求", "具体需求", "需求描述", "问题描述"),
    "logged_at": ("登记时间", "求助时间", "反映时间", "来电时间", "提交时间", "提交答卷时间", "填报时间", "上报时间",
                  "登记日期", "时间", "日期"),
    "category": ("类别", "诉求类别", "诉求类型", "诉求分类", "需求类别", "需求类型", "求助类型", "问题类型", "问题分类",
                 "分类", "类型"),
    "status": ("状态", "办理状态", "处理状态", "办理情况", "处理情况", "办理进度", "处理进度", "进度", "是否办结"),
    "handler": ("处理人", "办理人", "经办人", "承办人", "跟进人", "受理人", "处理人员"),
    "closed_at": ("完成时间", "办结时间", "处理完成时间", "解决时间", "完成日期", "办结日期"),
}
REQUEST_LABELS = {**{f: FIELD_LABELS[f] for f in PEOPLE_FIELDS}, "logged_at": "登记时间", "category": "类别",
                  "status": "状态", "handler": "处理人", "closed_at": "完成时间"}

ROUTE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "building": SYNONYMS["building"],
    "order": ("配送顺序", "路线顺序", "行走顺序", "顺序", "次序", "路线", "route"),
}
ROUTE_LABELS = {"building": "楼栋", "order": "顺序"}
