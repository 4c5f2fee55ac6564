"""Step 4: exports of a wave: CSV and Parquet (coded), Excel with labels, SPSS and Stata.

Pseudonymised by default: only the case id, the design variables and the closed questions'
columns leave the building; contact data, registry ids and free text (which can name people)
are dropped. SPSS and Stata files hold categorical answers as numbers 1..k in questionnaire
order with value labels, since Stata labels only integers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from barometre.questionnaire import Language, Questionnaire, QuestionType
from barometre.report.codebook import DESIGN_VARIABLES, Variable, variables, write_codebook
from barometre.report.errors import ExportError
from barometre.report.i18n import check_lang, t

DESIGN_COLUMNS = (
    "case_id",
    "stratum",
    "size_band",
    "sector",
    "region",
    "fpc",
    "design_weight",
    "weight",
    "present",
)


@dataclass(frozen=True)
class ExportPaths:
    """Where the exports of a wave were written."""

    csv: Path
    parquet: Path
    xlsx: Path
    sav: Path
    dta: Path
    codebook_md: Path
    codebook_html: Path


def pseudonymise(wave: pl.DataFrame, questionnaire: Questionnaire) -> pl.DataFrame:
    """The wave with only the case id, design variables and closed-question columns."""
    if "case_id" not in wave.columns:
        raise ExportError("the wave has no case_id column; exports identify firms by case id only")
    keep = set(DESIGN_COLUMNS) | {v.name for v in variables(questionnaire)}
    text = {q.id for q in questionnaire.questions if q.type is QuestionType.TEXT}
    return wave.select([c for c in wave.columns if c in keep and c not in text])


def _labelled_variables(
    frame: pl.DataFrame, questionnaire: Questionnaire, lang: Language
) -> list[Variable]:
    known = {v.name: v for v in variables(questionnaire, lang)}
    return [known[c] for c in frame.columns if c in known]


def _column_labels(
    frame: pl.DataFrame, questionnaire: Questionnaire, lang: Language
) -> dict[str, str | None]:
    labels: dict[str, str | None] = {
        v.name: v.label for v in _labelled_variables(frame, questionnaire, lang)
    }
    for name, (fr, en) in DESIGN_VARIABLES.items():
        labels.setdefault(name, fr if lang == "fr" else en)
    return {c: labels.get(c, c) for c in frame.columns}


def numeric_coded(frame: pl.DataFrame, questionnaire: Questionnaire) -> pl.DataFrame:
    """Categorical answers as 1..k (questionnaire order); unknown codes raise ExportError."""
    out = frame
    for v in _labelled_variables(frame, questionnaire, "fr"):
        if v.type == "multiple" or not v.codes:
            continue
        mapping = {code: n for n, code, _ in v.codes}
        unknown = set(frame[v.name].drop_nulls().unique().to_list()) - set(mapping)
        if unknown:
            raise ExportError(
                f"column {v.name!r} holds codes not in the questionnaire: {sorted(unknown)}"
            )
        out = out.with_columns(pl.col(v.name).replace_strict(mapping, return_dtype=pl.Int32))
    return out


def value_labels(
    frame: pl.DataFrame, questionnaire: Questionnaire, lang: Language
) -> dict[str, dict[int | float, str]]:
    """{column: {number: label}} for every labelled column of `frame`."""
    return {
        v.name: {int(n): label for n, _, label in v.codes}
        for v in _labelled_variables(frame, questionnaire, lang)
        if v.codes
    }


def write_sav(
    frame: pl.DataFrame, questionnaire: Questionnaire, path: Path, lang: Language = "fr"
) -> Path:
    """SPSS .sav with variable and value labels."""
    import pyreadstat

    coded = numeric_coded(frame, questionnaire)
    try:
        pyreadstat.write_sav(
            coded.to_pandas(),
            str(path),
            column_labels=_column_labels(frame, questionnaire, lang),
            variable_value_labels=value_labels(frame, questionnaire, lang),
        )
    except Exception as ex:
        raise ExportError(f"could not write SPSS file {path}: {ex}") from ex
    return Path(path)


def write_dta(
    frame: pl.DataFrame, questionnaire: Questionnaire, path: Path, lang: Language = "fr"
) -> Path:
    """Stata .dta (version 15) with variable labels (80 bytes at most) and value labels."""
    import pyreadstat

    coded = numeric_coded(frame, questionnaire)
    # Stata labels values of integer columns only, and caps variable labels at 80 bytes.
    coded = coded.with_columns(pl.col(pl.Int8, pl.Int16, pl.Int32).cast(pl.Int32))
    labels: dict[str, str | None] = {
        c: None if lab is None else _fit_bytes(lab, 80)
        for c, lab in _column_labels(frame, questionnaire, lang).items()
    }
    names = stata_names(coded.columns)
    try:
        pyreadstat.write_dta(
            coded.rename(names).to_pandas(),
            str(path),
            column_labels={names[c]: lab for c, lab in labels.items()},
            variable_value_labels={
                names[c]: m for c, m in value_labels(frame, questionnaire, lang).items()
            },
        )
    except Exception as ex:
        raise ExportError(f"could not write Stata file {path}: {ex}") from ex
    return Path(path)


STATA_NAME_LENGTH = 30


def stata_names(columns: list[str]) -> dict[str, str]:
    """Column -> Stata name: at most 30 characters, unique.

    Stata allows 32, but pyreadstat names each value-label set after its variable plus a
    counter, and that name must fit in 32 too.
    """
    out: dict[str, str] = {}
    taken: set[str] = set()
    for c in columns:
        name = c[:STATA_NAME_LENGTH]
        k = 1
        while name in taken:
            suffix = str(k)
            name = c[: STATA_NAME_LENGTH - len(suffix)] + suffix
            k += 1
        taken.add(name)
        out[c] = name
    return out


def _fit_bytes(text: str, limit: int) -> str:
    if len(text.encode("utf-8")) <= limit:
        return text
    while len((text + "…").encode("utf-8")) > limit:
        text = text[:-1]
    return text + "…"


def write_excel(
    frame: pl.DataFrame, questionnaire: Questionnaire, path: Path, lang: Language = "fr"
) -> Path:
    """Excel workbook: a data sheet with labels instead of codes, and a codebook sheet."""
    from openpyxl import Workbook

    check_lang(lang)
    wb = Workbook(write_only=True)
    data = wb.create_sheet("data" if lang == "en" else "donnees")
    labelled = frame
    for v in _labelled_variables(frame, questionnaire, lang):
        mapping = {code: label for _, code, label in v.codes}
        if v.type == "multiple":
            mapping = {"0": t("not_chosen", lang), "1": t("chosen", lang)}
        labelled = labelled.with_columns(
            pl.col(v.name)
            .cast(pl.Utf8)
            .replace_strict(mapping, default=pl.col(v.name).cast(pl.Utf8))
        )
    data.append(list(frame.columns))
    data.append([_column_labels(frame, questionnaire, lang)[c] for c in frame.columns])
    for row in labelled.iter_rows():
        data.append(list(row))
    book = wb.create_sheet(t("codebook", lang)[:31])
    book.append([t("variable", lang), t("question", lang), t("type", lang), "code", "label"])
    for v in _labelled_variables(frame, questionnaire, lang):
        if not v.codes:
            book.append([v.name, v.label, v.type, None, None])
        for n, code, label in v.codes:
            book.append([v.name, v.label, v.type, n if v.type != "multiple" else code, label])
    try:
        wb.save(path)
    except OSError as ex:
        raise ExportError(f"could not write Excel file {path}: {ex}") from ex
    return Path(path)


def export_wave(
    wave: pl.DataFrame,
    questionnaire: Questionnaire,
    out_dir: Path,
    *,
    lang: str = "fr",
    stem: str = "wave",
    pseudonymised: bool = True,
) -> ExportPaths:
    """Write every export of a wave (and its codebook) into `out_dir`."""
    language = check_lang(lang)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    frame = pseudonymise(wave, questionnaire) if pseudonymised else wave
    csv, parquet = out_dir / f"{stem}.csv", out_dir / f"{stem}.parquet"
    frame.write_csv(csv)
    frame.write_parquet(parquet)
    xlsx = write_excel(frame, questionnaire, out_dir / f"{stem}.xlsx", language)
    sav = write_sav(frame, questionnaire, out_dir / f"{stem}.sav", language)
    dta = write_dta(frame, questionnaire, out_dir / f"{stem}.dta", language)
    md, html = write_codebook(questionnaire, out_dir, language)
    return ExportPaths(csv, parquet, xlsx, sav, dta, md, html)
