"""The built-in request categories, keywords and urgent words, and the rules a community's gridtool.toml makes
of them. Order is priority: a request is filed under the first category that matches, and may carry a second.
"""

from __future__ import annotations

from dataclasses import dataclass

from gridtool.config import Settings

OTHER = "其他"
DEFAULT_CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("就医", ("就医", "看病", "医院", "急诊", "门诊", "复诊", "产检", "透析", "化疗", "放疗", "住院", "救护车", "120",
             "发烧", "发热", "高烧", "胸痛", "胸闷", "呼吸困难", "喘不上气", "肚子疼", "肚子痛", "头疼", "头痛",
             "摔倒", "摔伤", "受伤", "伤口", "骨折", "不舒服", "孕妇", "待产", "临产", "出行", "陪诊", "就诊")),
    ("药品", ("药", "胰岛素", "处方", "药店", "药房", "配药", "开药", "速效救心丸")),
    ("生活物资", ("生活物资", "物资", "买菜", "蔬菜", "青菜", "没菜", "菜", "大米", "米面", "米", "没油",
                "面条", "挂面", "面粉", "粮食", "口粮", "食用油", "油盐", "肉", "鸡蛋", "牛奶", "奶粉", "尿不湿", "纸尿裤", "卫生巾",
                "卫生纸", "纸巾", "水果",
                "矿泉水", "饮用水", "桶装水", "方便面", "吃的", "食物", "食品", "团购", "日用品", "煤气", "液化气")),
    ("检测", ("核酸", "抗原", "检测", "采样", "试剂", "阳性", "测一下")),
    ("心理", ("心理", "焦虑", "失眠", "睡不着", "抑郁", "情绪", "崩溃", "想不开", "压力大", "害怕", "恐慌", "想哭",
             "疏导", "孤独", "烦躁", "闷得慌")),
    ("快递/代办", ("快递", "取件", "包裹", "驿站", "丰巢", "外卖", "代取", "代办", "代缴", "缴费", "交费", "电费",
                 "水费", "燃气费", "充值", "跑腿", "垃圾", "宠物", "喂猫", "遛狗", "猫粮", "狗粮", "钥匙")),
    ("咨询", ("咨询", "请问", "问一下", "问下", "什么时候", "何时", "解封", "政策", "能不能", "能否", "可以吗", "怎么办",
             "怎么", "如何", "通行证", "出入证", "健康码", "弹窗", "隔离期", "多久", "为什么", "是否")),
)
DEFAULT_URGENT_WORDS: tuple[str, ...] = (
    "发烧", "发热", "高烧", "高热", "胸痛", "胸闷", "呼吸困难", "喘不上气", "喘不过气", "昏迷", "晕倒", "抽搐", "出血",
    "中风", "心梗", "断药", "没药了", "药吃完", "药快没了", "药快吃完", "快断药", "药已经吃完", "药没了",
    "透析", "化疗", "孕妇", "待产", "临产", "羊水",
    "见红", "婴儿奶粉", "奶粉", "胰岛素", "救护车", "120", "想不开", "轻生", "自杀",
)
DEFAULT_DELIVER: tuple[str, ...] = ("生活物资", "药品", "快递/代办")
# A status that starts with one of these closes a request; one of IN_PROGRESS says someone has it.
CLOSED_REQUEST = ("已完成", "已办结", "已解决", "已处理", "完成", "办结", "关闭", "已关闭", "已送达", "已取消")
IN_PROGRESS = ("处理中", "办理中", "跟进中", "已受理", "已派单", "已转办", "正在")
# What a building leader or volunteer is asked to do for each category, without the resident's own words.
ACTIONS = {"生活物资": "代购生活物资", "药品": "代购药品", "就医": "就医协助", "检测": "上门检测", "心理": "心理疏导",
           "快递/代办": "代取快递/代办", "咨询": "解答咨询", OTHER: "其他求助（详情问网格员）"}


@dataclass(frozen=True)
class Rules:
    categories: tuple[tuple[str, tuple[str, ...]], ...]
    urgent_words: tuple[str, ...]
    deliver: tuple[str, ...]
    overdue_hours: float
    urgent_overdue_hours: float
    round_size: int
    elderly_age: int

    @property
    def names(self) -> list[str]:
        """Every category in priority order, 其他 last."""
        return [name for name, _ in self.categories if name != OTHER] + [OTHER]


def rules_from(settings: Settings) -> Rules:
    """The built-in lists with gridtool.toml's [requests] applied (a named category's keywords replaced)."""
    own = settings.requests
    given = dict(own.categories)
    categories = [(name, given.pop(name, words)) for name, words in DEFAULT_CATEGORIES]
    categories += [(name, words) for name, words in given.items() if name != OTHER]
    return Rules(tuple(categories), own.urgent_words or DEFAULT_URGENT_WORDS, own.deliver or DEFAULT_DELIVER,
                 own.overdue_hours, own.urgent_overdue_hours, own.round_size, settings.elderly_age)
