"""Other names of the same programme, agency or term (`corpus/resources/aliases.tsv`).

    中国（深圳）国际高新技术成果交易会	高交会	深圳高交会
    Aliases.load(path).others("高交会有补贴吗")  -> ["中国（深圳）国际高新技术成果交易会", "深圳高交会", …]

Matching is on folded text (NFKC, lower case, simplified script), so 高交會 and ＡＥＯ match too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingest.errors import ResourceError
from ingest.text import fold


@dataclass(frozen=True, slots=True)
class Aliases:
    groups: tuple[tuple[str, ...], ...]

    @classmethod
    def load(cls, path: Path | None) -> "Aliases":
        if path is None or not path.exists():
            return cls(())
        groups = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            names = tuple(name.strip() for name in line.split("\t") if name.strip())
            if len(names) < 2:
                raise ResourceError(f"{path}:{n}: an alias line needs at least two tab-separated names")
            groups.append(names)
        return cls(tuple(groups))

    def others(self, text: str) -> list[str]:
        """The names of every group one of whose names occurs in `text`, except those already in it."""
        folded = fold(text)
        out: list[str] = []
        for group in self.groups:
            if any(fold(name) in folded for name in group):
                out += [name for name in group if fold(name) not in folded and name not in out]
        return out
