"""A deck's look: theme colours, fonts and language, and text written with them.

Every run of text gets the deck's Latin typeface, its East Asian typeface and its
language, so Chinese renders in the CJK font (or, without it, in whatever font the
slide program picks for that language) and never in a Japanese or Latin fallback.
python-pptx sets the Latin typeface (`a:latin`) and the language; it has no property
for the East Asian one, which is added as the `a:ea` element through python-pptx's
oxml element API, right after `a:latin` as the schema orders them.
"""

from __future__ import annotations

from dataclasses import dataclass

from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.text import PP_ALIGN
from pptx.oxml.xmlchemy import OxmlElement
from pptx.text.text import Font, TextFrame
from pptx.util import Pt

from ..charts.native import ROLES
from ..charts.palette import FONTS, THEMES, Theme

LANGUAGE_IDS = {
    "zh-Hant": MSO_LANGUAGE_ID.TRADITIONAL_CHINESE,
    "zh-Hans": MSO_LANGUAGE_ID.SIMPLIFIED_CHINESE,
    "en": MSO_LANGUAGE_ID.ENGLISH_US,
}


@dataclass(frozen=True)
class Style:
    """One deck's theme, typefaces and language."""

    theme: Theme
    typeface: str  # Latin and East Asian: the CJK family the charts are drawn with
    language: MSO_LANGUAGE_ID

    @classmethod
    def of(cls, lang: str, theme: str) -> Style:
        return cls(theme=THEMES[theme], typeface=FONTS[lang], language=LANGUAGE_IDS[lang])

    def rgb(self, colour: str) -> RGBColor:
        """A palette colour ("#RRGGBB") or a theme colour's name (`charts.native.ROLES`)."""
        if colour in ROLES:
            colour = str(getattr(self.theme, colour))
        return RGBColor.from_string(colour.removeprefix("#").upper())

    def tint(self, colour: str, share: float = 0.3) -> RGBColor:
        """*colour* mixed into the background: *share* of it (a hollow marker's fill)."""
        ink, paper = self.rgb(colour), self.rgb("background")
        return RGBColor(
            *(round(i * share + b * (1 - share)) for i, b in zip(ink, paper, strict=True))
        )

    def font(self, font: Font, *, size: float | None = None, colour: str | None = None) -> None:
        """Typefaces (Latin and East Asian) and language on *font*; size and colour if given."""
        font.name = self.typeface
        font.language_id = self.language
        east_asian(font, self.typeface)
        if size is not None:
            font.size = Pt(size)
        if colour is not None:
            font.color.rgb = self.rgb(colour)

    def write(
        self,
        frame: TextFrame,
        text: str,
        *,
        size: float,
        colour: str = "foreground",
        bold: bool = False,
        align: PP_ALIGN | None = None,
    ) -> None:
        """Replace *frame*'s text: a paragraph per line, each run in the deck's fonts."""
        frame.clear()
        for i, line in enumerate(text.split("\n")):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            if align is not None:
                paragraph.alignment = align
            run = paragraph.add_run()
            run.text = line
            self.font(run.font, size=size, colour=colour)
            run.font.bold = bold


def east_asian(font: Font, typeface: str) -> None:
    """Set the East Asian typeface of *font* (`a:ea`), which python-pptx has no property for."""
    rPr = font._rPr  # the run (or default run) properties element python-pptx wraps
    latin = rPr.get_or_add_latin()
    ea = latin.getnext()
    if ea is None or ea.tag != latin.tag.replace("}latin", "}ea"):
        ea = OxmlElement("a:ea")
        latin.addnext(ea)
    ea.set("typeface", typeface)
