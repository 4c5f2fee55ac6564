"""The exceptions raised for bad questionnaire definitions."""

from __future__ import annotations

from barometre.errors import UserError


class QuestionnaireError(UserError, ValueError):
    """A questionnaire definition is invalid; names the question and field at fault when known."""

    def __init__(
        self,
        message: str,
        *,
        question_id: str | None = None,
        field: str | None = None,
        section_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.question_id = question_id
        self.field = field
        self.section_id = section_id


class UnknownQuestionError(QuestionnaireError, KeyError):
    """A question id was looked up that the questionnaire does not have."""

    def __str__(self) -> str:
        # KeyError would print the repr of its argument, quotes and all.
        return str(self.args[0])


class ExpressionError(QuestionnaireError):
    """An XLSForm expression (relevant or constraint) cannot be parsed."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position + 1})")
        self.position = position


class XLSFormError(QuestionnaireError):
    """An XLSForm file cannot be read; names the sheet, row and column at fault."""

    def __init__(
        self,
        message: str,
        *,
        sheet: str | None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        place = "workbook" if sheet is None else f"sheet {sheet!r}"
        if row is not None:
            place += f", row {row}"
        if column is not None:
            place += f", column {column!r}"
        super().__init__(f"{place}: {message}")
        self.sheet = sheet
        self.row = row
        self.column = column
        self.reason = message
