"""Follow-up questions resolved from the conversation, without a language model.

    history = parse_history([{"role": "user", "content": "深圳对海外仓建设有哪些支持措施？"},
                             {"role": "assistant", "content": "根据…[1]", "citations": ["sz-2024-foreign-trade-measures#3.10"]}])
    resolve("这些措施由哪些部门负责？", history)
        -> Resolution(question="这些措施由哪些部门负责？", follow_up=True, reason="anaphor 这些",
                      standalone="深圳对海外仓建设有哪些支持措施？ 这些措施由哪些部门负责？",
                      previous_question="深圳对海外仓建设有哪些支持措施？",
                      previous_citations=("sz-2024-foreign-trade-measures#3.10",),
                      focused="深圳对海外仓建设有哪些支持措施？")
    resolve("广东省出口退税审批要在多少个工作日内完成？", history) -> Resolution(follow_up=False, standalone=<the question>)

A question is a follow-up when it points back (an anaphor: 这些措施, 该条, 那, "that article", "they"), continues
(“what about Guangdong?”, “那广州呢？”, “and which article is that?”) or has no topic of its own
(“who is responsible?”, “由哪个部门负责？”). Its standalone form carries the previous question's topic over:
the previous (resolved) question followed by the follow-up, with the previous places dropped when the follow-up
names its own (“what about Guangdong?” asks the same thing of another place). The service answers a follow-up
over the clauses the previous turn cited first, and searches with the standalone form when they do not answer.

Written by hand: this is a handful of bilingual cue patterns, not something a library offers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from retrieval.places import CITIES, PROVINCES, places_in

Role = Literal["user", "assistant"]
MAX_TURNS = 8  # only the last few turns of a conversation are considered
MAX_DEPTH = 3  # a follow-up of a follow-up of a follow-up carries the topic of at most three user turns

# pointing back: "these measures", "this clause", "the document above"
_ZH_ANAPHOR = re.compile(r"这些|那些|这个|那个|这项|那项|这条|那条|这一|此项|此条|该[条项款文措政规办通意部机单]|上述|前述|^以上|"
                         r"上面|刚才|其中|它们|它的|^它|^其|^此|^这是|^那是|这份|那份|这几|这两|这三")
_EN_PRONOUN = re.compile(r"\b(it|its|they|them|their)\b", re.I)  # also in standalone questions: only with little topic
_EN_ANAPHOR = re.compile(r"\b(these|those|the same|above|former|latter|"
                         r"(this|that) (measure|article|clause|document|policy|rule|item|one|plan|notice|provision))\b|"
                         r"\b(is|was) (that|this)\b|\bthat\s*\?\s*$", re.I)
_ZH_DEMONSTRATIVE = re.compile(r"[这那](个|条|项|份|些)")
# continuing: "and …?", "what about …?", "那广州呢？", "还有呢？"
_ZH_CONTINUE = re.compile(r"^(那么?|那|还有|另外|此外|那如果|如果是|换成|至于)")
_ZH_TAIL = re.compile(r"呢[？?]?\s*$")  # "广州呢？": a continuation only when little else is asked
_EN_TAIL = re.compile(r"\b(too|as well|either)(?=\W*$)", re.I)  # "Does Guangdong do that too?": the same, in English
# English contractions: "who's in charge?" asks "who"
_EN_CONTRACTION = re.compile(r"(?<=[A-Za-z])['’](s|re|ll|d|ve)\b", re.I)
SHORT_TOPIC = 6  # CJK characters (or 3 English words) of own topic that still read as a continuation
# a question that names this much itself uses an anaphor for its own words ("…减负措施，这项措施由谁负责？"):
# measured on the 262 standalone gold questions, 17 were taken for follow-ups without this bound, none with it
LONG_TOPIC = 11  # CJK characters
# English words: 5, since a train question of six words of its own used "the same" for its own two cargoes ("…carrying
# domestic and export cargo on the same ship?"); no train follow-up names more than four of its own
LONG_TOPIC_WORDS = 5
_EN_CONTINUE = re.compile(r"^\s*(and|also|so|then|what about|how about|and what about|what if|same for)\b", re.I)
# words that ask or name a generic kind of thing; what is left is the question's own topic
_ZH_GENERIC = re.compile(
    r"哪些|哪个|哪家|哪几|哪一|什么|多少|几个|几项|怎么|怎样|如何|是否|有没有|是不是|吗|呢|吧|的|了|和|与|及|对|由|在|是|有|要|"
    r"谁|为|给|把|被|就|都|也|还|又|请问|请|一下|具体|主要|分别|负责|牵头|部门|单位|机关|机构|措施|政策|条款|文件|规定|"
    r"时候|时间|日期|几时|何时|"  # "什么时候印发的？" asks when, it names nothing
    r"内容|要求|条|项|款|第|号|份|哪|些|个|里|中|上|下|说|讲|指|包括|涉及|适用|出台|发布|发文|印发|"
    r"\d+|[一二三四五六七八九十百]+|[\s，。？！?!,.、：:；;“”\"'（）()《》]")
_EN_GENERIC = frozenset(
    "what which who whom whose when where why how is are was were be been the a an of in on at to for by with from and "
    "or do does did can could should would will shall may might it its they them their this that these those there "
    "about say says said mean means responsible responsibility agency agencies department departments body bodies "
    "unit units lead leads measure measures article articles clause clauses item items document documents policy "
    "policies rule rules provision provisions number one ones issued issue issues issuer date dated also so then "
    "please tell me us more detail details exactly specific specifically same other else any some all apply applies "
    "cover covers include includes name named under charge".split())
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_CJK = re.compile(r"[\u3400-\u9fff]")
_EN_PLACE = {en: zh for zh, en in PROVINCES.items()} | {en: zh for zh, (en, _) in CITIES.items()}


@dataclass(frozen=True, slots=True)
class Turn:
    """One message of a conversation; an assistant turn may carry the clause ids it cited."""

    role: Role
    content: str
    citations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Resolution:
    question: str                        # as asked
    follow_up: bool
    standalone: str                      # what to search for: the question with the previous topic carried over
    reason: str                          # why it is (not) a follow-up, e.g. "anaphor 这些", "no topic of its own"
    previous_question: str | None = None            # the user question it follows (as asked)
    previous_history: tuple[Turn, ...] = ()          # the turns before that question (to re-ask it)
    previous_citations: tuple[str, ...] | None = None  # clause ids the previous answer cited, when the client sent them
    # what to weigh the previous answer's clauses against: the previous topic and the follow-up's own topic, without
    # its generic words ("文件", "机关", "who", "responsible"), which those clauses need not contain
    focused: str | None = None
    previous_reply: str = ""  # the assistant's reply to the previous question, as the client sent it ("" if none)


def parse_history(messages) -> tuple[Turn, ...]:
    """Validate client-sent turns: [{"role": "user"|"assistant", "content": str, "citations"?: [id | {"clause_id"}]}].
    System messages are dropped; anything else is an error naming the bad turn."""
    if messages is None:
        return ()
    if not isinstance(messages, (list, tuple)):
        raise ValueError(f"history must be a list of turns like {{'role': 'user', 'content': '…'}}, "
                         f"not {type(messages).__name__}")
    turns: list[Turn] = []
    for n, message in enumerate(messages):
        if isinstance(message, Turn):
            turns.append(message)
            continue
        if not isinstance(message, dict):
            raise ValueError(f"history turn {n} must be an object with 'role' and 'content', not {message!r:.60}")
        role = message.get("role")
        if role in ("system", "developer"):
            continue
        if role not in ("user", "assistant"):
            raise ValueError(f"history turn {n} has role {role!r}; use 'user' or 'assistant'")
        content = message.get("content")
        if isinstance(content, list):  # OpenAI content parts: [{"type": "text", "text": "…"}]
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
        if content is None:
            content = ""
        if not isinstance(content, str):
            raise ValueError(f"history turn {n} has content of type {type(content).__name__}; send a string")
        cited = []
        for c in message.get("citations") or ():
            clause_id = c.get("clause_id") if isinstance(c, dict) else c
            if not isinstance(clause_id, str) or not clause_id:
                raise ValueError(f"history turn {n} has a citation {c!r:.60}; send clause ids or Citation objects")
            cited.append(clause_id)
        turns.append(Turn(role, content, tuple(cited)))
    return tuple(turns[-MAX_TURNS:])


def own_topic(question: str) -> str:
    """What the question names beyond anaphors, question words and generic nouns:
    "这些措施由哪些部门负责？" -> ""; "深圳对海外仓建设有哪些支持措施？" -> "深圳海外仓建设支持";
    "Who is responsible?" -> ""; "what about Guangdong?" -> "Guangdong"."""
    if _CJK.search(question):
        rest = _ZH_ANAPHOR.sub("", question)
        rest = _ZH_GENERIC.sub("", rest)
        return "".join(_CJK.findall(rest)) + " ".join(w for w in _EN_WORD.findall(rest) if len(w) > 1)
    words = [w for w in _EN_WORD.findall(_EN_CONTRACTION.sub("", question)) if w.lower() not in _EN_GENERIC and len(w) > 1]
    return " ".join(words)


def names_nothing(topic: str) -> bool:
    """A short Chinese topic with no noun in it (jieba's part-of-speech tags) names no thing of its own:
    "到哪一年要完成？" -> "到年完成" (到 v, 年 m, 完成 v) names nothing; "深圳海关配套" names 深圳海关.
    jieba's tagger is used because what is a noun is a matter of its dictionary, not of a list kept here."""
    import jieba.posseg  # loads jieba's default dictionary once, only for questions with a conversation before them

    return not any(flag.startswith(("n", "vn", "an", "eng")) for _, flag in jieba.posseg.cut(topic))


def follow_up_reason(question: str) -> str | None:
    """Why a question continues the conversation, or None when it stands on its own."""
    topic = own_topic(question)
    cjk = bool(_CJK.search(topic))
    m = _ZH_ANAPHOR.search(question) or _EN_ANAPHOR.search(question)
    # "广东稳外贸那个文件…": a demonstrative after words that name its referent points at them, not back
    modified = bool(m and _ZH_DEMONSTRATIVE.match(m.group(0)) and len(own_topic(question[:m.start()])) >= 2)
    if m and not modified and (len(topic) <= LONG_TOPIC if cjk else len(topic.split()) <= LONG_TOPIC_WORDS):
        return f"anaphor {m.group(0).strip()}"
    m = _ZH_CONTINUE.search(question) or _EN_CONTINUE.search(question)
    if m:
        return f"continues with {m.group(0).strip()}"
    if not topic:
        return "no topic of its own"
    short = len(topic) <= SHORT_TOPIC if cjk else len(topic.split()) <= 3
    m = _ZH_TAIL.search(question) or _EN_PRONOUN.search(question) or _EN_TAIL.search(question)
    if m and short:
        return f"continues with {m.group(0).strip()}"
    if cjk and short and names_nothing(topic):  # "从什么时候开始免？": what is asked, of the topic before
        return "names nothing of its own"
    return None


def drop_places(text: str) -> str:
    """ "How fast are export tax refunds approved in Guangdong?" -> "How fast are export tax refunds approved?"
    ("广东省…" loses "广东省"): the places of the previous question, when the follow-up names another."""
    for zh in sorted(places_in(text), key=len, reverse=True):
        text = re.sub(re.escape(zh) + "[省市]?", "", text)
    for en in sorted(_EN_PLACE, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(en)}( Province| City)?\b", "", text, flags=re.I)
    text = re.sub(r"\b(in|of|for|at|from)\s*(?=[?？.]|$)", "", text)  # "approved in ?" -> "approved ?"
    return re.sub(r"\s{2,}", " ", text).replace(" ?", "?").strip()


def resolve(question: str, history=(), *, depth: int = MAX_DEPTH) -> Resolution:
    """Decide whether `question` follows up the conversation in `history` and give its standalone form."""
    turns = parse_history(history)
    users = [i for i, t in enumerate(turns) if t.role == "user" and t.content.strip()]
    if not users or depth <= 0:
        return Resolution(question, False, question, "no earlier question" if not users else "conversation too deep")
    reason = follow_up_reason(question)
    if reason is None:
        return Resolution(question, False, question, "has a topic of its own and does not point back")
    last = users[-1]
    previous = turns[last].content.strip()
    before = turns[:last]
    # the previous question may itself have been a follow-up: carry its resolved topic
    carried = resolve(previous, before, depth=depth - 1).standalone
    if places_in(question) and places_in(carried) != places_in(question):
        carried = drop_places(carried)
    cited = None
    after = [t for t in turns[last + 1:] if t.role == "assistant"]
    if after and after[0].citations:
        cited = after[0].citations
    focused = f"{carried} {own_topic(question)}".strip()
    reply = after[0].content if after else ""
    return Resolution(question, True, f"{carried} {question}", reason, previous, before, cited, focused, reply)
