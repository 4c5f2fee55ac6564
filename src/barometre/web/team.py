"""The study team area (login, dashboard, paper entry, downloads)."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
