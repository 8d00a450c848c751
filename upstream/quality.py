"""The quality gate (数据质量核查): rules as data, run when an enterprise submits its annual or
quarterly figures, before the filing counts.

Rules live in versioned JSON files in upstream/rules/ (one file per rule set; the set that
applies to a filing of year Y is the one with the greatest `applies_from_year` <= Y). Each
file is validated when it loads, and the system check upstream.E002 reports every invalid
file at start-up: known keys and kinds, unique codes, every formula parses with
upstream.expressions and names known facts of the rule's scope, messages format with the
placeholders their kind provides.

A rule's scope is the form it runs on:

- `annual`: the facts of upstream.facts stored in the annual figures (`revenue`,
  `rd_expense`, `employees_reported`, ...), and the same facts of last year's figures as
  `last_year_<fact>`.
- `quarterly`: the fields of the quarterly figures (`revenue_ytd`, `employees`, ...), the same
  quarter of last year as `last_year_<field>` and the previous quarter of this year as
  `last_quarter_<field>`.

Kinds: `yoy` (a swing year on year beyond `max_rise`/`max_fall`, checked from `min_base`),
`range` (a formula outside `min`/`max`), `balance` (a comparison that must hold), `required`
(a fact the forms need left empty) and `spec_balance` (the balance rules of a form spec in
upstream/specs/, over the rows the submitted facts fill). `range` and `balance` take an
optional `when` comparison; the rule runs only where it holds. A rule that cannot be computed
(a value missing, a division by zero) does not fail; `required` rules cover missing values.

A failed rule does not refuse the figures outright (核实性审核): the enterprise either
corrects them or explains each failure (说明), and staff review the explanations.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.utils.translation import gettext

from . import expressions
from . import specs as spec_registry
from .facts import FACTS

RULE_DIR = Path(__file__).resolve().parent / "rules"
FILE_KEYS = {"version", "applies_from_year", "title", "basis", "notes", "rules"}
KINDS = {
    "yoy": {"fact", "max_rise", "max_fall", "min_base"},
    "range": {"formula", "min", "max", "when", "show"},
    "balance": {"rule", "when"},
    "required": {"fact"},
    "spec_balance": {"spec"},
}
COMMON_KEYS = {"code", "scope", "kind", "message", "basis", "field"}
SHOW = {"percent", "wan", "number", "wan_per_person"}
# The placeholders each kind's message may use (all %(name)s, formatted for display).
PLACEHOLDERS = {
    "yoy": {"value", "last", "change", "rise", "fall"},
    "range": {"value", "min", "max"},
    "balance": {"left", "right"},
    "required": set(),
    "spec_balance": {"form", "rule", "rows"},
}
SCOPES = ("annual", "quarterly")
PREFIXES = {"annual": ("last_year_",), "quarterly": ("last_year_", "last_quarter_")}

# The quarterly figures' fields, by name: (中文名, dimension).
QUARTERLY_FACTS = {
    "revenue_ytd": ("营业收入（本年累计）", "money"),
    "rd_expense_ytd": ("研发费用（本年累计）", "money"),
    "industrial_output_ytd": ("工业总产值（本年累计）", "money"),
    "tax_ytd": ("税收（本年累计）", "money"),
    "employees": ("从业人员（期末）", "persons"),
}


def annual_fields() -> dict[str, str]:
    """{fact name: AnnualFigures field} of the facts the annual figures store."""
    return {
        f.name: f.source.split(".", 1)[1]
        for f in FACTS.values()
        if (f.source or "").startswith("annual.")
    }


def base_names(scope: str) -> dict[str, str]:
    """{name: form field} of a scope's own facts."""
    if scope == "annual":
        return annual_fields()
    return {name: name for name in QUARTERLY_FACTS}


def dimension(scope: str, name: str) -> str:
    for prefix in PREFIXES[scope]:
        if name.startswith(prefix):
            name = name[len(prefix) :]
    if scope == "annual":
        return FACTS[name].dimension
    return QUARTERLY_FACTS[name][1]


def known_names(scope: str) -> set[str]:
    base = set(base_names(scope))
    return base | {p + n for p in PREFIXES[scope] for n in base}


class RuleError(ValueError):
    pass


@dataclass(frozen=True)
class Rule:
    code: str
    scope: str
    kind: str
    message: str  # Chinese source text with %(…)s placeholders; translated at display time
    basis: str
    field: str  # the form field the failure is shown at ("" → the form's top)
    params: Mapping = field(default_factory=dict)
    formula: ast.expr | None = None
    condition: ast.Compare | None = None
    spec: str = ""


@dataclass(frozen=True)
class RuleSet:
    version: str
    applies_from_year: int
    title: str
    basis: str
    rules: tuple[Rule, ...]
    path: Path | None = None

    def for_scope(self, scope: str) -> list[Rule]:
        return [r for r in self.rules if r.scope == scope]


def _require(cond: bool, message: str) -> None:
    if not cond:
        raise RuleError(message)


def _names_known(tree: ast.AST, scope: str, where: str) -> list[str]:
    names = expressions.names(tree)
    unknown = [n for n in names if n not in known_names(scope)]
    _require(not unknown, f"{where}: unknown facts {unknown} for scope {scope}")
    return names


def _field_of(names: list[str], scope: str) -> str:
    fields = base_names(scope)
    return next((fields[n] for n in names if n in fields), "")


def _check_message(message: str, kind: str, where: str) -> None:
    _require(isinstance(message, str) and message.strip(), f"{where}: message is required")
    try:
        message % {name: "1" for name in PLACEHOLDERS[kind]}
    except (KeyError, ValueError, TypeError) as exc:
        raise RuleError(
            f"{where}: message placeholder {exc} is not one of {sorted(PLACEHOLDERS[kind])}"
        ) from None


def _number(value, where: str, key: str) -> Decimal:
    _require(
        type(value) in (int, float) and not isinstance(value, bool),
        f"{where}: {key} is a number",
    )
    return Decimal(str(value))


def parse_rule(data: dict, *, where: str) -> Rule:
    _require(isinstance(data, dict), f"{where}: a rule is an object")
    code = data.get("code")
    _require(
        isinstance(code, str) and code and all(c.isalnum() or c == "-" for c in code),
        f"{where}: code is letters, digits and '-'",
    )
    where = f"{where} {code}"
    kind = data.get("kind")
    _require(kind in KINDS, f"{where}: unknown kind {kind!r}")
    unknown = set(data) - COMMON_KEYS - KINDS[kind]
    _require(not unknown, f"{where}: unknown keys {sorted(unknown)}")
    scope = data.get("scope")
    _require(scope in SCOPES, f"{where}: scope is one of {list(SCOPES)}")
    _require(
        isinstance(data.get("basis"), str) and data["basis"].strip(),
        f"{where}: basis (where the threshold comes from) is required",
    )
    _check_message(data.get("message"), kind, where)
    params: dict = {}
    formula = condition = None
    names: list[str] = []
    spec = ""
    if kind in ("yoy", "required"):
        fact = data.get("fact")
        _require(fact in base_names(scope), f"{where}: unknown fact {fact!r} for scope {scope}")
        names = [fact]
        params["fact"] = fact
        if kind == "yoy":
            for key in ("max_rise", "max_fall", "min_base"):
                _require(key in data, f"{where}: {key} is required")
                params[key] = _number(data[key], where, key)
            _require(params["max_rise"] > 0, f"{where}: max_rise > 0")
            _require(0 < params["max_fall"] < 1, f"{where}: max_fall between 0 and 1")
            _require(params["min_base"] > 0, f"{where}: min_base > 0")
    elif kind == "range":
        try:
            formula = expressions.parse(str(data.get("formula", "")))
        except expressions.FormulaError as exc:
            raise RuleError(f"{where}: {exc}") from None
        names = _names_known(formula, scope, where)
        _require("min" in data or "max" in data, f"{where}: min or max is required")
        for key in ("min", "max"):
            if key in data:
                params[key] = _number(data[key], where, key)
        if "min" in params and "max" in params:
            _require(params["min"] < params["max"], f"{where}: min < max")
        params["show"] = data.get("show", "number")
        _require(params["show"] in SHOW, f"{where}: show is one of {sorted(SHOW)}")
    elif kind == "balance":
        try:
            formula = expressions.parse_rule(str(data.get("rule", "")))
        except expressions.FormulaError as exc:
            raise RuleError(f"{where}: {exc}") from None
        names = _names_known(formula, scope, where)
    elif kind == "spec_balance":
        _require(scope == "annual", f"{where}: spec_balance runs on the annual figures")
        spec = data.get("spec", "")
        found = spec_registry.get(spec)
        _require(found is not None, f"{where}: unknown form spec {spec!r}")
        _require(found.balance_rules, f"{where}: spec {spec} has no balance rules")
    if "when" in data:
        try:
            condition = expressions.parse_rule(str(data["when"]))
        except expressions.FormulaError as exc:
            raise RuleError(f"{where}: when: {exc}") from None
        _names_known(condition, scope, where)
    rule_field = data.get("field", _field_of(names, scope))
    _require(
        rule_field == "" or rule_field in base_names(scope).values(),
        f"{where}: field {rule_field!r} is not a field of the {scope} form",
    )
    return Rule(
        code=code,
        scope=scope,
        kind=kind,
        message=data["message"],
        basis=data["basis"],
        field=rule_field,
        params=params,
        formula=formula,
        condition=condition,
        spec=spec,
    )


def parse_ruleset(data: dict, *, origin: str = "<rules>") -> RuleSet:
    _require(isinstance(data, dict), f"{origin}: a rule file is a JSON object")
    unknown = set(data) - FILE_KEYS
    _require(not unknown, f"{origin}: unknown keys {sorted(unknown)}")
    for key in ("version", "title", "basis"):
        _require(
            isinstance(data.get(key), str) and data[key].strip(), f"{origin}: {key} is required"
        )
    year = data.get("applies_from_year")
    _require(type(year) is int and 2000 <= year <= 2100, f"{origin}: applies_from_year")
    rules_data = data.get("rules")
    _require(isinstance(rules_data, list) and rules_data, f"{origin}: rules are required")
    rules, codes = [], set()
    for item in rules_data:
        rule = parse_rule(item, where=origin)
        _require(rule.code not in codes, f"{origin}: duplicate rule code {rule.code!r}")
        codes.add(rule.code)
        rules.append(rule)
    return RuleSet(
        version=data["version"],
        applies_from_year=year,
        title=data["title"],
        basis=data["basis"],
        rules=tuple(rules),
    )


def load_file(path: Path) -> RuleSet:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RuleError(f"{path.name}: not valid JSON: {exc}") from None
    ruleset = parse_ruleset(data, origin=path.name)
    object.__setattr__(ruleset, "path", path)
    return ruleset


def problems(directory: Path | None = None) -> list[str]:
    """Every invalid rule file's problem (for the system check), not only the first."""
    found: list[str] = []
    seen: dict[int, str] = {}
    versions: dict[str, str] = {}
    paths = sorted((directory or RULE_DIR).glob("*.json"))
    if not paths:
        return [f"no rule file in {directory or RULE_DIR}"]
    for path in paths:
        try:
            ruleset = load_file(path)
        except RuleError as exc:
            found.append(str(exc))
            continue
        if ruleset.applies_from_year in seen:
            found.append(
                f"{path.name}: applies_from_year {ruleset.applies_from_year} is also used by "
                f"{seen[ruleset.applies_from_year]}"
            )
        if ruleset.version in versions:
            found.append(f"{path.name}: version {ruleset.version!r} is also used by "
                         f"{versions[ruleset.version]}")  # fmt: skip
        seen[ruleset.applies_from_year] = path.name
        versions[ruleset.version] = path.name
    return found


@cache
def registry() -> tuple[RuleSet, ...]:
    """Every rule set, oldest first."""
    sets = [load_file(p) for p in sorted(RULE_DIR.glob("*.json"))]
    return tuple(sorted(sets, key=lambda s: s.applies_from_year))


def ruleset_for(year: int) -> RuleSet:
    """The rule set that applies to a filing of `year` (the oldest for years before it)."""
    sets = registry()
    applicable = [s for s in sets if s.applies_from_year <= year]
    return applicable[-1] if applicable else sets[0]


# --- Evaluation --------------------------------------------------------------------------


@dataclass
class Failure:
    rule: Rule
    code: str  # the rule's code; a spec_balance rule's n-th balance rule is "<code>-<n>"
    params: dict  # the message's placeholders, formatted
    seen: dict  # the values the rule read, as text (base units)
    field: str

    def message(self) -> str:
        """The message in the active language."""
        return gettext(self.rule.message) % self.params

    def message_zh(self) -> str:
        """The message in Chinese, as stored and written on the pack's cover."""
        return self.rule.message % self.params


def _show(value: Decimal, how: str) -> str:
    if how == "percent":
        return f"{value * 100:.1f}%"
    if how in ("wan", "wan_per_person"):
        return f"{value / 10000:,.2f}"
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:,.2f}"


def _show_fact(scope: str, name: str, value: Decimal) -> str:
    return _show(value, "wan" if dimension(scope, name) == "money" else "number")


def _seen(values: Mapping, names) -> dict[str, str]:
    return {n: (None if values.get(n) is None else str(values[n])) for n in names}


def _evaluate(rule: Rule, values: Mapping[str, Decimal | None]) -> list[Failure]:
    if rule.condition is not None and expressions.holds(rule.condition, values) is not True:
        return []
    p = rule.params
    if rule.kind == "required":
        if values.get(p["fact"]) is None:
            return [Failure(rule, rule.code, {}, _seen(values, [p["fact"]]), rule.field)]
        return []
    if rule.kind == "yoy":
        fact = p["fact"]
        current, last = values.get(fact), values.get(f"last_year_{fact}")
        if current is None or last is None or last < p["min_base"]:
            return []
        change = current / last - 1
        if -p["max_fall"] <= change <= p["max_rise"]:
            return []
        params = {
            "value": _show_fact(rule.scope, fact, current),
            "last": _show_fact(rule.scope, fact, last),
            "change": ("+" if change > 0 else "") + _show(change, "percent"),
            "rise": _show(p["max_rise"], "percent"),
            "fall": _show(p["max_fall"], "percent"),
        }
        seen = _seen(values, [fact, f"last_year_{fact}"])
        return [Failure(rule, rule.code, params, seen, rule.field)]
    if rule.kind == "range":
        value = expressions.evaluate(rule.formula, values)
        if value is None:
            return []
        low, high = p.get("min"), p.get("max")
        if (low is None or value >= low) and (high is None or value <= high):
            return []
        params = {
            "value": _show(value, p["show"]),
            "min": "—" if low is None else _show(low, p["show"]),
            "max": "—" if high is None else _show(high, p["show"]),
        }
        seen = _seen(values, expressions.names(rule.formula))
        return [Failure(rule, rule.code, params, seen, rule.field)]
    if rule.kind == "balance":
        if expressions.holds(rule.formula, values) is not False:
            return []
        left = expressions.evaluate(rule.formula.left, values)
        right = expressions.evaluate(rule.formula.comparators[0], values)
        params = {
            "left": _show(left, _side_show(rule, rule.formula.left)),
            "right": _show(right, _side_show(rule, rule.formula.comparators[0])),
        }
        seen = _seen(values, expressions.names(rule.formula))
        return [Failure(rule, rule.code, params, seen, rule.field)]
    if rule.kind == "spec_balance":
        spec = spec_registry.get(rule.spec)
        rows = {r.key: r.value(values) for r in spec.rows}
        failures = []
        for n, (text, tree) in enumerate(spec.balance_rules, start=1):
            if expressions.holds(tree, rows) is False:
                row_facts = [f for r in spec.rows if r.key in expressions.names(tree)
                             for f in r.facts]  # fmt: skip
                seen = {k: None if rows[k] is None else str(rows[k])
                        for k in expressions.names(tree)}  # fmt: skip
                field_name = _field_of(row_facts, "annual")
                shown = "；".join(
                    f"{r.code or r.key} {r.label} {'—' if rows[r.key] is None else rows[r.key]}"
                    f"{r.unit}"
                    for r in spec.rows
                    if r.key in expressions.names(tree)
                )
                params = {"form": spec.form, "rule": text, "rows": shown}
                failures.append(Failure(rule, f"{rule.code}-{n}", params, seen, field_name))
        return failures
    return []  # unreachable: kinds are checked at load


def _side_show(rule: Rule, node: ast.expr) -> str:
    names = expressions.names(node)
    money = names and all(dimension(rule.scope, n) == "money" for n in names)
    return "wan" if money else "number"


def evaluate(ruleset: RuleSet, scope: str, values: Mapping[str, Decimal | None]) -> list[Failure]:
    """The failures of a scope's rules over the values (names of the scope, base units)."""
    failures: list[Failure] = []
    for rule in ruleset.for_scope(scope):
        failures.extend(_evaluate(rule, values))
    return failures


def as_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(value)
