"""The sampling frame: companies in scope, read from the SIRENE stock, with a report per filter.

The stock file is streamed (polars' streaming engine): a national stock of about 30 million
legal units is read in bounded memory, and only the units in scope are materialised.
Each filter says how many units it removed; rows that cannot be trusted (bad SIREN
checksum, unknown codes, broken quoting, wrong field count) are set aside, counted, and
sampled with their line numbers, never silently dropped and never allowed to stop the import.
"""

from __future__ import annotations

import codecs
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from barometre.campaign import sirene as s
from barometre.campaign._csvcheck import LINE, BadLine, FrameSourceError, check_csv, read_header

__all__ = [
    "BadLine",
    "FilterStep",
    "Frame",
    "FrameFilters",
    "FrameReport",
    "FrameSourceError",
    "import_frame",
]

FrameProgress = Callable[[str, int, int], None]
"""(step, done, total): rows of legal units read so far and in the file (0: unknown)."""


def _silent(step: str, done: int, total: int) -> None:
    """The default progress callback: says nothing."""


DEFAULT_TURNOVER_RANGE = (2_000_000.0, 1_500_000_000.0)
"""The 2018 study's scope: turnover between 2 M€ and 1.5 bn€."""

FRAME_COLUMNS = (
    "siren",
    "name",
    "legal_category",
    "naf",
    "naf_section",
    "sector",
    "headcount_code",
    "size_band",
    "category",
)
ADDRESS_COLUMNS = (
    "siret",
    "address_complement",
    "street",
    "special_delivery",
    "postcode",
    "city",
    "municipality",
    "department",
    "region",
)


@dataclass(frozen=True, slots=True)
class FrameFilters:
    """Which legal units are in scope. `None` switches a filter off."""

    active_only: bool = True
    naf_rev2_only: bool = True
    excluded_naf: tuple[str, ...] = s.DEFAULT_EXCLUDED_NAF
    """Section letters (``A``), divisions (``64``) or full codes (``64.20Z``)."""
    categories: tuple[str, ...] | None = ("PME", "ETI")
    size_bands: tuple[str, ...] | None = None
    headcount_codes: tuple[str, ...] | None = None
    turnover_range: tuple[float, float] | None = DEFAULT_TURNOVER_RANGE
    """Applied only when financial data is given; units without a turnover are then removed."""


@dataclass(frozen=True, slots=True)
class FilterStep:
    """One filter, in the order applied, and how many units it removed."""

    name: str
    description: str
    removed: int


@dataclass(frozen=True, slots=True)
class FrameReport:
    """What the import read, set aside and removed."""

    source: str
    rows_read: int
    bad_rows: int
    bad_rows_by_reason: tuple[tuple[str, int], ...]
    bad_row_sample: tuple[BadLine, ...]
    steps: tuple[FilterStep, ...]
    kept: int
    addresses_found: int | None = None
    """Units whose head office address was found (None without an establishments file)."""

    def lines(self) -> list[str]:
        """The report as plain text lines, for the CLI and logs."""
        out = [f"{self.source}: {self.rows_read:,} rows read"]
        out.append(f"  set aside as bad rows: {self.bad_rows:,}")
        out += [f"    {reason}: {n:,}" for reason, n in self.bad_rows_by_reason]
        out += [f"  removed by {st.name} ({st.description}): {st.removed:,}" for st in self.steps]
        out.append(f"  kept in the frame: {self.kept:,}")
        if self.addresses_found is not None:
            out.append(f"  head office address found: {self.addresses_found:,}")
        return out


@dataclass(frozen=True)
class Frame:
    """The units in scope (one row per legal unit, keyed by ``siren``) and how they were chosen."""

    units: pl.DataFrame
    report: FrameReport
    filters: FrameFilters = field(default_factory=FrameFilters)


EXTRA = "_extra_field"
"""An extra column past the header's: filled only on lines with too many fields."""


class _Recheck(Exception):
    """The fast path met a file it cannot trust (bad quoting, merged lines): check it."""


@dataclass(frozen=True, slots=True)
class _Source:
    lf: pl.LazyFrame
    bad: int
    by_reason: tuple[tuple[str, int], ...]
    sample: tuple[BadLine, ...]
    present: list[str]
    expected_rows: int | None
    """Data lines in the file, when the fast path must confirm it parsed them all."""


def _count_lines(path: Path) -> int:
    # Polars counts newlines natively when the only column is never split.
    lines = pl.scan_csv(
        path, has_header=False, separator="\x1f", quote_char=None, schema={"t": pl.String}
    )
    return int(lines.select(pl.len()).collect().item())


def _scan_source(
    path: Path,
    required: Sequence[str],
    optional: Sequence[str],
    source: str,
    workdir: Path,
    careful: bool,
) -> _Source:
    """A lazy scan of the columns we use plus `_line`, and the structural bad lines.

    The fast path hands the file straight to polars' parser, with one column more than the
    header to catch lines with too many fields; badly quoted files make polars fail, and
    then (``careful``) every line is checked first and the bad ones set aside.
    """
    if not path.exists():
        raise FrameSourceError(f"{path}: no such file")
    bad = 0
    by_reason: tuple[tuple[str, int], ...] = ()
    sample: tuple[BadLine, ...] = ()
    expected: int | None = None
    extra: list[pl.Expr] = []
    if path.suffix.lower() == ".parquet":
        columns = list(pl.scan_parquet(path).collect_schema().names())
        lf = pl.scan_parquet(path).with_row_index(LINE, offset=1)
    elif not careful:
        columns = list(read_header(path))
        names = [*columns, EXTRA]
        lf = pl.scan_csv(
            path,
            has_header=False,
            skip_rows=1,
            schema=dict.fromkeys(names, pl.String),
            truncate_ragged_lines=True,
            missing_columns="insert",
            encoding="utf8-lossy",
        ).with_row_index(LINE, offset=2)
        expected = _count_lines(path) - 1
        extra = [pl.col(EXTRA)]
    else:
        columns = list(read_header(path))
        checked = check_csv(path, source, workdir=workdir)
        lf = pl.scan_csv(checked.clean_path, infer_schema=False, encoding="utf8-lossy")
        lf = (
            lf.with_columns(pl.col(LINE).cast(pl.UInt32))
            if checked.has_line_column
            else lf.with_row_index(LINE, offset=2)
        )
        bad, by_reason, sample = (
            checked.bad_line_count,
            checked.bad_lines_by_reason,
            checked.bad_line_sample,
        )
    missing = [c for c in required if c not in columns]
    if missing:
        raise FrameSourceError(f"{path}: missing column(s) {', '.join(missing)}")
    present = [c for c in optional if c in columns]
    # A fully quoted file writes an empty field as "", which the parser reads as an empty
    # string, not a missing value: both mean "not given" in the stock.
    cast = [_blank_as_null(pl.col(c).cast(pl.String)).alias(c) for c in (*required, *present)]
    return _Source(
        lf.select(pl.col(LINE), *cast, *extra), bad, by_reason, sample, present, expected
    )


def _excluded_naf_expr(naf: pl.Expr, section: pl.Expr, excluded: Sequence[str]) -> pl.Expr:
    sections = [e for e in excluded if len(e) == 1]
    divisions = [e for e in excluded if len(e) == 2]
    codes = [e for e in excluded if len(e) > 2]
    # Only the parts in use: each one is a pass over every row of the stock.
    parts: list[pl.Expr] = []
    if sections:
        parts.append(section.is_in(sections))
    if divisions:
        parts.append(s.naf_division(naf).is_in(divisions))
    if codes:
        parts.append(naf.is_in(codes))
    return pl.any_horizontal(parts).fill_null(False) if parts else pl.lit(False)


def _name_expr(present: Sequence[str]) -> pl.Expr:
    candidates: list[pl.Expr] = []
    if s.UL_NAME in present:
        candidates.append(pl.col(s.UL_NAME))
    if s.UL_USUAL_NAME in present:
        candidates.append(pl.col(s.UL_USUAL_NAME))
    if s.UL_PERSON_LAST_NAME in present:
        person = pl.col(s.UL_PERSON_LAST_NAME)
        if s.UL_PERSON_FIRST_NAME in present:
            person = pl.concat_str(
                [pl.col(s.UL_PERSON_FIRST_NAME), person], separator=" ", ignore_nulls=True
            )
        candidates.append(person)
    return pl.coalesce(candidates) if candidates else pl.lit(None, dtype=pl.String)


_CHUNK = 1 << 24


def readable_csv(path: Path, workdir: Path) -> Path:
    """The CSV to read for `path`: itself, or the CSV inside INSEE's `.zip`, checked UTF-8.

    INSEE publishes the stock as `StockUniteLegale_utf8.zip`; the CSV inside is extracted
    into `workdir` (the import's temporary folder). A file that is not UTF-8 is refused
    with the file and line of the first bad byte, rather than read with garbled names.
    """
    if not path.exists():
        raise FrameSourceError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return path
    shown = str(path)
    if suffix == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
                if len(members) != 1:
                    raise FrameSourceError(
                        f"{path}: expected one CSV file in the archive, found {len(members)}"
                    )
                target = workdir / Path(members[0].filename).name
                with archive.open(members[0]) as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out, _CHUNK)
        except zipfile.BadZipFile as exc:
            raise FrameSourceError(f"{path}: not a readable zip archive ({exc})") from exc
        shown = f"{path} ({members[0].filename})"
        path = target
    _check_utf8(path, shown)
    return path


def _check_utf8(path: Path, shown: str) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                line += exc.object.count(b"\n", 0, exc.start)
                raise FrameSourceError(
                    f"{shown}, line {line}: not UTF-8 (byte 0x{exc.object[exc.start]:02X}); INSEE "
                    "publishes the stock in UTF-8 (the *_utf8.zip files): download that one, "
                    f"or convert this file first, e.g. iconv -f WINDOWS-1252 -t UTF-8"
                ) from None
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise FrameSourceError(
                f"{shown}, line {line}: the file ends inside a character"
            ) from None


def _blank_as_null(value: pl.Expr) -> pl.Expr:
    return pl.when(value == "").then(None).otherwise(value)


def _disclosed(value: pl.Expr) -> pl.Expr:
    """`value`, or null where INSEE withheld it ("[ND]"): never print "[ND]" on a letter."""
    return pl.when(value == s.WITHHELD).then(None).otherwise(value)


def _optional(name: str, present: Sequence[str]) -> pl.Expr:
    return pl.col(name) if name in present else pl.lit(None, dtype=pl.String)


_Reasons = tuple[tuple[str, int], ...]
_Sample = tuple[BadLine, ...]


def _read_financials(
    path: Path, workdir: Path, careful: bool
) -> tuple[pl.LazyFrame, int, _Reasons, _Sample]:
    source = _scan_source(path, ("siren", "turnover"), (), "financials", workdir, careful)
    lf, bad, by_reason, sample = source.lf, source.bad, source.by_reason, source.sample
    # A decimal comma is common in French exports; an unreadable amount reads as missing.
    turnover = pl.col("turnover").str.replace_all(r"[\s\u00a0]", "").str.replace(",", ".")
    fin = lf.select(
        pl.col("siren"), turnover.cast(pl.Float64, strict=False).alias("turnover")
    ).unique("siren", keep="last")
    return fin, bad, by_reason, sample


def import_frame(
    legal_units: Path,
    *,
    establishments: Path | None = None,
    financials: Path | None = None,
    filters: FrameFilters | None = None,
    sample_size: int = 20,
    progress: FrameProgress | None = None,
) -> Frame:
    """Read a SIRENE StockUniteLegale file (CSV or Parquet), apply `filters`, return the frame.

    `establishments` (StockEtablissement) adds the head office's postal address and region;
    `financials` (CSV or Parquet with ``siren,turnover``) enables the turnover filter.
    `progress(step, done, total)` is called as the legal units are read (rows so far, rows
    in the file, 0 when unknown) and when the head offices are joined.
    """
    filters = filters or FrameFilters()
    # A cleaned copy of a bad file can be as large as the file: it lives only during the import.
    with tempfile.TemporaryDirectory(prefix="barometre-frame-") as tmp:
        workdir = Path(tmp)
        legal_units = readable_csv(legal_units, workdir)
        establishments = readable_csv(establishments, workdir) if establishments else None
        financials = readable_csv(financials, workdir) if financials else None
        args = (legal_units, establishments, financials, filters, sample_size, workdir,
                progress or _silent)  # fmt: skip
        try:
            return _import(*args, careful=False)
        except _Recheck:
            return _import(*args, careful=True)


def _import(
    legal_units: Path,
    establishments: Path | None,
    financials: Path | None,
    filters: FrameFilters,
    sample_size: int,
    workdir: Path,
    progress: FrameProgress,
    careful: bool,
) -> Frame:
    progress("legal units", 0, 0)
    source = _scan_source(
        legal_units, s.UL_REQUIRED, s.UL_OPTIONAL, "legal_units", workdir, careful
    )
    progress("legal units", 0, source.expected_rows or 0)
    lf, present = source.lf, source.present
    struct_bad, struct_reasons, struct_sample = source.bad, source.by_reason, source.sample
    siren, state = pl.col(s.UL_SIREN), pl.col(s.UL_STATE)
    naf, headcount = pl.col(s.UL_NAF), pl.col(s.UL_HEADCOUNT)
    category = _optional(s.UL_CATEGORY, present)
    nomenclature = (
        pl.col(s.UL_NAF_NOMENCLATURE) if s.UL_NAF_NOMENCLATURE in present else pl.lit(s.NAF_REV2)
    )
    is_rev2 = nomenclature.fill_null(s.NAF_REV2) == s.NAF_REV2
    # One join against every well-formed NAF code gives validity, section and sector at once.
    # The frame keeps the file's order (INSEE sorts its stock by SIREN): no sort, no copy.
    lf = lf.join(
        s.naf_table().lazy(),
        left_on=s.UL_NAF,
        right_on="_naf",
        how="left",
        maintain_order="left",
    )
    section = pl.col("naf_section")

    # Codes are judged only where they are meant to be NAF rev. 2; older nomenclatures are
    # a filter (closed units keep their 1993 codes), not an error.
    too_many = pl.col(EXTRA).is_not_null() if source.expected_rows is not None else pl.lit(False)
    bad_reason = (
        pl.when(too_many)
        .then(pl.lit("wrong_field_count"))
        .when(~s.siren_is_valid(siren))
        .then(pl.lit("siren_checksum"))
        .when(state.is_not_null() & ~state.is_in(s.STATES))
        .then(pl.lit("unknown_state"))
        .when(headcount.is_not_null() & ~headcount.is_in(list(s.HEADCOUNT_TO_SIZE_BAND)))
        .then(pl.lit("unknown_headcount_code"))
        .when(is_rev2 & naf.is_not_null() & section.is_null())
        .then(pl.lit("unknown_naf_code"))
        .when(category.is_not_null() & ~category.is_in(s.CATEGORIES))
        .then(pl.lit("unknown_category"))
        .otherwise(None)
    )

    # Non-diffusible units: INSEE withholds their identity and address ("[ND]") and forbids
    # using them to canvass; they cannot get a letter or an e-mail, so they leave the frame
    # (counted, so the coverage gap is stated). Their withheld fields are not "bad rows".
    diffusion = _optional(s.UL_DIFFUSION, present)
    not_diffused = diffusion == s.NOT_DIFFUSED
    bad_reason = (
        pl.when(not_diffused.fill_null(False) & s.siren_is_valid(siren))
        .then(None)
        .otherwise(bad_reason)
    )

    band = s.size_band(headcount)
    steps: list[tuple[str, str, pl.Expr]] = [
        (
            "non_diffusible",
            "non-diffusible units, statutDiffusionUniteLegale = P: cannot be contacted",
            not_diffused,
        )
    ]
    if filters.active_only:
        steps.append(("active", "closed legal units", state != s.ACTIVE))
    if filters.naf_rev2_only:
        steps.append(("naf_rev2", "activity coded in an older nomenclature", ~is_rev2))
    steps.append(("activity_code", "no main activity code", naf.is_null()))
    if filters.excluded_naf:
        steps.append(
            (
                "excluded_naf",
                "NAF excluded: " + ", ".join(filters.excluded_naf),
                _excluded_naf_expr(naf, section, filters.excluded_naf),
            )
        )
    if filters.categories is not None:
        steps.append(
            (
                "category",
                "company category not in " + ", ".join(filters.categories),
                ~category.is_in(filters.categories).fill_null(False),
            )
        )
    if filters.headcount_codes is not None:
        steps.append(
            (
                "headcount_code",
                "headcount band not in " + ", ".join(filters.headcount_codes),
                ~headcount.fill_null("NN").is_in(filters.headcount_codes),
            )
        )
    if filters.size_bands is not None:
        steps.append(
            (
                "size_band",
                "size band not in " + ", ".join(filters.size_bands),
                ~band.is_in(filters.size_bands).fill_null(False),
            )
        )

    extra_bad: list[tuple[int, _Reasons, _Sample]] = []
    if financials is not None:
        fin, fbad, freasons, fsample = _read_financials(financials, workdir, careful)
        extra_bad.append((fbad, freasons, fsample))
        lf = lf.join(fin, left_on=s.UL_SIREN, right_on="siren", how="left", maintain_order="left")
        turnover = pl.col("turnover")
        steps.append(("turnover_missing", "no turnover in the financial data", turnover.is_null()))
        if filters.turnover_range is not None:
            lo, hi = filters.turnover_range
            steps.append(
                (
                    "turnover_range",
                    f"turnover outside {lo:,.0f}-{hi:,.0f} €",
                    (turnover < lo) | (turnover > hi),
                )
            )

    drop = pl.lit(None, dtype=pl.String)
    for name, _, removes in reversed(steps):
        drop = pl.when(removes.fill_null(False)).then(pl.lit(name)).otherwise(drop)
    marked = lf.with_columns(bad_reason.alias("_bad"), drop.alias("_drop"))

    outputs = [
        siren.alias("siren"),
        _disclosed(_name_expr(present)).alias("name"),
        _optional(s.UL_LEGAL_CATEGORY, present).alias("legal_category"),
        naf.alias("naf"),
        section.alias("naf_section"),
        pl.col("sector"),
        headcount.fill_null("NN").alias("headcount_code"),
        band.alias("size_band"),
        category.alias("category"),
        *([pl.col("turnover")] if financials is not None else []),
        _optional(s.UL_HEAD_OFFICE_NIC, present).alias("_nic"),
    ]
    try:
        units, counts, sample = _collect(
            marked, outputs, sample_size, lambda done: progress(
                "legal units", done, source.expected_rows or 0)
        )  # fmt: skip
    except pl.exceptions.ComputeError as exc:
        if careful:
            raise FrameSourceError(f"{legal_units}: cannot be parsed ({exc})") from exc
        raise _Recheck from exc
    if source.expected_rows is not None and int(counts["n"].sum()) != source.expected_rows:
        raise _Recheck  # lines were merged by a stray quote, or empty lines skipped

    content_bad: dict[str, int] = {}
    removed: dict[str, int] = {}
    rows_read = struct_bad
    for bad, dropped, n in counts.iter_rows():
        rows_read += n
        if bad is not None:
            content_bad[bad] = content_bad.get(bad, 0) + n
        elif dropped is not None:
            removed[dropped] = removed.get(dropped, 0) + n
    reasons: dict[str, int] = dict(struct_reasons)
    for reason, n in content_bad.items():
        reasons[reason] = reasons.get(reason, 0) + n
    bad_sample = list(struct_sample) + [
        BadLine("legal_units", int(line), str(reason), f"siren={sid}")
        for line, reason, sid in sample.iter_rows()
    ]
    for _fbad, freasons, fsample in extra_bad:
        for reason, n in freasons:
            reasons["financials_" + reason] = reasons.get("financials_" + reason, 0) + n
        bad_sample += list(fsample)
    bad_sample.sort(key=lambda b: (b.source != "legal_units", b.line))

    addresses_found: int | None = None
    if establishments is not None:
        progress("head offices", rows_read, rows_read)
        units, _et_bad, et_reasons, et_sample = _join_head_offices(
            units, establishments, workdir, careful
        )
        addresses_found = int(units["postcode"].is_not_null().sum())
        for reason, n in et_reasons:
            reasons["establishments_" + reason] = reasons.get("establishments_" + reason, 0) + n
        bad_sample += list(et_sample)
    units = units.drop("_nic")
    progress("frame", rows_read, rows_read)

    report = FrameReport(
        source=str(legal_units),
        rows_read=rows_read,
        bad_rows=sum(
            n for r, n in reasons.items() if not r.startswith(("establishments_", "financials_"))
        ),
        bad_rows_by_reason=tuple(sorted(reasons.items())),
        bad_row_sample=tuple(bad_sample[: sample_size * 2]),
        steps=tuple(FilterStep(n, d, removed.get(n, 0)) for n, d, _ in steps),
        kept=units.height,
        addresses_found=addresses_found,
    )
    return Frame(units=units, report=report, filters=filters)


def _collect(
    marked: pl.LazyFrame, outputs: list[pl.Expr], sample_size: int, rows_read: Callable[[int], None]
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """One streaming pass: the kept units, the counts by reason, a sample of bad rows.

    Batches come back to Python and are split here: three sinks on one polars query
    buffered about a gigabyte more at 5 million rows than this single pass does.
    """
    query = marked.select(LINE, "_bad", "_drop", *outputs)
    parts: list[pl.DataFrame] = []
    bad_parts: list[pl.DataFrame] = []
    tallies: list[pl.DataFrame] = []
    bad_seen = 0
    read = 0
    for batch in query.collect_batches(engine="streaming"):
        read += batch.height
        rows_read(read)
        tallies.append(batch.group_by("_bad", "_drop").agg(pl.len().alias("n")))
        is_bad = batch["_bad"].is_not_null()
        if bad_seen < sample_size and is_bad.any():
            bad = batch.filter(is_bad).select(LINE, "_bad", "siren")
            bad_parts.append(bad.head(sample_size - bad_seen))
            bad_seen += bad.height
        kept = batch.filter(~is_bad & batch["_drop"].is_null())
        parts.append(kept.drop(LINE, "_bad", "_drop"))
    empty = query.drop(LINE, "_bad", "_drop").clear()
    units = pl.concat(parts, rechunk=False) if parts else empty.collect()
    counts = (
        pl.concat(tallies).group_by("_bad", "_drop").agg(pl.col("n").sum())
        if tallies
        else pl.DataFrame(schema={"_bad": pl.String, "_drop": pl.String, "n": pl.UInt32})
    )
    sample = (
        pl.concat(bad_parts)
        if bad_parts
        else pl.DataFrame(schema={LINE: pl.UInt32, "_bad": pl.String, "siren": pl.String})
    )
    return units, counts, sample


def _join_head_offices(
    units: pl.DataFrame, path: Path, workdir: Path, careful: bool
) -> tuple[pl.DataFrame, int, tuple[tuple[str, int], ...], tuple[BadLine, ...]]:
    """Add the head office's postal address (siren + nicSiegeUniteLegale) to each unit."""
    source = _scan_source(path, s.ET_REQUIRED, s.ET_OPTIONAL, "establishments", workdir, careful)
    lf, bad, by_reason, sample, present = (
        source.lf,
        source.bad,
        source.by_reason,
        source.sample,
        source.present,
    )
    wanted = (
        units.lazy()
        .select(pl.col("siren").alias(s.ET_SIREN), pl.col("_nic").alias(s.ET_NIC))
        .filter(pl.col(s.ET_NIC).is_not_null())
    )
    street = pl.concat_str(
        [
            _disclosed(_optional(s.ET_STREET_NUMBER, present)),
            _disclosed(_optional(s.ET_STREET_NUMBER_SUFFIX, present)),
            _disclosed(_optional(s.ET_STREET_TYPE, present)),
            _disclosed(_optional(s.ET_STREET_NAME, present)),
        ],
        separator=" ",
        ignore_nulls=True,
    )
    # A CEDEX address is delivered by its CEDEX code and label ("69421 LYON CEDEX 03"), not
    # the municipality's postcode and name: the postal line takes both from the CEDEX fields.
    cedex_code = _optional(s.ET_CEDEX_CODE, present)
    cedex_label = _optional(s.ET_CEDEX, present)
    cedex = (
        pl.when(cedex_label.is_null() & cedex_code.is_not_null())
        .then(pl.concat_str([pl.col(s.ET_CITY), pl.lit(" CEDEX")]))
        .when(cedex_label.is_not_null() & ~cedex_label.str.contains("CEDEX"))
        .then(pl.concat_str([cedex_label, pl.lit(" CEDEX")]))
        .otherwise(cedex_label)
    )
    municipality = _optional(s.ET_MUNICIPALITY, present)
    # An establishment not diffused has its address withheld: no address, so no letter.
    withheld = (_optional(s.ET_DIFFUSION, present) == s.NOT_DIFFUSED).fill_null(False)

    def shown(value: pl.Expr) -> pl.Expr:
        return pl.when(withheld).then(None).otherwise(_disclosed(value))

    query = (
        lf.join(wanted, on=[s.ET_SIREN, s.ET_NIC], how="semi")
        .select(
            pl.col(s.ET_SIREN).alias("siren"),
            pl.concat_str([pl.col(s.ET_SIREN), pl.col(s.ET_NIC)]).alias("siret"),
            shown(_optional(s.ET_ADDRESS_COMPLEMENT, present)).alias("address_complement"),
            shown(pl.when(street.str.len_chars() > 0).then(street)).alias("street"),
            shown(_optional(s.ET_SPECIAL_DELIVERY, present)).alias("special_delivery"),
            shown(pl.coalesce(cedex_code, pl.col(s.ET_POSTCODE))).alias("postcode"),
            shown(pl.coalesce(cedex, pl.col(s.ET_CITY))).alias("city"),
            municipality.alias("municipality"),
            s.department(municipality).alias("department"),
            s.region(municipality).alias("region"),
        )
        .unique("siren", keep="first")
    )
    try:
        offices = query.collect(engine="streaming")
    except pl.exceptions.ComputeError as exc:
        if careful:
            raise FrameSourceError(f"{path}: cannot be parsed ({exc})") from exc
        raise _Recheck from exc
    joined = units.join(offices, on="siren", how="left", maintain_order="left")
    return joined, bad, by_reason, sample
