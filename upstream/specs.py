"""Upstream form specs (上报表式) as versioned data: one JSON file per platform form and approval
in upstream/specs/. Adding a form is adding a file; the loader validates every spec when it
loads (and the system check upstream.E001 runs it at start-up): every formula names known
facts (upstream.facts) and uses only the allowed nodes (upstream.expressions), row keys and
platform codes are unique, units are known and match the facts' dimension, balance rules name
the spec's own number rows.

A row is a number (the default: a formula over facts, in a unit, rounded) or, with
`"kind": "text"`, a code, a date or text the form asks for (e.g. GQ-001's 行业代码, 企业注册时间):
it has no formula, unit or rounding, and takes the value of one text fact (`"fact"`) as stored,
or none when the portal does not store it (`"fact"` left out).
"""

from __future__ import annotations

import ast
import datetime
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from . import expressions
from .facts import FACTS, TEXT, UNITS

SPEC_DIR = Path(__file__).resolve().parent / "specs"
SPEC_KEYS = {
    "code", "platform", "form", "title", "approval", "authority", "valid_until", "effective_from",
    "source", "confidence", "unit", "rounding", "tables", "balance_rules", "notes",
}  # fmt: skip
ROW_KEYS = {
    "key", "code", "label", "kind", "unit", "formula", "fact", "rounding", "required", "note",
}  # fmt: skip
KINDS = ("number", "text")


class SpecError(ValueError):
    pass


@dataclass(frozen=True)
class Row:
    key: str  # unique in the spec; the platform code where the form has one
    code: str  # platform code (e.g. qc05_0), "" when the source gives none
    label: str  # verbatim
    unit: str  # "" for a text row
    formula: str | None  # None: the portal stores nothing the row can be computed from
    tree: ast.expr | None
    facts: tuple[str, ...]  # a text row: its one fact, or none
    rounding: int
    required: bool
    note: str = ""
    kind: str = "number"

    def value(self, facts: dict) -> Decimal | str | datetime.date | None:
        """The row's value in its own unit, rounded, or None when a fact is missing; a text
        row's value is its fact's as stored (text, a date), or None when empty."""
        if self.kind == "text":
            value = facts.get(self.facts[0]) if self.facts else None
            return None if value in (None, "") else value
        if self.tree is None:
            return None
        base = expressions.evaluate(self.tree, facts)
        if base is None:
            return None
        factor = UNITS[self.unit][1]
        return (base / factor).quantize(Decimal(1).scaleb(-self.rounding), ROUND_HALF_UP)


@dataclass(frozen=True)
class Table:
    title: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Spec:
    code: str
    platform: str
    form: str
    title: str
    approval: str
    authority: str
    valid_until: str
    source: str
    confidence: str
    unit: str
    tables: tuple[Table, ...]
    balance_rules: tuple[tuple[str, ast.Compare], ...]
    notes: str = ""
    path: Path | None = field(default=None, compare=False)

    @property
    def rows(self) -> list[Row]:
        return [r for t in self.tables for r in t.rows]

    @property
    def facts(self) -> set[str]:
        return {f for r in self.rows for f in r.facts}


def _require(cond: bool, message: str) -> None:
    if not cond:
        raise SpecError(message)


def parse_spec(data: dict, *, origin: str = "<spec>") -> Spec:
    """A validated Spec from a spec file's data; SpecError names the first problem."""
    where = origin
    _require(isinstance(data, dict), f"{where}: a spec is a JSON object")
    unknown = set(data) - SPEC_KEYS
    _require(not unknown, f"{where}: unknown keys {sorted(unknown)}")
    for key in ("code", "platform", "form", "title", "approval", "source", "confidence", "unit"):
        _require(
            isinstance(data.get(key), str) and data[key].strip(), f"{where}: {key} is required"
        )
    where = f"{origin} ({data['code']})"
    _require(data["unit"] in UNITS, f"{where}: unknown unit {data['unit']!r}")
    default_rounding = data.get("rounding", 0)
    tables_data = data.get("tables")
    _require(isinstance(tables_data, list) and tables_data, f"{where}: tables are required")
    keys: set[str] = set()
    text_keys: set[str] = set()
    codes: set[str] = set()
    tables = []
    for t in tables_data:
        _require(isinstance(t, dict) and t.get("title"), f"{where}: every table has a title")
        _require(
            isinstance(t.get("rows"), list) and t["rows"], f"{where}: {t['title']} has no rows"
        )
        rows = []
        for r in t["rows"]:
            rows.append(_parse_row(r, data, default_rounding, where))
            row = rows[-1]
            _require(row.key not in keys, f"{where}: duplicate row key {row.key!r}")
            keys.add(row.key)
            if row.kind == "text":
                text_keys.add(row.key)
            if row.code:
                _require(row.code not in codes, f"{where}: duplicate platform code {row.code!r}")
                codes.add(row.code)
        tables.append(Table(title=t["title"], rows=tuple(rows)))
    rules = []
    for text in data.get("balance_rules", []):
        try:
            tree = expressions.parse_rule(text)
        except expressions.FormulaError as exc:
            raise SpecError(f"{where}: balance rule: {exc}") from None
        missing = [n for n in expressions.names(tree) if n not in keys]
        _require(not missing, f"{where}: balance rule {text!r} names unknown rows {missing}")
        texts = [n for n in expressions.names(tree) if n in text_keys]
        _require(not texts, f"{where}: balance rule {text!r} names text rows {texts}")
        rules.append((text, tree))
    return Spec(
        code=data["code"],
        platform=data["platform"],
        form=data["form"],
        title=data["title"],
        approval=data["approval"],
        authority=data.get("authority", ""),
        valid_until=data.get("valid_until", ""),
        source=data["source"],
        confidence=data["confidence"],
        unit=data["unit"],
        tables=tuple(tables),
        balance_rules=tuple(rules),
        notes=data.get("notes", ""),
    )


def _parse_row(r: dict, spec: dict, default_rounding: int, where: str) -> Row:
    _require(isinstance(r, dict), f"{where}: a row is an object")
    unknown = set(r) - ROW_KEYS
    _require(
        not unknown, f"{where}: row {r.get('key') or r.get('code')}: unknown keys {sorted(unknown)}"
    )
    code = r.get("code") or ""
    key = r.get("key") or code
    _require(bool(key), f"{where}: a row without a platform code needs a key")
    _require(isinstance(r.get("label"), str) and r["label"].strip(), f"{where}: {key}: label")
    kind = r.get("kind", "number")
    _require(kind in KINDS, f"{where}: {key}: kind is one of {list(KINDS)}")
    if kind == "text":
        return _parse_text_row(r, key, code, where)
    _require("fact" not in r, f"{where}: {key}: a number row takes a formula, not a fact")
    unit = r.get("unit", spec["unit"])
    _require(unit in UNITS, f"{where}: {key}: unknown unit {unit!r}")
    rounding = r.get("rounding", default_rounding)
    _require(type(rounding) is int and 0 <= rounding <= 6, f"{where}: {key}: rounding 0–6")
    formula = r.get("formula")
    tree = None
    names: list[str] = []
    if formula is not None:
        _require(isinstance(formula, str), f"{where}: {key}: formula is text")
        try:
            tree = expressions.parse(formula)
        except expressions.FormulaError as exc:
            raise SpecError(f"{where}: {key}: {exc}") from None
        names = expressions.names(tree)
        unknown_facts = [n for n in names if n not in FACTS]
        _require(not unknown_facts, f"{where}: {key}: unknown facts {unknown_facts}")
        dims = {FACTS[n].dimension for n in names}
        _require(
            dims <= {UNITS[unit][0]},
            f"{where}: {key}: unit {unit} does not fit facts of dimension {sorted(dims)}",
        )
    return Row(
        key=key,
        code=code,
        label=r["label"],
        unit=unit,
        formula=formula,
        tree=tree,
        facts=tuple(names),
        rounding=rounding,
        required=bool(r.get("required", True)),
        note=r.get("note", ""),
    )


def _parse_text_row(r: dict, key: str, code: str, where: str) -> Row:
    extra = sorted({"formula", "unit", "rounding"} & set(r))
    _require(not extra, f"{where}: {key}: a text row has no {extra}")
    fact = r.get("fact")
    if fact is not None:
        _require(isinstance(fact, str) and fact in FACTS, f"{where}: {key}: unknown fact {fact!r}")
        _require(
            FACTS[fact].dimension == TEXT,
            f"{where}: {key}: fact {fact!r} is a quantity ({FACTS[fact].dimension}), not text",
        )
    return Row(
        key=key,
        code=code,
        label=r["label"],
        unit="",
        formula=None,
        tree=None,
        facts=(fact,) if fact else (),
        rounding=0,
        required=bool(r.get("required", True)),
        note=r.get("note", ""),
        kind="text",
    )


def load_file(path: Path) -> Spec:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SpecError(f"{path.name}: not valid JSON: {exc}") from None
    spec = parse_spec(data, origin=path.name)
    object.__setattr__(spec, "path", path)
    return spec


def load_all(directory: Path | None = None) -> dict[str, Spec]:
    """Every spec in the directory by code; SpecError on the first invalid one."""
    specs: dict[str, Spec] = {}
    for path in sorted((directory or SPEC_DIR).glob("*.json")):
        spec = load_file(path)
        if spec.code in specs:
            raise SpecError(f"{path.name}: spec code {spec.code!r} is used twice")
        specs[spec.code] = spec
    return specs


def problems(directory: Path | None = None) -> list[str]:
    """Every invalid spec file's problem (for the system check), not only the first."""
    found, seen = [], {}
    for path in sorted((directory or SPEC_DIR).glob("*.json")):
        try:
            spec = load_file(path)
        except SpecError as exc:
            found.append(str(exc))
            continue
        if spec.code in seen:
            found.append(f"{path.name}: spec code {spec.code!r} is also used by {seen[spec.code]}")
        seen[spec.code] = path.name
    return found


@cache
def registry() -> dict[str, Spec]:
    return load_all()


def get(code: str) -> Spec | None:
    return registry().get(code)
