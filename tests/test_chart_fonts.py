"""Charts read their fonts from memory (generators/charts/fonts.py): the same glyphs as
the fonts opened by path, only while charts draw, and no font object carried across a
fork."""

from __future__ import annotations

import io
import os

import pytest
from test_charts import _one_job

from generators.i18n import LANGUAGE_CODES

# Latin, digits, signs and the language's own script: glyphs from all over the font file.
SAMPLES = {
    "zh-Hant": "DeepSeek-V3 多頭潛在注意力 (MLA) 90.2%",
    "zh-Hans": "DeepSeek-V3 多头潜在注意力 (MLA) 90.2%",
    "en": "DeepSeek-V3 Multi-head Latent Attention (MLA) 90.2% −1.5",
}


def _chart_font(lang: str, weight: str):  # type: ignore[no-untyped-def]
    """What matplotlib finds for a chart's text in *lang*, and the font object it opens
    here (in memory or by path, depending on where it is called)."""
    from matplotlib import font_manager

    from generators.charts import style

    found = font_manager.findfont(
        font_manager.FontProperties(family=style.font_family(lang), weight=weight)
    )
    return found, font_manager.get_font(found)


def _drawn(font, text: str) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    """The text's measures and bitmap as the Agg backend draws it (size 14 at 120 dpi)."""
    import numpy as np
    from matplotlib import ft2font

    font.clear()
    font.set_size(14, 120)
    font.set_text(text, 0.0, flags=ft2font.LoadFlags.FORCE_AUTOHINT)
    font.draw_glyphs_to_bitmap(antialiased=True)
    return (
        font.get_width_height(),
        font.get_descent(),
        np.asarray(font.get_image()).tobytes(),
    )


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
@pytest.mark.parametrize("weight", ["normal", "bold"])
def test_fonts_read_from_memory_draw_the_glyphs_of_the_font_file(lang, weight):
    from matplotlib import ft2font

    from generators.charts.fonts import read_from_memory

    with read_from_memory():
        found, font = _chart_font(lang, weight)
    assert isinstance(font.fname, io.BytesIO), "matplotlib opened the chart font by path"
    by_path = ft2font.FT2Font(found.path, face_index=found.face_index)
    assert (font.family_name, font.style_name) == (by_path.family_name, by_path.style_name)
    assert _drawn(font, SAMPLES[lang]) == _drawn(by_path, SAMPLES[lang])


def test_fonts_come_from_memory_only_while_charts_draw(catalog, tmp_path):
    """Outside the charts' drawing a font's `fname` stays its path, which matplotlib's PDF
    backend opens the font by again: a PDF drawn after a chart embeds its font."""
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    from generators.charts import render as chart_render
    from generators.charts.fonts import read_from_memory

    job = _one_job(catalog, lang="zh-Hant", target="web")
    with read_from_memory(), read_from_memory():  # nested and entered twice: still one reader
        assert isinstance(_chart_font("zh-Hant", "normal")[1].fname, io.BytesIO)
    from_memory = font_manager._get_font.from_memory
    from_memory.cache_clear()
    chart_render.draw_job(job)
    assert from_memory.cache_info().currsize > 0, "the chart's fonts were opened by path"
    _found, font = _chart_font("zh-Hant", "normal")
    assert isinstance(font.fname, str), "a font opened outside the charts came from memory"
    fig = plt.figure(figsize=(2, 1))
    fig.text(0.1, 0.5, "DeepSeek 論文", family=font.family_name)
    fig.savefig(tmp_path / "after-a-chart.pdf")
    plt.close(fig)
    assert (tmp_path / "after-a-chart.pdf").read_bytes().startswith(b"%PDF")


def test_a_forked_process_opens_its_own_fonts():
    """FreeType's state is not safe to share across a fork: the child's cache starts empty."""
    from matplotlib import font_manager

    from generators.charts.fonts import read_from_memory

    with read_from_memory():
        _chart_font("zh-Hant", "normal")
    from_memory = font_manager._get_font.from_memory
    assert from_memory.cache_info().currsize > 0
    pid = os.fork()
    if pid == 0:  # the child: report through the exit status only
        os._exit(0 if from_memory.cache_info().currsize == 0 else 1)
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the child kept its parent's font objects"
