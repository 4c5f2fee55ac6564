"""The JSON API (OpenAPI at /api/openapi.json): waves, responses and published results.

Every call carries `Authorization: Bearer <token>`, a study-team API token created with
`barometre user token`. Responses are pseudonymous (case ids, never SIREN or contact data).
Roles: `viewer` reads; `team` and `admin` may also submit responses.

Every error has one shape, `ErrorOut`: a `detail` sentence, the request's faulty `fields`
(422 from the request's form) and the questionnaire's `problems` (422 from validation).
Each route documents every status it can send.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
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


def _no_unknown_query(request: Request) -> None:
    """Refuse query parameters the operation does not declare (422 naming them).

    The OpenAPI document declares each operation's parameters and no others; accepting an
    unknown one silently would let a misspelt filter return everything.
    """
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    known = {p.alias for p in dependant.query_params} if dependant is not None else set()
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise HTTPException(422, f"unknown query parameter(s): {', '.join(map(repr, unknown))}")


router = APIRouter(prefix="/api/v1", tags=["barometre"], dependencies=[Depends(_no_unknown_query)])


bearer = HTTPBearer(
    auto_error=False,
    scheme_name="apiToken",
    description="A study-team API token (`barometre user token NAME PURPOSE`).",
)


def token_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> ApiToken:
    """The API token of the request (401 without a valid one)."""
    secret = credentials.credentials.strip() if credentials is not None else ""
    token = web(request).store.find_api_token(secret) if secret else None
    if token is None:
        raise HTTPException(401, "missing or invalid API token", {"WWW-Authenticate": "Bearer"})
    return token


Caller = Annotated[ApiToken, Depends(token_user)]
# Ids within what both databases store (a 64-bit overflow was a 500); case ids are short.
WaveId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the wave's id")]
CaseId = Annotated[str, Path(min_length=1, max_length=64, description="the case's id")]


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


class FieldErrorOut(BaseModel):
    """One faulty part of a request (a parameter or a field of the body)."""

    field: str = Field(description="where: `path.wave_id`, `query.status`, `body.answers.x`")
    message: str


class ErrorOut(BaseModel):
    """Every error of the API: a sentence, then what exactly was wrong, if it is known."""

    detail: str
    fields: list[FieldErrorOut] = Field(default_factory=list)
    problems: list[ProblemOut] = Field(default_factory=list)


def _error(status: int, description: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": description}


Responses = dict[int | str, dict[str, Any]]
_UNAUTHORISED: Responses = {401: _error(401, "no API token, or one revoked or of a disabled user")}
_BAD_PARAMETER: Responses = {422: _error(422, "a parameter or the body does not fit its schema")}
_NO_WAVE: Responses = {404: _error(404, "no such wave")}


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


@router.get("/waves", response_model=list[WaveOut], responses={**_UNAUTHORISED, **_BAD_PARAMETER})
def list_waves(request: Request, caller: Caller) -> list[WaveOut]:
    """Every wave of the store."""
    return [_wave(request, w.id) for w in web(request).store.waves()]


@router.get(
    "/waves/{wave_id}/responses",
    response_model=list[ResponseOut],
    responses={**_UNAUTHORISED, **_NO_WAVE, **_BAD_PARAMETER},
)
def list_responses(
    request: Request,
    caller: Caller,
    wave_id: WaveId,
    status: Literal["partial", "complete"] | None = None,
) -> list[ResponseOut]:
    """The wave's responses (optionally of one status), by case id."""
    _wave(request, wave_id)
    return [_response_out(r) for r in web(request).store.responses(wave_id, status)]


@router.get(
    "/waves/{wave_id}/responses/{case_id}",
    response_model=ResponseOut,
    responses={
        **_UNAUTHORISED,
        404: _error(404, "no such wave, or the case has no response"),
        **_BAD_PARAMETER,
    },
)
def get_response(request: Request, caller: Caller, wave_id: WaveId, case_id: CaseId) -> ResponseOut:
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
        400: _error(400, "the body is not JSON"),
        **_UNAUTHORISED,
        403: _error(403, "the token's role may only read"),
        404: _error(404, "no such wave, or no such case in its sample"),
        409: _error(409, "the response is complete and locked, or the wave accepts no answers"),
        413: _error(413, "the body is larger than the server accepts"),
        422: _error(422, "the body does not fit its schema, or the answers fail validation"),
    },
)
def put_response(
    request: Request, caller: Caller, wave_id: WaveId, case_id: CaseId, body: ResponseIn
) -> Any:
    """Validate and store a case's answers (source `import`); idempotent once complete.

    The answers are merged with those stored; `{"answers": {}}` with `"status": "partial"`
    stores nothing new and returns the response (created empty if there was none).
    """
    if caller.role == "viewer":
        raise HTTPException(403, "a viewer token may only read")
    _wave(request, wave_id)
    store = web(request).store
    try:
        store.case(wave_id, case_id)
        saved = store.save_response(
            wave_id,
            case_id,
            body.answers,
            body.status,
            "import",
            recorded_by=f"api:{caller.username}",
        )
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
            )
            for p in invalid.problems
        ]
        refused = ErrorOut(detail="the answers fail validation", problems=problems)
        return JSONResponse(refused.model_dump(), status_code=422)
    return _response_out(saved)


@router.get(
    "/waves/{wave_id}/results",
    response_model=ResultsOut,
    responses={
        **_UNAUTHORISED,
        404: _error(404, "no such wave, or it has no published results"),
        **_BAD_PARAMETER,
    },
)
def get_results(request: Request, caller: Caller, wave_id: WaveId) -> ResultsOut:
    """A published wave's results and benchmark table."""
    wave = _wave(request, wave_id)
    store = web(request).store
    published = store.wave_results(wave_id)
    if published is None:
        raise HTTPException(404, f"wave {wave_id} has no published results")
    return ResultsOut(
        wave=wave, results=dict(published.results), benchmark=list(store.benchmark(wave_id))
    )


# --- errors in the documented shape -------------------------------------------------------


def _field(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def install_errors(app: FastAPI) -> None:
    """API errors as `ErrorOut`: request errors without echoing the input, a right `Allow`."""
    from barometre.store._free_text import shown

    async def invalid_request(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = exc.errors()
        if not request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "invalid request"}, status_code=422)
        if any(e.get("type") == "json_invalid" for e in errors):
            return JSONResponse(ErrorOut(detail="the body is not valid JSON").model_dump(), 400)
        # The input is never echoed back: it may be huge, or not encodable (a lone surrogate).
        fields = [
            FieldErrorOut(field=shown(_field(tuple(e.get("loc", ())))), message=str(e["msg"]))
            for e in errors
        ]
        error = ErrorOut(detail="the request does not fit its schema", fields=fields)
        return JSONResponse(error.model_dump(), status_code=422)

    app.add_exception_handler(RequestValidationError, invalid_request)


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method the API accepts at `path`, from its OpenAPI document (for `Allow`)."""
    methods: set[str] = set()
    for template, operations in app.openapi()["paths"].items():
        if re.fullmatch(re.sub(r"\{[^}/]+\}", "[^/]+", template), path):
            methods |= {m.upper() for m in operations}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)
