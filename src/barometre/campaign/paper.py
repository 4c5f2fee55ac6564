"""Paper returns: a CSV of keyed paper questionnaires, checked against the questionnaire.

One row per questionnaire, identified by ``case_id`` or ``short_code``; one column per
question named by its id. A multiple-choice answer is either one column holding
``code1;code2`` or one 0/1 column per code named ``{question_id}__{code}`` (the wave
dataset's convention). Empty cells are unanswered questions.

Every row is judged on its own: a row with problems is rejected with its line number and
each problem (question and message), the others are accepted. A row whose only problems
are unanswered required questions is accepted as a partial response (a paper form often
comes back with a few blanks).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from barometre.campaign.errors import CampaignError
from barometre.questionnaire import (
    Answer,
    Problem,
    ProblemCode,
    Questionnaire,
    QuestionType,
    split_choice_column,
    validate,
)

KEY_COLUMNS = ("case_id", "short_code")
_TRUE = {"1", "x", "yes", "oui", "true", "vrai"}
_FALSE = {"0", "", "no", "non", "false", "faux"}


class PaperFileError(CampaignError, ValueError):
    """The file cannot be read as paper returns at all (no key column, unknown columns)."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why a row, or one of its answers, was not accepted."""

    question_id: str
    code: str
    message_fr: str
    message_en: str


@dataclass(frozen=True, slots=True)
class PaperReturn:
    """An accepted paper questionnaire."""

    line: int
    key: str
    key_column: str
    answers: dict[str, Answer]
    status: str
    """``complete``, or ``partial`` when required questions were left blank."""


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A paper questionnaire that was not imported, and every reason why."""

    line: int
    key: str
    problems: tuple[RowProblem, ...]

    def describe(self, lang: str = "en") -> str:
        """One line per problem, for the CLI."""
        parts = [
            f"line {self.line} ({self.key or 'no key'}): {p.question_id}: "
            f"{p.message_en if lang == 'en' else p.message_fr}"
            for p in self.problems
        ]
        return "\n".join(parts)


@dataclass(frozen=True, slots=True)
class PaperImport:
    """The outcome of reading a file of paper returns."""

    accepted: tuple[PaperReturn, ...]
    rejected: tuple[RejectedRow, ...]


def _problem(question_id: str, code: str, fr: str, en: str) -> RowProblem:
    return RowProblem(question_id, code, fr, en)


def _from_problem(p: Problem) -> RowProblem:
    return RowProblem(p.question_id, str(p.code), p.message_fr, p.message_en)


def _columns(header: list[str], questionnaire: Questionnaire) -> tuple[str, dict[str, str]]:
    """The key column, and for each data column the question it belongs to."""
    keys = [c for c in KEY_COLUMNS if c in header]
    if not keys:
        raise PaperFileError("the file needs a case_id or short_code column")
    ids = {q.id: q for q in questionnaire.questions}
    owner: dict[str, str] = {}
    unknown = []
    for column in header:
        if column in KEY_COLUMNS:
            continue
        if column in ids:
            owner[column] = column
            continue
        qid, code = split_choice_column(column) or (column, "")
        question = ids.get(qid)
        if code and question is not None and question.type is QuestionType.MULTIPLE:
            if code not in {c.code for c in question.choices}:
                raise PaperFileError(f"column {column!r}: {code!r} is not a choice of {qid!r}")
            owner[column] = qid
            continue
        unknown.append(column)
    if unknown:
        raise PaperFileError(f"column(s) matching no question: {', '.join(unknown)}")
    return keys[0], owner


def _parse_number(text: str) -> float | int | None:
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return int(value) if value.is_integer() else value


def _row_answers(
    row: dict[str, str], owner: dict[str, str], questionnaire: Questionnaire
) -> tuple[dict[str, Answer], list[RowProblem]]:
    # Not `answers_from_wide_row`: a paper CSV holds text typed by hand, so each cell is parsed
    # and judged here with its own message; only the column naming is the wave dataset's.
    answers: dict[str, Answer] = {}
    problems: list[RowProblem] = []
    ticked: dict[str, list[str]] = {}
    for column, qid in owner.items():
        raw = (row.get(column) or "").strip()
        question = questionnaire.question(qid)
        if column != qid:  # a {qid}__{code} 0/1 column
            flag = raw.lower()
            if flag in _TRUE:
                ticked.setdefault(qid, []).append((split_choice_column(column) or ("", ""))[1])
            elif flag not in _FALSE:
                problems.append(
                    _problem(
                        qid,
                        "wrong_type",
                        f"colonne {column} : 0 ou 1 attendu, lu {raw!r}",
                        f"column {column}: 0 or 1 expected, got {raw!r}",
                    )
                )
            else:
                ticked.setdefault(qid, [])
            continue
        if not raw:
            continue
        if question.type is QuestionType.MULTIPLE:
            answers[qid] = [part.strip() for part in raw.split(";") if part.strip()]
        elif question.type is QuestionType.NUMBER:
            number = _parse_number(raw)
            if number is None:
                problems.append(
                    _problem(
                        qid,
                        "wrong_type",
                        f"{qid} : nombre attendu, lu {raw!r}",
                        f"{qid}: a number was expected, got {raw!r}",
                    )
                )
            else:
                answers[qid] = number
        else:
            answers[qid] = raw
    for qid, codes in ticked.items():
        if qid in answers:
            problems.append(
                _problem(
                    qid,
                    "wrong_type",
                    f"{qid} : réponse donnée à la fois en liste et en colonnes 0/1",
                    f"{qid}: answered both as a list and as 0/1 columns",
                )
            )
        elif codes:
            answers[qid] = codes
    return answers, problems


def _rows(path: Path) -> Iterator[tuple[int, list[str], dict[str, str] | None, str | None]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None:
            raise PaperFileError(f"{path}: empty file")
        header = [h.strip() for h in header]
        line = reader.line_num
        for fields in reader:
            start, line = line + 1, reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                yield start, header, None, f"{len(fields)} fields, the header has {len(header)}"
                continue
            yield start, header, dict(zip(header, fields, strict=True)), None


def read_paper_returns(path: Path, questionnaire: Questionnaire) -> PaperImport:
    """Read and validate every row of a paper-returns CSV file."""
    accepted: list[PaperReturn] = []
    rejected: list[RejectedRow] = []
    columns: tuple[str, dict[str, str]] | None = None
    seen: dict[str, int] = {}
    for line, header, row, structural in _rows(path):
        if columns is None:
            columns = _columns(header, questionnaire)
        key_column, owner = columns
        if row is None:
            rejected.append(
                RejectedRow(
                    line,
                    "",
                    (_problem("", "wrong_field_count", f"ligne mal formée : {structural}",
                              f"malformed line: {structural}"),),
                )
            )  # fmt: skip
            continue
        key = row[key_column].strip()
        if not key:
            rejected.append(
                RejectedRow(line, "", (_problem(key_column, "missing_key",
                            f"{key_column} manquant", f"{key_column} is missing"),))
            )  # fmt: skip
            continue
        if key in seen:
            first = seen[key]
            duplicate = _problem(
                key_column,
                "duplicate",
                f"déjà saisi ligne {first}",
                f"already keyed on line {first}",
            )
            rejected.append(RejectedRow(line, key, (duplicate,)))
            continue
        seen[key] = line
        answers, problems = _row_answers(row, owner, questionnaire)
        found = validate(questionnaire, answers)
        blocking = [p for p in found if p.code is not ProblemCode.MISSING_REQUIRED]
        all_problems = problems + [_from_problem(p) for p in blocking]
        if all_problems:
            rejected.append(RejectedRow(line, key, tuple(all_problems)))
            continue
        status = "partial" if found else "complete"
        accepted.append(PaperReturn(line, key, key_column, answers, status))
    return PaperImport(tuple(accepted), tuple(rejected))
