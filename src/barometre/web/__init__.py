"""The web app: questionnaire pages, the self-diagnostic, the study team's area and a JSON API.

Server-rendered (FastAPI + Jinja2) and usable without JavaScript; build it with `create_app`.
"""

from barometre.web.app import create_app
from barometre.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]
