"""The canonical data form of a questionnaire (plain dicts, YAML or JSON) and the built-ins.

``questionnaire_to_dict`` and ``questionnaire_from_dict`` are exact inverses. Reading is
strict: an unknown key (a typo such as ``requried``) is an error naming its place, never
silently ignored.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Final

import yaml

from barometre.questionnaire._errors import QuestionnaireError
from barometre.questionnaire._model import (
    DEFAULT_LANGUAGES,
    YES_NO_CHOICES,
    Choice,
    Question,
    Questionnaire,
    QuestionType,
    Section,
)
from barometre.questionnaire._xlsform_read import read_xlsform
from barometre.questionnaire._xlsform_write import write_xlsform

_QUESTIONNAIRE_KEYS: Final = {
    "id",
    "version",
    "title_fr",
    "title_en",
    "sections",
    "diagnostic_questions",
    "languages",
    "metadata",
}
_SECTION_KEYS: Final = {
    "id",
    "label_fr",
    "label_en",
    "relevant",
    "questions",
    "grouped",
    "parent",
    "appearance",
}
_QUESTION_OPTIONAL: Final = (
    "hint_fr",
    "hint_en",
    "relevant",
    "constraint",
    "constraint_message_fr",
    "constraint_message_en",
    "unit",
    "minimum",
    "maximum",
    "step",
    "calculation",
    "choice_filter",
    "appearance",
)
_QUESTION_KEYS: Final = {
    "id",
    "type",
    "label_fr",
    "label_en",
    "choices",
    "required",
    "integer",
    "or_other",
    *_QUESTION_OPTIONAL,
}
_CHOICE_KEYS: Final = {"code", "label_fr", "label_en", "properties"}

BUILTINS: Final = ("bpi2018",)


def _mapping(
    value: object, where: str, allowed: set[str], needed: tuple[str, ...], kind: str = ""
) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise QuestionnaireError(f"{where}: expected a mapping, found {type(value).__name__}")
    if "id" in value and where != "questionnaire":
        where = f"{where} ({kind} {value['id']!r})"
    unknown = sorted(str(k) for k in value if k not in allowed)
    if unknown:
        raise QuestionnaireError(
            f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}"
        )
    missing = [k for k in needed if k not in value]
    if missing:
        raise QuestionnaireError(f"{where}: missing key(s) {', '.join(missing)}")
    return value


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise QuestionnaireError(f"{where}: expected a list, found {type(value).__name__}")
    return list(value)


def _choice_from_dict(data: object, where: str) -> Choice:
    item = _mapping(data, where, _CHOICE_KEYS, ("code", "label_fr", "label_en"))
    if not isinstance(item["code"], str):
        # YAML reads 11 or yes as numbers/booleans; codes must be quoted to stay texts.
        raise QuestionnaireError(f"{where}: code {item['code']!r} must be a text (quote it)")
    properties = item.get("properties", {})
    if not isinstance(properties, Mapping):
        raise QuestionnaireError(f"{where}: properties must be a mapping of column to text")
    return Choice(
        item["code"],
        item["label_fr"],
        item["label_en"],
        tuple((str(k), str(v)) for k, v in properties.items()),
    )


def _question_from_dict(data: object, where: str) -> Question:
    item = _mapping(data, where, _QUESTION_KEYS, ("id", "type"), "question")
    where = f"{where} (question {item['id']!r})"
    try:
        kind = QuestionType(item["type"])
    except ValueError:
        kinds = ", ".join(t.value for t in QuestionType)
        raise QuestionnaireError(
            f"{where}: unknown type {item['type']!r}; use one of {kinds}"
        ) from None
    choices = tuple(
        _choice_from_dict(c, f"{where}, choices[{i}]")
        for i, c in enumerate(_list(item.get("choices", []), f"{where}, choices"))
    )
    try:
        return Question(
            id=item["id"],
            type=kind,
            label_fr=item.get("label_fr", ""),
            label_en=item.get("label_en", ""),
            choices=choices,
            required=item.get("required", False),
            integer=item.get("integer", False),
            or_other=item.get("or_other", False),
            **{key: item.get(key) for key in _QUESTION_OPTIONAL},
        )
    except QuestionnaireError as error:
        raise QuestionnaireError(
            f"{where}: {error}", question_id=error.question_id, field=error.field
        ) from error


def questionnaire_from_dict(data: object) -> Questionnaire:
    """Build a questionnaire from its data form; errors name the place in the data."""
    root = _mapping(
        data,
        "questionnaire",
        _QUESTIONNAIRE_KEYS,
        ("id", "version", "title_fr", "title_en", "sections"),
    )
    sections = []
    for i, raw in enumerate(_list(root["sections"], "sections")):
        where = f"sections[{i}]"
        item = _mapping(raw, where, _SECTION_KEYS, ("id", "questions"), "section")
        where = f"{where} (section {item['id']!r})"
        questions = tuple(
            _question_from_dict(q, f"{where}, questions[{j}]")
            for j, q in enumerate(_list(item["questions"], f"{where}, questions"))
        )
        try:
            sections.append(
                Section(
                    item["id"],
                    item.get("label_fr", ""),
                    item.get("label_en", ""),
                    questions,
                    item.get("relevant"),
                    grouped=item.get("grouped", True),
                    parent=item.get("parent"),
                    appearance=item.get("appearance"),
                )
            )
        except QuestionnaireError as error:
            raise QuestionnaireError(f"{where}: {error}", field=error.field) from error
    diagnostic = _list(root.get("diagnostic_questions", []), "diagnostic_questions")
    version = root["version"]
    return Questionnaire(
        id=root["id"],
        version=str(version)
        if isinstance(version, int | float) and not isinstance(version, bool)
        else version,
        title_fr=root["title_fr"],
        title_en=root["title_en"],
        sections=tuple(sections),
        diagnostic_questions=tuple(diagnostic),
        languages=_languages(root.get("languages", list(DEFAULT_LANGUAGES))),
        metadata=tuple(
            (str(m.get("type")), str(m.get("name"))) if isinstance(m, Mapping) else m
            for m in _list(root.get("metadata", []), "metadata")
        ),
    )


def _languages(value: object) -> tuple[str, str]:
    items = _list(value, "languages")
    if len(items) != 2 or not all(isinstance(x, str) for x in items):
        raise QuestionnaireError("languages: give two language names (French slot, English slot)")
    return (items[0], items[1])


def questionnaire_to_dict(questionnaire: Questionnaire) -> dict[str, Any]:
    """The canonical data form: only non-default values, keys in a stable order."""
    data: dict[str, Any] = {
        "id": questionnaire.id,
        "version": questionnaire.version,
        "title_fr": questionnaire.title_fr,
        "title_en": questionnaire.title_en,
    }
    if questionnaire.diagnostic_questions:
        data["diagnostic_questions"] = list(questionnaire.diagnostic_questions)
    if questionnaire.languages != DEFAULT_LANGUAGES:
        data["languages"] = list(questionnaire.languages)
    if questionnaire.metadata:
        data["metadata"] = [{"type": t, "name": n} for t, n in questionnaire.metadata]
    data["sections"] = [_section_to_dict(section) for section in questionnaire.sections]
    return data


def _section_to_dict(section: Section) -> dict[str, Any]:
    data: dict[str, Any] = {"id": section.id}
    if section.label_fr or section.label_en:
        data["label_fr"], data["label_en"] = section.label_fr, section.label_en
    if not section.grouped:
        data["grouped"] = False
    for key in ("relevant", "parent", "appearance"):
        if getattr(section, key) is not None:
            data[key] = getattr(section, key)
    data["questions"] = [_question_to_dict(q) for q in section.questions]
    return data


def _question_to_dict(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"id": question.id, "type": question.type.value}
    if question.label_fr or question.label_en:
        data["label_fr"], data["label_en"] = question.label_fr, question.label_en
    if question.required:
        data["required"] = True
    if question.integer:
        data["integer"] = True
    if question.or_other:
        data["or_other"] = True
    for key in _QUESTION_OPTIONAL:
        value = getattr(question, key)
        if value is not None:
            data[key] = value
    # The standard yes/no labels are implied by the type; write only custom ones.
    if question.choices and question.choices != YES_NO_CHOICES:
        data["choices"] = [
            {
                "code": c.code,
                "label_fr": c.label_fr,
                "label_en": c.label_en,
                **({"properties": dict(c.properties)} if c.properties else {}),
            }
            for c in question.choices
        ]
    return data


def parse_questionnaire_yaml(text: str) -> Questionnaire:
    """A questionnaire from YAML text (JSON is YAML too)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise QuestionnaireError(f"not valid YAML: {error}") from error
    return questionnaire_from_dict(data)


def questionnaire_to_yaml(questionnaire: Questionnaire) -> str:
    """The canonical YAML text of a questionnaire."""
    return yaml.safe_dump(
        questionnaire_to_dict(questionnaire), allow_unicode=True, sort_keys=False, width=100
    )


def questionnaire_to_json(questionnaire: Questionnaire) -> str:
    """The canonical JSON text of a questionnaire."""
    return json.dumps(questionnaire_to_dict(questionnaire), ensure_ascii=False, indent=2) + "\n"


@functools.cache  # questionnaires are immutable, so one parse serves every caller
def load_builtin(name: str = "bpi2018") -> Questionnaire:
    """A questionnaire shipped with barometre, by name (``"bpi2018"``: the 2018 instrument)."""
    if name not in BUILTINS:
        raise QuestionnaireError(
            f"no built-in questionnaire {name!r}; available: {', '.join(BUILTINS)}"
        )
    text = (
        resources.files("barometre.questionnaire")
        .joinpath("data", f"{name}.yaml")
        .read_text("utf-8")
    )
    return parse_questionnaire_yaml(text)


def diagnostic_subset(questionnaire: Questionnaire) -> Questionnaire:
    """The short self-diagnostic: the questionnaire's ``diagnostic_questions``, in order.

    Its id is the questionnaire's id followed by ``-diagnostic``, so answers to it are never
    mistaken for answers to the full instrument.
    """
    if not questionnaire.diagnostic_questions:
        raise QuestionnaireError(
            f"questionnaire {questionnaire.id!r} defines no diagnostic questions"
        )
    suffix = "-diagnostic"
    short_id = questionnaire.id if questionnaire.id.endswith(suffix) else questionnaire.id + suffix
    return questionnaire.subset(questionnaire.diagnostic_questions, id=short_id)


_TEXT_SUFFIXES: Final = (".yaml", ".yml", ".json")


def read_questionnaire_file(path: str | Path) -> Questionnaire:
    """Read a questionnaire from the file named: XLSForm (.xlsx), YAML or JSON by suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xls"):
        return read_xlsform(path)
    if suffix not in _TEXT_SUFFIXES:
        raise QuestionnaireError(
            f"{path}: unknown questionnaire format; use .xlsx, .xls, .yaml or .json"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise QuestionnaireError(f"{path}: cannot be read ({error.strerror})") from error
    try:
        return parse_questionnaire_yaml(text)
    except QuestionnaireError as error:
        raise QuestionnaireError(
            f"{path}: {error}", question_id=error.question_id, field=error.field
        ) from error


def write_questionnaire_file(questionnaire: Questionnaire, path: str | Path) -> None:
    """Write a questionnaire to the file named: XLSForm (.xlsx), YAML or JSON by suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        write_xlsform(questionnaire, path)
    elif suffix == ".json":
        path.write_text(questionnaire_to_json(questionnaire), encoding="utf-8")
    elif suffix in (".yaml", ".yml"):
        path.write_text(questionnaire_to_yaml(questionnaire), encoding="utf-8")
    else:
        raise QuestionnaireError(f"{path}: unknown questionnaire format; use .xlsx, .yaml or .json")
