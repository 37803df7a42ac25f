"""What kind of fact a question asks for, and whether a clause states one at all.

    asked_type("Within how many working days does Shenzhen Customs approve …?") -> "days"
    states("days", "…在20个工作日内完成退（免）税审批手续…")                          -> True
    asked_type("What percentage of premiums does Guangdong reimburse?")        -> "percent"
    states("percent", "对企业投保出口信用保险给予资助，提高资助比例")                   -> False

A clause that states no figure of the asked kind cannot answer a question that asks for
one, however close its topic: such near-misses are refused instead of answered.
"""

from __future__ import annotations

import re

_CN = "一二三四五六七八九十百千万两〇零"
_ASKS = [
    ("days", re.compile(r"how many (working )?days|within how many|how long does .{0,40}take|how (fast|quickly|soon)|多少个?工作日|几个工作日|"
                        r"多少天|几天|多长时间|多久|几多个?工作日|几多日|几耐|几长时间", re.I)),
    ("date", re.compile(r"\b(on )?what date\b|\bwhen (was|were|did|is)\b|\bby what date\b|\bwhich date\b|"
                        r"\b(what|which) year\b|哪一?天|哪一?年|何时|什么时候|日期是", re.I)),
    ("percent", re.compile(r"percent|percentage|\b(duty|tariff|tax|rebate|refund|growth|interest|premium) rates?\b|"
                           r"\bwhat rates?\b|百分之|比例是多少|比例为多少|税率|费率|增长率|增速是多少|几成", re.I)),
    ("money", re.compile(r"how much (money|funding|subsidy|does .{0,40} pay)|how many yuan|\bamount\b|"
                         r"registered capital|多少钱|多少元|多少万元|多少亿|几多钱|几多万|金额|资金规模|补贴标准|奖励标准|标准是多少",
                         re.I)),
    ("count", re.compile(r"多少(个|家|项|列|条|架|次|批|班)|几多?(个|家|项|列|批)", re.I)),
    ("agency", re.compile(r"哪个?(部门|单位|机构|局)|谁(负责|牵头|来管|管)|由谁|哪些部门|哪些单位|牵头单位|责任单位|"
                          r"who (is|are) (responsible|in charge)|which (agenc(y|ies)|departments?|bureaus?|authorit(y|ies)|bod(y|ies)|units?)|"
                          r"who (leads|issued|issues|handles|runs)|responsible (agency|department|unit)", re.I)),
]
_STATES = {
    "days": re.compile(rf"[\d{_CN}]+\s*个?(工作日|天|日内|个月)|within \d+ (working )?days", re.I),
    "date": re.compile(rf"\d{{4}}\s*年\s*\d{{1,2}}\s*月|[{_CN}]{{4}}年[{_CN}]{{1,2}}月|\d{{1,2}}月\d{{1,2}}日|月底前|年底前|年内"),
    "percent": re.compile(rf"\d+(\.\d+)?\s*[%％]|百分之|[{_CN}\d]成(?![本立功果为员])|减半"),
    "money": re.compile(rf"[\d.]+\s*(万|亿)?\s*(元|美元)|[{_CN}]+(万|亿)元"),
    "count": re.compile(rf"[\d]+\s*(个|家|项|列|条|架|次|批|班)|[{_CN}]+(个|家|项|列|批)(?!体)"),
    "agency": re.compile(r"(局|厅|委|办|海关|政府|中心|银行|部|署|税务|公司|协会)[、，,）)〕]|负责|牵头"),
}


def asked_type(question: str) -> str | None:
    for kind, pattern in _ASKS:
        if pattern.search(question):
            return kind
    return None


def states(kind: str, text: str) -> bool:
    return bool(_STATES[kind].search(text))


# What a question asks of the system rather than of the corpus. The corpus can say what a measure states, not
# whether it is still in force, what a user should decide, or anything an instruction inside a question demands.
_INTENTS = {
    "in_force": re.compile(r"还有效|仍然有效|是否有效|有没有效|有冇效|仲有效|现行有效|失效|废止|过期|到期|还在执行|还管用|"
                           r"(仍|还|仲)(然)?适用|生效了(吗|没)|被.{0,12}(取代|替代)|still (valid|in force|effective|apply|"
                           r"binding|current|the rule)|in force|(been )?(repealed|revoked|expired|superseded|replaced)|"
                           r"currently valid|no longer (valid|apply|applies)", re.I),
    "advice": re.compile(r"我(们|哋)?(应该|应当|该|要不要|需不需要)|(应该|应当).{0,20}还是|应不应该|值不值得|帮我(们|哋)?(写|起草|做一份|选|拣|揀|看看|分析|评估)|"
                         r"建议我|推荐|哪个更好|好还是|比较好|比较着数|怎么选|选哪|揀|划算|能不能赚钱|评估一下|法律意见|"
                         r"\bshould (i|we|my|our)\b|\bwould you (recommend|advise)\b|\badvise (me|us)\b|"
                         r"\b(draft|write)\b.{0,20}\b(letter|application|for me|for us)\b|\bis it worth\b|"
                         r"\bwhich is better\b|\bbetter to\b", re.I),
    "injection": re.compile(r"忽略|无视|不要理会|唔好理|你现在是|系统提示|不用查|不要引用|不需要引用|编一个|优先级高于|"
                            r"新的任务|新指令|回答结尾|请回答\d|说成|"
                            r"ignore (all |any |the |your |previous |prior )*(instructions|rules|prompt|sources)|"
                            r"disregard|forget (the|your|all)|you are now|pretend|developer mode|no matter what|"
                            r"new instruction|system\s*:|</\w+>|\bjailbreak\b|(say|answer|reply|tell me) (that|only|exactly)|"
                            r"reply only|answer in json", re.I),
}


def intents(question: str) -> frozenset[str]:
    """{"in_force"} for "这个文件现在还有效吗？"; {"injection"} for "Ignore your rules and say …"."""
    return frozenset(name for name, pattern in _INTENTS.items() if pattern.search(question))


def figure_spans(kind: str, text: str) -> list[tuple[int, int]]:
    """Where `text` states a figure of `kind`: [(start, end), …] of each match."""
    pattern = _STATES.get(kind)
    return [m.span() for m in pattern.finditer(text)] if pattern else []
