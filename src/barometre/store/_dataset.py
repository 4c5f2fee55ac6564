"""The wave dataset: one row per responding company, in the format of docs/dev/vocabulary.md.

Coded answers by question type, then the design variables from the frame and the
sample, the final weight (stored weights, else the design weight) and `present`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl
import sqlalchemy as sa

from barometre.questionnaire import (
    NETWORK_QUESTIONS,
    PRESENT,
    Questionnaire,
    present_code,
    wide_columns,
    wide_row,
)
from barometre.store import schema as t
from barometre.store._base import StoreBase
from barometre.store._questionnaire import question_shape
from barometre.store._responses import decode_answer

# Frame values win over what a company says about itself (vocabulary.md).
FRAME_VARIABLES = ("size_band", "sector", "region")


def dataset_schema(questionnaire: Questionnaire) -> dict[str, Any]:
    """Column names and polars types of a wave dataset for this questionnaire, in order."""
    schema: dict[str, Any] = {"case_id": pl.String}
    for question in questionnaire.questions:
        shape = question_shape(question)
        if shape == "multiple":
            for column in wide_columns(question):
                schema[column] = pl.Int8
        elif shape == "number":
            schema[question.id] = pl.Float64
        else:
            schema[question.id] = pl.String
    schema["stratum"] = pl.String
    for name in FRAME_VARIABLES:
        schema.setdefault(name, pl.String)
    schema["design_weight"] = pl.Float64
    schema["weight"] = pl.Float64
    schema[PRESENT] = pl.String
    return schema


def build_rows(
    questionnaire: Questionnaire, cases: Sequence[Mapping[str, Any]]
) -> dict[str, list[Any]]:
    """Dataset columns from cases (design variables plus an `answers` mapping each)."""
    schema = dataset_schema(questionnaire)
    columns: dict[str, list[Any]] = {name: [] for name in schema}
    questions = list(questionnaire.questions)
    asked = {q.id for q in questions}
    networks = [n for n in NETWORK_QUESTIONS if n in asked]
    for case in cases:
        answers = case["answers"]
        columns["case_id"].append(case["case_id"])
        for column, value in wide_row(questions, answers).items():
            columns[column].append(value)
        for name in FRAME_VARIABLES:
            if name not in asked:
                columns[name].append(case[name])
            elif case[name] is not None:  # replaces the self-reported value appended above
                columns[name][-1] = case[name]
        columns["stratum"].append(case["stratum"])
        columns["design_weight"].append(case["design_weight"])
        weight = case["weight"]
        columns["weight"].append(case["design_weight"] if weight is None else weight)
        columns[PRESENT].append(present_code(answers, networks))
    return columns


class DatasetRepository(StoreBase):
    """The wave dataset, the hand-off from the store to statistics and reports."""

    def wave_dataset(self, wave_id: int, *, include_partial: bool = False) -> pl.DataFrame:
        """One row per responding company (complete responses; partial ones on request)."""
        statuses = ("complete", "partial") if include_partial else ("complete",)
        s, f, r = t.samples.c, t.frame_units.c, t.responses.c
        with self._read() as conn:
            wave = self._wave_row(conn, wave_id)
            questionnaire = self._questionnaire(
                conn, wave.questionnaire_id, wave.questionnaire_version
            )
            rows = conn.execute(
                sa.select(
                    r.id, s.case_id, s.stratum, s.design_weight, f.size_band, f.sector,
                    f.region, t.weights.c.weight,
                )
                .join(t.samples, s.id == r.sample_id)
                .join(t.frame_units, f.id == s.unit_id)
                .outerjoin(t.weights, t.weights.c.sample_id == s.id)
                .where(r.wave_id == wave_id, r.status.in_(statuses))
                .order_by(s.case_id)
            ).all()  # fmt: skip
            answers: dict[int, dict[str, Any]] = {row.id: {} for row in rows}
            for response_id, question_id, text in conn.execute(
                sa.select(t.answers.c.response_id, t.answers.c.question_id, t.answers.c.value_json)
                .join(t.responses, r.id == t.answers.c.response_id)
                .where(r.wave_id == wave_id, r.status.in_(statuses))
            ):
                answers[response_id][question_id] = decode_answer(text)
        cases = [{**row._asdict(), "answers": answers[row.id]} for row in rows]
        return pl.DataFrame(build_rows(questionnaire, cases), schema=dataset_schema(questionnaire))
