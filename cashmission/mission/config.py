"""Mission configuration: ``mission.yml`` → a validated config → notebook parameters.

Parameters flow one way: the YAML file is read and checked once (unknown keys are
rejected, paths are resolved from the YAML's folder), then turned into JSON-only
parameter dicts for the Papermill notebooks.  Artefacts go under
``<output_root>/<client slug>/<as_of>/``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from cashmission.io.parsing import DATE_ORDERS
from cashmission.ledger.buckets import parse_edges
from cashmission.mission import package_dir
from cashmission.problems import excerpt, fail, shorten

LANGS = ("fr", "en")
BASES = ("due_date", "document_date")
DATA_KEYS = (
    "open_items",
    "ledger",
    "monthly",
    "customers",
    "payments",
    "disputes",
    "dunning",
    "fec",
    "working_capital",
    "weekly",
)
FOLDER_KEYS = ("weekly",)  # data kinds that are a folder (one extract a week), not a file
NOTEBOOKS = ("diagnostic", "working_capital", "weekly")


@dataclass(frozen=True)
class AgingConfig:
    """Ageing settings: basis (due_date or document_date) and bucket edges in days."""

    basis: str = "due_date"
    edges: tuple[int, ...] = (0, 30, 60, 90, 180)


@dataclass(frozen=True)
class MissionConfig:
    """A validated mission: who, as of when, which files, how to read and age them."""

    client: str
    as_of: str
    lang: str = "fr"
    currency: str = "EUR"
    data: dict[str, Path] = field(default_factory=dict)
    mapping: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None
    date_order: str | None = None
    terms_days: int | None = None
    aging: AgingConfig = AgingConfig()
    days_basis: int = 365
    target_dso: float | None = None
    target_dpo: float | None = None
    target_stock_days: dict[str, float] = field(default_factory=dict)
    bridge: tuple[str, str] | None = None
    start: str | None = None
    target_overdue: float | None = None
    factoring_derecognised: bool = False
    top_n: int = 10
    notebooks: tuple[str, ...] = ("diagnostic",)
    pdf: bool = False
    output_root: Path = Path("reports")
    source: Path | None = None

    @property
    def slug(self) -> str:
        """Folder-safe client name: ``Démo Industrie`` → ``demo-industrie``."""
        return slugify(self.client)

    def output_dir(self, root: Path | None = None) -> Path:
        """``<root>/<client slug>/<as_of>/`` where the mission's artefacts go."""
        return Path(root or self.output_root) / self.slug / self.as_of

    def parameters(self, notebook: str, output_dir: Path) -> dict[str, Any]:
        """JSON-only Papermill parameters for ``notebook`` (paths absolute, dates ISO)."""
        common: dict[str, Any] = {
            "client_name": self.client,
            "lang": self.lang,
            "output_dir": str(Path(output_dir).resolve()),
        }
        if notebook == "diagnostic":
            # an open-items export, else a ledger (items with settlement dates), else the FEC
            path = self.data.get("open_items") or self.data.get("ledger") or self.data.get("fec")
            if path is None:
                raise fail(
                    "config", "the diagnostic needs data.open_items, data.ledger or data.fec", file=_name(self.source)
                )
            params = {
                **common,
                "data_path": str(path),
                "as_of": self.as_of,
                "top_n": self.top_n,
                "mapping": dict(self.mapping),
                "date_order": self.date_order,
                "terms_days": self.terms_days,
                "basis": self.aging.basis,
                "edges": list(self.aging.edges),
            }
            if self.sheet is not None:
                params["sheet"] = self.sheet
            if "customers" in self.data:
                params["customers_path"] = str(self.data["customers"])
            return params
        if notebook == "working_capital":
            path = self.data.get("working_capital") or self.data.get("fec")
            if path is None:
                raise fail(
                    "config",
                    "the working-capital notebook needs data.working_capital or data.fec",
                    file=_name(self.source),
                )
            # the DSO bridge needs items with settlement dates: the ledger, else the FEC
            items = self.data.get("ledger") or self.data.get("fec")
            monthly = self.data.get("monthly")
            return {
                **common,
                "data_path": str(path),
                "as_of": self.as_of,
                "days_basis": self.days_basis,
                "target_dso": self.target_dso,
                "target_dpo": self.target_dpo,
                "target_stock_days": dict(self.target_stock_days) or None,
                "items_path": str(items) if items and self.bridge else None,
                "revenue_path": str(monthly) if monthly else None,
                "bridge_from": self.bridge[0] if self.bridge else None,
                "bridge_to": self.bridge[1] if self.bridge else None,
                "factoring_derecognised": self.factoring_derecognised,
                "date_order": self.date_order,
            }
        if notebook == "weekly":
            return {**common, **self._weekly_parameters()}
        raise fail("config", f"unknown notebook {notebook!r}; known: {', '.join(NOTEBOOKS)}")

    def _weekly_parameters(self) -> dict[str, Any]:
        """The weekly report: weekly extracts (data.weekly) or the ledger / FEC, from ``start`` to ``as_of``."""
        weekly = self.data.get("weekly")
        ledger = self.data.get("ledger") or self.data.get("fec")
        if weekly is None and ledger is None:
            raise fail(
                "config", "the weekly report needs data.weekly, data.ledger or data.fec", file=_name(self.source)
            )
        if weekly is None and self.start is None:
            raise fail("config", "the weekly report from a ledger needs start (week 0)", file=_name(self.source))
        payments = self.data.get("payments")
        return {
            "ledger_path": str(ledger) if weekly is None and ledger else None,
            "weekly_dir": str(weekly) if weekly else None,
            "payments_path": str(payments) if payments else None,
            "start": self.start,
            "as_of": self.as_of,
            "target_overdue": self.target_overdue,
            "top_n": self.top_n,
            "mapping": dict(self.mapping),
            "date_order": self.date_order,
            "edges": list(self.aging.edges),
        }


def slugify(text: str) -> str:
    """Lower-case ASCII slug.

    >>> slugify("Démo Industrie S.A.")
    'demo-industrie-s-a'
    """
    norm = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in norm if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "client"


def _name(path: Path | None) -> str | None:
    return str(path) if path else None


STOCK_KINDS = ("raw_materials", "goods", "finished_goods")
"""Stock kinds with a rotation target (*matières premières, marchandises, produits finis et en-cours*)."""

MAX_BYTES = 1 << 20
"""Largest mission file read (1 MiB): a real one is a few hundred bytes."""
MAX_DEPTH = 20
"""Deepest nesting of YAML mappings and lists accepted (a real mission file nests 2 levels)."""
MAX_TEXT = 200
"""Longest client name, currency, sheet name or path accepted, in characters."""


# ---------------------------------------------------------------------------------------
# Values: each validator returns the clean value or raises ValueError("must ...") / ValueError("<rule>")
# ---------------------------------------------------------------------------------------
def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"must be a non-empty text, got {excerpt(value)}")
    if len(value) > MAX_TEXT or any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in value):
        raise ValueError(f"must be one line of at most {MAX_TEXT} characters, got {excerpt(value)}")
    return value


def _currency(value: object) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{3}", value):
        raise ValueError(f"must be a three-letter currency code such as EUR, got {excerpt(value)}")
    return value


def _iso_date(value: object) -> date:
    """A real calendar date, given as an ISO text ``YYYY-MM-DD`` or a YAML date (unquoted)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"must be an ISO date YYYY-MM-DD, got {excerpt(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"must be a real date, got {excerpt(value)}") from None


def _flag(value: object) -> bool:
    if not isinstance(value, bool):  # "false" (quoted) or "no" is text, not a yes/no
        raise ValueError(f"must be true or false, got {excerpt(value)}")
    return value


def _whole(low: int) -> Callable[[object], int]:
    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ValueError(f"must be a whole number from {low}, got {excerpt(value)}")
        return value

    return check


def _days(value: object) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 10_000:
        raise ValueError(f"must be a number of days, got {excerpt(value)}")
    return value


def _amount(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1e15:
        raise ValueError(f"must be an amount (a number, 0 or more), got {excerpt(value)}")
    return float(value)


def _one_of(choices: tuple[Any, ...]) -> Callable[[object], Any]:
    def check(value: object) -> Any:
        if isinstance(value, bool) or value not in choices:
            raise ValueError(f"must be one of {list(choices)}, got {excerpt(value)}")
        return value

    return check


def _edges(value: object) -> tuple[int, ...]:
    return parse_edges(value)  # the one parser of bucket edges; its ValueError names the rule


def _notebooks(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(n, str) for n in value):
        raise ValueError(f"must be a list of notebook names from {list(NOTEBOOKS)}, got {excerpt(value)}")
    unknown = [n for n in value if n not in NOTEBOOKS]
    if unknown:
        raise ValueError(f"unknown notebooks {excerpt(unknown)}; allowed: {list(NOTEBOOKS)}")
    return tuple(dict.fromkeys(value))


def _section(value: object) -> object:
    return {} if value is None else value  # ``aging:`` left empty in the YAML = the defaults


Text = Annotated[str, BeforeValidator(_text)]
ColumnMapping = Annotated[dict[str, Text], BeforeValidator(_section)]
"""``mapping``: canonical column -> the client's header, each a one-line text (``mission.yml`` or ``--mapping``)."""
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Flag = Annotated[bool, BeforeValidator(_flag)]
Days = Annotated[float, BeforeValidator(_days)]
Amount = Annotated[float, BeforeValidator(_amount)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class DataSection(_Section):
    """``data``: a file path (relative to the mission file) per kind of input."""

    open_items: Text | None = None
    ledger: Text | None = None
    monthly: Text | None = None
    customers: Text | None = None
    payments: Text | None = None
    disputes: Text | None = None
    dunning: Text | None = None
    fec: Text | None = None
    working_capital: Text | None = None
    weekly: Text | None = None


class AgingSection(_Section):
    """``aging``: the basis of the days past due and the bucket edges (``parse_edges`` rules)."""

    basis: Annotated[str, BeforeValidator(_one_of(BASES))] = "due_date"
    edges: Annotated[tuple[int, ...], BeforeValidator(_edges)] = AgingConfig.edges


class StockTargets(_Section):
    """``target_stock_days``: target rotation days per stock kind."""

    raw_materials: Days | None = None
    goods: Days | None = None
    finished_goods: Days | None = None


class BridgeSection(_Section):
    """``bridge``: the two dates between which the DSO change is explained; ``from`` before ``to``."""

    start: IsoDate = Field(alias="from")
    end: IsoDate = Field(alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> BridgeSection:
        if self.start >= self.end:
            raise ValueError("from must be before to")
        return self


class MissionModel(_Section):
    """The whole mission file, section by section; unknown keys are refused at every level."""

    client: Text
    as_of: IsoDate
    lang: Annotated[str, BeforeValidator(_one_of(LANGS))] = "fr"
    currency: Annotated[str, BeforeValidator(_currency)] = "EUR"
    data: Annotated[DataSection, BeforeValidator(_section)] = DataSection()
    mapping: ColumnMapping = Field(default_factory=dict)
    sheet: Text | None = None
    date_order: Annotated[str, BeforeValidator(_one_of(DATE_ORDERS))] | None = None
    terms_days: Annotated[int, BeforeValidator(_whole(0))] | None = None
    aging: Annotated[AgingSection, BeforeValidator(_section)] = AgingSection()
    days_basis: Annotated[int, BeforeValidator(_one_of((360, 365)))] = 365
    target_dso: Days | None = None
    target_dpo: Days | None = None
    target_stock_days: Annotated[StockTargets, BeforeValidator(_section)] = StockTargets()
    bridge: BridgeSection | None = None
    start: IsoDate | None = None
    target_overdue: Amount | None = None
    factoring_derecognised: Flag = False
    top_n: Annotated[int, BeforeValidator(_whole(1))] = 10
    notebooks: Annotated[tuple[str, ...], BeforeValidator(_notebooks)] = ("diagnostic",)
    pdf: Flag = False
    output: Text = "reports"


_ALLOWED = {
    (): sorted(MissionModel.model_fields),
    ("aging",): sorted(AgingSection.model_fields),
    ("bridge",): ["from", "to"],
}


def _messages(err: ValidationError) -> list[str]:
    """Pydantic's errors in the house wording, one per key path (``aging.edges: ...``)."""
    out: list[str] = []
    unknown: dict[tuple[str, ...], list[str]] = {}
    for e in err.errors(include_url=False):
        loc = tuple(str(part) for part in e["loc"])
        path = ".".join(loc)
        kind = e["type"]
        if kind in ("extra_forbidden", "invalid_key"):
            unknown.setdefault(loc[:-1], []).append(loc[-1])
        elif kind == "missing":
            out.append(f"{path!r} is required")
        elif kind == "value_error":
            msg = str(e["ctx"]["error"])
            out.append(f"{path} {msg}" if msg.startswith("must ") else f"{path}: {msg}" if path else msg)
        elif kind in ("model_type", "dict_type"):
            out.append(f"{path} must be a mapping of keys to values, got {excerpt(e['input'])}")
        else:  # not expected: every value has its own validator above
            out.append(f"{path}: invalid value {excerpt(e['input'])}")
    for parent, keys in unknown.items():
        where = ".".join(parent)
        if parent == ("data",):
            out += [f"unknown data kind {excerpt(k)}; allowed: {list(DATA_KEYS)}" for k in keys]
        elif parent == ("target_stock_days",):
            out.append(f"target_stock_days maps stock kinds {list(STOCK_KINDS)} to days, got {excerpt(keys)}")
        elif parent == ("mapping",) or parent not in _ALLOWED:
            out.append(f"{where}: unknown keys {excerpt(keys)}")
        else:
            allowed = _ALLOWED[parent]
            out.append(f"{where + ': ' if where else ''}unknown keys {excerpt(keys)}; allowed: {allowed}")
    return out


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _resolve(
    key: str,
    value: str,
    base_dir: Path,
    allow_outside: bool,
    errors: list[str],
    must_exist: bool = True,
    folder: bool = False,
) -> Path:
    """``value`` resolved from ``base_dir`` (``..`` and symlinks followed); problems appended to ``errors``."""
    path = (base_dir / value).resolve()
    if not allow_outside and not _inside(path, base_dir):
        errors.append(
            f"{key}: {excerpt(value)} is outside the mission folder; keep data and reports beside mission.yml"
        )
    elif must_exist and not path.exists():
        errors.append(f"{key}: {'folder' if folder else 'file'} not found: {excerpt(value)}")
    elif folder:
        if not path.is_dir():
            errors.append(f"{key}: not a folder: {excerpt(value)}")
    elif must_exist and not path.is_file():
        errors.append(f"{key}: not a file: {excerpt(value)}")
    return path


def config_from_dict(
    raw: Any, base_dir: Path, source: Path | None = None, *, allow_outside: bool = False
) -> MissionConfig:
    """Validate a mission dict (as read from YAML) whole; paths resolved from ``base_dir``.

    Rules: unknown keys are refused in every section; ``client`` and ``as_of`` are
    required; dates are real ISO dates (``YYYY-MM-DD``); yes/no keys are ``true`` or
    ``false`` (the text ``"false"`` is an error, not a yes); ``days_basis`` is 360 or 365;
    ``notebooks`` lists known notebooks; ``date_order`` is ``dayfirst`` or ``monthfirst``
    (absent: detected from each date column); bucket edges follow
    :func:`cashmission.ledger.buckets.parse_edges`; data files exist; data files and the
    output folder stay inside ``base_dir`` (after ``..`` and symlinks) unless
    ``allow_outside``.  Every problem is reported in one :class:`InputError`, each with
    its key path, e.g. ``aging.edges: bucket edges must start at 0 ...``.
    """
    where = {"file": _name(source)}
    if not isinstance(raw, dict):
        raise fail("config", "the mission file must be a mapping of keys to values", **where)
    base = Path(base_dir).resolve()
    errors: list[str] = []
    model: MissionModel | None = None
    try:
        model = MissionModel.model_validate(raw)
    except ValidationError as err:
        errors += _messages(err)
    # paths are checked even when another key is wrong, so that one run shows every problem
    data_raw = raw.get("data")
    data: dict[str, Path] = {}
    if isinstance(data_raw, dict):
        for key, value in data_raw.items():
            if key in DATA_KEYS and isinstance(value, str) and value.strip():
                data[key] = _resolve(f"data.{key}", value, base, allow_outside, errors, folder=key in FOLDER_KEYS)
    output = raw.get("output", "reports")
    output_root = (
        _resolve("output", output, base, allow_outside, errors, must_exist=False) if isinstance(output, str) else base
    )
    if errors or model is None:
        raise fail("config", "; ".join(errors), **where)
    return MissionConfig(
        client=model.client,
        as_of=model.as_of.isoformat(),
        lang=model.lang,
        currency=model.currency,
        data=data,
        mapping=dict(model.mapping),
        sheet=model.sheet,
        date_order=model.date_order,
        terms_days=model.terms_days,
        aging=AgingConfig(basis=model.aging.basis, edges=model.aging.edges),
        days_basis=model.days_basis,
        target_dso=model.target_dso,
        target_dpo=model.target_dpo,
        target_stock_days={k: float(v) for k, v in model.target_stock_days.model_dump(exclude_none=True).items()},
        bridge=(model.bridge.start.isoformat(), model.bridge.end.isoformat()) if model.bridge else None,
        start=model.start.isoformat() if model.start else None,
        target_overdue=float(model.target_overdue) if model.target_overdue is not None else None,
        factoring_derecognised=model.factoring_derecognised,
        top_n=model.top_n,
        notebooks=model.notebooks,
        pdf=model.pdf,
        output_root=output_root,
        source=source,
    )


# ---------------------------------------------------------------------------------------
# The file: size, encoding, YAML without anchors
# ---------------------------------------------------------------------------------------
class _MissionYamlError(Exception):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


class _NoAliasLoader(yaml.SafeLoader):
    """A SafeLoader that refuses anchors and aliases (``&a`` / ``*a``) and deep nesting.

    Aliases are what a "billion laughs" file multiplies; a mission file never needs them.
    """

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _MissionYamlError("YAML anchors and aliases (& and *) are not allowed in a mission file", line)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _MissionYamlError(f"nested more than {MAX_DEPTH} levels deep", line)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _decode(data: bytes) -> str:
    """Text of the file: UTF-8 (BOM allowed), UTF-16 with its BOM, else Windows-1252.

    >>> _decode("été".encode("cp1252")), _decode("\ufeffété".encode("utf-16-le"))
    ('été', 'été')
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def read_mission_yaml(path: Path) -> Any:
    """The YAML of a mission file, refused before parsing when over 1 MiB, undecodable, or with anchors."""
    where = {"file": str(path)}
    if not path.is_file():
        raise fail("config", "mission file not found", **where)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise fail("config", f"mission file too large ({size:,} bytes; at most {MAX_BYTES:,})", **where)
    try:
        text = _decode(path.read_bytes())
    except UnicodeDecodeError:
        raise fail("config", "cannot read the text: save the file as UTF-8", **where) from None
    try:
        return yaml.load(text, Loader=_NoAliasLoader)  # a SafeLoader subclass
    except _MissionYamlError as err:
        raise fail("config", str(err), file=str(path), row=err.line) from None
    except yaml.YAMLError as err:
        line = getattr(getattr(err, "problem_mark", None), "line", None)
        problem = getattr(err, "problem", None) or "cannot be parsed"
        raise fail(
            "config",
            f"not valid YAML: {shorten(str(problem))}",
            file=str(path),
            row=None if line is None else line + 1,
        ) from None


def load_mission(path: str | Path, *, allow_outside: bool = False) -> MissionConfig:
    """Read and validate ``mission.yml`` (see :func:`config_from_dict` for the rules).

    The file is refused before parsing when larger than 1 MiB or when it uses YAML
    anchors/aliases; it may be UTF-8 (with or without BOM), UTF-16 with BOM or
    Windows-1252.  Paths stay inside the file's folder unless ``allow_outside``.
    """
    p = Path(path)
    raw = read_mission_yaml(p)
    return config_from_dict({} if raw is None else raw, p.parent.resolve(), source=p, allow_outside=allow_outside)


class _MappingFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    mapping: ColumnMapping = Field(default_factory=dict)


def load_mapping(path: str | Path) -> dict[str, str]:
    """A column mapping file (``--mapping MAP.yml``): ``canonical: header`` lines, as ``mission.yml``'s ``mapping:``.

    The file is read as a mission file is (at most 1 MiB, no anchors; UTF-8, UTF-16
    or Windows-1252) and validated by the same rule (:data:`ColumnMapping`); it may
    also hold the lines under a ``mapping:`` key, as copied from a mission file.  Any
    problem is one :class:`InputError` line, e.g. ``customer_id must be a non-empty text, got 123``.
    """
    p = Path(path)
    if not p.is_file():
        raise fail("config", "mapping file not found", file=str(p))
    raw = read_mission_yaml(p)
    if isinstance(raw, dict) and set(raw) == {"mapping"}:
        raw = raw["mapping"]
    if not isinstance(raw, dict) or not raw:
        raise fail("config", "a mapping file holds lines 'canonical: header', e.g. 'amount: Montant TTC'", file=str(p))
    try:
        return dict(_MappingFile.model_validate({"mapping": raw}).mapping)
    except ValidationError as err:
        messages = [m.removeprefix("mapping.") for m in _messages(err)]
        raise fail("config", "; ".join(messages), file=str(p)) from None


def demo_config(lang: str = "fr") -> MissionConfig:
    """The demo mission on the bundled sample client (``templates/demo_mission.yml``).

    Its data lie in the package's ``demo_data/`` and its reports go to the repository's
    ``reports/``, both outside the templates folder: a trusted, bundled file, so
    ``allow_outside=True``.
    """
    return replace(load_mission(package_dir() / "templates" / "demo_mission.yml", allow_outside=True), lang=lang)
