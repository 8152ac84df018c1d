"""Slide decks: every deck read back with python-pptx; native charts hold the payload's
numbers; footers, notes and fonts; reproducible bytes; the cache; the command; and a
conversion by LibreOffice."""

from __future__ import annotations

import dataclasses
import io
import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import CACHE, dspapers
from golden import fixture_project
from lxml import etree
from pptx import Presentation
from pptx.util import Emu

from generators.charts import kinds
from generators.charts.native import serial_date
from generators.charts.plan import data_table
from generators.charts.render import footnote
from generators.i18n import LANGUAGE_CODES, HansConverter
from generators.options import BuildOptions
from generators.paths import ProjectPaths, chart_download_path, deck_path
from generators.pipeline import Generation, generate
from generators.slides import SITE_DECK, render_decks, site_decks
from generators.slides.plan import Planner, chart_line, citation

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "asvg": "http://schemas.microsoft.com/office/drawing/2016/SVG/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
EAST_ASIAN = {"zh-Hant": "Noto Sans CJK TC", "zh-Hans": "Noto Sans CJK SC"}
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Generation:
    """The fixture catalogue built with its charts and decks (shared chart cache)."""
    root = fixture_project(tmp_path_factory.mktemp("slides") / "project")
    return generate(BuildOptions(paths=ProjectPaths.at(root, cache=CACHE)))


def deck(generation: Generation, path: str):
    return Presentation(io.BytesIO(generation.files[path]))


def chart_slides(presentation) -> list:
    """Slides that hold a chart (native or picture), in order."""
    return [
        s
        for s in presentation.slides
        if any(sh.has_chart or sh.shape_type == 13 for sh in s.shapes)  # 13: picture
    ]


def footer(slide) -> str:
    return next(sh for sh in slide.shapes if sh.name == "Footer").text_frame.text


def notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text


def series_data(frame) -> list[dict]:
    """Each series of a chart as stored: name, categories, x and y values."""
    root = etree.fromstring(frame.chart.part.blob)
    out = []
    for ser in root.iterfind(".//c:ser", NS):

        def numbers(tag: str, ser=ser) -> list[float]:
            return [float(v) for v in ser.xpath(f"./c:{tag}//c:pt/c:v/text()", namespaces=NS)]

        out.append(
            {
                "name": "".join(ser.xpath("./c:tx//c:v/text()", namespaces=NS)),
                "categories": ser.xpath("./c:cat//c:pt/c:v/text()", namespaces=NS),
                "values": numbers("val") or numbers("yVal"),
                "x": numbers("xVal"),
            }
        )
    return out


# --- Which slides each deck has ----------------------------------------------------------


def test_each_deck_has_one_slide_per_chart(small):
    catalog, charts = small.catalog, small.charts
    hans = HansConverter(catalog.overrides)
    for lang in LANGUAGE_CODES:
        site = deck(small, deck_path(SITE_DECK, lang, "light"))
        titles = [s.shapes.title.text_frame.text for s in chart_slides(site)]
        # The charts per benchmark have their one-slide decks only.
        in_site = [spec for spec in charts if spec.benchmark is None]
        assert any(spec.benchmark is not None for spec in charts)
        assert sorted(titles) == sorted(spec.title(lang, hans.convert) for spec in in_site)
        lines = {chart_line(spec, catalog) for spec in in_site}
        sections = len(lines - {None}) + (None in lines)
        assert len(site.slides) == 1 + sections + len(in_site)
        for paper in catalog.papers:
            paper_deck = deck(small, deck_path(paper.id, lang, "light"))
            shown = [s for s in charts if f"papers/{paper.id}" in s.pages]
            titles = [s.shapes.title.text_frame.text for s in chart_slides(paper_deck)]
            assert titles == [spec.title(lang, hans.convert) for spec in shown]
            first = paper_deck.slides[0].shapes
            assert first.title.text_frame.text == paper.title
            assert f"arXiv:{paper.arxiv}" in first.placeholders[1].text_frame.text
            tables = [sh.table for s in paper_deck.slides for sh in s.shapes if sh.has_table]
            rows = [r for t in tables for r in list(t.rows)[1:]]
            assert len(rows) == len(paper.claims)
        for spec in charts:
            one = deck(small, chart_download_path(spec.id, lang, "light", "pptx"))
            assert len(one.slides) == 1
            assert one.slides[0].shapes.title.text_frame.text == spec.title(lang, hans.convert)


def test_sections_follow_the_research_lines(small):
    catalog = small.catalog
    site = deck(small, deck_path(SITE_DECK, "en", "light"))
    names = {line.name.en: line.id for line in catalog.lines}
    current = "across"
    for slide in list(site.slides)[1:]:
        title = slide.shapes.title.text_frame.text
        if not chart_slides_of(slide):
            current = names.get(title, "across")
            continue
        spec = next(s for s in small.charts if s.title("en", str) == title)
        assert (chart_line(spec, catalog) or "across") == current, title


def chart_slides_of(slide) -> bool:
    return any(sh.has_chart or sh.shape_type == 13 for sh in slide.shapes)


# --- What every slide carries ---------------------------------------------------------


def test_slides_are_16_9_with_footer_and_notes(small):
    hans = HansConverter(small.catalog.overrides)
    for lang in LANGUAGE_CODES:
        site = deck(small, deck_path(SITE_DECK, lang, "light"))
        assert (site.slide_width, site.slide_height) == (Emu(12192000), Emu(6858000))
        for slide in site.slides:
            assert footer(slide).endswith("DeepSeek Papers")
        for spec in small.charts:
            slide = deck(small, chart_download_path(spec.id, lang, "light", "pptx")).slides[0]
            assert footer(slide) == footnote(spec, lang, hans)
            head, rows = data_table(spec, lang, hans, small.catalog)
            text = notes(slide).splitlines()
            for cells in [head, *rows]:
                assert "\t".join(cells) in text
            if spec.paper is not None:
                assert citation(spec.paper) in text


def test_citation_line_is_the_bibtex_fields(small):
    paper = small.catalog.papers[0]

    def cited(fields: dict[str, str]) -> str:
        bibtex = paper.bibtex.model_copy(update={"fields": fields})
        return citation(paper.model_copy(update={"bibtex": bibtex}))

    two = {"author": "Bi, Xiao and Chen, Deli", "title": "{T}: {X}", "year": "2024"}
    assert cited(two) == f"Xiao Bi, Deli Chen. T: X. arXiv:{paper.arxiv}. 2024."
    many = {"author": "A B and C D and E F and G H", "title": "T", "year": "2025"}
    assert cited(many) == f"A B et al. T. arXiv:{paper.arxiv}. 2025."


def test_east_asian_font_on_every_run(small):
    for lang, typeface in EAST_ASIAN.items():
        blob = small.files[deck_path(SITE_DECK, lang, "light")]
        import zipfile

        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            parts = [n for n in z.namelist() if re.match(r"ppt/(slides|charts|notesSlides)/", n)]
            cjk_runs = 0
            for name in parts:
                if not name.endswith(".xml"):
                    continue
                root = etree.fromstring(z.read(name))
                for run in root.iterfind(".//a:r", NS):
                    ea = run.find("./a:rPr/a:ea", NS)
                    assert ea is not None and ea.get("typeface") == typeface, name
                    cjk_runs += bool(CJK.search("".join(run.itertext())))
                for default in root.iterfind(".//c:txPr//a:defRPr", NS):
                    ea = default.find("./a:ea", NS)
                    assert ea is not None and ea.get("typeface") == typeface, name
            assert cjk_runs > 0  # the check saw Chinese text


# --- Native charts hold the payload's numbers -----------------------------------------


def close(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(
        math.isclose(x, y, rel_tol=1e-9) for x, y in zip(a, b, strict=True)
    )


def frames(slide) -> list:
    return sorted((sh for sh in slide.shapes if sh.has_chart), key=lambda sh: sh.left)


def test_native_charts_hold_the_payload_numbers(small):
    checked = set()
    for spec in small.charts:
        slide = deck(small, chart_download_path(spec.id, "en", "light", "pptx")).slides[0]
        kind, p = spec.data.kind, spec.data.payload
        charts = frames(slide)
        if kind == "benchmark-deltas":
            (ser,) = series_data(charts[0])
            # Stored bottom to top: the first row is drawn at the top.
            assert close(ser["values"][::-1], [r.delta for r in p.rows])
            colours = [
                pt.format.fill.fore_color.rgb
                for pt in list(charts[0].chart.plots[0].series[0].points)[::-1]
            ]
            for row, rgb in zip(p.rows, colours, strict=True):
                if row.delta != 0:
                    assert str(rgb) == ("0072B2" if row.favours else "D55E00")
        elif kind == "kv-cache-per-token":
            (elements,) = series_data(charts[0])
            (deployed,) = series_data(charts[1])
            assert close(elements["values"][::-1], [b.elements for b in p.bars])
            assert close(deployed["values"], [d.bytes / 1000 for d in p.deployed])
        elif kind == "params-vs-compute":
            by_name = {s["name"]: s for s in series_data(charts[0])}
            total = by_name["DeepSeek models (total)"]
            deepseek = [pt for pt in p.points if pt.deepseek]
            assert close(total["x"], [pt.compute for pt in deepseek])
            assert close(total["values"], [pt.total for pt in deepseek])
            baselines = by_name["baselines"]
            assert close(baselines["values"], [pt.total for pt in p.points if not pt.deepseek])
            assert _log_axes(charts[0]) == 2
        elif kind == "release-timeline":
            stored = series_data(charts[0])
            xs = sorted(x for s in stored for x in s["x"])
            assert close(xs, sorted(serial_date(e.date) for e in p.events))
            assert "yyyy-mm" in charts[0].chart.part.blob.decode()
        elif kind == "benchmark-trend":
            (stored,) = series_data(charts[0])
            assert close(stored["x"], [serial_date(pt.date) for pt in p.points])
            assert close(stored["values"], [pt.score for pt in p.points])
            assert "yyyy-mm" in charts[0].chart.part.blob.decode()
        elif kind.startswith("scaling-law"):
            for frame in charts:
                stored = {s["name"]: s for s in series_data(frame)}
                points = [s for name, s in stored.items() if name != "fit"]
                assert sorted(x for s in points for x in s["x"]) == sorted(
                    pt.compute for pt in p.points
                )
                assert _log_axes(frame) == 2
        else:
            assert kinds.get(kind).native is None
            continue
        checked.add(kind)
    assert checked == {k for k in kinds.names() if kinds.get(k).native is not None}


def _log_axes(frame) -> int:
    return len(etree.fromstring(frame.chart.part.blob).findall(".//c:scaling/c:logBase", NS))


def test_native_charts_round_trip_their_description(small):
    """Every native chart, in every language: series names and values as described."""
    hans = HansConverter(small.catalog.overrides)
    from generators.charts.language import texts_for

    for spec in small.charts:
        kind = kinds.get(spec.data.kind)
        for lang in LANGUAGE_CODES:
            texts = texts_for(kind.texts, lang, hans, small.catalog)
            native = kind.native_chart(spec.data.payload, texts)
            slide = deck(small, chart_download_path(spec.id, lang, "light", "pptx")).slides[0]
            if native is None:
                continue
            for panel, frame in zip(native.panels, frames(slide), strict=True):
                stored = {s["name"]: s for s in series_data(frame)}
                for described in panel.series:
                    got = stored[described.name]
                    if hasattr(described, "values"):
                        want = list(described.values)
                        assert close(
                            got["values"][::-1] if panel.horizontal else got["values"], want
                        )
                    else:
                        assert close(got["x"], [x for x, _ in described.points])
                        assert close(got["values"], [y for _, y in described.points])


def test_kinds_without_a_mapping_are_pictures_with_their_svg(small):
    pictures = [s for s in small.charts if kinds.get(s.data.kind).native is None]
    assert pictures
    for spec in pictures:
        path = chart_download_path(spec.id, "zh-Hant", "light", "pptx")
        slide = deck(small, path).slides[0]
        (picture,) = [sh for sh in slide.shapes if sh.shape_type == 13]
        assert (
            picture.image.blob
            == small.files[chart_download_path(spec.id, "zh-Hant", "light", "png")]
        )
        (svg_blip,) = picture._element.findall(".//a:blip/a:extLst/a:ext/asvg:svgBlip", NS)
        rel = slide.part.rels[svg_blip.get(f"{{{NS['r']}}}embed")]
        assert rel.target_part.content_type == "image/svg+xml"
        assert (
            rel.target_part.blob
            == small.files[chart_download_path(spec.id, "zh-Hant", "light", "svg")]
        )


# --- Reproducible and cached -----------------------------------------------------------


def test_decks_are_byte_identical_and_cached(small, tmp_path):
    hans = HansConverter(small.catalog.overrides)

    def build(cache: Path) -> dict[str, bytes]:
        options = dataclasses.replace(
            small.options, paths=dataclasses.replace(small.options.paths, cache=cache)
        )
        return site_decks(options, small.charts, small.catalog, hans, small.files)

    first, second = build(tmp_path / "a"), build(tmp_path / "b")
    assert first == second
    assert first == {name: small.files[name] for name in first}  # as the build made them
    # A no-change rebuild reads every deck from the cache and builds none.
    planner = Planner(
        catalog=small.catalog, charts=tuple(small.charts), hans=hans, theme="light", pictures={}
    )
    native = [s for s in small.charts if kinds.get(s.data.kind).native is not None]
    decks = [planner.chart_deck(s, "en", s.id) for s in native]
    _, cold = render_decks(decks, tmp_path / "c")
    files, warm = render_decks(decks, tmp_path / "c")
    assert (len(cold.built), cold.cached) == (len(decks), 0)
    assert (warm.built, warm.cached) == ([], len(decks))
    # Core properties come from the data, not the clock or the user.
    props = Presentation(io.BytesIO(files[native[0].id])).core_properties
    assert props.last_modified_by == "" and props.revision == 1
    assert props.created == props.modified and props.created.year >= 2023


def test_a_changed_number_rebuilds_only_the_decks_that_show_it(small, tmp_path):
    hans = HansConverter(small.catalog.overrides)
    planner = Planner(
        catalog=small.catalog, charts=tuple(small.charts), hans=hans, theme="light", pictures={}
    )
    native = [s for s in small.charts if kinds.get(s.data.kind).native is not None]
    decks = [planner.chart_deck(s, "en", s.id) for s in native]
    render_decks(decks, tmp_path)
    spec = next(s for s in native if s.data.kind == "benchmark-deltas")
    payload = spec.data.payload
    row = dataclasses.replace(payload.rows[0], delta=payload.rows[0].delta + 1)
    changed = dataclasses.replace(
        spec,
        data=dataclasses.replace(
            spec.data, payload=dataclasses.replace(payload, rows=(row, *payload.rows[1:]))
        ),
    )
    again = Planner(
        catalog=small.catalog,
        charts=tuple(changed if s is spec else s for s in small.charts),
        hans=hans,
        theme="light",
        pictures={},
    )
    redone = [again.chart_deck(s, "en", s.id) for s in again.charts if s in native or s is changed]
    _, report = render_decks(redone, tmp_path)
    assert report.built == [spec.id]


def test_site_deck_of_the_real_data(generated):
    """Every paper's deck exists in every language and shows the charts of its page."""
    for lang in LANGUAGE_CODES:
        assert deck_path(SITE_DECK, lang, "light") in generated.files
        for paper in generated.catalog.papers:
            presentation = deck(generated, deck_path(paper.id, lang, "light"))
            shown = [s for s in generated.charts if f"papers/{paper.id}" in s.pages]
            assert len(chart_slides(presentation)) == len(shown)


# --- The command ----------------------------------------------------------------------


def test_command_writes_exactly_the_decks_asked_for(small_project, tmp_path):
    out = tmp_path / "all"
    assert dspapers("--root", str(small_project), "slides", "--lang", "all", "--out", str(out)) == 0
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pptx")) == [
        f"{lang}/deepseek-papers.pptx" for lang in sorted(LANGUAGE_CODES)
    ]
    out = tmp_path / "one"
    status = dspapers(
        "--root", str(small_project), "slides", "--lang", "zh-Hans",
        "--paper", "deepseek-v2", "--theme", "dark", "--out", str(out),
    )  # fmt: skip
    assert status == 0
    assert [p.name for p in out.rglob("*")] == ["deepseek-v2-dark.pptx"]
    dark = Presentation(out / "deepseek-v2-dark.pptx")
    assert str(dark.slides[0].background.fill.fore_color.rgb) == "1E2129"
    assert (
        dspapers("--root", str(small_project), "slides", "--paper", "nope", "--out", str(out)) == 1
    )


# --- LibreOffice opens them -----------------------------------------------------------


def _pages(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


@pytest.mark.build
@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_libreoffice_converts_every_language_deck(small, tmp_path):
    for lang in LANGUAGE_CODES:
        source = tmp_path / lang / "deepseek-papers.pptx"
        source.parent.mkdir()
        source.write_bytes(small.files[deck_path(SITE_DECK, lang, "light")])
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp_path}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(source.parent),
                str(source),
            ],
            capture_output=True,
            timeout=300,
            check=True,
        )
        pdf = source.with_suffix(".pdf")
        assert pdf.is_file(), f"no PDF for {lang}"
        assert _pages(pdf) == len(Presentation(source).slides)
