"""The application: `create_app(config)` for tests and embedding, `factory()` for `cnbudget serve`."""

from __future__ import annotations

from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from cnbudget.domain.version import __version__
from cnbudget.library import open_library
from cnbudget.library.uploads import UploadQueue
from cnbudget.web import api, errors, pages
from cnbudget.web.config import WebConfig
from cnbudget.web.guard import SECURITY_HEADERS, BodyGuard


def create_app(config: WebConfig | None = None) -> FastAPI:
    config = config or WebConfig()
    engine = open_library(config.db)
    config.storage.mkdir(parents=True, exist_ok=True)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        yield
        app.state.queue.close()
        engine.dispose()

    app = FastAPI(
        title="cnbudget",
        version=__version__,
        description="部门预算、决算公开审核：上传、审核结果与证据、审核意见、检查表。",
        docs_url=None,  # served from the package below: Swagger UI's default comes from a CDN
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.engine = engine
    app.state.queue = UploadQueue(engine, workers=config.workers)
    templates_dir = resources.files("cnbudget.web").joinpath("templates")
    static_dir = resources.files("cnbudget.web").joinpath("static")
    app.state.templates = Jinja2Templates(directory=str(templates_dir))
    pages.install_filters(app.state.templates)
    app.mount("/static", StaticFiles(directory=str(static_dir)), name="static")
    errors.install(app)
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.get("/api/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> Response:
        return _docs_page(request, "swagger", "Swagger UI")

    @app.get("/api/redoc", include_in_schema=False)
    def redoc(request: Request) -> Response:
        return _docs_page(request, "redoc", "ReDoc")

    @app.middleware("http")
    async def _headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            # pages and exports hold what only a logged-in user may see: no copy in any cache
            response.headers["Cache-Control"] = "no-store"
        return response

    app.add_middleware(BodyGuard, limit=config.limits.max_request)  # outermost: before any body is read

    return app


DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "worker-src 'self' blob:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
"""The API pages' policy: scripts only from this server, as everywhere; the two viewers set styles inline and
ReDoc runs its search in a worker."""


def _docs_page(request: Request, which: str, title: str) -> Response:
    html = request.app.state.templates.get_template("api_docs.html").render(which=which, title=title)
    return HTMLResponse(html, headers={"Content-Security-Policy": DOCS_POLICY})


def factory() -> FastAPI:
    """The app as `cnbudget serve` starts it (settings from the environment)."""
    return create_app(WebConfig.from_env())
