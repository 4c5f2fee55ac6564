"""Questionnaires: the model, skip logic, answer validation, XLSForm, and the 2018 instrument.

A pure package: it imports nothing else of barometre and reads only its own data files and
the XLSForm files passed to it explicitly.
"""

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
from barometre.questionnaire._problems import Problem, ProblemCode
from barometre.questionnaire._validate import (
    Answer,
    Answers,
    is_answered,
    is_relevant,
    relevance,
    validate,
)
from barometre.questionnaire._xlsform_read import XLSFormImport, import_xlsform, read_xlsform
from barometre.questionnaire._xlsform_sheets import XLSFormWarning
from barometre.questionnaire._xlsform_write import write_xlsform

__all__ = [
    "BUILTINS",
    "YES_NO_CHOICES",
    "Answer",
    "Answers",
    "Choice",
    "ExpressionError",
    "Lang",
    "Problem",
    "ProblemCode",
    "Question",
    "QuestionType",
    "Questionnaire",
    "QuestionnaireError",
    "Section",
    "UnknownQuestionError",
    "XLSFormError",
    "XLSFormImport",
    "XLSFormWarning",
    "diagnostic_subset",
    "import_xlsform",
    "is_answered",
    "is_relevant",
    "load_builtin",
    "parse_questionnaire_yaml",
    "questionnaire_from_dict",
    "questionnaire_to_dict",
    "questionnaire_to_json",
    "questionnaire_to_yaml",
    "read_questionnaire_file",
    "read_xlsform",
    "relevance",
    "validate",
    "write_questionnaire_file",
    "write_xlsform",
]
