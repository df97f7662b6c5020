"""The columns of a service log, a redemption log and a volunteer roster, and how each is recognised.

The volunteer sheets have a vocabulary of their own, so a resident roster or a check-in table never
turns into a volunteer sheet (and a volunteer roster is never read as residents): each kind needs a
column only volunteer sheets have (服务类型, 兑换内容, 组别 or 负责楼栋). The one volunteer roster serves
both the volunteers' ledger (组别, 所在楼栋, 家属) and `gridtool requests`' delivery rounds (负责楼栋,
可服务时段; a volunteer without 负责楼栋 delivers in their own 所在楼栋).
"""

from __future__ import annotations

VOLUNTEER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("志愿者", "志愿者姓名", "姓名", "服务人", "服务人员", "志愿者名字", "名字", "name", "volunteer"),
    "date": ("日期", "服务日期", "兑换日期", "服务时间日期", "date"),
    "service": ("服务类型", "服务项目", "服务内容", "服务类别", "志愿服务类型", "服务种类", "service"),
    "start": ("开始时间", "服务开始时间", "开始", "签到时间", "起始时间", "start"),
    "end": ("结束时间", "服务结束时间", "结束", "签退时间", "截止时间", "end"),
    "duration": ("时长", "服务时长", "小时数", "服务小时数", "工时", "志愿时长", "duration"),
    "client": ("服务对象", "服务居民", "受助人", "受助居民", "client"),
    "building": ("楼栋", "服务楼栋", "所在楼栋", "楼号", "栋", "building"),
    "reviewer": ("审核人", "审核", "确认人", "核实人", "reviewer"),
    "urgent": ("是否紧急", "紧急", "紧急程度", "是否加急", "urgent"),
    "redeemer": ("兑换人", "领取人", "使用人", "受益人", "redeemer"),
    "reward": ("兑换内容", "兑换物品", "兑换项目", "兑换商品", "兑换服务", "reward"),
    "points": ("积分", "兑换积分", "消耗积分", "扣减积分", "使用积分", "points"),
    "hours": ("小时", "兑换小时", "使用小时", "扣减小时", "时间银行小时", "hours"),
    "handler": ("经办人", "经手人", "办理人", "handler"),
    "phone": ("电话", "手机", "手机号", "手机号码", "联系电话", "联系方式", "phone"),
    "group": ("组别", "小组", "分组", "服务队", "志愿服务队", "所属小组", "队伍", "group"),
    "family": ("家属", "家人", "可转赠家人", "时间银行受益人", "家庭成员", "family"),
    "note": ("备注", "说明", "note"),
    # the roster's delivery columns, read by `gridtool requests` to give each delivery round to a volunteer
    "served_buildings": ("负责楼栋", "包保楼栋", "包联楼栋", "负责区域", "服务区域", "负责楼号", "配送楼栋"),
    "available": ("可服务时段", "服务时段", "可服务时间", "空闲时段", "空闲时间", "值班时段", "可用时间"),
}

VOLUNTEER_LABELS = {
    "name": "志愿者", "date": "日期", "service": "服务类型", "start": "开始时间", "end": "结束时间",
    "duration": "时长(小时)", "client": "服务对象", "building": "楼栋", "reviewer": "审核人", "urgent": "是否紧急",
    "redeemer": "兑换人", "reward": "兑换内容", "points": "积分", "hours": "小时", "handler": "经办人",
    "phone": "电话", "group": "组别", "family": "家属", "note": "备注", "served_buildings": "负责楼栋",
    "available": "可服务时段",
}
ROSTER_MARKS = frozenset({"group", "family", "served_buildings", "available"})


def is_service_log(fields: frozenset[str]) -> bool:
    """Who served, what kind of service, and for how long (a duration, or a start and an end)."""
    return {"name", "service"} <= fields and ("duration" in fields or {"start", "end"} <= fields)


def is_redemption_log(fields: frozenset[str]) -> bool:
    return "reward" in fields and bool(fields & {"name", "redeemer"}) and bool(fields & {"points", "hours"})


def is_volunteer_roster(fields: frozenset[str]) -> bool:
    """Volunteers' names with a group, family, the buildings they deliver to or the hours they can serve."""
    return "name" in fields and bool(fields & ROSTER_MARKS) and not fields & {"service", "reward"}
