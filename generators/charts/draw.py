"""One drawing function per chart kind: ChartData + texts + theme -> matplotlib Figure."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle
from matplotlib.ticker import LogLocator
from matplotlib.transforms import blended_transform_factory

from .style import BLUE, LINE_COLOURS, ORANGE, SKY, VERMILLION, Theme

Text = Callable[..., str]


def _frame(size: tuple[float, float], title: str, footnote: str, theme: Theme, scale: float, **grid: Any):
    fig = plt.figure(figsize=size)
    fig.text(0.015, 0.975, title, ha="left", va="top", fontsize=24 * scale, fontweight="bold", color=theme.foreground)
    fig.text(0.015, 0.012, footnote, ha="left", va="bottom", fontsize=11 * scale, color=theme.muted, wrap=True)
    return fig


def content_rect(fig, left: float, right: float, top_in: float = 0.95, bottom_in: float = 0.95):
    """Axes rectangle leaving fixed room in inches for the title above and labels below."""
    width, height = fig.get_size_inches()
    bottom = bottom_in / height
    top = 1 - top_in / height
    return [left, bottom, right - left, top - bottom]


def place_labels(fig, ax, items: list[tuple[float, float, str, str]], scale: float, theme: Theme) -> list[str]:
    """Label points without overlaps: try four offsets, skip a label that fits nowhere.

    Returns the labels that could not be placed (they remain in the data table).
    """
    renderer = fig.canvas.get_renderer()
    taken = []
    skipped = []
    offsets = [(8, 6, "left", "bottom"), (8, -8, "left", "top"), (-8, 6, "right", "bottom"), (-8, -8, "right", "top"),
               (8, 18, "left", "bottom"), (8, -20, "left", "top"), (-8, 18, "right", "bottom"), (-8, -20, "right", "top"),
               (0, 12, "center", "bottom"), (0, -14, "center", "top"), (8, 32, "left", "bottom"), (-8, -34, "right", "top")]
    axes_box = ax.get_window_extent(renderer)
    for x, y, label, colour in items:
        for dx, dy, ha, va in offsets:
            text = ax.annotate(label, (x, y), xytext=(dx * scale, dy * scale), textcoords="offset points",
                               ha=ha, va=va, fontsize=12.5 * scale, color=colour)
            box = text.get_window_extent(renderer).expanded(1.04, 1.1)
            inside = axes_box.contains(box.x0, box.y0) and axes_box.contains(box.x1, box.y1)
            if inside and not any(box.overlaps(other) for other in taken):
                taken.append(box)
                break
            text.remove()
        else:
            skipped.append(label)
    return skipped


def params_vs_compute(fig_args: dict, p: dict, t: Text, theme: Theme, scale: float):
    fig = _frame(**fig_args)
    ax = fig.add_axes(content_rect(fig, 0.08, 0.98))
    ax.set_xscale("log")
    ax.set_yscale("log")
    labels = []
    # One collection per marker style keeps the SVG small (a collection per point is not).
    groups: dict[tuple[bool, bool], list[tuple[float, float]]] = {}
    for pt in p["points"]:
        colour = BLUE if pt["deepseek"] else theme.baseline
        if pt["activated"]:
            ax.plot([pt["compute"]] * 2, [pt["activated"], pt["total"]], color=colour, lw=2 * scale, alpha=0.8, zorder=2)
            groups.setdefault((pt["deepseek"], True), []).append((pt["compute"], pt["activated"]))
        groups.setdefault((pt["deepseek"], False), []).append((pt["compute"], pt["total"]))
        label = pt["label"] + ("*" if pt["derived"] else "")
        labels.append((pt["compute"], pt["total"], label, theme.foreground if pt["deepseek"] else theme.muted, pt["deepseek"]))
    for (deepseek, hollow), points in sorted(groups.items()):
        colour = BLUE if deepseek else theme.baseline
        style = (dict(facecolors=theme.background, edgecolors=colour, linewidths=2 * scale) if hollow
                 else dict(color=colour))
        ax.scatter([x for x, _ in points], [y for _, y in points], s=70 * scale**2,
                   marker="o" if deepseek else "s", zorder=3, **style)
    xs = [pt["compute"] for pt in p["points"]]
    lo, hi = min(xs) / 3, max(xs) * 4
    ys = [pt["total"] for pt in p["points"]] + [pt["activated"] for pt in p["points"] if pt["activated"]]
    ax.set_ylim(min(ys) / 2.5, max(ys) * 4)
    if p["law"]:
        grid = np.logspace(np.log10(lo), np.log10(hi), 50)
        n_opt = p["law"]["coefficient"] * grid ** p["law"]["exponent"] / 6
        ax.plot(grid, n_opt, ls="--", color=ORANGE, lw=2.2 * scale, label=t("optimal"), zorder=1)
    ax.set_xlim(lo, hi)
    ax.minorticks_off()
    _log_axes(ax, y=False)
    ax.set_xlabel(t("compute_axis"))
    ax.set_ylabel(t("params_axis"))
    ax.yaxis.set_major_formatter(plt.FuncFormatter(_params_tick))
    ax.scatter([], [], color=BLUE, marker="o", label=f"{t('deepseek')} ({t('total')})")
    ax.scatter([], [], facecolors=theme.background, edgecolors=BLUE, marker="o", label=f"{t('deepseek')} ({t('activated')})")
    ax.scatter([], [], color=theme.baseline, marker="s", label=t("baseline"))
    ax.legend(loc="upper left")
    fig.canvas.draw()
    # DeepSeek models get first pick of label positions.
    labels.sort(key=lambda item: not item[4])
    place_labels(fig, ax, [item[:4] for item in labels], scale, theme)
    if any(pt["derived"] for pt in p["points"]):
        ax.text(0.995, 0.01, "* " + t("derived") + " (C ≈ 6 · N_active · D)", transform=ax.transAxes, ha="right",
                va="bottom", fontsize=12 * scale, color=theme.muted)
    return fig


def _power_tick(value: float, _pos: Any) -> str:
    """1e20 rather than mathtext (off, so "$" in data stays a dollar sign); the CJK fonts
    have no superscript digits, which the glyph check would rightly refuse."""
    if value <= 0:
        return ""
    exponent = np.log10(value)
    if abs(exponent - round(exponent)) < 1e-9:
        return f"1e{int(round(exponent))}"
    return f"{value:.0e}".replace("e-0", "e-").replace("e+0", "e").replace("e+", "e")


def _log_axes(ax, *, x: bool = True, y: bool = True) -> None:
    if x:
        ax.xaxis.set_major_formatter(plt.FuncFormatter(_power_tick))
    if y:
        # 1, 2 and 5 in each decade: a narrow range (the learning rate) still gets labels.
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(plt.FuncFormatter(_power_tick))


def _params_tick(value: float, _pos: Any) -> str:
    for factor, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if value >= factor:
            return f"{value / factor:g}{suffix}"
    return f"{value:g}"


def benchmark_deltas(fig_args: dict, p: dict, t: Text, theme: Theme, scale: float, domain_name: Callable[[str], str]):
    fig = _frame(**fig_args)
    rows = p["rows"]
    ax = fig.add_axes(content_rect(fig, 0.36, 0.97, top_in=1.05))
    y = np.arange(len(rows))[::-1]
    colours = [BLUE if r["favours"] else (VERMILLION if r["delta"] != 0 else theme.muted) for r in rows]
    # One benchmark on a different scale (e.g. OCRBench out of 1000) would flatten every
    # other bar: clip such outliers at the axis edge, mark them, and keep their true label.
    magnitudes = sorted((abs(r["delta"]) for r in rows), reverse=True)
    span = magnitudes[0] or 1
    if len(magnitudes) > 2 and magnitudes[1] > 0 and magnitudes[0] > 4 * magnitudes[1]:
        span = magnitudes[1] * 1.6
    limit = span * 1.35
    drawn = [max(-span * 1.15, min(span * 1.15, r["delta"])) for r in rows]
    ax.barh(y, drawn, color=colours, height=0.7, zorder=2)
    ax.axvline(0, color=theme.foreground, lw=1.2 * scale, zorder=3)
    ax.set_yticks(y, [r["short"] + (" ↓" if r["lower_better"] else "") for r in rows])
    ax.tick_params(axis="y", length=0, labelsize=(12.5 if len(rows) < 20 else 10.5) * scale)
    ax.set_xlim(-limit, limit)
    for yi, r, d in zip(y, rows, drawn):
        clipped = d != r["delta"]
        ha = "left" if r["delta"] >= 0 else "right"
        pad = span * 0.02 * (1 if r["delta"] >= 0 else -1)
        label = ("+" if r["delta"] > 0 else "") + f"{r['delta']:.3g}".replace("-", "−")
        if clipped:
            label = ("≫ " if d > 0 else "") + label + (" ≪" if d < 0 else "")
            label = label if d > 0 else "≪ " + label.removesuffix(" ≪")
        ax.text(d + pad, yi, label, va="center", ha=ha, fontsize=(11.5 if len(rows) < 20 else 10) * scale,
                color=theme.foreground, fontweight="bold" if clipped else "normal")
    # Domain groups: a faint band and the domain's name at the left edge.
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i]["domain"] != rows[start]["domain"]:
            top, bottom = y[start] + 0.5, y[i - 1] - 0.5
            if (len({r['domain'] for r in rows}) > 1) and start % 1 == 0:
                ax.axhline(bottom, color=theme.grid, lw=1 * scale)
            ax.text(0.015, (top + bottom) / 2, domain_name(rows[start]["domain"]),
                    transform=blended_transform_factory(fig.transFigure, ax.transData),
                    ha="left", va="center", fontsize=12 * scale, color=theme.muted, fontweight="bold")
            start = i
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlabel(t("delta_axis", headline=p["headline"], baseline=p["baseline"]))
    ax.grid(axis="y", visible=False)
    ax.text(1.0, 1.01, f"■ {t('better')}", color=BLUE, transform=ax.transAxes, ha="right", va="bottom", fontsize=13 * scale)
    ax.text(0.84, 1.01, f"■ {t('worse')}", color=VERMILLION, transform=ax.transAxes, ha="right", va="bottom", fontsize=13 * scale)
    return fig


def release_timeline(fig_args: dict, p: dict, t: Text, theme: Theme, scale: float, line_name: Callable[[str], str]):
    fig = _frame(**fig_args)
    ax = fig.add_axes(content_rect(fig, 0.19, 0.97, top_in=1.25))
    lanes = {line: i for i, line in enumerate(reversed(p["lines"]))}
    markers = {"arxiv_v1": "o", "models_released": "s", "month_only": "D"}
    dates = [e["date"] for e in p["events"]]
    lo = min(dates) - dt.timedelta(days=25)
    hi = max(dates) + dt.timedelta(days=70)
    for line, i in lanes.items():
        ax.axhline(i, color=LINE_COLOURS.get(line, theme.muted), lw=2 * scale, alpha=0.35, zorder=1)
    by_paper: dict[str, list[dict]] = {}
    for e in p["events"]:
        by_paper.setdefault(e["paper"], []).append(e)
    placed: dict[int, list[tuple[float, float]]] = {}
    for paper, events in by_paper.items():
        for e in events:
            ax.scatter([e["date"]], [lanes[e["line"]]], marker=markers[e["kind"]], s=110 * scale**2,
                       color=LINE_COLOURS.get(e["line"], theme.foreground), zorder=3, edgecolors=theme.background)
        first = min(e["date"] for e in events)
        lane = lanes[events[0]["line"]]
        # Alternate above/below within a lane when papers are close in time.
        x = mdates.date2num(first)
        near = [px for px, _ in placed.get(lane, []) if abs(px - x) < 75]
        dy = 0.22 if len(near) % 2 == 0 else -0.3
        placed.setdefault(lane, []).append((x, dy))
        ax.annotate(events[0]["name"], (first, lane), xytext=(0, dy * 60 * scale), textcoords="offset points",
                    ha="center", va="bottom" if dy > 0 else "top", fontsize=13 * scale, color=theme.foreground)
    ax.set_yticks(list(lanes.values()), [line_name(line) for line in lanes])
    ax.tick_params(axis="y", length=0, labelsize=14 * scale)
    ax.set_ylim(-0.8, len(lanes) - 0.2)
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.grid(axis="y", visible=False)
    for kind, marker in markers.items():
        ax.scatter([], [], marker=marker, color=theme.muted, label=t(kind), s=90 * scale**2)
    ax.legend(loc="upper left", ncol=3, bbox_to_anchor=(0, 1.1))
    return fig


def kv_cache(fig_args: dict, p: dict, t: Text, theme: Theme, scale: float):
    fig = _frame(**fig_args)
    rect = content_rect(fig, 0.25, 0.62)
    ax = fig.add_axes(rect)
    bars = p["bars"]
    y = np.arange(len(bars))[::-1]
    colours = [(BLUE if b["model"].startswith("DeepSeek-V2") else VERMILLION) if b["actual"] else theme.grid for b in bars]
    ax.barh(y, [b["elements"] / 1000 for b in bars], color=colours, height=0.65, zorder=2,
            edgecolor=[theme.muted if not b["actual"] else c for b, c in zip(bars, colours)])
    labels = [f"{b['model']} · {b['mechanism'] if b['actual'] else t('if_mechanism', mechanism=b['mechanism'])}" for b in bars]
    ax.set_yticks(y, labels)
    ax.tick_params(axis="y", length=0)
    top = max(b["elements"] for b in bars) / 1000
    ax.set_xlim(0, top * 1.3)
    for yi, b in zip(y, bars):
        ax.text(b["elements"] / 1000 + top * 0.015, yi, f"{b['elements']:,}", va="center", fontsize=12 * scale,
                color=theme.foreground, fontweight="bold" if b["actual"] else "normal")
    ax.set_xlabel(t("kv_elements"))
    ax.grid(axis="y", visible=False)
    # Right: bytes as deployed, with the stated reduction.
    bx = fig.add_axes([0.72, rect[1], 0.26, rect[3] * 0.9])
    dep = p["deployed"]
    xb = np.arange(len(dep))
    bx.bar(xb, [d["bytes"] / 1000 for d in dep], color=[VERMILLION, BLUE][: len(dep)], width=0.6, zorder=2)
    bx.set_xticks(xb, [d["model"] for d in dep])
    for xi, d in zip(xb, dep):
        bx.text(xi, d["bytes"] / 1000, f"{d['bytes'] / 1000:.1f} KB\n{t('bits', bits=d['bits'])}{t('assumed') if d['assumed'] else ''}",
                ha="center", va="bottom", fontsize=11.5 * scale, color=theme.foreground)
    bx.set_ylim(0, max(d["bytes"] for d in dep) / 1000 * 1.5)
    bx.set_ylabel(t("kv_bytes"))
    bx.grid(axis="x", visible=False)
    if p["reduction"] is not None:
        bx.set_title(t("reduction", value=f"{p['reduction'] * 100:.1f}%"), fontsize=16 * scale, color=BLUE, fontweight="bold")
    return fig


def _scaling_panels(fig_args: dict, p: dict, t: Text, theme: Theme, scale: float,
                    panels: list[tuple[str, str, str, str]], point_label: Callable[[dict], str]):
    """Two log-log panels, each a fitted power law of compute with the models' points on it.

    A panel is (law id, point key, axis text key, legend location).
    """
    fig = _frame(**fig_args)
    grid = np.logspace(17, 25, 60)
    for i, (law_id, key, axis, legend) in enumerate(panels):
        ax = fig.add_axes(content_rect(fig, 0.08 + i * 0.5, 0.49 + i * 0.5))
        law = p["laws"].get(law_id)
        ax.set_xscale("log")
        ax.set_yscale("log")
        if law:
            ax.plot(grid, law["coefficient"] * grid ** law["exponent"], color=BLUE, lw=2.5 * scale, label=t("fit"))
        for j, pt in enumerate(p["points"]):
            if key in pt:
                ax.scatter([pt["C"]], [pt[key]], s=120 * scale**2, color=[ORANGE, VERMILLION][j % 2], zorder=3,
                           label=point_label(pt), edgecolors=theme.background)
        ax.minorticks_off()
        _log_axes(ax)
        ax.set_xlabel(t("budget_axis"))
        ax.set_ylabel(t(axis))
        ax.legend(loc=legend)
    return fig


def scaling_hyperparams(fig_args: dict, p: dict, t: Text, theme: Theme, scale: float):
    panels = [("batch-size", "batch_tokens", "batch_axis", "upper left"), ("learning-rate", "lr", "lr_axis", "upper right")]
    return _scaling_panels(fig_args, p, t, theme, scale, panels, lambda pt: f"{pt['model']} ({t('setting')})")


def scaling_allocation(fig_args: dict, p: dict, t: Text, theme: Theme, scale: float):
    panels = [("model-scale", "M", "m_axis", "upper left"), ("data-scale", "D", "d_axis", "upper left")]
    return _scaling_panels(fig_args, p, t, theme, scale, panels, lambda pt: pt["model"])


def expert_layout(fig_args: dict, p: dict, t: Text, theme: Theme, scale: float):
    fig = _frame(**fig_args)
    rows = p["rows"]
    ax = fig.add_axes(content_rect(fig, 0.03, 0.97, bottom_in=0.5))
    ax.set_axis_off()
    n = len(rows)
    widest = max((r["shared"] + r["routed"]) * (r["size"] or 0.25) for r in rows)
    usable = 0.97
    unit = usable / max(widest, 1)
    for i, r in enumerate(rows):
        top = 1 - i / n
        ax.text(0, top - 0.02, r["model"], ha="left", va="top", fontsize=15 * scale, fontweight="bold", color=theme.foreground,
                transform=ax.transAxes)
        summary = t("experts_summary", shared=r["shared"], routed=r["routed"], active=r["active"] or "?")
        summary += " · " + (t("size", size=r["size"]) if r["size"] else t("size_unknown"))
        ax.text(1.0, top - 0.02, summary, ha="right", va="top", fontsize=12.5 * scale, color=theme.muted, transform=ax.transAxes)
        width = (r["size"] or 0.25) * unit
        height = 0.42 / n
        y0 = top - 0.075 - height
        # Three rectangles per model (shared, activated, other routed) and one path of
        # separators between experts: a few SVG elements instead of one per expert.
        x = 0.0
        blocks = [("shared", r["shared"]), ("active", r["active"] or 0), ("idle", r["routed"] - (r["active"] or 0))]
        colours = {"shared": VERMILLION if r["deepseek"] else theme.muted, "active": BLUE, "idle": SKY}
        alphas = {"shared": 1.0, "active": 1.0, "idle": 0.35}
        for kind, count in blocks:
            if count:
                ax.add_patch(Rectangle((x, y0), width * count, height, transform=ax.transAxes,
                                       color=colours[kind], alpha=alphas[kind], lw=0))
            x += width * count
        xs, ys = [], []
        for k in range(1, r["shared"] + r["routed"]):
            xs += [k * width, k * width, float("nan")]
            ys += [y0, y0 + height, float("nan")]
        ax.plot(xs, ys, transform=ax.transAxes, color=theme.background, lw=max(0.6, min(2.0, width * 400)) * scale,
                solid_capstyle="butt")
    handles = [Rectangle((0, 0), 1, 1, color=VERMILLION), Rectangle((0, 0), 1, 1, color=BLUE),
               Rectangle((0, 0), 1, 1, color=SKY, alpha=0.35)]
    fig.legend(handles, [t("shared"), t("routed_active"), t("routed_idle")], loc="upper right", ncol=3,
               bbox_to_anchor=(0.985, 0.965), fontsize=13 * scale)
    return fig


def lineage(fig_args: dict, p: dict, t: Text, theme: Theme, scale: float, line_name: Callable[[str], str]):
    """Papers on their research-line lanes over time; numbered arrows for the links."""
    fig = _frame(**fig_args)
    ax = fig.add_axes(content_rect(fig, 0.17, 0.97, top_in=0.9))
    lanes = {line: i for i, line in enumerate(reversed(p["lines"]))}
    position = {n["paper"]: (mdates.date2num(n["date"]), lanes[n["line"]]) for n in p["nodes"]}
    xs = [x for x, _ in position.values()]
    for line, i in lanes.items():
        ax.axhline(i, color=LINE_COLOURS.get(line, theme.muted), lw=2 * scale, alpha=0.25, zorder=1)
    ax.set_ylim(-0.7, len(lanes) - 0.3)
    ax.set_xlim(min(xs) - 60, max(xs) + 60)
    to_display, to_data = ax.transData.transform, ax.transData.inverted().transform
    for e in p["edges"]:
        (x0, y0), (x1, y1) = position[e["source"]], position[e["target"]]
        rad = 0.3 if y0 == y1 else 0.1
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0), zorder=2,
                    arrowprops=dict(arrowstyle="-|>", color=theme.muted, lw=1.3 * scale, shrinkA=11 * scale,
                                    shrinkB=11 * scale, connectionstyle=f"arc3,rad={rad}", mutation_scale=14 * scale,
                                    alpha=0.85))
        # The number sits on the curve's midpoint: arc3 is a quadratic Bezier whose control
        # point is offset from the chord's middle by rad x the chord, rotated (display space).
        (px0, py0), (px1, py1) = to_display((x0, y0)), to_display((x1, y1))
        mid = ((px0 + px1) / 2 + 0.5 * rad * (py1 - py0), (py0 + py1) / 2 - 0.5 * rad * (px1 - px0))
        ax.text(*to_data(mid), str(e["number"]), ha="center", va="center", fontsize=10 * scale,
                color=theme.background, zorder=4, bbox=dict(boxstyle="circle,pad=0.25", fc=theme.muted, ec="none"))
    for n in p["nodes"]:
        x, y = position[n["paper"]]
        ax.scatter([x], [y], s=170 * scale**2, color=LINE_COLOURS.get(n["line"], theme.foreground), zorder=3,
                   edgecolors=theme.background, marker="o" if n["exact"] else "D")
    fig.canvas.draw()
    place_labels(fig, ax, [(position[n["paper"]][0], position[n["paper"]][1], n["name"], theme.foreground)
                           for n in sorted(p["nodes"], key=lambda n: n["date"])], scale, theme)
    ax.set_yticks(list(lanes.values()), [line_name(line) for line in lanes])
    ax.tick_params(axis="y", length=0, labelsize=14 * scale)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.grid(axis="y", visible=False)
    return fig
