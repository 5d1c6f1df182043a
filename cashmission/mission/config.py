"""Mission configuration: ``mission.yml`` → a validated config → notebook parameters.

Parameters flow one way: the YAML file is read and checked once (unknown keys are
rejected, paths are resolved from the YAML's folder), then turned into JSON-only
parameter dicts for the Papermill notebooks.  Artefacts go under
``<output_root>/<client slug>/<as_of>/``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from cashmission.problems import fail

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
)
NOTEBOOKS = ("diagnostic", "working_capital")


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
    terms_days: int | None = None
    aging: AgingConfig = AgingConfig()
    days_basis: int = 365
    target_dso: float | None = None
    target_dpo: float | None = None
    target_stock_days: dict[str, float] = field(default_factory=dict)
    bridge: tuple[str, str] | None = None
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
            }
        raise fail("config", f"unknown notebook {notebook!r}; known: {', '.join(NOTEBOOKS)}")


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

_TOP_KEYS = {f.name for f in fields(MissionConfig)} - {"source", "output_root", "aging"} | {
    "aging",
    "output",
}


def config_from_dict(raw: dict[str, Any], base_dir: Path, source: Path | None = None) -> MissionConfig:
    """Validate a mission dict (as read from YAML); paths resolved from ``base_dir``.

    Every problem is reported in one error: unknown keys (with the allowed ones),
    missing client / as_of, bad language, bad dates, missing data files.
    """
    where = {"file": _name(source)}
    if not isinstance(raw, dict):
        raise fail("config", "the mission file must be a mapping of keys to values", **where)
    errors: list[str] = []
    unknown = sorted(set(raw) - _TOP_KEYS)
    if unknown:
        errors.append(f"unknown keys {unknown}; allowed: {sorted(_TOP_KEYS)}")
    for key in ("client", "as_of"):
        if not raw.get(key):
            errors.append(f"{key!r} is required")
    as_of = str(raw.get("as_of", ""))
    if as_of and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", as_of):
        errors.append(f"as_of must be an ISO date YYYY-MM-DD, got {as_of!r}")
    lang = raw.get("lang", "fr")
    if lang not in LANGS:
        errors.append(f"lang must be one of {list(LANGS)}, got {lang!r}")
    data_raw = raw.get("data") or {}
    data: dict[str, Path] = {}
    if not isinstance(data_raw, dict):
        errors.append("data must be a mapping of kind → file path")
        data_raw = {}
    for key, value in data_raw.items():
        if key not in DATA_KEYS:
            errors.append(f"unknown data kind {key!r}; allowed: {list(DATA_KEYS)}")
            continue
        path = (base_dir / str(value)).resolve()
        if not path.exists():
            errors.append(f"data.{key}: file not found: {path}")
        data[key] = path
    aging_raw = raw.get("aging") or {}
    if not isinstance(aging_raw, dict) or set(aging_raw) - {"basis", "edges"}:
        errors.append("aging accepts only 'basis' and 'edges'")
        aging_raw = {}
    basis = aging_raw.get("basis", "due_date")
    if basis not in BASES:
        errors.append(f"aging.basis must be one of {list(BASES)}, got {basis!r}")
    edges = tuple(aging_raw.get("edges", AgingConfig.edges))
    if not all(isinstance(e, int) and e >= 0 for e in edges) or list(edges) != sorted(set(edges)):
        errors.append(f"aging.edges must be increasing non-negative whole days, got {list(edges)}")
    notebooks = tuple(raw.get("notebooks", ("diagnostic",)))
    bad_nb = [n for n in notebooks if n not in NOTEBOOKS]
    if bad_nb:
        errors.append(f"unknown notebooks {bad_nb}; allowed: {list(NOTEBOOKS)}")
    bridge_raw = raw.get("bridge")
    bridge: tuple[str, str] | None = None
    if bridge_raw is not None:
        if (
            not isinstance(bridge_raw, dict)
            or set(bridge_raw) != {"from", "to"}
            or not all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(v)) for v in bridge_raw.values())
        ):
            errors.append("bridge needs 'from' and 'to' as ISO dates YYYY-MM-DD")
        elif str(bridge_raw["from"]) >= str(bridge_raw["to"]):
            errors.append("bridge.from must be before bridge.to")
        else:
            bridge = (str(bridge_raw["from"]), str(bridge_raw["to"]))
    for key in ("target_dso", "target_dpo"):
        value = raw.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float) or value < 0):
            errors.append(f"{key} must be a number of days, got {value!r}")
    stock_raw = raw.get("target_stock_days") or {}
    if not isinstance(stock_raw, dict) or set(stock_raw) - set(STOCK_KINDS):
        errors.append(f"target_stock_days maps stock kinds {list(STOCK_KINDS)} to days, got {stock_raw!r}")
        stock_raw = {}
    elif not all(isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 for v in stock_raw.values()):
        errors.append(f"target_stock_days values must be numbers of days, got {stock_raw!r}")
        stock_raw = {}
    pdf = raw.get("pdf", False)
    if not isinstance(pdf, bool):
        errors.append(f"pdf must be true or false, got {pdf!r}")
    mapping = raw.get("mapping") or {}
    if not isinstance(mapping, dict):
        errors.append("mapping must be a mapping of canonical column → source header")
        mapping = {}
    if errors:
        raise fail("config", "; ".join(errors), **where)
    return MissionConfig(
        client=str(raw["client"]),
        as_of=as_of,
        lang=lang,
        currency=str(raw.get("currency", "EUR")),
        data=data,
        mapping={str(k): str(v) for k, v in mapping.items()},
        sheet=raw.get("sheet"),
        terms_days=raw.get("terms_days"),
        aging=AgingConfig(basis=basis, edges=edges),
        days_basis=int(raw.get("days_basis", 365)),
        target_dso=raw.get("target_dso"),
        target_dpo=raw.get("target_dpo"),
        target_stock_days={str(k): float(v) for k, v in stock_raw.items()},
        bridge=bridge,
        factoring_derecognised=bool(raw.get("factoring_derecognised", False)),
        top_n=int(raw.get("top_n", 10)),
        notebooks=notebooks,
        pdf=pdf,
        output_root=(base_dir / str(raw.get("output", "reports"))).resolve(),
        source=source,
    )


def load_mission(path: str | Path) -> MissionConfig:
    """Read and validate ``mission.yml``."""
    import yaml

    p = Path(path)
    if not p.exists():
        raise fail("config", "mission file not found", file=str(p))
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        line = getattr(getattr(err, "problem_mark", None), "line", None)
        raise fail(
            "config",
            f"not valid YAML: {getattr(err, 'problem', err)}",
            file=str(p),
            row=None if line is None else line + 1,
        ) from None
    return config_from_dict(raw or {}, p.parent.resolve(), source=p)


def package_dir() -> Path:
    """The installed package folder (templates, notebooks and demo data live there)."""
    return Path(__file__).resolve().parents[1]


def demo_config(lang: str = "fr") -> MissionConfig:
    """The demo mission on the bundled sample client (``templates/demo_mission.yml``)."""
    return replace(load_mission(package_dir() / "templates" / "demo_mission.yml"), lang=lang)
