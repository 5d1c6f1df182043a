"""The columns of a FEC (article A47 A-1 LPF): the official names, the cash-basis ones, the dates and the core.

Shared by the reading steps and the checks; :mod:`cashmission.io.fec` offers
``FEC_COLUMNS`` and ``CASH_BASIS_COLUMNS`` too.
"""

from __future__ import annotations

FEC_COLUMNS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
"""The 18 columns of the standard FEC (article A47 A-1 LPF), in order."""

CASH_BASIS_COLUMNS = ("DateRglt", "ModeRglt", "NatOp", "IdClient")
"""Extra columns of the cash-basis regimes (*comptabilité de trésorerie*, BNC/BA)."""

DATE_COLUMNS = ("EcritureDate", "PieceDate", "DateLet", "ValidDate", "DateRglt")

# without these the file cannot be used at all
_CORE = ("JournalCode", "EcritureNum", "EcritureDate", "CompteNum")

_KNOWN = {c.lower(): c for c in (*FEC_COLUMNS, *CASH_BASIS_COLUMNS, "Montant", "Sens")}
