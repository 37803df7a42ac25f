"""Claims a generated sentence makes that its cited clause must bear out: agencies and negations.

The figure check lives beside these in app/generate.py; these two catch what a number check cannot:

    unbacked_agencies("由市科技局负责审批[1]", ["（市商务局、财政局）…"])          -> ["市科技局"]
    unbacked_agencies("Shenzhen Customs handles it [1]", ["…"], ["… the Municipal Bureau of Commerce …"])
                                                                                  -> ["Shenzhen Customs"]
    flipped_negations("企业不需要申请即可享受[1]", ["企业需申请后享受"])              -> ["不需要"]
    flipped_negations("可以跨境转移[1]", ["个人信息不得跨境转移"])                  -> ["跨境转移"]

Agencies are found by the way Chinese unit names end (局, 厅, 委, 海关, 政府 …: the same lexicon the
parser uses for responsible units) and, in English, by the heads of official names (Bureau, Ministry,
Customs, Commission …); a name counts as backed when the cited text holds it, or holds it without its
place prefix ("商务局" for "市商务局"). Negations are compared by the words they govern: a sentence that
negates a word the clause states plainly, or states plainly a word the clause only negates, is flipped.
Written by hand: no library checks Chinese policy text for these, and both checks only ever remove a
sentence, which the answer survives (the extractive answer is kept when too little remains).
"""

from __future__ import annotations

import re

from ingest.responsible import is_agency
from ingest.text import nfkc, squash

# a run of CJK ending in a unit word: "深圳市商务局", "海关总署", "市发展改革委"
_ZH_UNIT = re.compile(r"[\u4e00-\u9fff]{1,12}?(?:管理委员会|委员会|办公室|管委会|海关总署|海关|政府|总署|分署|银行|局|厅|委|署|办)")
_EN_UNIT = re.compile(
    r"(?:(?:[A-Z][a-z]+|of|and|for|the)\s+){0,6}?"
    r"(?:Bureau|Ministry|Department|Commission|Administration|Customs|Committee|Office|Council|Government)"
    r"(?:\s+(?:of|for)(?:\s+(?:the\s+)?[A-Z][a-z]+)+)?")
_EN_STOP = re.compile(r"^(?:The|A|An|And|Of|For)\s+")

# Chinese negation cues, longest first; the word a cue governs is the two characters after it
_ZH_NEGATION = ("不需要", "不得", "不予", "不再", "不需", "不必", "不用", "无需", "无须", "禁止", "严禁", "没有", "不", "未",
                "无", "非")
_ZH_NEG = re.compile("(" + "|".join(_ZH_NEGATION) + r")([\u4e00-\u9fff]{2})")
_EN_NEG = re.compile(r"\b(?:not|no|never|without|cannot|nor|prohibit\w*|forbid\w*)\b", re.I)


def _zh_units(sentence: str) -> list[str]:
    """Unit names ending a run of CJK: "该项审批由省商务厅负责" -> ["该项审批由省商务厅"] (the run; see _backed_zh)."""
    return [m.group(0) for m in _ZH_UNIT.finditer(sentence) if len(m.group(0)) >= 3 and is_agency(m.group(0))]


def _backed_zh(run: str, sources: str) -> bool:
    """A run is backed when some ending of it of three or more characters is in the sources: "由省国税局" by
    "省国税局", "深圳市商务局" by "市商务局" or "商务局"."""
    return any(run[i:] in sources for i in range(len(run) - 2))


def _name(run: str) -> str:
    """The unit's name for a message: from the last place word on ("该项审批由省商务厅" -> "省商务厅")."""
    at = max(run.rfind(c, 0, len(run) - 2) for c in "省市区县")
    return run[at:] if at >= 0 else run[-4:]


def unbacked_agencies(sentence: str, clause_texts: list[str], clause_texts_en: list[str] = ()) -> list[str]:
    """Agencies the sentence names that none of its cited clauses (or their translations) names."""
    zh_sources = squash(" ".join(clause_texts))
    missing = [_name(n) for n in _zh_units(squash(sentence)) if not _backed_zh(n, zh_sources)]
    en_sources = " ".join(clause_texts_en).lower()
    for m in _EN_UNIT.finditer(nfkc(sentence)):
        name = _EN_STOP.sub("", m.group(0).strip())
        head = name.split()[-1].lower() if name.split() else ""
        words = [w.lower() for w in re.findall(r"[A-Za-z]{3,}", name) if w.lower() not in {"the", "and", "for"}]
        # backed when the translation names the same unit: all its content words, in any order
        if head and not all(w in en_sources for w in words):
            missing.append(name)
    return missing


def flipped_negations(sentence: str, clause_texts: list[str], clause_texts_en: list[str] = ()) -> list[str]:
    """Words whose negation the sentence turns round against its cited clauses (empty when none)."""
    sources = squash(" ".join(clause_texts))
    text = squash(sentence)
    flipped = []
    negated_in_sentence = {m.group(2): m.group(0) for m in _ZH_NEG.finditer(text)}
    negated_in_sources = {m.group(2) for m in _ZH_NEG.finditer(sources)}
    for word, phrase in negated_in_sentence.items():
        # "不需要" where the clause only says "需要…": the sentence denies what the clause states
        if word in sources and word not in negated_in_sources:
            flipped.append(phrase)
    for word in negated_in_sources - set(negated_in_sentence):
        # "可以跨境转移" where the clause says "不得跨境转移" and never states it plainly
        plain_in_sources = any(not _negated_at(sources, i) for i in _positions(sources, word))
        if word in text and not _negated_at(text, text.find(word)) and not plain_in_sources:
            flipped.append(word)
    if clause_texts_en and _EN_NEG.search(sentence) and not _CJK.search(sentence):
        if not any(_EN_NEG.search(t) for t in clause_texts_en if t):
            flipped.append(_EN_NEG.search(sentence).group(0))
    return flipped


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _positions(text: str, word: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(word), text)]


def _negated_at(text: str, i: int) -> bool:
    """Whether the word starting at i is governed by a negation cue just before it."""
    before = text[max(0, i - 2): i]
    return any(before.endswith(cue) for cue in _ZH_NEGATION)
