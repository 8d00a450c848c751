"""Rendering of Word templates (docxtpl) that staff may upload, in a Jinja2 sandbox.

A template is a file from a user, so its Jinja2 code is untrusted: docxtpl's default
`jinja2.Environment` lets `{{ cycler.__init__.__globals__.os.environ }}` reach the server's
environment. Every template, the default one included, is rendered here instead:

- in `jinja2.sandbox.ImmutableSandboxedEnvironment`, which refuses attributes starting with an
  underscore, function internals and methods that change the context's values;
- with no globals at all (no `cycler`, `joiner`, `namespace`, `range`, `lipsum`, `dict`) and
  `StrictUndefined`, so the only names a template can use are the ones the template contract
  documents (TEMPLATE_NAMES below); any other name fails the render;
- with `*` and `**` intercepted, so `{{ "a" * 10**9 }}` cannot exhaust the server's memory.

`check_template` renders an upload against a sample summary before it is accepted.
"""

from __future__ import annotations

import io
import operator
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

# The names a Word template may use: the template contract (docs/reports.md).
TEMPLATE_NAMES = {
    "title": "总结标题",
    "organisation": "署名单位",
    "date": "成文日期",
    "body": "正文（须以 {{p body }} 单独成段）",
}

# Upper bounds for the results of `*` and `**` inside a template.
MAX_SEQUENCE_LENGTH = 10_000
MAX_EXPONENT = 64


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """The Jinja2 environment every Word template is rendered in."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=False)
        self.globals.clear()

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
                raise SecurityError("exponent too large")
            return operator.pow(left, right)
        if operator_name == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int):
                    if len(seq) * times > MAX_SEQUENCE_LENGTH:
                        raise SecurityError("sequence too long")
            return operator.mul(left, right)
        return super().call_binop(context, operator_name, left, right)


def environment() -> TemplateSandbox:
    """A fresh sandbox (docxtpl sets attributes on the environment it is given)."""
    return TemplateSandbox()


class TemplateRefused(Exception):
    """An uploaded template that cannot be rendered safely; the message is for the user."""


def check_template(data: bytes) -> None:
    """Render an uploaded template against a sample summary; raise TemplateRefused if it fails.

    Catches what only a render shows: a name outside the contract, a refused attribute, a
    syntax error, a missing `{{p body }}` paragraph.
    """
    # Imported here: word.py imports this module.
    from . import word
    from .document import SummaryDocument

    sample = SummaryDocument(
        title="科技金融局2024年度工作总结", year=2024, blocks=[], figure_keys=[], missing=[]
    )
    try:
        word.render(
            sample,
            organisation="科技金融局",
            date="2024年12月31日",
            template=io.BytesIO(data),
        )
    except SecurityError:
        raise TemplateRefused(
            "模板含有不允许的表达式（只能使用 title、organisation、date、body 四个占位符）。"
        ) from None
    except TemplateError as exc:
        raise TemplateRefused(
            f"模板无法生成文档：{exc}。可用的占位符只有 title、organisation、date、body。"
        ) from None
    except ValueError as exc:
        raise TemplateRefused(str(exc)) from None
