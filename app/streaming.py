"""An answer as it is composed, in pieces for streaming: each cited part's frame, then its quote sentence by
sentence, then its further lines (responsible units, caveats).

    pieces("根据《…》第（十八）条：“A。B。”[1]\\n责任单位：…")
        -> ["根据《…》第（十八）条：", "“A。", "B。”[1]", "\\n责任单位：…"]

The pieces join back to the text exactly. The extractive answerer composes the whole answer at once, so
streaming sends these pieces; a generating model would stream its own tokens instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_CUT = re.compile(r"(?<=：)|(?<=:)(?=\s)|(?<=[。；！？])|(?=\n)")


def pieces(text: str) -> Iterator[str]:
    for part in _CUT.split(text):
        if part:
            yield part
