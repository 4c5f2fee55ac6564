"""A small, safe parser and evaluator for the XLSForm expressions of skip logic and constraints.

Supported: ``${question}``, ``.`` (the current answer, constraints only), string and number
literals, ``=`` ``!=`` ``<`` ``<=`` ``>`` ``>=``, ``and``, ``or``, parentheses and the functions
``selected(a, 'code')``, ``count-selected(a)``, ``not(x)``, ``true()``, ``false()``.

Expressions are parsed once into an immutable tree and evaluated against answers with
XPath 1.0 comparison rules (as ODK/KoboToolbox do), so a form behaves the same here and in
the field. Nothing is ever passed to ``eval``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

from barometre.questionnaire._errors import ExpressionError

# An evaluated value: XPath strings, numbers and booleans. A question's answer becomes a
# string (codes of a multiple choice joined by spaces, "" when unanswered) or a number.
Value = str | float | bool

COMPARISONS: Final = ("=", "!=", "<=", ">=", "<", ">")
_FUNCTION_ARITY: Final = {"selected": 2, "count-selected": 1, "not": 1, "true": 0, "false": 0}
_UNSUPPORTED_OPERATORS: Final = {"+", "*", "div", "mod", "|"}


@dataclass(frozen=True)
class Literal:
    """A quoted string or a number."""

    value: str | float


@dataclass(frozen=True)
class Ref:
    """``${name}``: the answer to another question."""

    name: str


@dataclass(frozen=True)
class Current:
    """``.``: the answer being checked by a constraint."""


@dataclass(frozen=True)
class Call:
    """A call of one of the supported functions."""

    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Compare:
    """A comparison, with XPath 1.0 conversion rules."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class BoolOp:
    """``and`` / ``or`` of two sub-expressions."""

    op: str
    left: Expr
    right: Expr


Expr = Literal | Ref | Current | Call | Compare | BoolOp


@dataclass(frozen=True)
class _Token:
    kind: str  # "num", "str", "ref", "dot", "name", "op", "(", ")", ","
    text: str
    pos: int


_TOKEN_RE: Final = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<ref>\$\{\s*(?P<refname>[A-Za-z_][A-Za-z0-9_.\-]*)\s*\})
  | (?P<num>\d+(?:\.\d*)?|\.\d+)
  | (?P<str>'[^']*'|"[^"]*")
  | (?P<op>!=|<=|>=|=|<|>|\+|\*|\||-)
  | (?P<punct>[(),])
  | (?P<dot>\.)
  | (?P<name>[A-Za-z_][A-Za-z0-9_\-]*)
    """,
    re.VERBOSE,
)


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        if match is None:
            snippet = text[pos : pos + 10]
            if text.startswith("${", pos):
                raise ExpressionError(f"malformed question reference at {snippet!r}", pos)
            raise ExpressionError(f"unexpected character {text[pos]!r}", pos)
        kind = match.lastgroup  # the outer group: "ref", never "refname"
        if kind == "ref":
            tokens.append(_Token("ref", match.group("refname"), pos))
        elif kind == "punct":
            tokens.append(_Token(match.group(), match.group(), pos))
        elif kind != "ws":
            assert kind is not None
            tokens.append(_Token(kind, match.group(), pos))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise ExpressionError("unexpected end of expression", len(self.text))
        self.index += 1
        return token

    def expect(self, kind: str) -> _Token:
        token = self.peek()
        if token is None or token.kind != kind:
            where = len(self.text) if token is None else token.pos
            found = "end of expression" if token is None else repr(token.text)
            raise ExpressionError(f"expected {kind!r}, found {found}", where)
        self.index += 1
        return token

    def at(self, kind: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == kind

    def is_keyword(self, word: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "name" and token.text == word

    def parse(self) -> Expr:
        if not self.tokens:
            raise ExpressionError("empty expression", 0)
        expr = self.parse_or()
        token = self.peek()
        if token is not None:
            self._reject(token)
            raise ExpressionError(f"unexpected {token.text!r}", token.pos)
        return expr

    def parse_or(self) -> Expr:
        left = self.parse_and()
        while self.is_keyword("or"):
            self.take()
            left = BoolOp("or", left, self.parse_and())
        return left

    def parse_and(self) -> Expr:
        left = self.parse_comparison()
        while self.is_keyword("and"):
            self.take()
            left = BoolOp("and", left, self.parse_comparison())
        return left

    def parse_comparison(self) -> Expr:
        left = self.parse_unary()
        token = self.peek()
        if token is not None and token.kind == "op" and token.text in COMPARISONS:
            self.take()
            right = self.parse_unary()
            after = self.peek()
            if after is not None and after.kind == "op" and after.text in COMPARISONS:
                raise ExpressionError(
                    "chained comparisons are ambiguous; combine them with 'and'", after.pos
                )
            return Compare(token.text, left, right)
        return left

    def parse_unary(self) -> Expr:
        token = self.peek()
        if token is not None and token.kind == "op" and token.text == "-":
            self.take()
            number = self.peek()
            if number is None or number.kind != "num":
                raise ExpressionError("'-' is only supported before a number", token.pos)
            self.take()
            return Literal(-float(number.text))
        return self.parse_primary()

    def parse_primary(self) -> Expr:
        token = self.take()
        if token.kind == "num":
            return Literal(float(token.text))
        if token.kind == "str":
            return Literal(token.text[1:-1])
        if token.kind == "ref":
            return Ref(token.text)
        if token.kind == "dot":
            return Current()
        if token.kind == "(":
            inner = self.parse_or()
            self.expect(")")
            return inner
        if token.kind == "name":
            return self.parse_call(token)
        self._reject(token)
        raise ExpressionError(f"unexpected {token.text!r}", token.pos)

    def parse_call(self, name: _Token) -> Expr:
        if name.text in ("and", "or"):
            raise ExpressionError(f"{name.text!r} needs an expression on its left", name.pos)
        self._reject(name)
        following = self.peek()
        if following is None or following.kind != "(":
            raise ExpressionError(
                f"unknown name {name.text!r}; refer to a question as ${{{name.text}}}", name.pos
            )
        if name.text not in _FUNCTION_ARITY:
            supported = ", ".join(f"{f}()" for f in _FUNCTION_ARITY)
            raise ExpressionError(
                f"unsupported function {name.text}(); supported: {supported}", name.pos
            )
        self.take()
        args: list[Expr] = []
        if not self.at(")"):
            args.append(self.parse_or())
            while self.at(","):
                self.take()
                args.append(self.parse_or())
        self.expect(")")
        arity = _FUNCTION_ARITY[name.text]
        if len(args) != arity:
            raise ExpressionError(
                f"{name.text}() takes {arity} argument(s), got {len(args)}", name.pos
            )
        return Call(name.text, tuple(args))

    @staticmethod
    def _reject(token: _Token) -> None:
        if token.text in _UNSUPPORTED_OPERATORS or (token.kind == "op" and token.text == "-"):
            raise ExpressionError(f"arithmetic ({token.text!r}) is not supported", token.pos)


def parse(text: str) -> Expr:
    """Parse an XLSForm expression; raise ExpressionError with the position of the fault."""
    return _Parser(text).parse()


def walk(expr: Expr) -> Iterator[Expr]:
    """Every node of the tree, the root first."""
    yield expr
    if isinstance(expr, Call):
        for arg in expr.args:
            yield from walk(arg)
    elif isinstance(expr, Compare | BoolOp):
        yield from walk(expr.left)
        yield from walk(expr.right)


def references(expr: Expr) -> frozenset[str]:
    """The question ids named by ``${...}`` in the expression."""
    return frozenset(node.name for node in walk(expr) if isinstance(node, Ref))


def uses_current(expr: Expr) -> bool:
    """Whether the expression reads ``.`` (the current answer)."""
    return any(isinstance(node, Current) for node in walk(expr))


def code_literals(expr: Expr) -> Iterator[tuple[Ref | Current, str]]:
    """Pairs (answer, string literal) compared with ``=``/``!=`` or tested by ``selected``.

    Used to check at load time that skip logic names choice codes that exist.
    """
    for node in walk(expr):
        if isinstance(node, Compare) and node.op in ("=", "!="):
            pairs = ((node.left, node.right), (node.right, node.left))
            for subject, other in pairs:
                if (
                    isinstance(subject, Ref | Current)
                    and isinstance(other, Literal)
                    and isinstance(other.value, str)
                ):
                    yield subject, other.value
        elif isinstance(node, Call) and node.name == "selected":
            subject, other = node.args
            if (
                isinstance(subject, Ref | Current)
                and isinstance(other, Literal)
                and isinstance(other.value, str)
            ):
                yield subject, other.value


# --- evaluation -------------------------------------------------------------------------


def to_number(value: Value) -> float:
    """XPath number(): booleans are 1/0, unparsable strings are NaN."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    try:
        return float(value.strip())
    except ValueError:
        return math.nan


def to_boolean(value: Value) -> bool:
    """XPath boolean(): non-empty strings and non-zero numbers are true."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    return value != ""


def to_string(value: Value) -> str:
    """XPath string(): integral numbers print without a decimal point."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return value


def _compare(op: str, left: Value, right: Value) -> bool:
    if op in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            equal = to_boolean(left) == to_boolean(right)
        elif isinstance(left, float) or isinstance(right, float):
            equal = to_number(left) == to_number(right)  # NaN is never equal
        else:
            equal = left == right
        return equal if op == "=" else not equal
    a, b = to_number(left), to_number(right)
    if math.isnan(a) or math.isnan(b):
        return False
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def evaluate(expr: Expr, resolve: Callable[[str], Value], current: Value = "") -> Value:
    """Evaluate a parsed expression; ``resolve`` gives the value of ``${name}``."""
    if isinstance(expr, Literal):
        return expr.value
    if isinstance(expr, Ref):
        return resolve(expr.name)
    if isinstance(expr, Current):
        return current
    if isinstance(expr, BoolOp):
        left = to_boolean(evaluate(expr.left, resolve, current))
        if expr.op == "and":
            return left and to_boolean(evaluate(expr.right, resolve, current))
        return left or to_boolean(evaluate(expr.right, resolve, current))
    if isinstance(expr, Compare):
        return _compare(
            expr.op, evaluate(expr.left, resolve, current), evaluate(expr.right, resolve, current)
        )
    args = [evaluate(arg, resolve, current) for arg in expr.args]
    if expr.name == "selected":
        return to_string(args[1]).strip() in to_string(args[0]).split()
    if expr.name == "count-selected":
        return float(len(to_string(args[0]).split()))
    if expr.name == "not":
        return not to_boolean(args[0])
    return expr.name == "true"
