"""The printable paper questionnaire: a PDF drawn from any questionnaire's data.

Black on white only (it is photocopied and faxed), numbered questions, one tick box per
choice, boxes for numbers, dates and times, ruled lines for texts, and the skip logic
written out in words ("Si « Non », passez à la question 7."; "Répondez si vous avez répondu
« Oui » à la question 2."). With a case's code, its first page carries the code and the QR
of the personal link, and every page's footer repeats the code, so a loose page finds its
case. `draw_paper_questionnaire` draws onto an open canvas (the letters append it);
`paper_questionnaire_pdf` makes a file of it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from barometre.campaign.letters import _draw_qr, _fonts
from barometre.questionnaire import Question, Questionnaire, QuestionType, pipe
from barometre.questionnaire import _expression as ex
from barometre.questionnaire._validate import relevance, section_chain

if TYPE_CHECKING:
    from barometre.campaign.codes import InvitationCode
    from barometre.campaign.storage import Links
    from barometre.store import Store

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
BOX = 4.2 * mm  # a tick box / a digit box
LINE = 5.2 * mm  # text line height
BOTTOM = 20 * mm
# The code box of a case's form and its QR code, from the top left of the first page.
CODE_BOX_TOP_MM = 15.0
CODE_BOX_HEIGHT_MM = 40.0
QR_SIZE_MM = 32.0
QR_TOP_MM = CODE_BOX_TOP_MM + (CODE_BOX_HEIGHT_MM - QR_SIZE_MM) / 2
QR_LEFT_MM = 210.0 - 18.0 - 4.0 - QR_SIZE_MM

_WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "paper": "Questionnaire papier",
        "how": (
            "Cochez une seule case par question, sauf si « plusieurs réponses possibles » est "
            "indiqué. Écrivez les nombres dans les cases, un chiffre par case. Renvoyez le "
            "questionnaire rempli dans l'enveloppe jointe, ou répondez en ligne."
        ),
        "code": "Votre code personnel",
        "online": "Ou répondez en ligne :",
        "several": "(plusieurs réponses possibles)",
        "optional": "(facultatif)",
        "skip": "Si « {choice} », passez à la question {number}.",
        "skip_end": "Si « {choice} », le questionnaire est terminé pour vous.",
        "ask_if": "Répondez si vous avez répondu {choices} à la question {number}.",
        "ask_if_any": "Répondez si vous avez répondu « {choice} » à l'une des questions {numbers}.",
        "ask_depends": "Question posée selon vos réponses aux questions {numbers}.",
        "or": " ou ",
        "and": " et ",
        "date": "JJ / MM / AAAA",
        "time": "HH : MM",
        "range": "Entourez ou cochez une valeur :",
        "agree": "J'ai lu et j'accepte",
        "answer_of": "(votre réponse à la question {number})",
        "page": "Page {page}",
        "other": "Autre, précisez :",
    },
    "en": {
        "paper": "Paper questionnaire",
        "how": (
            "Tick one box per question, unless 'several answers possible' is shown. Write "
            "numbers in the boxes, one digit per box. Return the completed questionnaire in "
            "the enclosed envelope, or answer online."
        ),
        "code": "Your personal code",
        "online": "Or answer online:",
        "several": "(several answers possible)",
        "optional": "(optional)",
        "skip": "If '{choice}', go to question {number}.",
        "skip_end": "If '{choice}', the questionnaire ends here for you.",
        "ask_if": "Answer if you answered {choices} to question {number}.",
        "ask_if_any": "Answer if you answered '{choice}' to any of questions {numbers}.",
        "ask_depends": "Asked depending on your answers to questions {numbers}.",
        "or": " or ",
        "and": " and ",
        "date": "DD / MM / YYYY",
        "time": "HH : MM",
        "range": "Circle or tick one value:",
        "agree": "I have read and agree",
        "answer_of": "(your answer to question {number})",
        "page": "Page {page}",
        "other": "Other, please specify:",
    },
}


def _quoted(text: str, lang: str) -> str:
    return f"« {text} »" if lang == "fr" else f"'{text}'"


def _join(items: Sequence[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + _WORDS[lang]["or"] + items[-1]


@dataclass(frozen=True)
class PaperForm:
    """What a paper questionnaire is printed for: a case's code and link, or none (blank)."""

    code: str | None = None
    url: str | None = None


def question_numbers(questionnaire: Questionnaire) -> dict[str, int]:
    """The printed number of every question a respondent answers (notes and calculations have
    none), in order."""
    numbers: dict[str, int] = {}
    for question in questionnaire.questions:
        if question.type.is_input:
            numbers[question.id] = len(numbers) + 1
    return numbers


def _conditions(questionnaire: Questionnaire, question: Question) -> list[ex.Expr]:
    chain = section_chain(questionnaire, questionnaire.section_of(question.id))
    exprs = [s.relevant_expr for s in chain] + [question.relevant_expr]
    return [e for e in exprs if e is not None]


def _equalities(expr: ex.Expr) -> list[tuple[str, str]] | None:
    """``${a} = 'x' or selected(${b}, 'y') or ...`` as [(a, x), (b, y)]; None otherwise."""
    if isinstance(expr, ex.BoolOp) and expr.op == "or":
        left, right = _equalities(expr.left), _equalities(expr.right)
        return None if left is None or right is None else left + right
    if (
        isinstance(expr, ex.Compare)
        and expr.op == "="
        and isinstance(expr.left, ex.Ref)
        and isinstance(expr.right, ex.Literal)
        and isinstance(expr.right.value, str)
    ):
        return [(expr.left.name, expr.right.value)]
    if (
        isinstance(expr, ex.Call)
        and expr.name == "selected"
        and isinstance(expr.args[0], ex.Ref)
        and isinstance(expr.args[1], ex.Literal)
        and isinstance(expr.args[1].value, str)
    ):
        return [(expr.args[0].name, expr.args[1].value)]
    return None


def ask_instruction(questionnaire: Questionnaire, question: Question, lang: str) -> str | None:
    """When a question is filtered, the filter in words; None when it is always asked."""
    exprs = _conditions(questionnaire, question)
    if not exprs:
        return None
    words, numbers = _WORDS[lang], question_numbers(questionnaire)
    refs = sorted(
        {r for e in exprs for r in ex.references(e) if r in numbers}, key=lambda r: numbers[r]
    )
    if len(exprs) == 1 and (pairs := _equalities(exprs[0])):
        sources = sorted({name for name, _ in pairs if name in numbers}, key=numbers.__getitem__)
        labels = {
            name: questionnaire.choice_label(name, code, lang)
            for name, code in pairs
            if name in numbers and code in questionnaire.question(name).codes
        }
        if len(sources) == 1 and len(labels) == 1:
            codes = [questionnaire.choice_label(sources[0], c, lang) for _, c in pairs]
            choices = _join([_quoted(c, lang) for c in codes], lang)
            return words["ask_if"].format(choices=choices, number=numbers[sources[0]])
        if len(sources) > 1 and len(set(labels.values())) == 1 and len(labels) == len(sources):
            listed = _join([str(numbers[s]) for s in sources], lang)
            return words["ask_if_any"].format(choice=next(iter(labels.values())), numbers=listed)
    if not refs:
        return None
    listed = _join([str(numbers[r]) for r in refs], lang).replace(words["or"], words["and"])
    return words["ask_depends"].format(numbers=listed)


def skip_instructions(questionnaire: Questionnaire, question: Question, lang: str) -> list[str]:
    """For a single choice, "if X, go to question N" for each choice that skips what follows."""
    if question.type not in (QuestionType.SINGLE, QuestionType.YES_NO, QuestionType.SCALE4):
        return []
    numbers = question_numbers(questionnaire)
    order = [q for q in questionnaire.questions if q.id in numbers]
    after = order[order.index(question) + 1 :]
    # The questions right after this one that depend on it alone.
    following: list[Question] = []
    for later in after:
        refs = {r for e in _conditions(questionnaire, later) for r in ex.references(e)}
        if refs != {question.id}:
            break
        following.append(later)
    if not following:
        return []
    lines = []
    for choice in question.offered_choices:
        asked = relevance(questionnaire, {question.id: choice.code})
        if asked[following[0].id]:
            continue
        skipped = 0
        while skipped < len(following) and not asked[following[skipped].id]:
            skipped += 1
        rest = after[skipped:]
        target = next((q for q in rest if asked.get(q.id, True)), None)
        label = choice.label(lang)
        if target is None:
            lines.append(_WORDS[lang]["skip_end"].format(choice=label))
        else:
            lines.append(_WORDS[lang]["skip"].format(choice=label, number=numbers[target.id]))
    return lines


class _Writer:
    """A cursor going down A4 pages, starting a new page (footer and all) when full."""

    def __init__(self, canvas: Canvas, lang: str, form: PaperForm, title: str) -> None:
        self.canvas, self.lang, self.form, self.title = canvas, lang, form, title
        self.regular, self.bold = _fonts()
        self.page = 1
        self.y = PAGE_HEIGHT - MARGIN
        self.width = PAGE_WIDTH - 2 * MARGIN

    def footer(self) -> None:
        c = self.canvas
        c.setFont(self.regular, 8)
        c.setFillColorRGB(0, 0, 0)
        text = _WORDS[self.lang]["page"].format(page=self.page)
        if self.form.code:
            text = f"{self.title} · {self.form.code} · {text}"
        c.drawRightString(PAGE_WIDTH - MARGIN, 10 * mm, text)

    def new_page(self) -> None:
        self.footer()
        self.canvas.showPage()
        self.page += 1
        self.y = PAGE_HEIGHT - MARGIN

    def need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.new_page()

    def lines_of(
        self, text: str, size: float, indent: float = 0, font: str | None = None
    ) -> list[str]:
        out: list[str] = []
        for paragraph in text.split("\n"):
            width = self.width - indent
            out += simpleSplit(paragraph, font or self.regular, size, width) or [""]
        return out

    def text(self, text: str, size: float = 10, *, bold: bool = False, indent: float = 0) -> None:
        font = self.bold if bold else self.regular
        for line in self.lines_of(text, size, indent, font):
            self.need(size * 1.35)
            self.canvas.setFont(font, size)
            self.canvas.drawString(MARGIN + indent, self.y - size, line)
            self.y -= size * 1.35

    def boxes(self, count: int, x: float, y: float) -> float:
        for i in range(count):
            self.canvas.rect(x + i * BOX, y, BOX, BOX, stroke=1, fill=0)
        return float(x + count * BOX)


def _filter_labels(questionnaire: Questionnaire, question: Question, lang: str) -> list[str]:
    """A cascading select's choices, each followed by the answer it goes with ("Rennes
    (Bretagne)"): on paper every choice is printed, so the filter is said in words."""
    labels = [choice.label(lang) for choice in question.offered_choices]
    if question.choice_filter_expr is None:
        return labels
    sources = [questionnaire.question(r) for r in ex.references(question.choice_filter_expr)]
    out = []
    for choice, label in zip(question.offered_choices, labels, strict=True):
        tags = [
            source.choice(value).label(lang)
            for _, value in choice.properties
            for source in sources
            if value in source.codes
        ]
        out.append(f"{label} ({', '.join(tags)})" if tags else label)
    return out


def _number_boxes(question: Question) -> tuple[int, int]:
    """How many digit boxes before and after the decimal comma."""
    high = max(abs(question.maximum or 0), abs(question.minimum or 0))
    digits = max(len(str(int(high))) if high else 6, 1)
    return min(digits, 10), 0 if question.integer else 2


def _draw_question(
    w: _Writer, questionnaire: Questionnaire, question: Question, number: int | None
) -> None:
    lang, words, c = w.lang, _WORDS[w.lang], w.canvas
    numbers = question_numbers(questionnaire)

    def missing(name: str) -> str:
        return words["answer_of"].format(number=numbers.get(name, "?"))

    label = pipe(question.label(lang), questionnaire, {}, lang, missing=missing)
    if question.type is QuestionType.NOTE:
        w.text(label, 9.5, indent=0)
        w.y -= 2 * mm
        return
    w.need(24 * mm)  # a question starts on the page that shows its first answer boxes
    instruction = ask_instruction(questionnaire, question, lang)
    if instruction:
        w.text(f"→ {instruction}", 8.5)
    head = f"{number}. {label}"
    if question.type is QuestionType.MULTIPLE:
        head += f" {words['several']}"
    if not question.required:
        head += f" {words['optional']}"
    w.text(head, 10.5, bold=True)
    hint = question.hint(lang)
    if hint:
        w.text(pipe(hint, questionnaire, {}, lang, missing=missing), 8.5, indent=4 * mm)
    c.setLineWidth(0.8)
    kind = question.type
    if kind.has_choices or kind is QuestionType.ACKNOWLEDGE:
        choices = (
            [words["agree"]]
            if kind is QuestionType.ACKNOWLEDGE
            else _filter_labels(questionnaire, question, lang)
        )
        for index, text in enumerate(choices):
            if question.or_other and index == len(choices) - 1:
                text = words["other"]
            parts = w.lines_of(text, 10, 12 * mm)
            w.need(max(len(parts), 1) * LINE + 1 * mm)
            w.boxes(1, MARGIN + 5 * mm, w.y - BOX - 0.5 * mm)
            for i, part in enumerate(parts):
                c.setFont(w.regular, 10)
                c.drawString(MARGIN + 12 * mm, w.y - 4 * mm - i * LINE, part)
            w.y -= max(len(parts), 1) * LINE + 0.5 * mm
            if question.or_other and index == len(choices) - 1:
                c.line(MARGIN + 50 * mm, w.y + 1.5 * mm, MARGIN + w.width, w.y + 1.5 * mm)
        for line in skip_instructions(questionnaire, question, lang):
            w.text(f"→ {line}", 9, indent=5 * mm)
    elif kind is QuestionType.NUMBER and question.step is not None:
        assert question.minimum is not None and question.maximum is not None
        w.text(words["range"], 9, indent=5 * mm)
        w.need(LINE * 2)
        x, value = MARGIN + 5 * mm, float(question.minimum)
        while value <= float(question.maximum) + 1e-9 and x < MARGIN + w.width - 15 * mm:
            w.boxes(1, x, w.y - BOX - 1 * mm)
            shown = str(int(value)) if value.is_integer() else str(value).replace(".", ",")
            c.setFont(w.regular, 10)
            c.drawString(x + BOX + 1.2 * mm, w.y - 4.3 * mm, shown)
            x += BOX + 4 * mm + c.stringWidth(shown, w.regular, 10)
            value += float(question.step)
        w.y -= LINE + 2 * mm
    elif kind is QuestionType.NUMBER:
        before, after = _number_boxes(question)
        w.need(LINE + 3 * mm)
        y = w.y - BOX - 1 * mm
        x = w.boxes(before, MARGIN + 5 * mm, y)
        if after:
            c.setFont(w.bold, 12)
            c.drawString(x + 0.8 * mm, y + 0.6 * mm, "," if lang == "fr" else ".")
            x = w.boxes(after, x + 3 * mm, y)
        if question.unit:
            c.setFont(w.regular, 10)
            c.drawString(x + 2 * mm, y + 1 * mm, question.unit)
        w.y -= LINE + 3 * mm
    elif kind in (QuestionType.DATE, QuestionType.TIME, QuestionType.DATETIME):
        w.need(LINE * 2 + 3 * mm)
        y = w.y - BOX - 1 * mm
        x = MARGIN + 5 * mm
        groups: list[tuple[int, str]] = []
        if kind is not QuestionType.TIME:
            groups += [(2, "/"), (2, "/"), (4, "")]
        if kind is not QuestionType.DATE:
            groups += [(2, ":"), (2, "")]
        c.setFont(w.bold, 12)
        for index, (count, sep) in enumerate(groups):
            if kind is QuestionType.DATETIME and index == 3:
                x += 6 * mm
            x = w.boxes(count, x, y)
            if sep:
                c.drawString(x + 1 * mm, y + 0.6 * mm, sep)
                x += 4 * mm
        c.setFont(w.regular, 7.5)
        legend = {
            QuestionType.DATE: words["date"],
            QuestionType.TIME: words["time"],
            QuestionType.DATETIME: f"{words['date']}   {words['time']}",
        }[kind]
        c.drawString(MARGIN + 5 * mm, y - 3.2 * mm, legend.replace("   ", "      "))
        w.y -= LINE * 2 + 2 * mm
    else:  # a text: ruled lines
        for _ in range(3):
            w.need(LINE + 1 * mm)
            w.y -= LINE + 1 * mm
            c.line(MARGIN + 5 * mm, w.y, MARGIN + w.width, w.y)
    w.y -= 3 * mm


def draw_paper_questionnaire(
    canvas: Canvas, questionnaire: Questionnaire, language: str, form: PaperForm = PaperForm()
) -> int:
    """Draw the questionnaire from the top of a new page; return the number of pages drawn."""
    lang = "en" if language == "en" else "fr"
    words = _WORDS[lang]
    title = questionnaire.title_en if lang == "en" else questionnaire.title_fr
    w = _Writer(canvas, lang, form, title)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setStrokeColorRGB(0, 0, 0)
    if form.code:
        # The code box sits at a fixed place at the top of the first page (where a reader
        # of returned forms looks, and where the tests find the QR code).
        top = PAGE_HEIGHT - CODE_BOX_TOP_MM * mm
        height = CODE_BOX_HEIGHT_MM * mm
        canvas.setLineWidth(1.2)
        canvas.rect(MARGIN, top - height, w.width, height, stroke=1, fill=0)
        canvas.setFont(w.regular, 10)
        canvas.drawString(MARGIN + 5 * mm, top - 9 * mm, words["code"])
        canvas.setFont("Courier-Bold", 20)
        canvas.drawString(MARGIN + 5 * mm, top - 19 * mm, form.code)
        if form.url:
            canvas.setFont(w.regular, 9)
            canvas.drawString(MARGIN + 5 * mm, top - 28 * mm, words["online"])
            canvas.drawString(MARGIN + 5 * mm, top - 33 * mm, form.url[:80])
            _draw_qr(
                canvas, form.url, QR_LEFT_MM * mm, PAGE_HEIGHT - QR_TOP_MM * mm - QR_SIZE_MM * mm,
                QR_SIZE_MM * mm,
            )  # fmt: skip
        w.y = top - height - 5 * mm
    w.text(title, 16, bold=True)
    w.text(words["paper"], 11)
    w.y -= 2 * mm
    w.text(words["how"], 9)
    w.y -= 3 * mm
    numbers = question_numbers(questionnaire)
    for section in questionnaire.sections:
        title_of = section.label(lang)
        shown = [q for q in section.questions if q.type is not QuestionType.CALCULATE]
        if not shown:
            continue
        if title_of:
            w.need(30 * mm)
            w.y -= 2 * mm
            w.text(pipe(title_of, questionnaire, {}, lang), 12.5, bold=True)
            canvas.setLineWidth(0.6)
            canvas.line(MARGIN, w.y + 1 * mm, MARGIN + w.width, w.y + 1 * mm)
            w.y -= 2 * mm
        for question in shown:
            _draw_question(w, questionnaire, question, numbers.get(question.id))
    w.footer()
    canvas.showPage()
    return w.page


def paper_questionnaire_pdf(
    questionnaire: Questionnaire,
    language: str = "fr",
    code: str | None = None,
    url: str | None = None,
) -> bytes:
    """The paper questionnaire as PDF bytes, blank or for one case (its code and QR)."""
    buffer = io.BytesIO()
    write_paper_questionnaires(questionnaire, language, [PaperForm(code, url)], buffer)
    return buffer.getvalue()


def write_paper_questionnaires(
    questionnaire: Questionnaire,
    language: str,
    forms: Iterable[PaperForm],
    output: Path | BinaryIO,
    on_form: Callable[[int], None] | None = None,
) -> int:
    """One questionnaire per form (each from a new page) into one PDF; the number written."""
    target = str(output) if isinstance(output, Path) else output
    canvas = Canvas(target, pagesize=A4, pageCompression=1)
    title = questionnaire.title_en if language == "en" else questionnaire.title_fr
    canvas.setTitle(title)
    count = 0
    for form in forms:
        draw_paper_questionnaire(canvas, questionnaire, language, form)
        count += 1
        if on_form is not None:
            on_form(count)
    canvas.save()
    return count


def print_wave_paper_forms(
    store: Store,
    wave_id: int,
    codes: Mapping[str, InvitationCode],
    links: Links,
    output: Path | BinaryIO,
    language: str = "fr",
    on_form: Callable[[int], None] | None = None,
) -> int:
    """One paper questionnaire per case of the wave that has a code (in case order)."""
    questionnaire = store.questionnaire_of(wave_id)
    forms = [
        PaperForm(code.short_code, links.answer_link(code.token))
        for case in store.cases(wave_id)
        if (code := codes.get(case.case_id)) is not None
    ]
    return write_paper_questionnaires(questionnaire, language, forms, output, on_form)
