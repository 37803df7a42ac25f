"""The curated resources: one jieba tokenizer per dictionary content, shared by every folder that holds it."""

import shutil
from pathlib import Path

from retrieval.resources import USERDICT, Resources

CORPUS_RESOURCES = Path(__file__).resolve().parents[2] / "corpus" / "resources"


def test_a_builds_copy_of_the_resources_shares_the_corpus_tokenizer(tmp_path):
    """Loading jieba's dictionary holds the GIL for about half a second: a new build (a copy of the same files)
    must not load it again while the server answers."""
    build = tmp_path / "build"
    build.mkdir()
    Resources.in_folder(CORPUS_RESOURCES).copy_into(build)
    corpus = Resources.in_folder(CORPUS_RESOURCES).tokenizer()
    assert Resources.from_build(build).tokenizer() is corpus
    assert "跨境电商" in corpus.tokens("跨境电商出口")


def test_other_dictionary_content_gets_its_own_tokenizer(tmp_path):
    changed = tmp_path / "changed"
    shutil.copytree(CORPUS_RESOURCES, changed)
    (changed / USERDICT).write_text((CORPUS_RESOURCES / USERDICT).read_text(encoding="utf-8") + "宁波舟山港 2000 n\n",
                                    encoding="utf-8")
    other = Resources.in_folder(changed).tokenizer()
    assert other is not Resources.in_folder(CORPUS_RESOURCES).tokenizer()
    assert "宁波舟山港" in other.tokens("宁波舟山港的集装箱")
