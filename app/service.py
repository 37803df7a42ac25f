"""The service layer shared by the CLI, the API and the UI.

    qa = PolicyQA(Settings())
    qa.search("出口退税审批多少个工作日？")         -> [Hit, …]
    qa.ask("How fast are export tax refunds approved in Guangdong?")  -> Answer(…)

It loads the published build lazily and reloads it when a new build is published, so a
running server picks up a re-ingest without a restart. Each question is parsed once into a
`Query`, which search and answering share. A new build is loaded and checked (checksums, models)
aside and swapped in only when that succeeded; until then, and for good when it fails, the last
good build keeps answering and `health()` reports `degraded` with the reason.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

from ingest import bounds
from ingest.errors import CorruptIndexError, IndexNotFoundError, InvalidQueryError, PolicyQAError, UnknownIdError
from ingest.model import Clause, DocumentMeta, Section
from ingest.progress import Progress
from retrieval.builds import IndexDir
from retrieval.embedders import Embedder, Encoders, make_encoders
from retrieval.indexer import IngestReport, build_index
from retrieval.layout import ADAPTER_NAME, RANKER_NAME
from retrieval.loaded import LoadedIndex
from retrieval.asked import states
from retrieval.places import jurisdiction, relation
from retrieval.query import MAX_QUESTION_CHARS, Query, validate_question
from retrieval.adapter import QueryAdapter
from retrieval.ranker import Ranker
from retrieval.inputs import CorpusInputs
from retrieval.searcher import Filters, HybridSearcher, Hit, SearchConfig

from .answer import Answer, AnswerConfig, ExtractiveAnswerer
from .answerability import DEFAULT_MODEL, Answerability, CorpusScope
from .conversation import Resolution, parse_history, resolve
from .document_facts import fact_asked, stating
from .errors_map import translate
from .safety import reject_bad_unicode
from .settings import Settings

log = logging.getLogger("policyqa")


class PolicyQA:
    def __init__(self, settings: Settings, *, encoders: Encoders | None = None, embedder: Embedder | None = None,
                 search_config: SearchConfig | None = None, answer_config: AnswerConfig | None = None,
                 chat_model=None, fallback_to_older: bool = False) -> None:
        self.settings = settings
        self._fallback = fallback_to_older  # a server starting on a corrupt build serves the newest good one
        self.index_dir = IndexDir(settings.index_dir)
        # an embedder given alone is the primary encoder with no cross-lingual one (tests, custom setups)
        self._encoders = encoders or (Encoders(embedder) if embedder is not None else None)
        self._model_names = ({role: e.name for role, e in self._encoders.named().items()} if self._encoders
                             else settings.model_names)
        self._search_config = search_config or SearchConfig()
        self._lock = threading.RLock()
        self._load_lock = threading.Lock()   # one reload at a time, outside self._lock
        self._loaded: LoadedIndex | None = None
        self._retired: LoadedIndex | None = None   # the previous build: closed at the next swap, not mid-request
        self._failed: tuple[str, str] | None = None  # (CURRENT's content, reason) of the last build that failed
        self._searcher: HybridSearcher | None = None
        self._answerer: ExtractiveAnswerer | None = None
        self._answer_config = answer_config
        if answer_config is None and settings.answer_threshold is not None:
            self._answer_config = AnswerConfig(threshold=settings.answer_threshold)
        self._chat_model = chat_model

    # ---------- building ----------
    @property
    def encoders(self) -> Encoders:
        with self._lock:
            return self._load_encoders()

    def _load_encoders(self) -> Encoders:
        if self._encoders is None:
            names = self.settings.model_names
            self._encoders = make_encoders(names["primary"], names.get("cross"), threads=self.settings.threads)
        return self._encoders

    @property
    def embedder(self):
        """The primary encoder (also what the naive baseline embeds with)."""
        return self.encoders.primary

    def ingest(self, paths: list[Path] | None = None, *, progress: Progress | None = None,
               force: bool = False) -> IngestReport:
        try:
            with bounds.using(self.settings.bounds()):
                inputs = CorpusInputs.from_corpus(self.settings.corpus_dir, self.settings.resources)
                report = build_index(paths or [self.settings.corpus_dir], index_dir=self.index_dir,
                                     inputs=inputs, encoders_factory=lambda: self.encoders,
                                     model_names=self._model_names, progress=progress,
                                     hnsw_above=self.settings.hnsw_above, force=force)
        except (OSError, sqlite3.OperationalError, RuntimeError) as exc:  # RuntimeError: FAISS's write errors
            translated = translate(exc)
            if translated is exc:
                raise
            raise translated from exc
        if self._loaded is not None:  # a serving process: load the new build now, in this (worker) thread
            self.refresh()
        return report

    # ---------- reading ----------
    @property
    def index(self) -> LoadedIndex:
        loaded = self._loaded
        if loaded is None:
            with self._lock:
                if self._loaded is None:
                    self._swap(self._first_load())
                return self._loaded
        if self._pointer() != loaded.build.name:
            self.refresh(wait=False)
        return self._loaded

    def _pointer(self) -> str:
        try:
            return self.index_dir.pointer.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return ""

    def _first_load(self) -> LoadedIndex:
        """The build CURRENT names; when that one is bad, the newest older build that loads (reported degraded)."""
        try:
            return LoadedIndex.open(self.index_dir)
        except IndexNotFoundError:
            raise
        except CorruptIndexError as exc:
            if not self._fallback:
                raise
            self._failed = (self._pointer(), str(exc))
            log.error("index build failed to load: %s", exc)
            builds = sorted((p for p in self.index_dir.builds.glob("*") if p.is_dir() and not p.name.startswith(".")),
                            reverse=True) if self.index_dir.builds.is_dir() else []
            for build in builds:
                try:
                    loaded = LoadedIndex.open_build(build)
                except CorruptIndexError:
                    continue
                log.warning("serving the older build %s instead", build.name)
                return loaded
            raise

    def refresh(self, *, wait: bool = True) -> None:
        """Load the build CURRENT names aside and swap it in; on failure keep the live build and record why."""
        if not self._load_lock.acquire(blocking=wait):
            return  # another thread is loading it; keep answering from the live build meanwhile
        try:
            pointer = self._pointer()
            live = self._loaded
            if live is not None and pointer == live.build.name:
                return
            if self._failed is not None and self._failed[0] == pointer:
                return  # this build already failed to load: do not retry on every request
            try:
                loaded = LoadedIndex.open(self.index_dir)
                searcher = self._make_searcher(loaded) if live is not None and self._searcher is not None else None
                answerer = self._make_answerer(loaded) if live is not None and self._answerer is not None else None
            except PolicyQAError as exc:
                self._failed = (pointer, str(exc))
                log.error("the new index build failed to load; still serving %s: %s",
                          live.build.name if live else "nothing", exc)
                return
            with self._lock:
                self._swap(loaded, searcher, answerer)
        finally:
            self._load_lock.release()

    def _swap(self, loaded: LoadedIndex, searcher: HybridSearcher | None = None,
              answerer: ExtractiveAnswerer | None = None) -> None:
        if self._retired is not None:
            self._retired.close()
        self._retired = self._loaded
        self._loaded, self._searcher, self._answerer = loaded, searcher, answerer
        if self._pointer() == loaded.build.name:
            self._failed = None

    def health(self, *, load: bool = True) -> dict:
        """{"status": "ok" | "degraded" | "no index", "build": name or None, "reason": why degraded or None}.

        A new build is loaded in a background thread, never in the caller's, so this answers at once while a
        build loads; only the very first load happens here (and with load=False not even that: "not loaded")."""
        loaded = self._loaded
        if loaded is None and not load:
            return {"status": "not loaded", "build": None, "reason": None}
        if loaded is None:
            try:
                loaded = self.index
            except PolicyQAError as exc:
                kind = "no index" if isinstance(exc, IndexNotFoundError) else "degraded"
                return {"status": kind, "build": None, "reason": str(exc)}
        pointer = self._pointer()
        failed = self._failed if self._failed and self._failed[0] == pointer else None  # still the bad build?
        if pointer != loaded.build.name and not failed and not self._load_lock.locked():
            threading.Thread(target=self.refresh, daemon=True, name="policyqa-reload").start()
        return {"status": "degraded" if failed else "ok", "build": loaded.build.name,
                "reason": failed[1] if failed else None, "clauses": len(loaded.clauses), "model": loaded.model}

    @property
    def searcher(self) -> HybridSearcher:
        with self._lock:
            index = self.index
            if self._searcher is None:
                self._searcher = self._make_searcher(index)
            return self._searcher

    def _make_searcher(self, index: LoadedIndex) -> HybridSearcher:
        # the encoders' weights and jieba's dictionary take a while to load: overlap them
        warm = threading.Thread(target=self._load_encoders, daemon=True)
        warm.start()
        index.resources.tokenizer()
        warm.join()
        return HybridSearcher(index, self._load_encoders(), ranker=Ranker.load(index.build / RANKER_NAME),
                              adapter=QueryAdapter.load(index.build / ADAPTER_NAME), config=self._search_config)

    def parse(self, question: str) -> Query:
        """The question understood once (validated, script-normalised, segmented); raises InvalidQueryError."""
        return self.searcher.parse(reject_bad_unicode(question, "the question"))

    def search(self, question: str | Query, *, k: int | None = None, filters: Filters | None = None) -> list[Hit]:
        query = question if isinstance(question, Query) else self.parse(question)
        return self.searcher.search(query, k=k or self.settings.k, filters=filters)

    def documents(self) -> list[DocumentMeta]:
        return list(self.index.documents.values())

    def document(self, doc_id: str) -> DocumentMeta:
        doc = self.index.documents.get(doc_id)
        if doc is None:
            raise UnknownIdError(f"unknown document id {doc_id!r}; list them with GET /api/documents "
                                 "or `policyqa clauses --json`")
        return doc

    def clauses(self, doc_id: str | None = None) -> list[Clause]:
        if doc_id is not None:
            self.document(doc_id)
            return [c for c in self.index.clauses if c.doc_id == doc_id]
        return list(self.index.clauses)

    def sections(self, doc_id: str) -> list[Section]:
        self.document(doc_id)
        return self.index.store.sections(doc_id)

    def clause(self, clause_id: str) -> Clause:
        position = self.index.position_of(clause_id)
        if position is None:
            raise UnknownIdError(f"unknown clause id {clause_id!r}; ids look like 'gd-2014-stabilize-trade#6.18'")
        return self.index.clauses[position]

    # ---------- answering ----------
    @property
    def answerer(self) -> ExtractiveAnswerer:
        with self._lock:
            index = self.index
            if self._answerer is None:
                self._answerer = self._make_answerer(index)
            return self._answerer

    def _make_answerer(self, index: LoadedIndex) -> ExtractiveAnswerer:
        model = Answerability.load(DEFAULT_MODEL).with_scope(CorpusScope.of(index.documents.values()))
        return ExtractiveAnswerer(glossary=index.resources.glossary, config=self._answer_config, model=model,
                                  clauses={c.clause_id: c for c in index.clauses})

    @property
    def chat_model(self):
        """The optional language model (off unless POLICYQA_LLM_BASE_URL and POLICYQA_LLM_MODEL are set)."""
        if self._chat_model is None and self.settings.llm_base_url and self.settings.llm_model:
            from .generate import openai_chat_model

            self._chat_model = openai_chat_model(self.settings)
        return self._chat_model

    def ask(self, question: str, *, k: int | None = None, filters: Filters | None = None, history=None) -> Answer:
        """Answer a question; with `history` (earlier turns, see app.conversation) a follow-up is resolved first."""
        return self._ask(question, k=k, filters=filters, history=history, generate=True)

    def _ask(self, question: str, *, k: int | None, filters: Filters | None, history, generate: bool) -> Answer:
        question = validate_question(reject_bad_unicode(question, "the question"))
        if not history:
            return self._ask_alone(question, k=k, filters=filters, generate=generate)
        try:
            turns = parse_history(history)
        except ValueError as exc:
            raise InvalidQueryError(str(exc)) from None
        resolution = resolve(question, turns)
        if not resolution.follow_up:
            return self._ask_alone(question, k=k, filters=filters, generate=generate)
        return self._ask_follow_up(resolution, k=k, filters=filters, generate=generate)

    def _ask_alone(self, question: str, *, k: int | None, filters: Filters | None, generate: bool) -> Answer:
        query = self.parse(question)
        hits = self.searcher.search(query, k=k or self.settings.k, filters=filters)
        return self._generate(self.answerer.answer(query, hits), generate)

    def _generate(self, extractive: Answer, generate: bool = True) -> Answer:
        """With a language model configured, the answer is written by it from the chosen clauses and verified
        (app.generate); a follow-up reaches it in its standalone form, the previous topic carried over."""
        if not generate or self.chat_model is None or extractive.refused:
            return extractive
        from .generate import GroundedGenerator

        return GroundedGenerator(self.chat_model).answer(extractive)

    def previous_hits(self, resolution: Resolution, *, k: int | None = None,
                      filters: Filters | None = None) -> list[Hit]:
        """The clauses the previous answer cited. Stateless: the previous question is asked again (answers are
        deterministic), extractively (a generated answer cites a subset of these clauses, and asking the language
        model again would cost a call), unless the client sent the cited clause ids, which then win."""
        previous = self._ask(resolution.previous_question, k=k, filters=filters,
                             history=list(resolution.previous_history) or None, generate=False)
        if resolution.previous_citations is None:
            return list(previous.citations)
        known = {h.clause.clause_id: h for h in (*previous.citations, *previous.retrieved)}
        hits = []
        for clause_id in dict.fromkeys(resolution.previous_citations):
            if clause_id in known:
                hits.append(known[clause_id])
            else:  # cited by the client's earlier answer but not retrieved for it now: no relevance score to reuse
                clause = self.clause(clause_id)
                hits.append(Hit(clause, self.document(clause.doc_id), 0.0, 0.0, (), ("conversation",)))
        return hits

    def _stating(self, earlier: list[Hit], fact: str) -> list[Hit]:
        """For each document of the clauses the previous answer cited, the passage stating `fact` (if one does)."""
        out = []
        for meta in {h.document.doc_id: h.document for h in earlier}.values():
            clause = stating(meta, self.clauses(meta.doc_id), fact)
            if clause is not None:
                out.append(Hit(clause, meta, 0.0, 0.0, (), ("document",)))
        return out

    def _ask_follow_up(self, resolution: Resolution, *, k: int | None, filters: Filters | None,
                       generate: bool) -> Answer:
        """Over the previous turn's clauses first; if they do not answer, search with the topic carried over."""
        k = k or self.settings.k
        own = self.parse(resolution.question)
        standalone = resolution.standalone[-MAX_QUESTION_CHARS:]  # the carried topic may make it long
        # the topic carried over, but what is asked (a figure, an agency, validity) is the follow-up's own
        carried = self.searcher.parse(standalone, language=own.language)
        # the direct answer wanted is the follow-up's own too; an elliptical one ("粤东西北的企业呢？") wants what the
        # question it follows wanted
        query = replace(carried, asked=own.asked, intents=own.intents, script=own.script,
                        wants=own.wants or carried.wants)
        earlier = self.previous_hits(resolution, k=k, filters=filters)
        note = f"follow-up ({resolution.reason}) of: {resolution.previous_question}"
        fact = fact_asked(own.folded)
        stated = self._stating(earlier, fact) if fact else []
        if stated:  # "什么时候印发的？": the document's own passage that states it (app.document_facts)
            # the passage first, then the clauses the conversation is about (the fact is of their document)
            answer = self.answerer.answer(query, stated + earlier, named=True)
            answer = self._generate(replace(answer, question=standalone), generate)
            return replace(answer, question=resolution.question,
                           notes=answer.notes + (note, f"the {fact} of the document the previous answer cited"))
        hits = self.searcher.search(query, k=k, filters=filters)
        if own.asked and own.asked != "agency":  # "那要多少天？": the earlier clauses answer only if they state one
            earlier = [h for h in earlier if states(own.asked, h.clause.text)]
        if own.places:  # "What about Shanghai?": a clause of another jurisdiction does not answer it
            earlier = [h for h in earlier if relation(set(own.places), jurisdiction(
                " ".join(x or "" for x in (h.document.title, h.document.issuer, h.document.publisher)))) != "other"]
        if earlier:
            # "这条由哪个部门负责？": the clause pointed at is what is asked about; its units or issuer answer
            named = own.asked == "agency" and resolution.reason.startswith("anaphor")
            answer = self.answerer.answer(query, earlier, named=named, said=resolution.previous_reply)
            if not answer.refused:
                seen = {h.clause.clause_id for h in earlier}
                extra = tuple(h for h in hits if h.clause.clause_id not in seen)
                answer = replace(answer, retrieved=answer.retrieved + extra,
                                 evidence=answer.evidence + tuple(self.answerer.model.probabilities(query, list(extra))))
                # a language model writes for the follow-up as asked, with the previous topic carried over
                answer = self._generate(replace(answer, question=standalone), generate)
                return replace(answer, question=resolution.question,
                               notes=answer.notes + (note, "answered from the clauses the previous answer cited"))
        answer = self._generate(self.answerer.answer(query, hits), generate)
        return replace(answer, question=resolution.question, notes=answer.notes + (note,))
