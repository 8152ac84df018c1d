"""A planned deck (`plan.Deck`) as the bytes of a .pptx file, written with python-pptx.

Every slide is 16:9 (13.333 x 7.5 in): the title in the slide's title placeholder (what
outlines, screen readers and PowerPoint's navigation read), the chart below it, a
footer text box (named "Footer") with the sources and the site's name, and speaker
notes. The master and its layouts are widened to 16:9 too, so a slide a presenter adds
is laid out like the others.

A kind with a native mapping becomes the slide program's own chart (`native.py`); the
others are the slide drawing as a picture: the PNG, with the SVG (text as paths)
attached as PowerPoint's SVG image extension. A program that reads the extension shows
the SVG, any other the PNG. python-pptx has no API for it; the minimum is done through
its oxml element API: the SVG stored as an image part related to the slide, and an
`a:extLst/a:ext/asvg:svgBlip` element naming it inside the picture's `a:blip`.

Reproducible: fixed core properties (the newest paper's date, revision 1, no "last
modified by"), and the saved zip re-packed with its entries in the same order, each
with the same fixed time.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import zipfile
from typing import Any

from pptx import Presentation
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.oxml import oxml_parser
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.slide import Slide as PptxSlide
from pptx.util import Emu, Inches

from .native import add_native
from .plan import SITE_NAME, ChartSlide, Deck, Picture, SectionSlide, Slide, TableSlide, TitleSlide
from .style import Style

SLIDE_WIDTH = Emu(12192000)  # 13.333 in
SLIDE_HEIGHT = Emu(6858000)  # 7.5 in
TEMPLATE_WIDTH = Emu(9144000)  # python-pptx's default template is 4:3, 10 in wide

TITLE_BOX = (Inches(0.5), Inches(0.3), Inches(12.33), Inches(0.8))
KEY_BOX = (Inches(4.5), Inches(1.0), Inches(8.33), Inches(0.35))
CHART_AREA = (Inches(0.4), Inches(1.35), Inches(12.53), Inches(5.55))
FOOTER_BOX = (Inches(0.5), Inches(6.95), Inches(12.33), Inches(0.4))

LAYOUT_TITLE, LAYOUT_SECTION, LAYOUT_TITLE_ONLY = 0, 2, 5

# PowerPoint's SVG image extension (Office 2016 and later).
SVG_EXTENSION_URI = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_NAMESPACE = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
SVG_CONTENT_TYPE = "image/svg+xml"


def build(deck: Deck) -> bytes:
    """The deck's .pptx bytes: identical for identical plans."""
    presentation = Presentation(io.BytesIO(_template()))
    style = Style.of(deck.lang, deck.theme)
    for planned in deck.slides:
        _add(presentation, planned, style)
    _properties(presentation, deck)
    buffer = io.BytesIO()
    presentation.save(buffer)
    return repack(buffer.getvalue(), deck.date)


@functools.cache
def _template() -> bytes:
    """python-pptx's default template, widened to 16:9 (once per process)."""
    presentation = Presentation()
    _widen(presentation)
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def _widen(presentation: Any) -> None:
    """16:9 slides; the master's and layouts' shapes stretched across the new width."""
    presentation.slide_width = SLIDE_WIDTH
    presentation.slide_height = SLIDE_HEIGHT
    master = presentation.slide_master
    for owner in (master, *master.slide_layouts):
        for shape in owner.shapes:
            if shape.left is not None and shape.width is not None:
                shape.left = Emu(shape.left * SLIDE_WIDTH // TEMPLATE_WIDTH)
                shape.width = Emu(shape.width * SLIDE_WIDTH // TEMPLATE_WIDTH)


def _add(presentation: Any, planned: Slide, style: Style) -> None:
    if isinstance(planned, TitleSlide):
        _title_slide(presentation, planned, style)
    elif isinstance(planned, SectionSlide):
        _section_slide(presentation, planned, style)
    elif isinstance(planned, ChartSlide):
        _chart_slide(presentation, planned, style)
    else:
        _table_slide(presentation, planned, style)


def _new(presentation: Any, layout: int, style: Style) -> PptxSlide:
    slide: PptxSlide = presentation.slides.add_slide(presentation.slide_layouts[layout])
    fill = slide.background.fill
    fill.solid()
    fill.fore_color.rgb = style.rgb("background")
    return slide


def _place(shape: Any, box: tuple[int, int, int, int]) -> None:
    shape.left, shape.top, shape.width, shape.height = box


def _title(
    slide: PptxSlide, text: str, box: tuple[int, int, int, int], size: float, style: Style
) -> None:
    title = slide.shapes.title
    assert title is not None  # every layout used here has a title placeholder
    _place(title, box)
    title.text_frame.word_wrap = True
    title.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    style.write(title.text_frame, text, size=size, bold=True, align=PP_ALIGN.LEFT)


def _footer(slide: PptxSlide, text: str, style: Style) -> None:
    box = slide.shapes.add_textbox(*FOOTER_BOX)
    box.name = "Footer"
    box.text_frame.word_wrap = True
    style.write(box.text_frame, text, size=10, colour="muted")


def _notes(slide: PptxSlide, text: str, style: Style) -> None:
    if text:
        frame = slide.notes_slide.notes_text_frame
        assert frame is not None  # the default notes master has a body placeholder
        style.write(frame, text, size=12, colour="#000000")


def _title_slide(presentation: Any, planned: TitleSlide, style: Style) -> None:
    slide = _new(presentation, LAYOUT_TITLE, style)
    _title(slide, planned.title, (Inches(0.8), Inches(1.9), Inches(11.7), Inches(1.9)), 36, style)
    subtitle = slide.placeholders[1]
    _place(subtitle, (Inches(0.8), Inches(4.0), Inches(11.7), Inches(2.0)))
    style.write(subtitle.text_frame, planned.subtitle, size=20, colour="muted", align=PP_ALIGN.LEFT)
    _footer(slide, planned.footer, style)
    _notes(slide, planned.notes, style)


def _section_slide(presentation: Any, planned: SectionSlide, style: Style) -> None:
    slide = _new(presentation, LAYOUT_SECTION, style)
    _title(slide, planned.title, (Inches(0.8), Inches(2.3), Inches(11.7), Inches(1.3)), 36, style)
    body = slide.placeholders[1]
    _place(body, (Inches(0.8), Inches(3.7), Inches(11.7), Inches(1.8)))
    body.text_frame.word_wrap = True
    style.write(body.text_frame, planned.subtitle, size=18, colour="muted", align=PP_ALIGN.LEFT)
    _footer(slide, planned.footer, style)


def _chart_slide(presentation: Any, planned: ChartSlide, style: Style) -> None:
    slide = _new(presentation, LAYOUT_TITLE_ONLY, style)
    _title(slide, planned.title, TITLE_BOX, 26, style)
    if planned.native is not None:
        if planned.native.key:
            _key(slide, planned.native.key, style)
        add_native(slide.shapes, planned.native, CHART_AREA, style)
    elif planned.picture is not None:
        _picture(slide, planned.picture)
    _footer(slide, planned.footer, style)
    _notes(slide, planned.notes, style)


def _key(slide: PptxSlide, key: Any, style: Style) -> None:
    """The colour key above the chart, right-aligned: each symbol in its colour."""
    box = slide.shapes.add_textbox(*KEY_BOX)
    box.name = "Key"
    paragraph = box.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.RIGHT
    for i, entry in enumerate(key):
        for text, colour in (
            (("    " if i else "") + entry.symbol + " ", entry.colour),
            (entry.text, "foreground"),
        ):
            run = paragraph.add_run()
            run.text = text
            style.font(run.font, size=13, colour=colour)


def _picture(slide: PptxSlide, picture: Picture) -> None:
    """The slide drawing (16:9) as large as the chart area allows, centred in it."""
    left, top, width, height = CHART_AREA
    fit_width = min(width, height * 16 // 9)
    fit_height = fit_width * 9 // 16
    shape = slide.shapes.add_picture(
        io.BytesIO(picture.png),
        Emu(left + (width - fit_width) // 2),
        Emu(top + (height - fit_height) // 2),
        Emu(fit_width),
        Emu(fit_height),
    )
    shape.name = "Chart"
    _attach_svg(slide, shape, picture.svg)


def _attach_svg(slide: PptxSlide, shape: Any, svg: bytes) -> None:
    """The SVG as the picture's image, the PNG its fallback (PowerPoint's SVG extension)."""
    part = slide.part
    package = part.package
    svg_part = Part(package.next_partname("/ppt/media/image%d.svg"), SVG_CONTENT_TYPE, package, svg)
    rel_id = part.relate_to(svg_part, RT.IMAGE)
    blip = shape._element.blipFill.blip  # the a:blip python-pptx made for the PNG
    ext_list = OxmlElement("a:extLst")
    ext = OxmlElement("a:ext")
    ext.set("uri", SVG_EXTENSION_URI)
    svg_blip = oxml_parser.makeelement(f"{{{SVG_NAMESPACE}}}svgBlip", nsmap={"asvg": SVG_NAMESPACE})
    svg_blip.set(qn("r:embed"), rel_id)
    ext.append(svg_blip)
    ext_list.append(ext)
    blip.append(ext_list)


def _table_slide(presentation: Any, planned: TableSlide, style: Style) -> None:
    slide = _new(presentation, LAYOUT_TITLE_ONLY, style)
    _title(slide, planned.title, TITLE_BOX, 26, style)
    left, top, width, _height = CHART_AREA
    rows, cols = len(planned.rows) + 1, len(planned.head)
    row_height = Inches(0.55)
    frame = slide.shapes.add_table(rows, cols, left, top, width, row_height * rows)
    table = frame.table
    shares = (0.38, 0.12, 0.2, 0.3) if cols == 4 else tuple(1 / cols for _ in range(cols))
    for column, share in zip(table.columns, shares, strict=True):
        column.width = Emu(int(width * share))
    for r, cells in enumerate([planned.head, *planned.rows]):
        for c, text in enumerate(cells):
            cell = table.cell(r, c)
            cell.fill.solid()
            cell.fill.fore_color.rgb = style.rgb("grid" if r == 0 else "background")
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            align = PP_ALIGN.RIGHT if c == 1 and r > 0 else PP_ALIGN.LEFT
            style.write(cell.text_frame, text, size=14 if c < 3 else 11, bold=r == 0, align=align)
    _footer(slide, planned.footer, style)
    _notes(slide, planned.notes, style)


# --- Reproducible files ----------------------------------------------------------------


def _properties(presentation: Any, deck: Deck) -> None:
    """Core properties from the plan only: no clock, no user name."""
    props = presentation.core_properties
    stamp = dt.datetime.combine(deck.date, dt.time())
    props.title = deck.title
    props.author = SITE_NAME
    props.subject = ""
    props.comments = ""
    props.language = deck.lang
    props.created = stamp
    props.modified = stamp
    props.revision = 1
    props._element._remove_lastModifiedBy()  # python-pptx's template names its author


def repack(blob: bytes, date: dt.date) -> bytes:
    """*blob* (a zip) with every entry, in the same order, stamped *date* and deflated."""
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(blob)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            target.writestr(entry, source.read(info.filename), compresslevel=6)
    return out.getvalue()
