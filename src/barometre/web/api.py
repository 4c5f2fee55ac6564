"""The JSON API (OpenAPI at /api/openapi.json): waves, responses and published results.

Every call carries `Authorization: Bearer <token>`, a study-team API token created with
`barometre user token`. Responses are pseudonymous (case ids, never SIREN or contact data).
Roles: `viewer` reads; `team` and `admin` may also submit responses.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from barometre.diagnostic import BenchmarkRow
from barometre.questionnaire import AnswerValue
from barometre.store import (
    ApiToken,
    NotFoundError,
    ResponseInvalid,
    ResponseLocked,
    WaveStatusError,
)
from barometre.web.context import web

router = APIRouter(prefix="/api/v1", tags=["barometre"])


def token_user(request: Request) -> ApiToken:
    """The API token of the request (401 without a valid one)."""
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    token = (
        web(request).store.find_api_token(secret.strip()) if scheme.lower() == "bearer" else None
    )
    if token is None:
        raise HTTPException(401, "missing or invalid API token", {"WWW-Authenticate": "Bearer"})
    return token


Caller = Annotated[ApiToken, Depends(token_user)]


class WaveOut(BaseModel):
    """A wave of the barometer."""

    id: int
    name: str
    questionnaire_id: str
    questionnaire_version: str
    status: str
    published_at: datetime | None


class ResponseOut(BaseModel):
    """One company's response, pseudonymous."""

    case_id: str
    status: Literal["partial", "complete"]
    source: str
    questionnaire_id: str
    questionnaire_version: str
    started_at: datetime
    submitted_at: datetime | None
    answers: dict[str, AnswerValue]


class ResponseIn(BaseModel):
    """Answers to store for a case (merged with any already stored)."""

    answers: dict[str, AnswerValue | None]
    status: Literal["partial", "complete"] = "complete"


class ProblemOut(BaseModel):
    """One validation problem, with the questionnaire's messages."""

    code: str
    question_id: str
    message_fr: str
    message_en: str


class ResultsOut(BaseModel):
    """A published wave's results document and benchmark table."""

    wave: WaveOut
    results: dict[str, Any] = Field(description="the wave's stored results document")
    benchmark: list[BenchmarkRow] = Field(
        description="the stored benchmark table, one row per peer cell and indicator"
    )


def _wave(request: Request, wave_id: int) -> WaveOut:
    try:
        w = web(request).store.wave(wave_id)
    except NotFoundError as error:
        raise HTTPException(404, str(error)) from error
    return WaveOut(
        id=w.id,
        name=w.name,
        questionnaire_id=w.questionnaire_id,
        questionnaire_version=w.questionnaire_version,
        status=w.status,
        published_at=w.published_at,
    )


def _response_out(r: Any) -> ResponseOut:
    return ResponseOut(
        case_id=r.case_id,
        status=r.status,
        source=r.source,
        questionnaire_id=r.questionnaire_id,
        questionnaire_version=r.questionnaire_version,
        started_at=r.started_at,
        submitted_at=r.submitted_at,
        answers=dict(r.answers),
    )


@router.get("/waves", response_model=list[WaveOut])
def list_waves(request: Request, caller: Caller) -> list[WaveOut]:
    """Every wave of the store."""
    return [_wave(request, w.id) for w in web(request).store.waves()]


@router.get("/waves/{wave_id}/responses", response_model=list[ResponseOut])
def list_responses(
    request: Request,
    caller: Caller,
    wave_id: int,
    status: Literal["partial", "complete"] | None = None,
) -> list[ResponseOut]:
    """The wave's responses (optionally of one status), by case id."""
    _wave(request, wave_id)
    return [_response_out(r) for r in web(request).store.responses(wave_id, status)]


@router.get("/waves/{wave_id}/responses/{case_id}", response_model=ResponseOut)
def get_response(request: Request, caller: Caller, wave_id: int, case_id: str) -> ResponseOut:
    """One case's response."""
    _wave(request, wave_id)
    found = web(request).store.response(wave_id, case_id)
    if found is None:
        raise HTTPException(404, f"case {case_id!r} has no response in wave {wave_id}")
    return _response_out(found)


@router.put(
    "/waves/{wave_id}/responses/{case_id}",
    response_model=ResponseOut,
    responses={
        403: {"description": "the token's role may only read"},
        409: {"description": "the response is complete and locked, or the wave is not open"},
        422: {"description": "validation problems", "model": list[ProblemOut]},
    },
)
def put_response(
    request: Request, caller: Caller, wave_id: int, case_id: str, body: ResponseIn
) -> Any:
    """Validate and store a case's answers (source `import`); idempotent once complete."""
    from fastapi.responses import JSONResponse

    if caller.role == "viewer":
        raise HTTPException(403, "a viewer token may only read")
    _wave(request, wave_id)
    store = web(request).store
    try:
        store.case(wave_id, case_id)
        saved = store.save_response(
            wave_id, case_id, body.answers, body.status, "import",
            recorded_by=f"api:{caller.username}",
        )  # fmt: skip
    except NotFoundError as error:
        raise HTTPException(404, str(error)) from error
    except (ResponseLocked, WaveStatusError) as error:
        raise HTTPException(409, str(error)) from error
    except ResponseInvalid as invalid:
        problems = [
            ProblemOut(
                code=str(p.code),
                question_id=p.question_id,
                message_fr=p.message_fr,
                message_en=p.message_en,
            ).model_dump()
            for p in invalid.problems
        ]
        return JSONResponse(problems, status_code=422)
    return _response_out(saved)


@router.get("/waves/{wave_id}/results", response_model=ResultsOut)
def get_results(request: Request, caller: Caller, wave_id: int) -> ResultsOut:
    """A published wave's results and benchmark table."""
    wave = _wave(request, wave_id)
    store = web(request).store
    published = store.wave_results(wave_id)
    if published is None:
        raise HTTPException(404, f"wave {wave_id} has no published results")
    return ResultsOut(
        wave=wave, results=dict(published.results), benchmark=list(store.benchmark(wave_id))
    )
