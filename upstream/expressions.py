"""The form specs' small formula language: fact names, numbers, + - * /, unary minus, sum().

A formula is parsed with `ast` and evaluated by walking the allowed nodes only; anything else
(attribute access, subscripts, other calls, `__import__`, lambdas, comparisons outside a
balance rule) is refused when the spec loads. Nothing is ever passed to eval().
Balance rules (平衡关系) are one comparison whose sides are formulas over a form's row codes.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from decimal import Decimal, DivisionByZero, InvalidOperation

_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div)
_UNARY = (ast.UAdd, ast.USub)
_COMPARE = {ast.GtE: ">=", ast.LtE: "<=", ast.Eq: "==", ast.Gt: ">", ast.Lt: "<"}
FUNCTIONS = {"sum"}


class FormulaError(ValueError):
    pass


def parse(text: str) -> ast.expr:
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"syntax error in {text!r}: {exc.msg}") from None
    _check(tree.body, text)
    return tree.body


def parse_rule(text: str) -> ast.Compare:
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"syntax error in {text!r}: {exc.msg}") from None
    node = tree.body
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE):
        raise FormulaError(f"a balance rule is one comparison (>=, <=, ==, >, <): {text!r}")
    _check(node.left, text)
    _check(node.comparators[0], text)
    return node


def _check(node: ast.AST, text: str) -> None:
    if isinstance(node, ast.BinOp) and isinstance(node.op, _BINOPS):
        _check(node.left, text)
        _check(node.right, text)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, _UNARY):
        _check(node.operand, text)
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        pass
    elif isinstance(node, ast.Name) and node.id not in FUNCTIONS:
        pass
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in FUNCTIONS
        and not node.keywords
        and node.args
        and not any(isinstance(a, ast.Starred) for a in node.args)
    ):
        for arg in node.args:
            _check(arg, text)
    else:
        raise FormulaError(f"{type(node).__name__} is not allowed in a formula: {text!r}")


def names(node: ast.AST) -> list[str]:
    """The names a checked formula reads, in order of appearance, once each."""
    seen: list[str] = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id not in FUNCTIONS and sub.id not in seen:
            seen.append(sub.id)
    return seen


def evaluate(node: ast.AST, values: Mapping[str, Decimal | None]) -> Decimal | None:
    """The formula's value, or None when a name it reads has no value (or it divides by 0)."""
    try:
        return _eval(node, values)
    except (DivisionByZero, InvalidOperation, ZeroDivisionError):
        return None


class _Missing(Exception):
    pass


def _eval(node: ast.AST, values) -> Decimal | None:
    try:
        return _walk(node, values)
    except _Missing:
        return None


def _walk(node: ast.AST, values) -> Decimal:
    if isinstance(node, ast.BinOp):
        left, right = _walk(node.left, values), _walk(node.right, values)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            if right == 0:
                raise _Missing
            return left / right
    elif isinstance(node, ast.UnaryOp):
        value = _walk(node.operand, values)
        return -value if isinstance(node.op, ast.USub) else value
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return Decimal(str(node.value))
    elif isinstance(node, ast.Name):
        value = values.get(node.id)
        if value is None:
            raise _Missing
        return Decimal(value)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "sum":
        return sum((_walk(a, values) for a in node.args), Decimal(0))
    raise FormulaError(f"{type(node).__name__} is not allowed")  # unreachable after parse()


def holds(rule: ast.Compare, values: Mapping[str, Decimal | None]) -> bool | None:
    """Whether a balance rule holds; None when a side cannot be computed."""
    left = evaluate(rule.left, values)
    right = evaluate(rule.comparators[0], values)
    if left is None or right is None:
        return None
    op = type(rule.ops[0])
    return {
        ast.GtE: left >= right,
        ast.LtE: left <= right,
        ast.Eq: left == right,
        ast.Gt: left > right,
        ast.Lt: left < right,
    }[op]
