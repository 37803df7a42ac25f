"""Does this clause answer this question? A calibrated probability, from features of the question and the clause.

    model = Answerability.load(Path("app/models/answerability.json"))
    model.probabilities(query, hits)  -> [0.93, 0.41, 0.05, …]   (one per retrieved clause)
    model.threshold                   -> 0.5  (one operating point, the same for every language)

A logistic regression over ANSWER_FEATURES, fitted by `policyqa tune answerability` on the gold train split and
the external development set (answerable questions: the clauses that hold the evidence are positives; near-misses
of every kind give negatives), its scores calibrated by isotonic regression fitted out of fold, all stored as
JSON numbers. Training questions are ranked by a ranker that never saw them (eval.train.out_of_fold_searches),
and the recipe (features, regularisation, weights) was chosen by nested cross-validation over the training
questions (eval.answer_train.nested_out_of_fold), whose figures the model card keeps.

A question asked of the system rather than of the corpus (whether a document is still in force, advice, an
instruction to the system: `system_intents`, found by retrieval.intents' classifier OR retrieval.asked's patterns)
gets probability 0 before the model, by construction: no clause can answer it. The old regex gates (another jurisdiction, a figure of the asked kind not stated, a year not
spoken of) survive as features the model weighs, not as vetoes. Features tried and left out because the nested
figures did not improve: products of features (a linear model's hand-made interactions), and the corpus rarity
(IDF, both languages) of the question's terms a clause lacks. (A LightGBM classifier over the same features was
tried earlier and refused fewer near-misses out of fold: 111 near-miss questions are too few for trees.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ingest.errors import ModelFileError
from ingest.model import DocumentMeta
from ingest.text import fold, sentence_spans
from retrieval.asked import ABOUT, ASKS_NUMBER, asks_about, figure_spans, states, states_about
from retrieval.places import jurisdiction
from retrieval.query import Query
from retrieval.searcher import Hit
from retrieval.tokenize import EnglishTokenizer

DEFAULT_MODEL = Path(__file__).resolve().parent / "models" / "answerability.json"
ASKED = ("days", "date", "percent", "money", "count", "agency")
NUMBER_KINDS = ("money", "percent", "date", "days", "count")  # number_kind's kinds
# The hits the app judges (settings.k's default), and the only ones a feature looks at: "a term no retrieved clause
# has", a gap to the next hit, the best span are read off these five, so that a question is judged the same whether
# 5 or 10 hits were retrieved (the model is trained on lists of 10; it was served lists of 5, and the "missing from
# every hit" features differed between the two). Hits beyond them get probability 0: they are never cited.
JUDGED_HITS = 5
HIT_FEATURES = ("coverage", "missing_rare", "coverage_exp", "coverage_title", "cos_zh", "cos_en", "cos_x",
                "lookup", "ref_number", "place_ok", "years_ok", "kind_unnumbered", "kind_annex_row", "doc_hint",
                "place_same", "place_inside", "place_other")
ANSWER_FEATURES = (
    "raw", "raw_gap", "raw_next_gap", "rank_recip", *HIT_FEATURES,
    "asked_any", *(f"asked_{a}" for a in ASKED), "states_asked",
    "is_en", "traditional", "has_places", "has_years",
    # the question's content terms the clause lacks: how many, what share, and how many of them no retrieved
    # clause has at all (a term the corpus's nearest clauses never use is a topic the corpus does not cover)
    "terms_n", "miss_n", "miss_w", "miss_all_n", "miss_all_w",
    "en_terms_n", "en_miss_w", "en_miss_all_n", "en_miss_all_w",
    # the asked figure: does the question ask for a number at all, is one stated, and in a sentence about the
    # question (the span), here and in any of the first retrieved clauses
    "asks_number", "states_number", "span_cov", "span_cov_best", "asked_in_top",
    # constraint agreement: an individual's question vs a clause about enterprises; import vs export; a city's
    # "own"/"local" policy asked of a provincial document
    "q_person", "c_person", "person_mismatch", "direction_mismatch", "q_local",
    # is a figure of the asked kind stated in the clause's sentence that best matches the question
    "best_sentence_states",
    # the share of the question's places that no document of the corpus is the policy of (CorpusScope)
    "place_foreign",
    # the figure the question asks for (number_kind): is one of its kind stated in the clause, and in the
    # clause's sentence that best matches the question
    "kind_stated", "kind_stated_best",
    # the same, one column per kind ("a sum of money is asked and none is stated"): a missing amount or rate is
    # strong evidence of a near-miss, a missing count much weaker (counts are stated in many ways), and one shared
    # column averaged the two
    *(f"figure_unstated_{k}" for k in NUMBER_KINDS),
    # the benefit, charge or tax the question asks about (its terms with 补贴, 减免, 免税, 费, 税…; "subsidy",
    # "drawback", "fee"…) that the clause does not name, by weight: "…合作区设厂，有冇企业所得税减免？" over a
    # clause on the zone that names no income tax and no relief
    "benefit_unnamed",
    # what the question asks about beyond a figure (retrieval.asked.ABOUT: conditions, penalties), and whether the
    # clause states it: "认定条件是什么？" over a clause that only says "对符合条件的企业给予支持"
    *(f"asks_{k}" for k in ABOUT), *(f"{k}_unstated" for k in ABOUT),
)
_CN = "一二三四五六七八九十百千万两〇零"
# what a benefit, a charge or a tax is called: a question term holding one of these names what it asks about
_BENEFIT_ZH = re.compile(r"补贴|补助|资助|奖励|奖补|减免|免税|退税|优惠|券|津贴|贴息|费|税|返现|报销|扶持资金")
_BENEFIT_EN = re.compile(r"(subsid|grant|allowanc|rebat|drawback|exempt|refund|fee|tax|cash|reward|award|incentiv|"
                         r"bonus|surcharg|levi|duti|tariff|fine|discount|voucher|compens)")  # stems, at the start
# a figure stated: any Arabic number, or Chinese numerals with a measure word ("三年", "两倍", "20个工作日")
_NUMBER = re.compile(rf"\d|百分之|翻一番|减半|[{_CN}]+\s*(个|家|项|天|日|年|月|周|倍|次|批|列|架|班|万|亿|成|条|类|种|所|座|艘|小时)")
# the kind of figure a question for a number asks, when retrieval.asked names none: a share, a sum of money, a
# span of time, or a count of things (a number followed by a measure word)
_KIND_OF_NUMBER = (
    ("percent", re.compile(r"比例|百分|比率|费率|利率|税率|贴息率|\b(rate|percent|percentage|share|ratio)\b", re.I)),
    ("money", re.compile(r"多少钱|几多钱|多少(万|亿)?元|补贴|补助|奖励|资助|扶持|贴息|资金|费用|金额|"
                         r"\b(award|pay|pays|paid|subsid\w*|grant|fund\w*|reward|yuan|money|cost|fee|fees)\b", re.I)),
    ("days", re.compile(r"多久|多长时间|几天|多少天|小时|工作日|\bhow long\b|\b(days|hours|weeks|months)\b", re.I)),
)
# The figures of a kind as drafters write them (a sum of money is retrieval.asked's "money"; a date is asked's):
# - a count: a number and a measure word ("50个", "三家"), or a numeral joined to what it counts without one
#   ("深惠两市", "两地申报", "前海、盐田、坪山三区"); "一批"/"一系列" is an unstated number, not a count;
# - a span of time: a number of working days, days, months, hours, weeks or years ("20个工作日", "提前三十日",
#   "诉讼时效期间为三年", "三年行动计划"), never a calendar date ("5月1日", "2025年", "五月一日");
# - a share: a percentage, 百分之…, 一成…十成, 减半, and 零税率 (a rate of zero).
_COUNTED = re.compile(rf"\d+(\.\d+)?\s*(万|亿)?\s*[\u4e00-\u9fff]|"
                      rf"(?<![{_CN}第])(?!一批|一系列)[{_CN}]+\s*(个|家|项|条|批|列|架|班|艘|所|座|万|亿)|"
                      rf"(?<!第)[两二三四五六七八九十]+(市|地|区|省|国|县|港|类|种|届|城|园|方)")
_FIGURE_OF = {"percent": re.compile(r"\d+(\.\d+)?\s*[%％]|百分之|[一二三四五六七八九十\d]成(?![本立功果为员])|减半|零税率"),
              "days": re.compile(rf"(?<![月第{_CN}])[{_CN}]+\s*个?(工作日|天|日|个月|小时|周|星期|年)(?!度)|"
                                 rf"(?<![\d月.])\d{{1,3}}\s*个?(工作日|天|日|个月|小时|周|年)(?![\d度])")}


def number_kind(query: Query) -> str | None:
    """The kind of figure a question asks for: retrieval.asked's type, else one read off its words ("律师费能报销
    多少比例？" -> "percent", "How much does Shenzhen award …?" -> "money"), else "count" for any other question
    for a number, None for a question that asks for no number, nor for one that asks for units with a count word
    ("边几个局负责？", "哪几家单位负责？": query.wants is "agency", though asked_type reads a count)."""
    if query.wants == "agency":
        return None
    if query.asked not in (None, "agency"):
        return query.asked
    if not ASKS_NUMBER.search(query.folded):
        return None
    for kind, pattern in _KIND_OF_NUMBER:
        if pattern.search(query.folded):
            return kind
    return "count"


def states_kind(kind: str, text: str) -> bool:
    """Whether `text` states a figure of `kind` (number_kind's kinds, retrieval.asked's for the others)."""
    if kind in _FIGURE_OF:
        return bool(_FIGURE_OF[kind].search(text))
    if kind == "count":
        return bool(_COUNTED.search(text))
    return states(kind, text)


_PERSON = re.compile(r"个人|市民|居民|消费者|自然人|外籍员工|员工|职工|游客|旅客|\b(personal|individuals?|residents?|"
                     r"citizens?|consumers?|tourists?|employees?|workers?|travell?ers?)\b", re.I)
_LOCAL = re.compile(r"本地|本市|自己|另外|市政府|市级|市里|\b(own|local|municipal|city government)\b", re.I)
_IMPORT, _EXPORT = re.compile(r"进口|\bimport", re.I), re.compile(r"出口|\bexport", re.I)
# words that frame a question rather than name its topic: never a content term the clause must contain
_FRAME_ZH = frozenset("到底 具体 现在 目前 一共 总共 可以 能否 能不能 有没有 有冇 会不会 要不要 怎么办 怎样 怎么样 哪里 "
                      "多久 多长 几多 请问 一下 这种 这类 分别 提到 文件 哪项 哪一年 一年 各是 什么样 而家 仲有 还有 "
                      "已经 能够 需要 应该 怎么 如何 哪个 哪些 哪一 多少 是否 有关 关于 我们 我们公司 公司".split())
_FRAME_EN = frozenset("what how much many does will would can could which when where who whom why there their "
                      "get got give offer rule rules apply appli say tell let want need plan polic policy measur "
                      "her hav lik re s us our you your any also still now today current new more most".split())
_english = EnglishTokenizer()
# what names a document or a measure of one: "is the plan still in force" asks of a document; "is the contract
# still valid" asks a question of law that a statute may answer
_DOCUMENT = re.compile(r"《|方案|措施|文件|政策|办法|通知|意见|规定|条例|细则|\d+条|第.{1,4}条|号|"
                       r"\b(plan|measures?|polic(y|ies)|documents?|rules?|regulations?|circulars?|notices?|articles?)\b",
                       re.I)


def system_intents(query: Query) -> frozenset[str]:
    """What the question asks of the system rather than of the corpus: the query's intents (retrieval.intents:
    the learned classifier and retrieval.asked's patterns), "in_force_document" when the in-force question
    names a document or measure ("这个方案现在还有效吗？"), not a contract or an act whose validity a clause may
    state ("保证合同是否有效？"), and "no_topic" when it names nothing to look up (`names_no_topic`)."""
    found = of_the_system(query.intents, query.folded)
    return found | {"no_topic"} if names_no_topic(query) else found


def names_no_topic(query: Query) -> bool:
    """True when the question has no content term in either language, only frame words: "什么？", "When?", "12",
    "a". Every feature of the model reads how a clause covers the question's content, so without content it has
    nothing to judge, and out of its training questions (none of which is like this) it scored "什么？" 0.78 for a
    standards clause. A follow-up ("When?" after a question) is judged in its standalone form, which has content."""
    return not content_terms(query) and not english_terms(query)


def of_the_system(intents: frozenset[str], folded: str) -> frozenset[str]:
    """system_intents from a folded question's intents: of_the_system({"in_force"}, "这个方案还有效吗?") ->
    {"in_force", "in_force_document"}; of_the_system({"in_force"}, "保证合同是否有效?") -> {"in_force"}."""
    found = set(intents)
    if "in_force" in found and _DOCUMENT.search(folded):
        found.add("in_force_document")
    return frozenset(found)


def _weight(term: str) -> float:
    return float(min(len(term), 4))


def content_terms(query: Query) -> list[str]:
    """The question's Chinese content terms (its own words, or the glossary's for an English question), framing
    words and single characters left out: "个人所得税起征点是多少？" -> ["个人", "所得", "所得税", "个人所得税", "起征", "起征点"]."""
    pool = query.own_terms if query.language == "zh" else query.terms
    return list(dict.fromkeys(t for t in pool if (len(t) >= 2 or t.isdigit()) and t not in _FRAME_ZH))


def english_terms(query: Query) -> list[str]:
    """An English question's stemmed content words: "What visa rules apply to foreign buyers?" -> ["visa", "foreign", "buyer"]."""
    if query.language != "en":
        return []
    return list(dict.fromkeys(w for w in query.words_en if len(w) >= 3 and w not in _FRAME_EN and not w.isdigit()))


def _haystack(hit: Hit) -> str:
    return fold(" ".join([hit.document.title or "", *hit.clause.path, hit.clause.text]))


@dataclass(frozen=True, slots=True)
class CorpusScope:
    """The places the corpus has policy of (retrieval.places.jurisdiction of every document's title, issuer and
    publisher): a question about a place no document is the policy of ("上海对外贸企业参加进博会有什么补贴？" of a
    Shenzhen and Guangdong corpus) asks about another region, however close a clause's topic. `places` is None
    when some document is of no place: a national law applies everywhere.

        scope = CorpusScope.of(index.documents.values())
        scope.foreign_places({"上海"}) -> 1.0;  scope.foreign_places({"深圳"}) -> 0.0
    """

    places: frozenset[str] | None

    @classmethod
    def of(cls, documents: Iterable[DocumentMeta]) -> "CorpusScope":
        regions = [jurisdiction(" ".join([d.title or "", d.issuer or "", d.publisher or ""])) for d in documents]
        return cls(None if not regions or not all(regions) else frozenset().union(*regions))

    def foreign_places(self, places: Iterable[str]) -> float:
        """The share of the question's places the corpus has no policy of."""
        places = set(places)
        if not places or self.places is None:
            return 0.0
        return len(places - self.places) / len(places)


def _missing(terms: list[str], present: list[set[str]] | list[str], r: int) -> tuple[float, float, float, float]:
    """(missing count, missing weight share, missing from every judged hit count, … weight share) for hit r."""
    if not terms:
        return 0.0, 0.0, 0.0, 0.0
    total = sum(_weight(t) for t in terms)
    here = [t for t in terms if t not in present[r]]
    nowhere = [t for t in here if not any(t in other for other in present[:JUDGED_HITS])]
    return (float(len(here)), sum(_weight(t) for t in here) / total,
            float(len(nowhere)), sum(_weight(t) for t in nowhere) / total)


def _span_coverage(query: Query, terms: list[str], text: str, asks_number: bool) -> float:
    """The share (by weight) of the question's content terms in the best sentence that states a figure of the asked
    kind (any number when the question asks for one of no known kind); 0 when no sentence states one."""
    if not terms:
        return 0.0
    total = sum(_weight(t) for t in terms)
    best = 0.0
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        found = (figure_spans(query.asked, sentence) if query.asked not in (None, "agency") else
                 list(_NUMBER.finditer(sentence)) if asks_number else [])
        if found:
            folded = fold(sentence)
            best = max(best, sum(_weight(t) for t in terms if t in folded) / total)
    return best


def _best_sentence(terms: list[str], text: str) -> str:
    """The sentence of `text` sharing most (by weight) of the question's content terms (the first on a tie)."""
    best, best_w = "", -1.0
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        folded = fold(sentence)
        w = sum(_weight(t) for t in terms if t in folded)
        if w > best_w:
            best, best_w = sentence, w
    return best


def _best_sentence_states(query: Query, best: str, asks_number: bool) -> float:
    """1 when `best`, the clause's sentence that best matches the question, states a figure of the asked kind (any
    number for a question for a number of no known kind); 1 when no figure is asked for (an agency is not one:
    the clause's units are named in its trailing parenthesis, outside any sentence)."""
    if query.asked in (None, "agency") and not asks_number:
        return 1.0
    if query.asked not in (None, "agency"):
        return float(states(query.asked, best))
    return float(bool(_NUMBER.search(best)))


def features(query: Query, hits: list[Hit], scope: CorpusScope | None = None) -> np.ndarray:
    """One row of ANSWER_FEATURES per retrieved hit, best first, each read against the first JUDGED_HITS hits
    only; place_foreign needs the corpus's places (`scope`) and is 0 without them."""
    out = np.zeros((len(hits), len(ANSWER_FEATURES)), dtype=np.float64)
    if not hits:
        return out
    top = hits[0].raw
    col = {name: i for i, name in enumerate(ANSWER_FEATURES)}
    terms, words = content_terms(query), english_terms(query)
    haystacks = [_haystack(h) for h in hits]
    english = [set(_english.tokens(" ".join([h.document.title_en or "", h.clause.text_en or ""]))) for h in hits]
    asks_number = bool(ASKS_NUMBER.search(query.folded)) or query.asked not in (None, "agency")
    spans = [_span_coverage(query, terms, h.clause.text, asks_number) for h in hits]
    first = hits[:JUDGED_HITS]
    asked_in_top = query.asked is None or any(
        (bool(h.clause.responsible) or states("agency", h.clause.text)) if query.asked == "agency"
        else states(query.asked, h.clause.text) for h in first)
    q_import, q_export = bool(_IMPORT.search(query.folded)), bool(_EXPORT.search(query.folded))
    q_person = bool(_PERSON.search(query.folded))
    kind = number_kind(query)
    about = {k: asks_about(k, query.folded) for k in ABOUT}
    foreign = scope.foreign_places(query.places) if scope is not None else 0.0  # of the question alone
    if query.language == "zh":
        benefits, benefit_in = [t for t in terms if _BENEFIT_ZH.search(t)], haystacks
    else:
        benefits, benefit_in = [w for w in words if _BENEFIT_EN.match(w)], english
    for r, hit in enumerate(hits):
        f = out[r]
        f[col["raw"]] = hit.raw
        f[col["raw_gap"]] = hit.raw - top
        f[col["raw_next_gap"]] = hit.raw - hits[r + 1].raw if r + 1 < min(len(hits), JUDGED_HITS) else 1.0
        f[col["rank_recip"]] = 1.0 / (1 + r)
        for name in HIT_FEATURES:
            f[col[name]] = hit.feature(name)
        f[col["asked_any"]] = query.asked is not None
        for a in ASKED:
            f[col[f"asked_{a}"]] = query.asked == a
        if query.asked is None:
            f[col["states_asked"]] = 1.0
        elif query.asked == "agency":
            f[col["states_asked"]] = bool(hit.clause.responsible) or states("agency", hit.clause.text)
        else:
            f[col["states_asked"]] = states(query.asked, hit.clause.text)
        f[col["is_en"]] = query.language == "en"
        f[col["traditional"]] = query.script == "traditional"
        f[col["has_places"]] = bool(query.places)
        f[col["has_years"]] = bool(query.years)
        f[col["terms_n"]] = len(terms)
        (f[col["miss_n"]], f[col["miss_w"]], f[col["miss_all_n"]], f[col["miss_all_w"]]) = _missing(terms, haystacks, r)
        f[col["en_terms_n"]] = len(words)
        _, f[col["en_miss_w"]], f[col["en_miss_all_n"]], f[col["en_miss_all_w"]] = _missing(words, english, r)
        f[col["asks_number"]] = asks_number
        f[col["states_number"]] = bool(_NUMBER.search(hit.clause.text))
        f[col["span_cov"]] = spans[r]
        f[col["span_cov_best"]] = max(spans[:JUDGED_HITS])
        f[col["asked_in_top"]] = asked_in_top
        c_import, c_export = bool(_IMPORT.search(hit.clause.text)), bool(_EXPORT.search(hit.clause.text))
        c_person = bool(_PERSON.search(hit.clause.text))
        f[col["q_person"]] = q_person
        f[col["c_person"]] = c_person
        f[col["person_mismatch"]] = q_person and not c_person
        f[col["direction_mismatch"]] = ((q_import and not q_export and c_export and not c_import) or
                                        (q_export and not q_import and c_import and not c_export))
        f[col["q_local"]] = bool(_LOCAL.search(query.folded))
        best = _best_sentence(terms, hit.clause.text)
        f[col["best_sentence_states"]] = _best_sentence_states(query, best, asks_number)
        f[col["place_foreign"]] = foreign
        f[col["kind_stated"]] = kind is None or states_kind(kind, hit.clause.text)
        f[col["kind_stated_best"]] = kind is None or states_kind(kind, best)
        if kind in NUMBER_KINDS:
            f[col[f"figure_unstated_{kind}"]] = not f[col["kind_stated"]]
        f[col["benefit_unnamed"]] = _missing(benefits, benefit_in, r)[1]
        for k, asks in about.items():
            f[col[f"asks_{k}"]] = asks
            f[col[f"{k}_unstated"]] = asks and not states_about(k, hit.clause.text)
    return out


def read_model_file(path: Path, what: str, features: tuple[str, ...]) -> dict:
    """The JSON of a logistic answer model (this one, app.further's), checked to be of these `features`:
    read_model_file(path, "the answerability model", ANSWER_FEATURES) -> {"coef": […], "mean": […], …}."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelFileError(f"{path}: cannot read {what} ({exc}); "
                             "retrain it with `policyqa tune answerability`") from exc
    if tuple(data.get("features", ())) != features:
        raise ModelFileError(f"{path}: {what} was fitted on other features than this version "
                             "computes; retrain it with `policyqa tune answerability`")
    return data


def logistic_scores(rows: np.ndarray, coef, intercept: float, mean, scale) -> np.ndarray:
    """A standardised logistic regression's probabilities for `rows`: sigmoid(((x - mean) / scale) · coef + b)."""
    z = ((rows - np.array(mean)) / np.array(scale)) @ np.array(coef) + intercept
    return 1.0 / (1.0 + np.exp(-z))


@dataclass(frozen=True, slots=True)
class Answerability:
    coef: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]     # standardisation the model was fitted with
    scale: tuple[float, ...]
    threshold: float            # cite a clause when its probability reaches this
    card: dict                  # how it was trained: split, counts, date, figures
    # isotonic calibration fitted on out-of-fold scores: score -> probability by linear interpolation between
    # knots, ((0.02, 0.31, …), (0.0, 0.12, …)); empty: the logistic score is the probability
    calibration: tuple[tuple[float, ...], tuple[float, ...]] = ((), ())
    # what a question asks of the system rather than of the corpus (retrieval.asked intents): no clause can
    # answer whether a measure is still in force, what the user should decide, or an instruction to the system,
    # so such a question gets probability 0 for every clause, by construction, before the model is consulted
    refuse_intents: tuple[str, ...] = ()
    scope: CorpusScope | None = None  # the index's places (with_scope); place_foreign is 0 without

    @classmethod
    def load(cls, path: Path = DEFAULT_MODEL) -> "Answerability":
        data = read_model_file(path, "the answerability model", ANSWER_FEATURES)
        knots = data.get("calibration") or {"x": [], "y": []}
        if len(knots.get("x", [])) != len(knots.get("y", [])):
            raise ModelFileError(f"{path}: the calibration knots x and y differ in length; "
                                "retrain it with `policyqa tune answerability`")
        return cls(tuple(data["coef"]), float(data["intercept"]), tuple(data["mean"]), tuple(data["scale"]),
                   float(data["threshold"]), data.get("card", {}),
                   (tuple(map(float, knots["x"])), tuple(map(float, knots["y"]))),
                   tuple(data.get("refuse_intents", ())))

    def to_json(self) -> dict:
        return {"features": list(ANSWER_FEATURES), "coef": list(self.coef), "intercept": self.intercept,
                "mean": list(self.mean), "scale": list(self.scale), "threshold": self.threshold,
                "calibration": {"x": list(self.calibration[0]), "y": list(self.calibration[1])},
                "refuse_intents": list(self.refuse_intents), "card": self.card}

    def with_scope(self, scope: CorpusScope) -> "Answerability":
        """The same model knowing the places of the corpus it judges clauses of."""
        return replace(self, scope=scope)

    def asked_of_the_system(self, query: Query) -> bool:
        return bool(system_intents(query) & set(self.refuse_intents))

    def scores(self, matrix: np.ndarray) -> np.ndarray:
        """The logistic model's uncalibrated scores for rows of ANSWER_FEATURES."""
        return logistic_scores(matrix, self.coef, self.intercept, self.mean, self.scale)

    def calibrate(self, scores: np.ndarray) -> np.ndarray:
        xs, ys = self.calibration
        return np.interp(scores, xs, ys) if xs else scores

    def judge(self, query: Query, matrix: np.ndarray) -> np.ndarray:
        """Calibrated probabilities for rows of ANSWER_FEATURES of one question's hits."""
        if self.asked_of_the_system(query):
            return np.zeros(len(matrix))
        return self.calibrate(self.scores(matrix))

    def probabilities(self, query: Query, hits: list[Hit]) -> list[float]:
        return self.judged(query, hits)[1]

    def judged(self, query: Query, hits: list[Hit]) -> tuple[np.ndarray, list[float]]:
        """The hits' rows of ANSWER_FEATURES and their probabilities (what app.further reads as well)."""
        matrix = features(query, hits, self.scope)
        if not hits:
            return matrix, []
        judged = self.judge(query, matrix[:JUDGED_HITS])
        return matrix, [round(float(v), 4) for v in judged] + [0.0] * (len(hits) - len(judged))
