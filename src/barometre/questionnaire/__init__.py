"""Questionnaires: the model, skip logic, answer validation, XLSForm, and the 2018 instrument.

A pure package: it imports nothing else of barometre and reads only its own data files and
the XLSForm files passed to it explicitly.
"""

from barometre.questionnaire._answers import (
    NETWORK_QUESTIONS,
    PRESENT,
    Answer,
    Answers,
    AnswerValue,
    PresentCode,
    WideValue,
    answers_from_wide_row,
    choice_column,
    chosen,
    code,
    is_answered,
    is_present,
    present_code,
    split_choice_column,
    wide_columns,
    wide_row,
)
from barometre.questionnaire._data import (
    BUILTINS,
    diagnostic_subset,
    load_builtin,
    parse_questionnaire_yaml,
    questionnaire_from_dict,
    questionnaire_to_dict,
    questionnaire_to_json,
    questionnaire_to_yaml,
    read_questionnaire_file,
    write_questionnaire_file,
)
from barometre.questionnaire._errors import (
    ExpressionError,
    QuestionnaireError,
    UnknownQuestionError,
    XLSFormError,
)
from barometre.questionnaire._model import (
    YES_NO_CHOICES,
    Choice,
    Lang,
    Question,
    Questionnaire,
    QuestionType,
    Section,
)
from barometre.questionnaire._piping import answer_text, format_number, pipe
from barometre.questionnaire._problems import Problem, ProblemCode
from barometre.questionnaire._validate import (
    calculations,
    is_relevant,
    relevance,
    section_chain,
    validate,
    visible_choices,
)
from barometre.questionnaire._xlsform_read import XLSFormImport, import_xlsform, read_xlsform
from barometre.questionnaire._xlsform_sheets import XLSFormWarning
from barometre.questionnaire._xlsform_write import write_xlsform

__all__ = [
    "BUILTINS",
    "NETWORK_QUESTIONS",
    "PRESENT",
    "YES_NO_CHOICES",
    "Answer",
    "AnswerValue",
    "Answers",
    "Choice",
    "ExpressionError",
    "Lang",
    "PresentCode",
    "Problem",
    "ProblemCode",
    "Question",
    "QuestionType",
    "Questionnaire",
    "QuestionnaireError",
    "Section",
    "UnknownQuestionError",
    "WideValue",
    "XLSFormError",
    "XLSFormImport",
    "XLSFormWarning",
    "answer_text",
    "answers_from_wide_row",
    "calculations",
    "choice_column",
    "chosen",
    "code",
    "diagnostic_subset",
    "format_number",
    "import_xlsform",
    "is_answered",
    "is_present",
    "is_relevant",
    "load_builtin",
    "parse_questionnaire_yaml",
    "pipe",
    "present_code",
    "questionnaire_from_dict",
    "questionnaire_to_dict",
    "questionnaire_to_json",
    "questionnaire_to_yaml",
    "read_questionnaire_file",
    "read_xlsform",
    "relevance",
    "section_chain",
    "split_choice_column",
    "validate",
    "visible_choices",
    "wide_columns",
    "wide_row",
    "write_questionnaire_file",
    "write_xlsform",
]
