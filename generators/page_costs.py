"""A MkDocs hook for the bench: the CPU time MkDocs spends on each page.

`make bench` adds this file to the `hooks:` of its throwaway copies only; the site's own
builds never load it. A page's cost is the CPU time (this process's, so other processes
on the machine do not count) from its first page event to the Markdown conversion's end,
plus from its template context to its finished HTML: MkDocs handles pages one at a time
in both passes, so the two spans hold everything it does for that page and nothing else.
Each build process appends its pages to `page-costs/<language>-<pid>.jsonl` beside
mkdocs.yml, one JSON object a line: {"lang", "page" (source path), "cpu_ms"}.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

_started: dict[str, float] = {}
_spent: dict[str, float] = {}


def _start(page: Any) -> None:
    _started[page.file.src_uri] = time.process_time()


def _stop(page: Any) -> None:
    uri = page.file.src_uri
    _spent[uri] = _spent.get(uri, 0.0) + time.process_time() - _started.pop(uri)


@event_priority(1000)  # first of all plugins' handlers, so their work counts
def on_pre_page(page: Any, config: Any, files: Any) -> Any:
    _start(page)
    return page


@event_priority(-1000)  # last
def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    _stop(page)
    return html


@event_priority(1000)
def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    _start(page)
    return context


@event_priority(-1000)
def on_post_page(output: str, page: Any, config: Any) -> str:
    _stop(page)
    return output


def on_post_build(config: Any) -> None:
    folder = Path(config.config_file_path).parent / "page-costs"
    folder.mkdir(exist_ok=True)
    lang = config.theme.get("language", "")
    lines = [
        json.dumps({"lang": lang, "page": uri, "cpu_ms": round(1000 * spent, 3)})
        for uri, spent in sorted(_spent.items())
    ]
    with (folder / f"{lang}-{os.getpid()}.jsonl").open("a", encoding="utf-8") as out:
        out.write("".join(line + "\n" for line in lines))
    _spent.clear()
