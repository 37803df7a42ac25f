"""What kind of fact a question asks for, and whether a clause states one at all.

    required_type("Within how many working days does Shenzhen Customs approve …?") -> "days"
    states("days", "…在20个工作日内完成退（免）税审批手续…")                          -> True
    required_type("What percentage of premiums does Guangdong reimburse?")        -> "percent"
    states("percent", "对企业投保出口信用保险给予资助，提高资助比例")                   -> False

A clause that states no figure of the asked kind cannot answer a question that asks for
one, however close its topic: such near-misses are refused instead of answered.
"""

from __future__ import annotations

import re

_CN = "一二三四五六七八九十百千万两〇零"
_ASKS = [
    ("days", re.compile(r"how many (working )?days|within how many|how long does .{0,40}take|多少个?工作日|几个工作日|"
                        r"多少天|几天|多长时间|多久", re.I)),
    ("date", re.compile(r"\b(on )?what date\b|\bwhen (was|were|did|is)\b|\bby what date\b|\bwhich date\b|"
                        r"\b(what|which) year\b|哪一?天|哪一?年|何时|什么时候|日期是", re.I)),
    ("percent", re.compile(r"percent|percentage|\b(duty|tariff|tax|rebate|refund|growth|interest|premium) rates?\b|"
                           r"\bwhat rates?\b|百分之|比例是多少|比例为多少|税率|费率|增长率|增速是多少|几成", re.I)),
    ("money", re.compile(r"how much (money|funding|subsidy|does .{0,40} pay)|how many yuan|\bamount\b|"
                         r"registered capital|多少钱|多少元|多少万元|多少亿|金额|资金规模|补贴标准|奖励标准|标准是多少",
                         re.I)),
    ("count", re.compile(r"多少(个|家|项|列|条|架|次|批|班)|几(个|家|项|列|批)", re.I)),
]
_STATES = {
    "days": re.compile(rf"[\d{_CN}]+\s*个?(工作日|天|日内|个月)|within \d+ (working )?days", re.I),
    "date": re.compile(rf"\d{{4}}\s*年\s*\d{{1,2}}\s*月|[{_CN}]{{4}}年[{_CN}]{{1,2}}月|\d{{1,2}}月\d{{1,2}}日|月底前|年底前|年内"),
    "percent": re.compile(rf"\d+(\.\d+)?\s*[%％]|百分之|[{_CN}\d]成(?![本立功果为员])|减半"),
    "money": re.compile(rf"[\d.]+\s*(万|亿)?\s*(元|美元)|[{_CN}]+(万|亿)元"),
    "count": re.compile(rf"[\d]+\s*(个|家|项|列|条|架|次|批|班)|[{_CN}]+(个|家|项|列|批)(?!体)"),
}
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_SPAN = re.compile(r"((?:19|20)\d{2})\s*[-—–至到]\s*((?:19|20)\d{2})")


def years(text: str) -> set[int]:
    """Years a text names, ranges expanded: "（2022-2025）" -> {2022, 2023, 2024, 2025}."""
    found = {int(y) for y in _YEAR.findall(text)}
    for a, b in _SPAN.findall(text):
        found |= set(range(int(a), int(b) + 1))
    return found


def required_type(question: str) -> str | None:
    for kind, pattern in _ASKS:
        if pattern.search(question):
            return kind
    return None


def states(kind: str, text: str) -> bool:
    return bool(_STATES[kind].search(text))
