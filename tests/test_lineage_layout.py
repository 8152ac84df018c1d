"""The lineage chart, fit to show: every text whole, inside the figure, and free.

Draws the real chart in every language, on the page canvas and on the slide, and measures
what matplotlib laid out: each text's extent, each marker's disc.
"""

from __future__ import annotations

import itertools
import math

import pytest

from generators.charts import kinds, style
from generators.charts import render as chart_render
from generators.charts.canvas import Canvas
from generators.i18n import LANGUAGE_CODES, HansConverter

Box = tuple[float, float, float, float]


@pytest.fixture(scope="module")
def lineage_jobs(generated, catalog):
    hans = HansConverter(catalog.overrides)
    specs = [s for s in generated.charts if s.decl.kind == "lineage"]
    assert specs, "the catalogue declares a lineage chart"
    return [j for j in chart_render.jobs(specs, catalog, hans) if j.theme == "light"]


def _drawn(job, png=None):
    """The job's figure, drawn, with every visible text's box and every marker's disc (px);
    saved as *png* too if given (to look at)."""
    import matplotlib.pyplot as plt
    from matplotlib.collections import PathCollection
    from matplotlib.text import Text

    theme = style.THEMES[job.theme]
    canvas = Canvas(
        size=job.size, title=job.title, footnote=job.footnote, theme=theme, texts=job.texts
    )
    style.apply(theme, job.lang, canvas.scale)
    fig = kinds.get(job.kind).figure(canvas, job.payload)
    fig.set_dpi(job.dpi)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = {}
    for artist in fig.findobj(Text):
        if artist.get_visible() and artist.get_text().strip() and artist.get_figure() is fig:
            e = artist.get_window_extent(renderer)
            texts[(artist.get_text(), id(artist))] = (e.x0, e.y0, e.x1, e.y1)
    discs = []
    for coll in fig.findobj(PathCollection):
        offsets = coll.get_offset_transform().transform(coll.get_offsets())
        sizes = coll.get_sizes()
        for i, (x, y) in enumerate(offsets):
            size = sizes[i % len(sizes)] if len(sizes) else 0
            discs.append((float(x), float(y), math.sqrt(size) / 2 * fig.dpi / 72))
    bounds = (0.0, 0.0, float(fig.bbox.width), float(fig.bbox.height))
    if png:
        fig.savefig(png, dpi=job.dpi)
    plt.close(fig)
    return texts, discs, bounds


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def _disc_in_box(x: float, y: float, r: float, box: Box) -> bool:
    dx = max(box[0] - x, 0.0, x - box[2])
    dy = max(box[1] - y, 0.0, y - box[3])
    return math.hypot(dx, dy) < r - 0.5


def _centred_in(x: float, y: float, box: Box) -> bool:
    return math.hypot(x - (box[0] + box[2]) / 2, y - (box[1] + box[3]) / 2) < 2.0


@pytest.mark.parametrize("target", ["web", "slide"])
@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_every_label_is_whole_inside_and_free(lineage_jobs, lang, target):
    job = next(j for j in lineage_jobs if j.lang == lang and j.target == target)
    texts, discs, (left, bottom, right, top) = _drawn(job)
    names = {node.name for node in job.payload.nodes}
    drawn = {text for text, _ in texts}
    assert names <= drawn, f"papers without their name: {names - drawn}"
    for (text, _), (x0, y0, x1, y1) in texts.items():
        assert left <= x0 and x1 <= right and bottom <= y0 and y1 <= top, f"cut off: {text!r}"
    for (a, box_a), (b, box_b) in itertools.combinations(texts.items(), 2):
        assert not _overlap(box_a, box_b), f"{a[0]!r} overlaps {b[0]!r}"
    for (text, _), box in texts.items():
        for x, y, r in discs:
            if text.isdigit() and _centred_in(x, y, box):
                continue  # a link's number on its own badge
            assert not _disc_in_box(x, y, r, box), (
                f"{text!r} lies on a marker at ({x:.0f}, {y:.0f})"
            )
