"""A small, safe parser and evaluator for the XLSForm expressions of skip logic and constraints.

Supported: ``${question}``, ``.`` (the current answer, constraints only), string and number
literals, ``=`` ``!=`` ``<`` ``<=`` ``>`` ``>=``, ``and``, ``or``, arithmetic (``+ - * div
mod``, unary minus), parentheses and the functions listed in ``FUNCTION_ARITY`` (``selected``,
``count-selected``, ``not``, ``if``, ``regex``, ``string-length``, ``coalesce``, ``concat``,
``today``...). In a ``choice_filter``, bare names are the choices sheet's columns.

Expressions are parsed once into an immutable tree and evaluated against answers with
XPath 1.0 comparison rules (as ODK/KoboToolbox do), so a form behaves the same here and in
the field. Nothing is ever passed to ``eval``.
"""

from __future__ import annotations

import datetime as dt
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
# Each function's (fewest, most) arguments; None: any number.
FUNCTION_ARITY: Final[dict[str, tuple[int, int | None]]] = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "not": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "if": (3, 3),
    "regex": (2, 2),
    "string-length": (1, 1),
    "coalesce": (2, 2),
    "concat": (1, None),
    "today": (0, 0),
    "now": (0, 0),
    "date": (1, 1),
    "int": (1, 1),
    "round": (1, 2),
    "number": (1, 1),
    "string": (1, 1),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "ends-with": (2, 2),
    "boolean": (1, 1),
}
_UNSUPPORTED_OPERATORS: Final = {"|"}
_ADDITIVE: Final = ("+", "-")
_MULTIPLICATIVE: Final = ("*", "div", "mod")


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
class Name:
    """A bare name in a choice_filter: a column of the choices sheet (``name``, ``state``)."""

    name: str


@dataclass(frozen=True)
class Arith:
    """``+ - * div mod`` on two numbers (XPath number conversion)."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Negate:
    """Unary minus."""

    operand: Expr


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


Expr = Literal | Ref | Current | Name | Arith | Negate | Call | Compare | BoolOp


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
            if text[pos] in "\u2018\u2019\u201c\u201d\u00ab\u00bb":
                raise ExpressionError(
                    f"typographic quote {text[pos]!r}: quote texts with ' or \"", pos
                )
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
    def __init__(self, text: str, choice_columns: bool = False) -> None:
        self.choice_columns = choice_columns
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
        left = self.parse_additive()
        token = self.peek()
        if token is not None and token.kind == "op" and token.text in COMPARISONS:
            self.take()
            right = self.parse_additive()
            after = self.peek()
            if after is not None and after.kind == "op" and after.text in COMPARISONS:
                raise ExpressionError(
                    "chained comparisons are ambiguous; combine them with 'and'", after.pos
                )
            return Compare(token.text, left, right)
        return left

    def _operator(self, ops: tuple[str, ...]) -> str | None:
        token = self.peek()
        if token is None:
            return None
        if token.kind == "op" and token.text in ops:
            return token.text
        if token.kind == "name" and token.text in ops:  # div, mod
            return token.text
        return None

    def parse_additive(self) -> Expr:
        left = self.parse_multiplicative()
        while (op := self._operator(_ADDITIVE)) is not None:
            self.take()
            left = Arith(op, left, self.parse_multiplicative())
        return left

    def parse_multiplicative(self) -> Expr:
        left = self.parse_unary()
        while (op := self._operator(_MULTIPLICATIVE)) is not None:
            self.take()
            left = Arith(op, left, self.parse_unary())
        return left

    def parse_unary(self) -> Expr:
        token = self.peek()
        if token is not None and token.kind == "op" and token.text == "-":
            self.take()
            operand = self.parse_unary()
            if isinstance(operand, Literal) and isinstance(operand.value, float):
                return Literal(-operand.value)
            return Negate(operand)
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
            if self.choice_columns:
                return Name(name.text)
            raise ExpressionError(
                f"unknown name {name.text!r}; refer to a question as ${{{name.text}}}", name.pos
            )
        if name.text not in FUNCTION_ARITY:
            supported = ", ".join(f"{f}()" for f in FUNCTION_ARITY)
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
        fewest, most = FUNCTION_ARITY[name.text]
        if len(args) < fewest or (most is not None and len(args) > most):
            wanted = str(fewest) if fewest == most else f"{fewest} or more"
            if most is not None and most != fewest:
                wanted = f"{fewest} to {most}"
            raise ExpressionError(
                f"{name.text}() takes {wanted} argument(s), got {len(args)}", name.pos
            )
        return Call(name.text, tuple(args))

    @staticmethod
    def _reject(token: _Token) -> None:
        if token.text in _UNSUPPORTED_OPERATORS:
            raise ExpressionError(f"the operator {token.text!r} is not supported", token.pos)
        if token.text in ("\u2018", "\u2019", "\u201c", "\u201d"):
            raise ExpressionError("typographic quotes; use ' or \"", token.pos)


def parse(text: str, *, choice_columns: bool = False) -> Expr:
    """Parse an XLSForm expression; raise ExpressionError with the position of the fault.

    With ``choice_columns`` (a choice_filter), a bare name is a column of the choices sheet.
    """
    return _Parser(text, choice_columns).parse()


def walk(expr: Expr) -> Iterator[Expr]:
    """Every node of the tree, the root first."""
    yield expr
    if isinstance(expr, Call):
        for arg in expr.args:
            yield from walk(arg)
    elif isinstance(expr, Compare | BoolOp | Arith):
        yield from walk(expr.left)
        yield from walk(expr.right)
    elif isinstance(expr, Negate):
        yield from walk(expr.operand)


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


_EPOCH: Final = dt.date(1970, 1, 1)


def _date_number(text: str) -> float:
    """An ISO date or date-time as days since 1970-01-01 (ODK compares dates as numbers)."""
    try:
        if len(text) == 10:
            return float((dt.date.fromisoformat(text) - _EPOCH).days)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return math.nan
    if moment.tzinfo is not None:
        moment = moment.replace(tzinfo=None)
    return (moment - dt.datetime(1970, 1, 1)).total_seconds() / 86400


def to_number(value: Value) -> float:
    """XPath number(): booleans are 1/0, ISO dates are days, unparsable strings are NaN."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    text = value.strip()
    try:
        return float(text)
    except ValueError:
        if len(text) >= 10 and text[4:5] == "-":
            return _date_number(text)
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
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
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


def _arith(op: str, left: Value, right: Value) -> float:
    a, b = to_number(left), to_number(right)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "div":
        if b == 0:
            return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a)
        return a / b
    if b == 0 or math.isnan(a) or math.isnan(b):
        return math.nan
    return math.fmod(a, b)


@dataclass(frozen=True)
class Context:
    """What an evaluation reads besides answers: the date of today, the choice's columns."""

    today: dt.date | None = None
    column: Callable[[str], Value] | None = None


def evaluate(
    expr: Expr,
    resolve: Callable[[str], Value],
    current: Value = "",
    context: Context = Context(),
) -> Value:
    """Evaluate a parsed expression; ``resolve`` gives the value of ``${name}``."""

    def ev(node: Expr) -> Value:
        return evaluate(node, resolve, current, context)

    if isinstance(expr, Literal):
        return expr.value
    if isinstance(expr, Ref):
        return resolve(expr.name)
    if isinstance(expr, Current):
        return current
    if isinstance(expr, Name):
        return context.column(expr.name) if context.column is not None else ""
    if isinstance(expr, BoolOp):
        left = to_boolean(ev(expr.left))
        if expr.op == "and":
            return left and to_boolean(ev(expr.right))
        return left or to_boolean(ev(expr.right))
    if isinstance(expr, Compare):
        return _compare(expr.op, ev(expr.left), ev(expr.right))
    if isinstance(expr, Arith):
        return _arith(expr.op, ev(expr.left), ev(expr.right))
    if isinstance(expr, Negate):
        return -to_number(ev(expr.operand))
    if expr.name == "if":  # only the branch taken is evaluated
        return ev(expr.args[1]) if to_boolean(ev(expr.args[0])) else ev(expr.args[2])
    return _call(expr.name, [ev(arg) for arg in expr.args], context)


def _call(name: str, args: list[Value], context: Context) -> Value:
    if name == "selected":
        return to_string(args[1]).strip() in to_string(args[0]).split()
    if name == "count-selected":
        return float(len(to_string(args[0]).split()))
    if name == "not":
        return not to_boolean(args[0])
    if name in ("true", "false"):
        return name == "true"
    if name == "regex":
        try:
            return re.search(to_string(args[1]), to_string(args[0])) is not None
        except re.error:
            return False
    if name == "string-length":
        return float(len(to_string(args[0])))
    if name == "coalesce":
        return args[0] if to_string(args[0]) != "" else args[1]
    if name == "concat":
        return "".join(to_string(a) for a in args)
    if name in ("today", "now"):
        today = context.today or dt.date.today()
        return today.isoformat()
    if name == "date":
        return to_number(args[0])
    if name == "int":
        number = to_number(args[0])
        return float(math.trunc(number)) if math.isfinite(number) else number
    if name == "round":
        number = to_number(args[0])
        digits = int(to_number(args[1])) if len(args) > 1 else 0
        if not math.isfinite(number):
            return number
        factor = 10.0**digits
        return math.floor(number * factor + 0.5) / factor  # XPath rounds half up
    if name == "number":
        return to_number(args[0])
    if name == "string":
        return to_string(args[0])
    if name == "boolean":
        return to_boolean(args[0])
    text, part = to_string(args[0]), to_string(args[1])
    if name == "contains":
        return part in text
    if name == "starts-with":
        return text.startswith(part)
    return text.endswith(part)
