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
_FULL_DATE = rf"\d{{4}}\s*年\s*\d{{1,2}}\s*月|[{_CN}]{{4}}年[{_CN}]{{1,2}}月|\d{{1,2}}月\d{{1,2}}日|月底前|年底前|年内"
_STATES = {
    "days": re.compile(rf"[\d{_CN}]+\s*个?(工作日|天|日内|个月)|within \d+ (working )?days", re.I),
    # a year alone is a date too ("到 2025 年" answers "by which year"): without it every "哪年" question over a
    # clause that answers it looked like a near-miss to the answerability model (train-figures-2: 3 of 7 refusals)
    "date": re.compile(rf"{_FULL_DATE}|(19|20)\d\d\s*年"),
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


# What a question asks about beyond a figure, and whether a clause states it concretely: the conditions of a
# measure (eligibility, documents, procedure, fees) and the penalties for breaking a rule. A policy that says
# "对符合条件的企业给予支持" names support, not its conditions; "申请人应当提交下列材料" states them. The answerability model
# weighs "asked, not stated" as a feature (app.answerability), as it weighs an unstated figure.
_ABOUT = {
    "conditions": (
        re.compile(r"(什么|哪些|啲|咩|乜|满足)(的|样的)?条件|条件(是什么|有哪些|系咩|系乜)|(认定|申请|申报|准入)(的)?条件|"
                   r"门槛(是|为|有多|多)|(什么|哪些|啲|咩)门槛|(注册资本|资金|营收|收入|金额)门槛|"
                   r"(什么|哪些|啲|咩|乜)(的)?(资格|资质|要求)|(资格|资质)(要求|条件)|要求(是什么|有哪些|系咩)|(认定|评分|评定|准入|收费)标准|"
                   r"(需要|要|须|得)(准备|提交|提供|办理?|交|递交|满足|具备)(哪些|什么|啲|咩|乜|些)|"
                   r"(什么|哪些|啲|咩|乜)(材料|资料|证书|证件|手续|流程|步骤|牌照|许可证?|执照)|(申请|所需|提交|准备)(的)?(材料|资料)|"
                   r"(手续|流程|步骤)(是什么|有哪些|系点|怎么走|如何)|(怎么|怎样|如何|咋|点样|点)(去)?(申请|办理|申报|办|报名|备案|注册|认定)|"
                   r"(办|攞|申请|领)(个)?(牌照|许可证|执照)|手续费|"
                   r"\b(requirements?|criteria|eligib\w*|qualify|qualification|conditions|thresholds?|benchmarks?)\b|"
                   r"\bwhat (licen[cs]es?|permits?|certificates?|paperwork|documents|papers|forms?|procedures?|steps)\b|"
                   r"\b(do|does|would) (i|we|they|you|a firm|companies) need\b|"
                   r"\bhow (do|can|should|does|would) .{0,30}\b(apply|register|file|qualify|sign up)\b|"
                   r"\b(application|filing|registration) (process|procedure|form|fee)s?\b", re.I),
        re.compile(r"条件(为|是|如下|包括|：)|(应当|须|需|必须|应)(具备|满足|符合|提交|提供|取得|持有|具有)|(具备|满足|符合)(以下|下列)|"
                   r"下列条件|以下条件|不低于|不少于|不超过|(达到|超过)\s*[\d一二三四五六七八九十百千万亿]|申请(材料|条件|流程|程序)|"
                   r"(办理|申请|审批)(流程|程序|手续)为|(凭|持有)[^，。；]{0,10}(证|书|单)")),
    "penalty": (
        re.compile(r"处罚|罚款|罚金|罚则|惩罚|罚多少|怎么罚|判刑|坐牢|刑事责任|法律责任|吊销|\b(penalt\w*|punish\w*|fined?|"
                   r"fines|sanctions?|prosecut\w*|jail|prison)\b", re.I),
        re.compile(r"处罚|罚款|罚金|追究[^，。；]{0,8}责任|吊销|有期徒刑|拘役|没收|惩处|惩戒|责令")),
}
ABOUT = tuple(_ABOUT)


def asks_about(kind: str, question: str) -> bool:
    """asks_about("conditions", "外资企业设立贸易型总部，认定标准是什么？") -> True."""
    return bool(_ABOUT[kind][0].search(question))


def states_about(kind: str, text: str) -> bool:
    """states_about("conditions", "对符合条件的企业给予支持") -> False; ("…应当提交下列材料…") -> True."""
    return bool(_ABOUT[kind][1].search(text))


# What a question asks of the system rather than of the corpus. The corpus can say what a measure states, not
# whether it is still in force, what a user should decide, or anything an instruction inside a question demands.
_INTENTS = {
    "in_force": re.compile(r"还有效|仍然有效|是否有效|有没有效|有冇效|仲有效|现行有效|失效|废止|过期|到期|还在执行|还管用|"
                           r"(仍|还|仲)(然)?适用|生效了(吗|没)|被.{0,12}(取代|替代)|still (valid|in force|effective|apply|"
                           r"binding|current|the rule)|in force|(been )?(repealed|revoked|expired|superseded|replaced)|"
                           r"currently valid|no longer (valid|apply|applies)", re.I),
    "advice": re.compile(r"我(们|哋)?(应该|应当|该|要不要|需不需要)(?!怎么|如何|怎样|向|去哪|到哪|找谁|提供|准备)|(应该|应当).{0,20}还是|应不应该|值不值得|帮我(们|哋)?(写|起草|做一份|选|拣|揀|看看|分析|评估)|"
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


# ---------- the direct answer a question wants (app.short) ----------
# asked_type, states and figure_spans above are features of the calibrated answerability model and keep their
# outputs; what follows widens only what the short answer looks for.

# a question for a number, of any kind ("多少万平方米", "how many vessels", "what weekly number", "by how many hours");
# also app.answerability's asks_number feature
ASKS_NUMBER = re.compile(r"多少|几(个|家|项|天|日|年|月|成|倍|次|批|万|亿|多|条|列|班|架|小时|周|类)|百分之几|"
                         r"how (many|much|long|big|large|high|fast|soon|often)|by how|"
                         r"\b(what|which)\b.{0,30}\b(number|amount|rate|percentage|share|size|total|limit|quota|"
                         r"cap|threshold|ratio|figure|level|sum)\b", re.I)
# … and the other ways a question asks for one: an ordinal ("第几届", "which edition"), a size or extent
# ("几大关区", "多大份额", "增加到什么程度"), a document number ("文号是什么"), a target or value
_ASKS_NUMBER_MORE = re.compile(r"第几|几(?!乎|何|时|月|号)|多(大|高|远|快|重|宽|深|长)(?!时间)|"
                               r"(哪|边)一?(期|届|批|轮|代)|\bwhich (phase|stage|round|batch|generation)\b|"  # an ordinal
                               r"(什么|啥|咩|怎样的?|多大的?)(程度|水平|规模|份额|比例|比重|幅度|额度|上限|下限|数量|金额|数额)|"
                               r"文号|编号|"
                               r"\b(which|what) (edition|session)\b|\b(reference|document|serial|file) number\b|how far\b|"
                               r"\b(what|which)\b.{0,30}\b(targets?|values?|areas?|rewards?|volume|scale|capacity|proportion|"
                               r"fraction|maximum|minimum|ceiling|budget|count|quantity)\b",
                               re.I)
# the responsible units, asked with a count word ("边几个单位负责？", "哪几家单位负责？", "边啲部门…负责落实？")
_ASKS_UNITS = re.compile(r"(哪|边|邊)(几|啲|些)?(个|家|位)?(部门|单位|机构|局|厅|委|市政府)|"
                         r"(部门|单位|机构|局)[^，,。？?]{0,6}(负责|牵头)", re.I)
# a time, asked in words asked_type does not know ("啥时候搞完", "到哪一年", "In which month", "By when")
_ASKS_WHEN = re.compile(r"啥时|什么时间|什么日期|几时|几月|几号|哪个?月|到哪一?年|何年|截止日期|截至日期|期限是|"
                        r"(边|哪)一?(日|天|年|月|个月)|"  # Cantonese 边 is 哪: "边日印发", "边年"
                        r"^\W*(and )?when\b|\bwhen (will|should|must|do|does|can|are|was|were|did|is)\b|\band when\b|\bwhen\W*$|"
                        r"\b(what|which) years?\b|\b(in|by) (which|what) (month|year)\b|\bby when\b|\bdeadline\b|\btime limit\b|"
                        r"\bwithin what (time|period)\b", re.I)
# an item named by its count ("which two land crossings", "哪三个口岸"): the answer names them
_ASKS_WHICH_N = re.compile(r"\bwhich (two|three|four|five|six|seven|eight|nine|ten)\b|哪(两|三|四|五|六|七|八|九|十|几)", re.I)
# a yes/no question, without a question word that asks for something else ("有额外奖励吗？", "Did … try to …?")
_YES_NO = re.compile(r"(吗|么|嘛|没有|没|冇|未)\W*$|有没有|有冇|是不是|是否|能否|能不能|可不可以|会不会|"
                     r"^\W*(is|are|does|do|did|can|could|will|would|has|have|was|were|may|shall)\b", re.I)
_WH = re.compile(r"什么|啥|哪|怎|如何|多少|几|咩|乜|边|\b(what|which|how|who|whom|where|why)\b", re.I)

FIGURES = ("days", "date", "percent", "money", "count", "number")  # the wanted kinds a figure answers
WANTS = (*FIGURES, "agency", "which", "yesno")


# asks what a passage says as a whole, not for one fact of it: "第十二条讲了什么？", "What does item 4 cover?"
_WHOLE = re.compile(r"(讲|说|写|规定|提|谈)(了|咗)?(什么|啥|咩|乜|哪些)(内容|事|东西)?[?？]?$|(什么|啥|哪些)内容|主要内容|具体内容|"
                    r"\bwhat (does|do|did) .{0,60}\b(say|cover|contain|state|provide|mean|require|promise|offer|do|plan)s?\b|\b(summari[sz]e|outline|explain)\b",
                    re.I)
# asks for a list of measures, not one fact: "有哪些支持？", "What support is there for …?"
_LIST = re.compile(r"哪些|哪几|(什么|啥|咩|乜).{0,4}(支持|政策|措施|举措|优惠|帮助|扶持|配套)|\bwhat (support|measures|policies|help|incentives|steps)\b|"
                   r"\bwhich (measures|policies|steps)\b", re.I)
# asks for a person or body: answered by the clause's units (`wanted` -> "agency") or not by a figure
# a question asking for several things: a comparison, each of several documents or agencies, "which documents";
# and an exporter describing their own business (a scenario, which several measures may serve). Features of
# app.further's model, which learns how much each says.
_SEVERAL = re.compile(r"分别|各自|各(是|有|怎么|如何|方面|在)|哪些文件|哪几份|哪几个文件|都有|对比|比较|区别|不同|以及|还有|"
                      r"和.{1,12}(呢|各)|\b(each|both|compare[ds]?|comparison|versus|vs|all the|which documents|"
                      r"which policies|what else|and what|differ|difference)\b", re.I)
_SELF = re.compile(r"我们|我哋|我司|本公司|我公司|我厂|我是|\b(we|we're|we are|our|i run|i'm|i am|my)\b", re.I)


def lists_measures(question: str) -> bool:
    """"深圳对海外仓建设有哪些支持措施？" -> True: a list of measures is asked for (a folded question)."""
    return bool(_LIST.search(question))


def asks_several(question: str) -> bool:
    """"深圳外贸措施和内外贸一体化方案分别怎么支持海外仓？" -> True; "出口退税审批要几个工作日？" -> False."""
    return bool(_SEVERAL.search(question))


def describes_self(question: str) -> bool:
    """"我们是做储能电池出口的，深圳有什么支持？" -> True: the asker describes their business."""
    return bool(_SELF.search(question))


_WHO = re.compile(r"谁|边个|\b(who|whom|whose)\b|\bin charge\b", re.I)


def open_question(question: str) -> bool:
    """A wh-question for one fact of no kind `wanted` knows, whose answer may still be a figure (a folded question):

        open_question("深圳对进出口银行在深授信的企业数量定了什么目标？")  -> True   (answered by "翻一番")
        open_question("深圳海关20条第十二条讲了什么？")                    -> False  (the whole clause)
    """
    return bool(_WH.search(question)) and not _WHOLE.search(question) and not _LIST.search(question) and \
        not _WHO.search(question)


# "how much" of what is paid: "How much would the province reward me with?", "给几多钱奖励？" (`wanted` only: the
# answerability model's features read asked_type)
_ASKS_MONEY_MORE = re.compile(r"\bhow much\b.{0,60}\b(reward|award|subsid|grant|fund|pay|paid|bonus|incentive|support|"
                              r"compensat|receive|get)\w*", re.I)
# a duration, asked in words asked_type does not know ("What turnaround can I expect?", "办理时限")
_ASKS_DAYS_MORE = re.compile(r"\bturn-?around\b|\bprocessing (time|period)\b|\bhow long\b|办(理|结)时(间|限)", re.I)


def wanted(question: str) -> str | None:
    """The kind of direct answer a (folded) question wants: an asked_type kind, widened.

        wanted("广东加大信保支持力度那一条，是哪几家单位负责？")   -> "agency"   (asked_type: "count")
        wanted("跨境电商到2025年海外仓面积要搞到多少平方？")       -> "number"   (a figure of no known kind)
        wanted("深圳要办好世界海关组织第几届全球aeo大会？")        -> "number"
        wanted("gd加工贸易手册能全程无纸化吗？定的啥时候搞完")     -> "date"
        wanted("which two land crossings get upgraded …?")        -> "which"
        wanted("除了500万扶持还有额外奖励吗？")                    -> "yesno"
        wanted("How much would the province reward a firm with?")  -> "money"
        wanted("深圳海关20条第十二条讲了什么？")                   -> None
    """
    kind = asked_type(question)
    if kind == "agency" or _ASKS_UNITS.search(question):
        return "agency"
    if kind is not None:
        return kind
    if _ASKS_WHEN.search(question):
        return "date"
    if _ASKS_MONEY_MORE.search(question):
        return "money"
    if _ASKS_DAYS_MORE.search(question):
        return "days"
    if ASKS_NUMBER.search(question) or _ASKS_NUMBER_MORE.search(question):
        return "number"
    if _ASKS_WHICH_N.search(question):
        return "which"
    if _YES_NO.search(question) and not _WH.search(question):
        return "yesno"
    return None


# a year or a period in words beside the full dates: "到 2025 年", "（2022-2025）", "今年7月", "年底前"
_WHEN_SPAN = re.compile(rf"(19|20)\d\d\s*[-－—–~至到]\s*(19|20)\d\d|(19|20)\d\d\s*年|今年\s*\d{{1,2}}\s*月|"
                        rf"\d{{1,2}}\s*月(底|中旬|上旬|下旬)?前?|[{_CN}]{{1,2}}月(底|份)?前?|今年(内|底前?)|年底前|月底前|年内")
# any figure: a number (not a year), a percentage, a doubling or halving, an ordinal ("第六届"), a document number
# ("粤财综〔2014〕89号"), or Chinese numerals before a measure word ("七大关区", "八方联网", "三年行动计划", "百强", "二期";
# not the "三" of "珠三角", nor the "一" of "一批")
_MEASURE = "个家项天日年月周倍次批列架班万亿成条类种所座艘小时大方港届强市地国区名期轮"
_NUMBER_SPAN = re.compile(rf"[〔［\[(（﹝]\d{{4}}[〕］\])）﹞]\s*\d+\s*号|第[{_CN}\d]+|百分之[{_CN}\d.]+|翻一番|减半|"
                          rf"(?<![\d.A-Za-z])(?!(19|20)\d\d\s*年)\d+(\.\d+)?(\s*[-－~至]\s*\d+(\.\d+)?)?(\s*[%％])?(?![A-Za-z\d])|"
                          rf"(?<![{_CN}])([二三四五六七八九十两百千]|一(?=[十百千万亿]))[{_CN}]*(?=[{_MEASURE}])")
# a list marker, not a figure: "（八）", "(3)", "4." or "30\t" where a line or a phrase opens
LIST_MARKER = re.compile(rf"\s*([（(][{_CN}\d]+[）)]|[{_CN}\d]+\s*([、\t]|[.．](?!\d)))")


def answer_spans(kind: str, text: str) -> list[tuple[int, int]]:
    """Where `text` states what a question of `kind` (a `wanted` kind) asks for: [(start, end), …]; [] for the
    kinds answered by a phrase rather than a figure ("agency", "which", "yesno").

        answer_spans("date", "力争到 2025 年，跨境电商进出口额超千亿元")        -> [(4, 10)]   "2025 年"
        answer_spans("number", "逐步实现省内七大关区之间一体化作业")             -> [(6, 7)]    "七"
        answer_spans("number", "到2025年，数字经济核心产业增加值占GDP比重31%")   -> [(24, 27)]  "31%" (not the year)
    """
    if kind not in FIGURES:
        return []
    if kind == "number":
        markers = [m.span() for line in re.finditer(r"^", text, re.M) if (m := LIST_MARKER.match(text, line.end()))]
        return [m.span() for m in _NUMBER_SPAN.finditer(text) if not any(a <= m.start() < b for a, b in markers)]
    if kind == "date":  # a month or day first, then a year or a period ("2022-2025" whole, not its "2025")
        spans = [m.span() for m in re.finditer(_FULL_DATE, text)]
        spans += [m.span() for m in _WHEN_SPAN.finditer(text) if not any(a <= m.start() < b for a, b in spans)]
        return sorted(spans)
    return figure_spans(kind, text)
