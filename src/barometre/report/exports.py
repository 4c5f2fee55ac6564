"""Step 4: exports of a wave: CSV and Parquet (coded), Excel with labels, SPSS and Stata.

Pseudonymised by default: only the case id, the design variables and the closed questions'
columns leave the building; contact data, registry ids and free text (which can name people)
are dropped. SPSS and Stata files hold categorical answers as numbers 1..k in questionnaire
order with value labels, since Stata labels only integers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from barometre.questionnaire import Language, Questionnaire, QuestionType
from barometre.report._xlsx import write_workbook
from barometre.report.codebook import DESIGN_VARIABLES, Variable, variables, write_codebook
from barometre.report.errors import ExportError
from barometre.report.i18n import check_lang, t

if TYPE_CHECKING:
    from barometre.report.estimation import DesignInfo

REPLICATE_PREFIX = "repw_"

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
    replicate_scales: Path | None = None
    replicate_do: Path | None = None
    replicate_dta: Path | None = None


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


# Dates and times are stored as ISO texts; SPSS and Stata get them as their own types.
SAV_FORMATS = {"date": "DATE11", "time": "TIME8", "datetime": "DATETIME20"}
DTA_FORMATS = {"date": "%td", "time": "%tcHH:MM:SS", "datetime": "%tc"}


def temporal_columns(frame: pl.DataFrame, questionnaire: Questionnaire) -> dict[str, str]:
    """{column: "date" | "time" | "datetime"} for the frame's date and time questions."""
    kinds = {v.name: v.type for v in _labelled_variables(frame, questionnaire, "fr")}
    return {c: k for c, k in kinds.items() if k in SAV_FORMATS}


def _moment(kind: str, text: object) -> dt.date | dt.time | dt.datetime | None:
    """An ISO date, time or date-time text as a value; None when empty or malformed."""
    if not isinstance(text, str) or not text:
        return None
    try:
        if kind == "date":
            return dt.date.fromisoformat(text[:10])
        if kind == "time":
            return dt.time.fromisoformat(text)
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _to_pandas_typed(coded: pl.DataFrame, temporal: dict[str, str]) -> Any:
    """The frame for pyreadstat: ISO texts parsed to dates, times and date-times."""
    frame = coded.to_pandas()
    for column, kind in temporal.items():
        frame[column] = pd_objects([_moment(kind, v) for v in coded[column].to_list()])
    return frame


def pd_objects(values: list[Any]) -> Any:
    """A pandas object column (pyreadstat types a column of date / time objects by them)."""
    import pandas as pd

    return pd.Series(values, dtype=object)


def write_sav(
    frame: pl.DataFrame, questionnaire: Questionnaire, path: Path, lang: Language = "fr"
) -> Path:
    """SPSS .sav with variable and value labels, measure levels, dates and times as such."""
    import pyreadstat

    coded = numeric_coded(frame, questionnaire)
    temporal = temporal_columns(frame, questionnaire)
    measures = {v.name: v.measure for v in _labelled_variables(frame, questionnaire, lang)}
    try:
        pyreadstat.write_sav(
            _to_pandas_typed(coded, temporal),
            str(path),
            column_labels=_column_labels(frame, questionnaire, lang),
            variable_value_labels=value_labels(frame, questionnaire, lang),
            variable_measure=measures,
            variable_format={c: SAV_FORMATS[k] for c, k in temporal.items()},
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
    temporal = temporal_columns(frame, questionnaire)
    try:
        pyreadstat.write_dta(
            _to_pandas_typed(coded, temporal).rename(columns=names),
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
    check_lang(lang)
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
    data: list[list[Any]] = [list(frame.columns)]
    data.append([_column_labels(frame, questionnaire, lang)[c] for c in frame.columns])
    data.extend(list(row) for row in labelled.iter_rows())
    book: list[list[Any]] = [
        [t("variable", lang), t("question", lang), t("type", lang), "code", "label"]
    ]
    for v in _labelled_variables(frame, questionnaire, lang):
        if not v.codes:
            book.append([v.name, v.label, v.type, None, None])
        for n, code, label in v.codes:
            book.append([v.name, v.label, v.type, n if v.type != "multiple" else code, label])
    sheets = [("data" if lang == "en" else "donnees", data), (t("codebook", lang)[:31], book)]
    try:
        write_workbook(Path(path), sheets)
    except OSError as ex:
        raise ExportError(f"could not write Excel file {path}: {ex}") from ex
    return Path(path)


@dataclass(frozen=True)
class ReplicateWeights:
    """JKn replicate weights of a wave, recalibrated in each replicate, and their scales."""

    weights: pl.DataFrame  # repw_1..repw_R, one row per respondent in the wave's order
    scale: float
    rscales: tuple[float, ...]


def replicate_weights(wave: pl.DataFrame, design: DesignInfo) -> ReplicateWeights:
    """The delete-one jackknife (JKn) replicate weights of the wave's (calibrated) design.

    Each replicate drops one respondent, rescales the others of its stratum by n_h / (n_h - 1)
    and goes through the wave's calibration again (R: `as.svrepdesign(type = "JKn")` then
    `calibrate` of the replicate design), so a margin known exactly has no replicate variance.
    Variance: scale x sum_r rscale_r (theta_r - mean theta)^2, rscale_r = (1 - f_h)(n_h - 1)/n_h.
    """
    from barometre.stats import StatsError

    try:
        reps = design.design(wave).jackknife(recalibrate=True)
        weights = reps.replicate_weights(prefix=REPLICATE_PREFIX)
    except StatsError as ex:
        raise ExportError(f"replicate weights: {ex}") from ex
    return ReplicateWeights(weights, float(reps.scale), tuple(float(r) for r in reps.rscales))


def _write_replicates(
    frame: pl.DataFrame, reps: ReplicateWeights, out_dir: Path, stem: str
) -> tuple[Path, Path, Path]:
    names = reps.weights.columns
    scales = out_dir / "replicate_scales.csv"
    pl.DataFrame(
        {
            "replicate": names,
            "rscale": list(reps.rscales),
            "scale": [reps.scale] * len(names),
        }
    ).write_csv(scales)
    dta = out_dir / "replicate_weights.dta"
    keyed = pl.concat([frame.select("case_id", "weight"), reps.weights], how="horizontal")
    import pyreadstat

    try:
        pyreadstat.write_dta(keyed.to_pandas(), str(dta))
    except Exception as ex:
        raise ExportError(f"could not write Stata file {dta}: {ex}") from ex
    multipliers = [f"{reps.scale * r:.17g}" for r in reps.rscales]
    chunks = [" ".join(multipliers[i : i + 8]) for i in range(0, len(multipliers), 8)]
    do = out_dir / "replicate_weights.do"
    do.write_text(
        "* JKn replicate weights, recalibrated in each replicate (see codebook.md).\n"
        "* Variance = sum_r multiplier_r (theta_r - mean theta)^2, as R svrepdesign(type=JKn).\n"
        f'use "{stem}.dta", clear\n'
        'merge 1:1 case_id using "replicate_weights.dta", nogenerate assert(match)\n'
        f"svyset [pweight = weight], vce(jackknife) jkrweight({names[0]}-{names[-1]}, ///\n"
        "    multiplier( ///\n" + "".join(f"    {c} ///\n" for c in chunks) + "    ))\n"
        "svy: proportion activity\n",
        encoding="utf-8",
    )
    return scales, do, dta


def export_wave(
    wave: pl.DataFrame,
    questionnaire: Questionnaire,
    out_dir: Path,
    *,
    lang: str = "fr",
    stem: str = "wave",
    pseudonymised: bool = True,
    design: DesignInfo | None = None,
    replicate_weights: bool = False,
) -> ExportPaths:
    """Write every export of a wave (and its codebook) into `out_dir`.

    With `replicate_weights`, the CSV and Parquet files also carry the JKn replicate weights
    `repw_1..repw_R` of `design` (the wave's calibrated design; plain when None), recalibrated
    in each replicate, with `replicate_scales.csv`, `replicate_weights.dta` (by case id) and
    `replicate_weights.do` (Stata's svyset); the codebook says how to declare them.
    """
    from barometre.report.estimation import DesignInfo

    language = check_lang(lang)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    frame = pseudonymise(wave, questionnaire) if pseudonymised else wave
    reps = _replicates(wave, design or DesignInfo()) if replicate_weights else None
    flat = frame if reps is None else pl.concat([frame, reps.weights], how="horizontal")
    csv, parquet = out_dir / f"{stem}.csv", out_dir / f"{stem}.parquet"
    flat.write_csv(csv)
    flat.write_parquet(parquet)
    xlsx = write_excel(frame, questionnaire, out_dir / f"{stem}.xlsx", language)
    sav = write_sav(frame, questionnaire, out_dir / f"{stem}.sav", language)
    dta = write_dta(frame, questionnaire, out_dir / f"{stem}.dta", language)
    md, html = write_codebook(
        questionnaire, out_dir, language, replicates=0 if reps is None else reps.weights.width
    )
    if reps is None:
        return ExportPaths(csv, parquet, xlsx, sav, dta, md, html)
    scales, do, rep_dta = _write_replicates(frame, reps, out_dir, stem)
    return ExportPaths(csv, parquet, xlsx, sav, dta, md, html, scales, do, rep_dta)


def _replicates(wave: pl.DataFrame, design: DesignInfo) -> ReplicateWeights:
    return replicate_weights(wave, design)
