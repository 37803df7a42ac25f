"""jieba's prefix dictionary cached as a numpy file: the same table and the same tokens as jieba's own cache."""

import jieba
import numpy as np
import pytest

from retrieval.prefixdict import PrefixDict
from retrieval.tokenize import ChineseTokenizer

CLAUSE = "（十四）支持企业建设海外仓，对符合条件的跨境电商企业给予资金支持，由市商务局负责。"


@pytest.fixture(scope="module")
def jiebas_own():
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def test_the_cached_table_is_jiebas_table_and_gives_the_same_tokens(tmp_path, jiebas_own):
    first = ChineseTokenizer(cache_dir=tmp_path)  # builds the table with jieba and writes the cache
    (cache,) = tmp_path.glob("jieba-prefix-*.npz")
    second = ChineseTokenizer(cache_dir=tmp_path)  # reads it
    assert second._jieba.FREQ == jiebas_own.FREQ and second._jieba.total == jiebas_own.total
    assert second.tokens(CLAUSE) == first.tokens(CLAUSE) == ChineseTokenizer().tokens(CLAUSE)
    with_words = ChineseTokenizer(userdict=["海外仓"], cache_dir=tmp_path)  # the domain words still add on top
    assert "海外仓" in with_words.tokens(CLAUSE) and "海外仓" not in second.tokens(CLAUSE)
    with np.load(cache, allow_pickle=False) as data:  # plain arrays: loads without pickle
        assert len(data["counts"]) == len(jiebas_own.FREQ)


def test_a_damaged_cache_is_rebuilt_not_trusted(tmp_path, jiebas_own):
    prefix = PrefixDict.for_jieba(jieba.Tokenizer(), tmp_path)
    prefix.path.write_bytes(b"not a numpy file")
    tokenizer = jieba.Tokenizer()
    prefix.install(tokenizer)
    assert tokenizer.FREQ == jiebas_own.FREQ
    again = jieba.Tokenizer()
    PrefixDict(prefix.path).install(again)  # the rewritten file is whole
    assert again.FREQ == jiebas_own.FREQ and again.initialized


def test_a_cache_with_mismatched_arrays_is_rebuilt(tmp_path, jiebas_own):
    prefix = PrefixDict.for_jieba(jieba.Tokenizer(), tmp_path)
    np.savez(prefix.path, words=np.frombuffer("一\n二".encode(), dtype=np.uint8), counts=np.array([1]),
             total=np.int64(1))
    tokenizer = jieba.Tokenizer()
    prefix.install(tokenizer)
    assert tokenizer.total == jiebas_own.total


def test_an_unwritable_cache_folder_still_tokenises(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    tokenizer = ChineseTokenizer(userdict=["跨境电商"], cache_dir=blocked)
    assert "跨境电商" in tokenizer.tokens(CLAUSE) and "资金" in tokenizer.tokens(CLAUSE)


def test_another_dictionary_gets_another_cache_file(tmp_path):
    small = tmp_path / "dict.txt"
    small.write_text("海外仓 100 n\n跨境 50 n\n", encoding="utf-8")
    default = PrefixDict.for_jieba(jieba.Tokenizer(), tmp_path)
    other = PrefixDict.for_jieba(jieba.Tokenizer(dictionary=str(small)), tmp_path)
    assert other.path != default.path
    tokenizer = jieba.Tokenizer(dictionary=str(small))
    other.install(tokenizer)
    assert tokenizer.FREQ == {"海": 0, "海外": 0, "海外仓": 100, "跨": 0, "跨境": 50} and tokenizer.total == 150


def test_the_cache_folder_follows_xdg_and_is_never_relative(monkeypatch, tmp_path):
    from retrieval.prefixdict import default_cache_dir

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "policyqa"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "policyqa"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", "not-absolute")
    assert default_cache_dir() is None
