"""A deterministic fuzz corpus of client files, made from the bundled samples.

Each :class:`Case` names a source file (``data_samples/demo/*``, ``tests/data/good/*``,
``tests/data/fec/*``, ``tests/data/broken/*``) and a mutation; :meth:`Case.write`
makes its bytes (same seed, same bytes) into a folder chosen at test time.  Nothing
generated is committed.

Mutations: the file as it is; byte flips; truncation; deleted lines; a deleted column;
swapped separators; re-encodings (cp1252, UTF-16, latin-1); special numbers in a field
(``NaN``, ``inf``, ``1e400``, ``(-5)``, Unicode digits); impossible dates; an empty file
and a header-only file; for spreadsheets a corrupted or truncated zip; for FECs a
missing mandatory column and an unbalanced entry.  Big samples (the demo client) are
cut to their first :data:`HEAD_LINES` lines first, so one case runs in milliseconds.
"""

from __future__ import annotations

import gzip
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("data_samples/demo", "tests/data/good", "tests/data/fec", "tests/data/broken")
SEED = 20260803
HEAD_LINES = 40
"""Lines kept of a sample larger than :data:`MAX_BYTES` (header included)."""
MAX_BYTES = 16_000

SPECIAL_NUMBERS = ("NaN", "inf", "-inf", "1e400", "-1e400", "(-5)", "١٢٣٫٤٥", "１２３,４５", "٣", "1e-400", "9" * 40)
IMPOSSIBLE_DATES = ("31/02/2024", "00/01/2024", "32/13/2024", "29/02/2023", "0000-00-00", "99999999", "31/12/9999")
FEC_MANDATORY = ("JournalCode", "EcritureNum", "EcritureDate", "CompteNum", "PieceDate", "Debit", "Credit")


def sources() -> list[Path]:
    """The sample files, in a fixed order (hidden files and READMEs left out)."""
    out = []
    for d in SOURCE_DIRS:
        out += sorted(p for p in (ROOT / d).iterdir() if p.is_file() and not p.name.startswith("."))
    return [p for p in out if p.suffix.lower() != ".md"]


def is_fec_source(path: Path) -> bool:
    return path.parent.name == "fec"


# --------------------------------------------------------------------------- text helpers
def _decode(data: bytes) -> tuple[str, str]:
    """(text, codec) of a sample: UTF-16 by its BOM, UTF-8 (BOM kept) or cp1252."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _encode(text: str, codec: str) -> bytes:
    return text.encode(codec, errors="replace")


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _separator(text: str) -> str:
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    counts = {s: first.count(s) for s in (";", "\t", "|", ",")}
    return max(counts, key=lambda s: counts[s]) if any(counts.values()) else ";"


def _map_text(data: bytes, func: Callable[[str], str]) -> bytes:
    text, codec = _decode(data)
    return _encode(func(text), codec)


def _replace_field(text: str, rng: random.Random, pattern: str, values: tuple[str, ...], times: int = 3) -> str:
    """Replace ``times`` random fields matching ``pattern`` (whole field) by one of ``values``."""
    sep, nl = _separator(text), _newline(text)
    lines = text.split(nl)
    cells = [
        (i, j)
        for i, line in enumerate(lines[1:], 1)
        for j, f in enumerate(line.split(sep))
        if re.fullmatch(pattern, f.strip('"'))
    ]
    if not cells:  # no such field: put the value in a random cell of a data row
        cells = [(i, 0) for i in range(1, len(lines)) if lines[i]]
    for i, j in rng.sample(cells, min(times, len(cells))):
        fields = lines[i].split(sep)
        if j < len(fields):
            fields[j] = rng.choice(values)
        lines[i] = sep.join(fields)
    return nl.join(lines)


AMOUNT = r"-?[\d  .,]*\d[.,]\d\d"
DATE = r"\d{2}/\d{2}/\d{4}|\d{4}-\d{2}-\d{2}|\d{8}"


# --------------------------------------------------------------------------- mutations
def byte_flips(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(max(1, len(b) // 500)) if b else []:
        b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data))] if data else data


def delete_lines(data: bytes, rng: random.Random) -> bytes:
    def cut(text: str) -> str:
        nl = _newline(text)
        lines = text.split(nl)
        drop = set(rng.sample(range(len(lines)), max(1, len(lines) // 4)))
        return nl.join(line for i, line in enumerate(lines) if i not in drop)

    return _map_text(data, cut)


def delete_column(data: bytes, rng: random.Random) -> bytes:
    def cut(text: str) -> str:
        sep, nl = _separator(text), _newline(text)
        lines = text.split(nl)
        width = len(lines[0].split(sep)) if lines else 1
        k = rng.randrange(max(width, 1))
        return nl.join(sep.join(f for j, f in enumerate(line.split(sep)) if j != k) for line in lines)

    return _map_text(data, cut)


def swap_separator(data: bytes, rng: random.Random) -> bytes:
    def swap(text: str) -> str:
        sep = _separator(text)
        new = rng.choice([s for s in (";", ",", "\t", "|") if s != sep])
        return text.replace(sep, new)

    return _map_text(data, swap)


def reencode(codec: str) -> Callable[[bytes, random.Random], bytes]:
    def mutate(data: bytes, rng: random.Random) -> bytes:
        text, _ = _decode(data)
        return text.lstrip("\ufeff").encode(codec, errors="replace")

    mutate.__name__ = f"reencode_{codec.replace('-', '')}"
    return mutate


def special_numbers(data: bytes, rng: random.Random) -> bytes:
    return _map_text(data, lambda t: _replace_field(t, rng, AMOUNT, SPECIAL_NUMBERS))


def impossible_dates(data: bytes, rng: random.Random) -> bytes:
    return _map_text(data, lambda t: _replace_field(t, rng, DATE, IMPOSSIBLE_DATES))


def header_only(data: bytes, rng: random.Random) -> bytes:
    def head(text: str) -> str:
        nl = _newline(text)
        return text.split(nl)[0] + nl

    return _map_text(data, head)


def empty(data: bytes, rng: random.Random) -> bytes:
    return b""


def fec_drop_mandatory(data: bytes, rng: random.Random) -> bytes:
    def cut(text: str) -> str:
        sep, nl = _separator(text), _newline(text)
        lines = text.split(nl)
        names = [n.strip().lstrip("\ufeff") for n in lines[0].split(sep)]
        present = [c for c in FEC_MANDATORY if c in names] or names
        k = names.index(rng.choice(present))
        return nl.join(sep.join(f for j, f in enumerate(line.split(sep)) if j != k) for line in lines)

    return _map_text(data, cut)


def fec_unbalanced(data: bytes, rng: random.Random) -> bytes:
    """One line's debit (or credit, or Montant) raised by 1,000: its entry no longer balances."""

    def unbalance(text: str) -> str:
        sep, nl = _separator(text), _newline(text)
        lines = text.split(nl)
        names = [n.strip().lstrip("\ufeff") for n in lines[0].split(sep)]
        col = next((names.index(c) for c in ("Debit", "Credit", "Montant") if c in names), None)
        rows = [i for i in range(1, len(lines)) if lines[i].strip()]
        if col is None or not rows:
            return text
        i = rng.choice(rows)
        fields = lines[i].split(sep)
        if col < len(fields):
            fields[col] = "1000,00" if "," in fields[col] or not fields[col] else "1000.00"
        lines[i] = sep.join(fields)
        return nl.join(lines)

    return _map_text(data, unbalance)


def zip_flips(data: bytes, rng: random.Random) -> bytes:
    """A corrupted xlsx: bytes flipped inside its zip (past the local header)."""
    b = bytearray(data)
    for _ in range(8):
        b[rng.randrange(min(30, len(b) - 1), len(b))] = rng.randrange(256)
    return bytes(b)


TEXT_MUTATIONS = (
    byte_flips,
    truncate,
    delete_lines,
    delete_column,
    swap_separator,
    reencode("cp1252"),
    reencode("utf-16"),
    reencode("latin-1"),
    special_numbers,
    impossible_dates,
    header_only,
)
BINARY_MUTATIONS = (byte_flips, truncate, zip_flips, empty)
FEC_MUTATIONS = (fec_drop_mandatory, fec_drop_mandatory, fec_unbalanced, fec_unbalanced)
REPEATS = {"byte_flips": 2, "special_numbers": 2, "impossible_dates": 2}
"""Mutations drawn more than once per source (another seed, other positions)."""


# --------------------------------------------------------------------------- cases
def sample_bytes(path: Path) -> tuple[bytes, str]:
    """(bytes, file name) of a source as the corpus uses it: a ``.gz`` sample is
    decompressed, and a big one cut to its first :data:`HEAD_LINES` lines."""
    data, name = path.read_bytes(), path.name
    if name.endswith(".gz"):
        data, name = gzip.decompress(data), name[:-3]
    if len(data) > MAX_BYTES and path.suffix.lower() not in (".xlsx", ".pdf"):
        data = b"\n".join(data.split(b"\n")[:HEAD_LINES]) + b"\n"
    return data, name


@dataclass(frozen=True)
class Case:
    source: Path
    mutation: str
    repeat: int = 0

    @property
    def id(self) -> str:
        rel = self.source.relative_to(ROOT)
        short = f"{rel.parent.name}/{rel.name}"
        return f"{short}:{self.mutation}" + (f"#{self.repeat}" if self.repeat else "")

    @property
    def is_fec(self) -> bool:
        return is_fec_source(self.source)

    def content(self) -> tuple[bytes, str]:
        """(bytes, file name) of this case: the same every run (seeded by the case id)."""
        data, name = sample_bytes(self.source)
        if self.mutation == "original":
            return data, name
        if self.mutation == "gzip_flips":  # the compressed sample itself, damaged
            return byte_flips(self.source.read_bytes(), random.Random(f"{SEED}:{self.id}")), self.source.name
        mutate = MUTATIONS[self.mutation]
        return mutate(data, random.Random(f"{SEED}:{self.id}")), name

    def write(self, folder: Path) -> Path:
        data, name = self.content()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_bytes(data)
        return path


MUTATIONS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    m.__name__: m for m in (*TEXT_MUTATIONS, *BINARY_MUTATIONS, *FEC_MUTATIONS)
}


BROKEN_DRAWS = 5
"""Mutations drawn (seeded) per file of ``tests/data/broken``: those files are broken already."""


def cases() -> list[Case]:
    """Every case of the corpus, in a fixed order (ids are unique).

    A sample of the demo client, a good file or a FEC gets every mutation that fits it
    (byte flips, special numbers and impossible dates twice, at other positions); a
    file of ``tests/data/broken`` gets itself and :data:`BROKEN_DRAWS` mutations drawn
    with the seed.
    """
    out: list[Case] = []
    for src in sources():
        binary = src.suffix.lower() in (".xlsx", ".pdf") or src.name == "zip_as_csv.csv"
        mutations = [m.__name__ for m in (BINARY_MUTATIONS if binary else (*TEXT_MUTATIONS, empty))]
        broken = src.parent.name == "broken"
        if broken and not binary:
            mutations = random.Random(f"{SEED}:{src.name}").sample(mutations, BROKEN_DRAWS)
        names = ["original", *mutations]
        if is_fec_source(src):
            names += [m.__name__ for m in FEC_MUTATIONS]
        if src.name.endswith(".gz"):
            names.append("gzip_flips")
        seen: dict[str, int] = {}
        for name in names:
            repeats = 1 if binary or broken else REPEATS.get(name, 1)
            for _ in range(repeats):
                k = seen.get(name, 0)
                seen[name] = k + 1
                out.append(Case(src, name, k))
    return out
