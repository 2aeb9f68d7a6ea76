"""The web search app: server-rendered pages and a JSON API over ``SearchService``.

    app = create_app({"SEARCH_INDEX": "index"})

The service lives in ``app.extensions["search"]``. Nothing here imports spaCy or Whoosh:
the web process only reads a built index through the service.
"""

from __future__ import annotations

import datetime as dt

from pathlib import Path

from flask import Flask, send_from_directory

from indexer.search.service import SearchService
from indexer.settings import index_dir
from indexer.text.numbers import german_number

from search_web.marks import marked, numbered_paragraphs, paragraphs_html

STATIC = Path(__file__).parent / "static"
DEFAULTS = {
    "SEARCH_INDEX": None,  # None: --index / $NEWS_SEARCH_INDEX / ./index (indexer.settings.index_dir)
    "MAX_CONTENT_LENGTH": 16 * 1024,  # read-only app: no request bodies worth accepting
    "SEND_FILE_MAX_AGE_DEFAULT": 3600,
}


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, static_folder=None)  # own static route: GET/HEAD only, no OPTIONS
    app.config.from_mapping(DEFAULTS)
    app.config.update(config or {})
    app.config["SEARCH_INDEX"] = str(index_dir(app.config["SEARCH_INDEX"]))
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters.update(datum=german_date, zahl=german_number, marked=marked, paragraphs=paragraphs_html,
                                numbered_paragraphs=numbered_paragraphs)
    app.extensions["search"] = SearchService(app.config["SEARCH_INDEX"])

    from search_web import api, entities, feeds, handlers, urls, views

    app.add_url_rule("/static/<path:filename>", "static", send_static, provide_automatic_options=False)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp, url_prefix="/api")
    app.register_blueprint(feeds.bp)
    app.register_blueprint(entities.bp)
    app.jinja_env.globals["entity_url"] = entities.entity_url
    app.jinja_env.globals["document_url"] = urls.document_url
    handlers.register(app)
    return app


def send_static(filename: str):
    return send_from_directory(STATIC, filename)


def german_date(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "ohne Datum"
