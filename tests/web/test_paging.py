"""The page logic, pure: one page's answers applied to the stored set, and the page count."""

from __future__ import annotations

from barometre.questionnaire import Problem, ProblemCode, load_builtin
from barometre.web.messages import problem_text
from barometre.web.paging import apply_page, first_unanswered_page, page_plan
from barometre.web.testing import COMPLETE

Q = load_builtin("bpi2018")
NETS = ("net_facebook", "net_linkedin", "net_twitter", "net_youtube", "net_instagram")


def _page(section: str) -> dict[str, object]:
    return {q.id: COMPLETE.get(q.id) for s in Q.sections if s.id == section for q in s.questions}


def test_next_page_and_one_write() -> None:
    """A complete page goes on to the next and its changes are exactly the new answers."""
    result = apply_page(Q, {"website": "vitrine"}, _page("presence"), section_id="presence")
    assert result.next_page == "activity" and not result.problems
    assert result.changes == {q: COMPLETE[q] for q in NETS}


def test_changed_answer_prunes_later_ones() -> None:
    """Saying no to every network drops the stored answers the skip logic no longer asks."""
    stored = {q: v for q, v in COMPLETE.items() if q != "comment"}
    result = apply_page(Q, stored, dict.fromkeys(NETS, "no"), section_id="presence")
    assert "managed_by" not in result.answers and result.changes["managed_by"] is None
    assert result.changes["actions"] is None and result.next_page == "activity"


def test_missing_answer_stays_but_going_back_does_not() -> None:
    """A blank required answer keeps the page with a problem; going back leaves without one."""
    blank = dict.fromkeys(NETS)
    stay = apply_page(Q, {"website": "vitrine"}, blank, section_id="presence")
    assert stay.next_page == "presence"
    assert {p.code for p in stay.problems} == {ProblemCode.MISSING_REQUIRED}
    back = apply_page(Q, {"website": "vitrine"}, blank, section_id="presence", going_back=True)
    assert back.next_page == "site" and not back.problems


def test_invalid_value_is_shown_but_not_written() -> None:
    """A number typed wrong is shown back as typed and never part of the write."""
    given = {**_page("profile"), "headcount": "douze"}
    result = apply_page(Q, {"headcount": 14}, given, section_id="profile")
    assert result.shown["headcount"] == "douze" and result.answers["headcount"] == 14
    assert "headcount" not in result.changes
    (problem,) = result.problems
    question = Q.question("headcount")
    assert problem_text(problem, question, "fr") == "Saisissez un nombre entier."
    assert "headcount" not in problem_text(problem, question, "en")


def test_last_page_says_send() -> None:
    """The last page with every answer there has no next page: the response can be sent."""
    stored = {q: v for q, v in COMPLETE.items() if Q.section_of(q).id != "profile"}
    given = {**_page("profile"), "headcount": 14}  # as the form reader parses it
    result = apply_page(Q, stored, given, section_id="profile")
    assert result.next_page is None and not result.problems


def test_resume_at_first_unanswered_page() -> None:
    """Resuming goes to the first page with a required answer missing, not the last saved."""
    stored = {"website": "vitrine", **{q: COMPLETE[q] for q in NETS}}
    assert first_unanswered_page(Q, stored) == "activity"
    assert first_unanswered_page(Q, {}) == "site"
    assert first_unanswered_page(Q, COMPLETE) == "profile"


def test_page_count_is_stable() -> None:
    """Before the networks are answered the count includes the page they may open, "about"."""
    before = page_plan(Q, {"website": "vitrine"}, "presence")
    after = page_plan(Q, {"website": "vitrine", **{q: COMPLETE[q] for q in NETS}}, "activity")
    assert (before.number, before.count, before.approximate) == (2, 8, True)
    assert (after.number, after.count, after.approximate) == (3, 8, False)
    none = page_plan(Q, {"website": "vitrine", **dict.fromkeys(NETS, "no")}, "activity")
    assert (none.count, none.approximate) == (7, False)


def test_messages_never_name_the_id() -> None:
    """Every problem the page can show is worded without the question's id, in both languages."""
    for question in Q.questions:
        for code in ProblemCode:
            problem = Problem(code, question.id, "", "")
            for lang in ("fr", "en"):
                assert question.id not in problem_text(problem, question, lang)


def test_a_calculation_never_counts_as_a_new_question() -> None:
    """The browser's skip logic sends back the questions on screen, without the page's
    calculations: sending the page must go on, not stop on "new questions" (it did, whenever
    the browser's refresh came back before the click)."""
    from ..questionnaire.every_type import ANSWERS, every_type

    questionnaire = every_type()
    first = {q: ANSWERS[q] for q in ("firm", "staff", "area")}
    details = next(s for s in questionnaire.sections if s.id == "details")
    on_screen = [q.id for q in details.questions if q.type.value != "calculate"]
    given = {q: v for q, v in ANSWERS.items() if q not in first}
    result = apply_page(questionnaire, first, given, section_id="details", asked_before=on_screen)
    assert not result.new_questions
    assert (result.problems, result.next_page) == ((), None)
    # A question really revealed on the page still stops it.
    shown_before = [q for q in on_screen if q != "ok"]
    again = apply_page(questionnaire, first, given, section_id="details", asked_before=shown_before)
    assert again.new_questions and again.next_page == "details"
