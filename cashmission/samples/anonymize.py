"""Pseudonymise a mission's files (*anonymisation*) so real data can serve in training and be shared.

One run takes all of a mission's files (exports as CSV/TXT/Excel, gzipped or not, and FECs)
and writes a copy of each where every customer name, customer id, SIREN/SIRET/VAT number
and document reference is replaced by an alias, **the same alias in every file** (a
customer keeps one alias across the open items, the payments, the disputes and the FEC).
Amounts, dates, accounts and every other cell are written back as read, character for
character, so every figure of every report is unchanged.

Which cells change (columns recognised by their header, as the readers recognise them):

- ``id``: customer ids (``N° client``, ``Tiers``, ``CompAuxNum``…) and customer accounts that
  hold letters (``411DURAND``: the class digits are kept, the rest aliased);
- ``name``: customer names (``Client``, ``Raison sociale``, ``CompAuxLib``, a customer
  account's ``CompteLib``, counterparties, groups) → invented French company names;
- ``siren`` / ``siret`` / ``vat``: → numbers that pass the Luhn check like real ones (and
  ``FR`` + key + SIREN for VAT numbers, key = (12 + 3 × (SIREN mod 97)) mod 97);
- ``ref``: document, payment and dispute numbers, ``PieceRef`` → same shape (a digit for a
  digit, a letter for a letter);
- ``text``: labels and comments (``Libellé``, ``EcritureLib``, ``Commentaire``…): every
  original name, id, reference or SIREN found in them (whole words, any case) is replaced
  by its alias, and any other 9- or 14-digit number passing the Luhn check too;
- ``redact``: e-mails, phones, addresses, contacts, IBAN/BIC → emptied.

Aliases are keyed by HMAC-SHA256 of a secret: the same secret gives the same aliases on
next week's extract (``--secret``), a random secret otherwise.  The correspondence is
never written unless asked (``key_file``).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import hmac
import io
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROLES: dict[str, str] = {
    "customer_id": "id",
    "compauxnum": "id",
    "supplier_id": "id",
    "customer_name": "name",
    "compauxlib": "name",
    "supplier_name": "name",
    "counterparty": "name",
    "group": "name",
    "siren": "siren",
    "siret": "siret",
    "vat_number": "vat",
    "document_id": "ref",
    "piecere": "ref",
    "payment_id": "ref",
    "dispute_id": "ref",
    "label": "text",
    "comment": "text",
    "collector": "person",
    "owner": "person",
    "ecriturelib": "text",
    "redact": "redact",
}
"""Canonical column (or FEC column, lower case) → what happens to its cells."""

_EXTRA_HEADERS: dict[str, tuple[str, ...]] = {
    "siret": ("siret", "n siret"),
    "vat_number": ("n tva", "tva intracommunautaire", "n tva intracommunautaire", "numero de tva", "vat number"),
    "counterparty": ("contrepartie", "donneur d ordre", "emetteur", "counterparty", "payer", "debtor"),
    "label": ("libelle", "libelle ecriture", "libelle operation", "label", "description", "motif de paiement"),
    "comment": ("commentaire", "commentaires", "observations", "remarque", "note", "notes", "comment"),
    "redact": (
        "email",
        "e mail",
        "mail",
        "courriel",
        "telephone",
        "tel",
        "phone",
        "portable",
        "adresse",
        "address",
        "contact",
        "interlocuteur",
        "iban",
        "bic",
        "rib",
    ),
}
_FEC_ROLES = {"compauxnum": "id", "compauxlib": "name", "pieceref": "ref", "ecriturelib": "text"}
_CUSTOMER_ACCOUNTS = ("411", "413", "416", "418", "419")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_CONSONANTS = "bcdfghjklmnprstvz"
_VOWELS = "aeiou"
_FORMS = ("SAS", "SARL", "SA", "SCI", "EURL")
_KINDS = ("Établissements", "Société", "Groupe", "Transports", "Laiterie", "Ateliers", "Maison", "Distribution")


def luhn_ok(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check (SIREN, SIRET).

    Sum the digits from the right, doubling every second one (9 subtracted when over 9);
    valid when the sum is a multiple of 10.

    >>> luhn_ok("732829320"), luhn_ok("732829321")
    (True, False)
    """
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def luhn_complete(stem: str) -> str:
    """``stem`` followed by the digit that makes it pass the Luhn check.

    >>> luhn_complete("73282932")
    '732829320'
    """
    return next(stem + str(d) for d in range(10) if luhn_ok(stem + str(d)))


def vat_key(siren: str) -> str:
    """French VAT number ``FR`` + key + SIREN, key = (12 + 3 × (SIREN mod 97)) mod 97 on two digits.

    >>> vat_key("732829320")
    'FR44732829320'
    """
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


@dataclass
class Pseudonymiser:
    """Aliases of one run: the same original → the same alias, in every file and role."""

    secret: bytes
    originals: set[str] = field(default_factory=set)
    aliases: dict[tuple[str, str], str] = field(default_factory=dict)
    _taken: set[str] = field(default_factory=set)

    def alias(self, role: str, value: str) -> str:
        """The alias of ``value`` in ``role`` (id, name, siren, siret, vat, ref); blank stays blank."""
        value = value.strip()
        if not value:
            return value
        key = ("siren" if role in ("siren", "siret", "vat") else role, _norm(value) if role == "name" else value)
        if role in ("siret", "vat"):
            return self._company_number(role, value)
        if key in self.aliases:
            return self.aliases[key]
        for attempt in range(100):
            made = self._make(role, value, attempt)
            if made not in self._taken and made not in self.originals:
                break
        self.aliases[key] = made
        self._taken.add(made)
        return made

    def _digest(self, role: str, value: str, attempt: int = 0) -> bytes:
        return hmac.new(self.secret, f"{role}\x00{value}\x00{attempt}".encode(), hashlib.sha256).digest()

    def _make(self, role: str, value: str, attempt: int) -> str:
        h = self._digest(role, value, attempt)
        if role == "name":
            return _company_name(h)
        if role == "person":
            return f"Gestionnaire {_same_shape('AA00', h)}"
        if role == "siren":
            stem = "".join(str(b % 10) for b in h[:8])
            return luhn_complete(("1" if stem[0] == "0" else stem[0]) + stem[1:])
        return _same_shape(value, h)

    def _company_number(self, role: str, value: str) -> str:
        digits = "".join(ch for ch in value if ch.isdigit())
        siren = self.alias("siren", digits[-9:] if role == "vat" else digits[:9])
        if role == "vat":
            return vat_key(siren)
        nic = "".join(str(b % 10) for b in self._digest("nic", digits)[:4])
        return luhn_complete(siren + nic)


def _norm(name: str) -> str:
    return _fold(re.sub(r"\s+", " ", name).strip())


def _company_name(h: bytes) -> str:
    word = ""
    for i in range(3):
        word += _CONSONANTS[h[2 * i] % len(_CONSONANTS)] + _VOWELS[h[2 * i + 1] % len(_VOWELS)]
    word += "ac" if h[6] % 3 == 0 else ("ier" if h[6] % 3 == 1 else "on")
    return f"{_KINDS[h[7] % len(_KINDS)]} {word.capitalize()} {_FORMS[h[8] % len(_FORMS)]}"


def _same_shape(value: str, h: bytes) -> str:
    """A digit for a digit, a letter for a letter (same case), anything else kept."""
    out = []
    stream = h * 8
    for i, ch in enumerate(value):
        b = stream[i % len(stream)] ^ (i * 31 % 256)
        if ch.isdigit():
            out.append(str(b % 10))
        elif ch.isalpha() and ch.isascii():
            letter = chr(ord("A") + b % 26)
            out.append(letter if ch.isupper() else letter.lower())
        elif ch.isalpha():
            out.append("X" if ch.isupper() else "x")
        else:
            out.append(ch)
    return "".join(out)


# --------------------------------------------------------------------------- columns


def column_roles(headers: Iterable[str]) -> dict[int, str]:
    """Position → role of the headers that hold something to pseudonymise (see the module docstring).

    >>> column_roles(["N° client", "Raison sociale", "Montant TTC", "SIREN", "Libellé", "E-mail"])
    {0: 'id', 1: 'name', 3: 'siren', 4: 'text', 5: 'redact'}
    """
    from cashmission.io.presets import HEADER_PRESETS, _keys

    lookup: dict[str, str] = {}
    for canon, synonyms in HEADER_PRESETS.items():
        if canon in ROLES:
            for s in (canon, *synonyms):
                for k in _keys(s):
                    lookup.setdefault(k, ROLES[canon])
    for canon, synonyms in _EXTRA_HEADERS.items():
        for s in (canon, *synonyms):
            for k in _keys(s):
                lookup.setdefault(k, ROLES[canon])
    roles: dict[int, str] = {}
    for i, header in enumerate(headers):
        low = str(header).strip().lower()
        if low in _FEC_ROLES:
            roles[i] = _FEC_ROLES[low]
            continue
        role = next((lookup[k] for k in _keys(header) if k in lookup), None)
        if role is not None:
            roles[i] = role
    return roles


# --------------------------------------------------------------------------- files


@dataclass
class _Table:
    """A file's cells: the lines before the header kept as read, the header, the rows."""

    path: Path
    kind: str  # text | excel
    encoding: str = "utf-8"
    delimiter: str = ";"
    newline: str = "\n"
    preamble: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    header_row: int = 1  # Excel: 1-based row of the header


def _open_text(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix.lower() == ".gz" else data


def _read_table(path: Path) -> _Table:
    from cashmission.io.raw import read_raw
    from cashmission.problems import InputError

    try:
        _grid, meta = read_raw(path)
    except InputError as err:
        if "no_header" not in str(err):
            raise
        if _suffix(path) in EXCEL_SUFFIXES:
            return _Table(path, "workbook")  # no table recognised: every text cell gets the free-text pass
        meta = _plain_text_meta(path)  # no known header: the first line is the header
    if meta["kind"] == "excel":
        return _Table(path, "excel", header_row=int(meta["header_line"]))
    text = _open_text(path).decode(meta["encoding"])
    if text.startswith("\ufeff"):
        text = text[1:]
    newline = "\r\n" if "\r\n" in text[:10_000] else "\n"
    lines = text.splitlines(keepends=True)
    head = int(meta["header_line"]) - 1
    rows = list(csv.reader(io.StringIO("".join(lines[head:])), delimiter=meta["delimiter"]))
    return _Table(path, "text", meta["encoding"], meta["delimiter"], newline, lines[:head], rows[0], rows[1:])


def _plain_text_meta(path: Path) -> dict[str, object]:
    data = _open_text(path)
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        encoding, text = "cp1252", data.decode("cp1252", errors="replace")
    first = text.splitlines()[0] if text else ""
    delimiter = max(";,\t|", key=first.count) if first else ";"
    return {"kind": "text", "encoding": encoding, "delimiter": delimiter, "header_line": 1}


def _write_text(table: _Table, out: Path, preamble: list[str]) -> None:
    buf = io.StringIO()
    buf.writelines(preamble)
    writer = csv.writer(buf, delimiter=table.delimiter, lineterminator=table.newline)
    writer.writerow(table.header)
    writer.writerows(table.rows)
    data = buf.getvalue().encode(table.encoding if table.encoding != "utf-8-sig" else "utf-8-sig")
    out.write_bytes(gzip.compress(data, mtime=0) if out.suffix.lower() == ".gz" else data)


_GENERIC_LABELS = ("client", "creance", "effet", "avance", "acompte", "rrr", "customer", "receivable")


def _fec_customer_name_rows(table: _Table) -> set[int]:
    """Rows whose ``CompteLib`` names a customer: a customer account (411…) without auxiliary account,
    whose label is not a generic one (``Clients``, ``Clients douteux``, ``Créances…``, ``Effets…``)."""
    low = [h.strip().lower() for h in table.header]
    if "comptenum" not in low or "comptelib" not in low:
        return set()
    num, lib = low.index("comptenum"), low.index("comptelib")
    aux = low.index("compauxnum") if "compauxnum" in low else None
    rows = set()
    for i, r in enumerate(table.rows):
        if len(r) <= max(num, lib) or not r[num].startswith(_CUSTOMER_ACCOUNTS):
            continue
        if aux is not None and aux < len(r) and r[aux].strip():
            continue
        if not _fold(r[lib].strip()).startswith(_GENERIC_LABELS):
            rows.add(i)
    return rows


@dataclass
class AnonymisationReport:
    """What a run did: files written, cells replaced per role, originals known."""

    files: list[tuple[str, str, int]] = field(default_factory=list)  # (source, written, rows)
    replaced: dict[str, int] = field(default_factory=dict)
    originals: int = 0

    def count(self, role: str, n: int = 1) -> None:
        self.replaced[role] = self.replaced.get(role, 0) + n


def anonymise(
    sources: Iterable[str | Path],
    out_dir: str | Path,
    secret: str | bytes | None = None,
    key_file: str | Path | None = None,
) -> AnonymisationReport:
    """Write a pseudonymised copy of every file of ``sources`` (files or folders) into ``out_dir``.

    Two passes: the first reads every file and learns every original value of the
    identifying columns (so a name is replaced in a free-text label of another file too);
    the second writes each file with its cells replaced.  Returns what was done.
    """
    key = secret.encode() if isinstance(secret, str) else (secret or secrets.token_bytes(32))
    files = _files(sources)
    tables = [_read_table(p) for p in files]
    pseud = Pseudonymiser(key)
    learned: dict[str, set[str]] = {"id": set(), "name": set(), "ref": set(), "siren": set()}
    for table in tables:
        if table.kind == "text":
            _learn(table, learned)
    excel_cells = {t.path: _excel_cells(t.path, t.header_row) for t in tables if t.kind == "excel"}
    for header, rows in excel_cells.values():
        _learn(_Table(Path(), "excel", header=header, rows=rows), learned)
    pseud.originals = set().union(*learned.values())
    for role in _ROLE_OF_KNOWN:  # every alias made before any file is written: free text meets them all
        for value in sorted(learned[role]):
            pseud.alias(role, value)
    finder = _text_finder(learned)
    report = AnonymisationReport(originals=len(pseud.originals))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for table in tables:
        target = out / _file_name(table.path.name, pseud)
        if table.kind == "text":
            _replace(table, pseud, finder, report)
            preamble = [_free_text(line, pseud, finder, report) for line in table.preamble]
            _write_text(table, target, preamble)
            report.files.append((table.path.name, target.name, len(table.rows)))
        elif table.kind == "workbook":
            _free_text_workbook(table.path, target, pseud, finder, report)
            report.files.append((table.path.name, target.name, 0))
        else:
            header, rows = excel_cells[table.path]
            t = _Table(table.path, "excel", header=header, rows=rows)
            _replace(t, pseud, finder, report)
            _write_excel(table.path, target, table.header_row, t)
            report.files.append((table.path.name, target.name, len(rows)))
    if key_file is not None:
        _write_key(pseud, Path(key_file))
    return report


def _files(sources: Iterable[str | Path]) -> list[Path]:
    from cashmission.problems import fail

    found: list[Path] = []
    for s in sources:
        p = Path(s)
        if p.is_dir():
            found += sorted(f for f in p.rglob("*") if f.is_file() and _suffix(f) in (*TEXT_SUFFIXES, *EXCEL_SUFFIXES))
        elif p.is_file():
            if _suffix(p) not in (*TEXT_SUFFIXES, *EXCEL_SUFFIXES):
                raise fail("unsupported", "not a CSV, TXT or Excel file", file=str(p))
            found.append(p)
        else:
            raise fail("missing_file", "file not found", file=str(p))
    if not found:
        raise fail("empty", "no CSV, TXT or Excel file to anonymise")
    return found


def _suffix(p: Path) -> str:
    suffix = p.suffix.lower()
    return Path(p.stem).suffix.lower() if suffix == ".gz" else suffix


def _learn(table: _Table, learned: dict[str, set[str]]) -> None:
    roles = column_roles(table.header)
    name_rows = _fec_customer_name_rows(table)
    low = [h.strip().lower() for h in table.header]
    lib = low.index("comptelib") if "comptelib" in low else None
    num = low.index("comptenum") if "comptenum" in low else None
    for r, row in enumerate(table.rows):
        for i, role in roles.items():
            if i < len(row) and row[i].strip() and role in learned:
                learned[role].add(row[i].strip())
            elif i < len(row) and row[i].strip() and role in ("siret", "vat"):
                learned["siren"].add("".join(ch for ch in row[i] if ch.isdigit())[-9:])
        if r in name_rows and lib is not None and lib < len(row) and row[lib].strip():
            learned["name"].add(row[lib].strip())
        if r in name_rows and num is not None and num < len(row) and re.search(r"[A-Za-z]", row[num]):
            learned["id"].add(row[num].strip()[3:])  # 411PETIT: PETIT is the customer's key word


_TOKEN = re.compile(r"\w(?:[\w\-/.]*\w)?")


@dataclass
class _Finder:
    """The originals to look for in free text, by their first word (case ignored)."""

    single: dict[str, tuple[str, str]]  # casefolded token -> (role, original)
    multi: dict[str, list[tuple[tuple[str, ...], str, str]]]  # first token -> [(tokens, role, original)]
    memo: dict[str, str] = field(default_factory=dict)


def _text_finder(learned: dict[str, set[str]]) -> _Finder:
    single: dict[str, tuple[str, str]] = {}
    multi: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
    for role in ("siren", "ref", "id", "name"):  # a name wins over an id spelled the same
        for value in learned[role]:
            tokens = tuple(_fold(t) for t in _TOKEN.findall(value))
            if not tokens or (len(tokens) == 1 and len(tokens[0]) < 3):
                continue
            if len(tokens) == 1:
                single[tokens[0]] = (role, value)
            else:
                multi.setdefault(tokens[0], []).append((tokens, role, value))
    for options in multi.values():
        options.sort(key=lambda o: -len(o[0]))
    return _Finder(single, multi)


_ROLE_OF_KNOWN = ("name", "id", "ref", "siren")


def _free_text(text: str, pseud: Pseudonymiser, finder: _Finder | None, report: AnonymisationReport) -> str:
    """``text`` with every known original (whole words, any case) and every Luhn-valid SIREN/SIRET replaced."""
    if not text or finder is None:
        return text
    if text in finder.memo:
        done = finder.memo[text]
        if done != text:
            report.count("text")
        return done
    matches = list(_TOKEN.finditer(text))
    words = [_fold(m.group(0)) for m in matches]
    out, last, i = [], 0, 0
    while i < len(matches):
        hit = _match_at(words, i, finder)
        if hit is None and len(words[i]) in (9, 14) and words[i].isdigit() and luhn_ok(words[i]):
            hit = (1, "siren" if len(words[i]) == 9 else "siret", words[i])  # a SIREN or SIRET not seen elsewhere
        if hit is None:
            i += 1
            continue
        n, role, original = hit
        start, end = matches[i].start(), matches[i + n - 1].end()
        alias = pseud.alias(role, original)
        shown = text[start:end]
        out += [text[last:start], alias.upper() if shown.isupper() and len(shown) > 3 else alias]
        last, i = end, i + n
    out.append(text[last:])
    done = "".join(out)
    finder.memo[text] = done
    if done != text:
        report.count("text")
    return done


def _match_at(words: list[str], i: int, finder: _Finder) -> tuple[int, str, str] | None:
    for tokens, role, original in finder.multi.get(words[i], ()):
        if tuple(words[i : i + len(tokens)]) == tokens:
            return len(tokens), role, original
    if words[i] in finder.single:
        role, original = finder.single[words[i]]
        return 1, role, original
    return None


def _fold(word: str) -> str:
    """A word compared without case or accents, as banks write names (``Frères`` = ``FRERES``).

    >>> _fold("Frères"), _fold("ÉTS")
    ('freres', 'ets')
    """
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


def _replace(table: _Table, pseud: Pseudonymiser, finder: _Finder | None, report: AnonymisationReport) -> None:
    """Replace the cells of ``table`` in place: structured columns by role, other text by the free-text pass."""
    roles = column_roles(table.header)
    done = _replace_fec_customer_accounts(table, pseud, report)
    others = [
        i for i in range(len(table.header)) if i not in roles and i not in done and not _figure_column(table.header[i])
    ]
    for row in table.rows:
        for i in others:
            if i < len(row) and row[i] and not _FIGURE.match(row[i]):
                row[i] = _free_text(row[i], pseud, finder, report)
        for i, role in roles.items():
            if i < len(row) and row[i].strip():
                row[i] = _replaced_cell(row[i], role, pseud, finder, report)


def _replaced_cell(
    value: str, role: str, pseud: Pseudonymiser, finder: _Finder | None, report: AnonymisationReport
) -> str:
    if role == "text":
        return _free_text(value, pseud, finder, report)
    report.count(role)
    return "" if role == "redact" else pseud.alias(role, value)


def _replace_fec_customer_accounts(table: _Table, pseud: Pseudonymiser, report: AnonymisationReport) -> set[int]:
    """A FEC's customer accounts without auxiliary account: ``CompteLib`` is the name, ``CompteNum`` may hold it.

    Returns the positions of the columns done here (``CompteNum``: account numbers, no free text).
    """
    low = [h.strip().lower() for h in table.header]
    if "comptenum" not in low or "comptelib" not in low:
        return set()
    num, lib = low.index("comptenum"), low.index("comptelib")
    for r in _fec_customer_name_rows(table):
        row = table.rows[r]
        if lib < len(row) and row[lib].strip():
            row[lib] = pseud.alias("name", row[lib])
            report.count("name")
        if re.search(r"[A-Za-z]", row[num]):
            row[num] = _account_alias(pseud, row[num])
            report.count("id")
    return {num}


_FIGURE = re.compile(r"^[\d\s.,/:+\-']*$")
_FIGURE_HEADERS = ("amount", "debit", "credit", "document_date", "due_date", "cleared_date", "payment_date")


def _figure_column(header: str) -> bool:
    """A column of amounts or dates (by its header): never touched."""
    from cashmission.io.presets import HEADER_PRESETS, _keys

    keys = _keys(header)
    return any(keys & {k for s in (c, *HEADER_PRESETS.get(c, [])) for k in _keys(s)} for c in _FIGURE_HEADERS)


def _account_alias(pseud: Pseudonymiser, account: str) -> str:
    """A customer account with letters (``411DURAND``): its class digits kept, the rest as the id's alias."""
    account = account.strip()
    return account[:3] + pseud.alias("id", account[3:]) if account[:3].isdigit() else pseud.alias("id", account)


def _file_name(name: str, pseud: Pseudonymiser) -> str:
    """A FEC's name starts with the company's SIREN: replaced by its alias."""
    m = re.match(r"^(\d{9})(FEC.*)$", name, re.IGNORECASE)
    return pseud.alias("siren", m.group(1)) + m.group(2) if m else name


def _excel_cells(path: Path, header_row: int) -> tuple[list[str], list[list[str]]]:
    """The active data sheet's header and rows as text (for learning and replacing)."""
    import openpyxl

    ws = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = [["" if v is None else str(v) for v in r] for r in ws.iter_rows(min_row=header_row, values_only=True)]
    return (rows[0], rows[1:]) if rows else ([], [])


def _write_excel(source: Path, target: Path, header_row: int, table: _Table) -> None:
    """Copy the workbook, replacing only the text cells of the identifying columns."""
    import openpyxl

    wb = openpyxl.load_workbook(source)
    ws = wb.worksheets[0]
    roles = column_roles(table.header)
    for r, row in enumerate(table.rows, start=header_row + 1):
        for i in roles:
            cell = ws.cell(row=r, column=i + 1)
            if cell.value is not None and isinstance(cell.value, str | int) and i < len(row):
                cell.value = row[i]
    # sheets other than the data sheet may hold client text: they are dropped, said in the CLI
    for extra in wb.worksheets[1:]:
        wb.remove(extra)
    wb.save(target)


def _free_text_workbook(
    source: Path, target: Path, pseud: Pseudonymiser, finder: _Finder | None, report: AnonymisationReport
) -> None:
    """A workbook without a recognised table (a KPI template): every text cell of every sheet, free-text pass."""
    import openpyxl

    wb = openpyxl.load_workbook(source)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.data_type == "s":
                    cell.value = _free_text(cell.value, pseud, finder, report)
    wb.save(target)


def _write_key(pseud: Pseudonymiser, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["role", "original", "alias"])
        for (role, original), alias in sorted(pseud.aliases.items()):
            w.writerow([role, original, alias])
