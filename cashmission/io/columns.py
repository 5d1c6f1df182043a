"""Which source header is which canonical column (*correspondance des colonnes*): presets, user mapping, hints."""

from __future__ import annotations

import difflib

from cashmission import tables
from cashmission.io.presets import AMOUNT_OPEN_HEADERS, HEADER_PRESETS, _key, _keys
from cashmission.problems import InputError, Problem, excerpt, fail, shorten


def map_columns(
    headers: list[str], table: str = "open_items", mapping: dict[str, str] | None = None
) -> tuple[dict[str, str], list[str], list[Problem]]:
    """Match source headers to the canonical columns of ``table``.

    Returns ``(columns, ignored, problems)``: ``columns`` maps canonical name (and
    ``debit``/``credit``, ``amount_gross``) to source header, ``ignored`` lists the
    headers not used.  A user ``mapping`` (canonical -> source header, matched exactly,
    then with accents, case and punctuation ignored) wins over :data:`HEADER_PRESETS`;
    when two source columns match one canonical column the first (leftmost) wins, with
    a warning.  One exception, for ``open_items`` only: ``amount`` is the open amount,
    so an open-amount header (:data:`AMOUNT_OPEN_HEADERS`) wins over a gross one
    (``Montant TTC``) wherever it stands, without a warning, and the leftmost gross
    one becomes ``amount_gross``.  Headers are quoted in messages cut to 60 characters.

    >>> cols, ignored, _ = map_columns(["N° client", "Date d'échéance", "Notes"])
    >>> cols, ignored
    ({'customer_id': 'N° client', 'due_date': "Date d'échéance"}, ['Notes'])
    >>> map_columns(["Montant TTC", "Solde"])[0]
    {'amount': 'Solde', 'amount_gross': 'Montant TTC'}
    """
    targets = _targets(table)
    cols, used, problems = _user_mapping(headers, table, targets, mapping or {})
    header_keys = {h: _keys(h) for h in headers}
    open_keys = {k for n in AMOUNT_OPEN_HEADERS for k in _keys(n)} if table == "open_items" else None
    for canon in targets:
        if canon in cols or canon == "amount_gross":
            continue
        syn = {k for n in [canon, *HEADER_PRESETS.get(canon, [])] for k in _keys(n)}
        hits = [h for h in headers if h not in used and header_keys[h] & syn]
        if not hits:
            continue
        gross_hit = None
        if canon == "amount" and open_keys is not None:
            hits, gross_hit = _open_amount_first(hits, header_keys, open_keys, "amount_gross" in cols)
        cols[canon] = hits[0]
        used.add(hits[0])
        if gross_hit is not None:
            cols["amount_gross"] = gross_hit
            used.add(gross_hit)
        if len(hits) > 1:
            problems.append(_ambiguous(canon, hits))
    ignored = [h for h in headers if h not in used]
    return cols, ignored, problems


def _targets(table: str) -> list[str]:
    """Canonical columns a header may map to (plus ``debit``/``credit`` and ``amount_gross``)."""
    targets = [c for c in tables.table(table).names if c != "source_row"]
    if "amount" in targets:
        targets += ["debit", "credit"]
    if table == "open_items":
        targets.append("amount_gross")
    return targets


def _user_mapping(
    headers: list[str], table: str, targets: list[str], mapping: dict[str, str]
) -> tuple[dict[str, str], set[str], list[Problem]]:
    """The columns a user mapping names: exact header first, then ignoring accents and case."""
    cols: dict[str, str] = {}
    used: set[str] = set()
    problems: list[Problem] = []
    for canon, src in mapping.items():
        if canon not in targets:
            problems.append(
                Problem(
                    "warning",
                    "mapping_unknown_column",
                    f"mapping names {excerpt(canon)}, not a column of {table}; columns: {', '.join(targets)}",
                )
            )
            continue
        hit = next((h for h in headers if h == src), None) or next(
            (h for h in headers if h not in used and _keys(h) & _keys(src)), None
        )
        if hit is None:
            problems.append(
                Problem(
                    "warning",
                    "mapping_not_found",
                    f"mapping {excerpt(canon)} -> {excerpt(src)}: no such column in the file",
                    column=src,
                )
            )
            continue
        cols[canon] = hit
        used.add(hit)
    return cols, used, problems


def _open_amount_first(
    hits: list[str], header_keys: dict[str, set[str]], open_keys: set[str], gross_taken: bool
) -> tuple[list[str], str | None]:
    """(amount candidates with the open-amount headers first, the gross header kept aside or None)."""
    opens = [h for h in hits if header_keys[h] & open_keys]
    gross = [h for h in hits if h not in opens]
    if not (opens and gross):
        return hits, None
    gross_hit = None
    if not gross_taken:
        gross_hit, gross = gross[0], gross[1:]
    return opens + gross, gross_hit


def _ambiguous(canon: str, hits: list[str]) -> Problem:
    return Problem(
        "warning",
        "ambiguous_column",
        f"{canon!r} matches {excerpt(hits[0])} and {', '.join(map(excerpt, hits[1:]))}; "
        f"using {excerpt(hits[0])} (set a mapping to choose)",
        column=hits[0],
    )


def _closest(canon: str, headers: list[str]) -> str | None:
    syn = [_key(n) for n in [canon, *HEADER_PRESETS.get(canon, [])]]
    best, score = None, 0.0
    for h in headers:
        for s in syn:
            r = difflib.SequenceMatcher(None, _key(h), s).ratio()
            if r > score:
                best, score = h, r
    return best if score >= 0.7 else None


def _missing_column(
    canon: str, headers: list[str], file: str, sheet: str | None, hint: str = "", unused: list[str] | None = None
) -> InputError:
    examples = ", ".join(repr(n) for n in HEADER_PRESETS.get(canon, [])[:3])
    close = _closest(canon, headers if unused is None else unused)
    found = ", ".join(shorten(h) for h in map(str, headers))
    msg = (
        f"required column {canon!r} not found (known headers: {examples}{', ...' if examples else ''}); "
        f"columns found: {found or '(none)'}"
    )
    if close:
        msg += f"; closest: {excerpt(close)} -> add mapping {{{canon!r}: {excerpt(close)}}}"
    return fail("missing_column", msg + hint, file=file, sheet=sheet, column=canon)


def _known_names(table: str, mapping: dict[str, str] | None) -> list[str]:
    """Every header name that marks the header row of ``table``: canonical names, presets, the mapping."""
    t = tables.table(table)
    names = [*t.names, "debit", "credit", *(mapping or {}).values()]
    for canon in [*t.names, "debit", "credit"]:
        names += HEADER_PRESETS.get(canon, [])
    return names
