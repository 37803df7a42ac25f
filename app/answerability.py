"""Does this clause answer this question? A calibrated probability, from features of the question and the clause.

    model = Answerability.load(Path("app/models/answerability.json"))
    model.probabilities(query, hits)  -> [0.93, 0.41, 0.05, …]   (one per retrieved clause)
    model.threshold                   -> 0.5  (one operating point, the same for every language)

A logistic regression over ANSWER_FEATURES, fitted by `policyqa tune answerability` on the gold train split and
the external development set (answerable questions: the clauses that hold the evidence are positives; near-misses
of every kind give negatives), its scores calibrated by isotonic regression fitted out of fold, all stored as
JSON numbers. The old regex gates (another jurisdiction, a figure of the asked kind not stated, a year not spoken
of, a question asked of the system) survive as features the model weighs, not as vetoes; a few interactions of
them are features too, because a linear model cannot form products itself. (A LightGBM classifier over the same
features was tried and refused fewer near-misses out of fold: 111 near-miss questions are too few for trees to
isolate, e.g., the handful of injection questions among the top-scored clauses.)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.errors import ModelFileError
from ingest.text import fold, sentence_spans
from retrieval.asked import figure_spans, states
from retrieval.query import Query
from retrieval.searcher import Hit
from retrieval.tokenize import EnglishTokenizer

DEFAULT_MODEL = Path(__file__).resolve().parent / "models" / "answerability.json"
ASKED = ("days", "date", "percent", "money", "count", "agency")
HIT_FEATURES = ("coverage", "missing_rare", "coverage_exp", "coverage_title", "cos_zh", "cos_en", "cos_x",
                "lookup", "ref_number", "place_ok", "years_ok", "kind_unnumbered", "kind_annex_row", "doc_hint",
                "place_same", "place_inside", "place_other")
ANSWER_FEATURES = (
    "raw", "raw_gap", "raw_next_gap", "rank_recip", *HIT_FEATURES,
    "asked_any", *(f"asked_{a}" for a in ASKED), "states_asked",
    "is_en", "traditional", "has_places", "has_years",
    "intent_in_force", "intent_advice", "intent_injection",
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
    # interactions a linear model cannot form itself: a strong retrieval score does not outweigh a question asked
    # of the system, a figure not stated where the question's words are, or a city's own policy asked of a province
    "intent_x_raw", "number_gap", "local_inside", "other_x_raw",
)
_CN = "一二三四五六七八九十百千万两〇零"
# a question for a number, of any kind ("多少万平方米", "how many vessels", "what weekly number", "by how many hours")
_ASKS_NUMBER = re.compile(r"多少|几(个|家|项|天|日|年|月|成|倍|次|批|万|亿|多|条|列|班|架|小时|周|类)|百分之几|"
                          r"how (many|much|long|big|large|high|fast|soon|often)|by how|"
                          r"\b(what|which)\b.{0,30}\b(number|amount|rate|percentage|share|size|total|limit|quota|"
                          r"cap|threshold|ratio|figure|level|sum)\b", re.I)
# a figure stated: any Arabic number, or Chinese numerals with a measure word ("三年", "两倍", "20个工作日")
_NUMBER = re.compile(rf"\d|百分之|翻一番|减半|[{_CN}]+\s*(个|家|项|天|日|年|月|周|倍|次|批|列|架|班|万|亿|成|条|类|种|所|座|艘|小时)")
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


def _missing(terms: list[str], present: list[set[str]] | list[str], r: int) -> tuple[float, float, float, float]:
    """(missing count, missing weight share, missing from every hit count, … weight share) for hit r."""
    if not terms:
        return 0.0, 0.0, 0.0, 0.0
    total = sum(_weight(t) for t in terms)
    here = [t for t in terms if t not in present[r]]
    nowhere = [t for t in here if not any(t in other for other in present)]
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
            best = max(best, sum(_weight(t) for t in terms if t in fold(sentence)) / total)
    return best


def features(query: Query, hits: list[Hit]) -> np.ndarray:
    """One row of ANSWER_FEATURES per retrieved hit, best first."""
    out = np.zeros((len(hits), len(ANSWER_FEATURES)), dtype=np.float64)
    if not hits:
        return out
    top = hits[0].raw
    col = {name: i for i, name in enumerate(ANSWER_FEATURES)}
    terms, words = content_terms(query), english_terms(query)
    haystacks = [_haystack(h) for h in hits]
    english = [set(_english.tokens(" ".join([h.document.title_en or "", h.clause.text_en or ""]))) for h in hits]
    asks_number = bool(_ASKS_NUMBER.search(query.folded)) or query.asked not in (None, "agency")
    spans = [_span_coverage(query, terms, h.clause.text, asks_number) for h in hits]
    first = hits[:5]
    asked_in_top = query.asked is None or any(
        (bool(h.clause.responsible) or states("agency", h.clause.text)) if query.asked == "agency"
        else states(query.asked, h.clause.text) for h in first)
    q_import, q_export = bool(_IMPORT.search(query.folded)), bool(_EXPORT.search(query.folded))
    q_person = bool(_PERSON.search(query.folded))
    for r, hit in enumerate(hits):
        f = out[r]
        f[col["raw"]] = hit.raw
        f[col["raw_gap"]] = hit.raw - top
        f[col["raw_next_gap"]] = hit.raw - hits[r + 1].raw if r + 1 < len(hits) else 1.0
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
        for intent in ("in_force", "advice", "injection"):
            f[col[f"intent_{intent}"]] = intent in query.intents
        f[col["terms_n"]] = len(terms)
        (f[col["miss_n"]], f[col["miss_w"]], f[col["miss_all_n"]], f[col["miss_all_w"]]) = _missing(terms, haystacks, r)
        f[col["en_terms_n"]] = len(words)
        _, f[col["en_miss_w"]], f[col["en_miss_all_n"]], f[col["en_miss_all_w"]] = _missing(words, english, r)
        f[col["asks_number"]] = asks_number
        f[col["states_number"]] = bool(_NUMBER.search(hit.clause.text))
        f[col["span_cov"]] = spans[r]
        f[col["span_cov_best"]] = max(spans[:5])
        f[col["asked_in_top"]] = asked_in_top
        c_import, c_export = bool(_IMPORT.search(hit.clause.text)), bool(_EXPORT.search(hit.clause.text))
        c_person = bool(_PERSON.search(hit.clause.text))
        f[col["q_person"]] = q_person
        f[col["c_person"]] = c_person
        f[col["person_mismatch"]] = q_person and not c_person
        f[col["direction_mismatch"]] = ((q_import and not q_export and c_export and not c_import) or
                                        (q_export and not q_import and c_import and not c_export))
        f[col["q_local"]] = bool(_LOCAL.search(query.folded))
        f[col["intent_x_raw"]] = bool(query.intents) * max(hit.raw, 0.0)
        f[col["number_gap"]] = asks_number * (1.0 - spans[r])
        f[col["local_inside"]] = f[col["q_local"]] * hit.feature("place_inside")
        f[col["other_x_raw"]] = hit.feature("place_other") * max(hit.raw, 0.0)
    return out


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

    @classmethod
    def load(cls, path: Path = DEFAULT_MODEL) -> "Answerability":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ModelFileError(f"{path}: cannot read the answerability model ({exc}); "
                                "retrain it with `policyqa tune answerability`") from exc
        if tuple(data.get("features", ())) != ANSWER_FEATURES:
            raise ModelFileError(f"{path}: the answerability model was fitted on other features than this version "
                                "computes; retrain it with `policyqa tune answerability`")
        knots = data.get("calibration") or {"x": [], "y": []}
        if len(knots.get("x", [])) != len(knots.get("y", [])):
            raise ModelFileError(f"{path}: the calibration knots x and y differ in length; "
                                "retrain it with `policyqa tune answerability`")
        return cls(tuple(data["coef"]), float(data["intercept"]), tuple(data["mean"]), tuple(data["scale"]),
                   float(data["threshold"]), data.get("card", {}),
                   (tuple(map(float, knots["x"])), tuple(map(float, knots["y"]))))

    def to_json(self) -> dict:
        return {"features": list(ANSWER_FEATURES), "coef": list(self.coef), "intercept": self.intercept,
                "mean": list(self.mean), "scale": list(self.scale), "threshold": self.threshold,
                "calibration": {"x": list(self.calibration[0]), "y": list(self.calibration[1])}, "card": self.card}

    def scores(self, matrix: np.ndarray) -> np.ndarray:
        """The logistic model's uncalibrated scores for rows of ANSWER_FEATURES."""
        z = ((matrix - np.array(self.mean)) / np.array(self.scale)) @ np.array(self.coef) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def calibrate(self, scores: np.ndarray) -> np.ndarray:
        xs, ys = self.calibration
        return np.interp(scores, xs, ys) if xs else scores

    def probabilities(self, query: Query, hits: list[Hit]) -> list[float]:
        if not hits:
            return []
        return [round(float(v), 4) for v in self.calibrate(self.scores(features(query, hits)))]
