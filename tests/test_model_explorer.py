"""The Compare page's explorer data: every DeepSeek model, its facets, configuration and
scores as the catalog has them, safe inside the page."""

from __future__ import annotations

import json

from generators import evidence, strings
from generators.model_explorer import MODEL_CALLBACK, MODEL_FILES_DIR, ModelExplorer
from generators.render import by_value_at, config_value, score


def _shown(value: object, name: str) -> str:
    """A configuration value as the tables show it, without Markdown escapes."""
    return value if isinstance(value, str) else config_value(value, name)


def _model_file(files: dict[str, bytes], model_id: str) -> dict:
    text = files[f"{MODEL_FILES_DIR}/{model_id}.js"].decode("utf-8")
    prefix = f"{MODEL_CALLBACK}({json.dumps(model_id)},"
    assert text.startswith(prefix) and text.endswith(");\n")
    return json.loads(text[len(prefix) : -3])


def test_page_data_lists_every_deepseek_model_with_its_facets(catalog):
    data = ModelExplorer(catalog=catalog).page_data("en")
    models = data["models"]
    assert list(models) == [m.id for m in catalog.deepseek_models]
    for entry in catalog.deepseek_models:
        shown = models[entry.id]
        config = entry.card.config
        assert shown["paper"] == entry.paper.id and shown["line"] == entry.paper.line
        assert shown["date"] == entry.paper.first_date.isoformat()
        assert shown["total"] == (config.total_params.value if config.total_params else None)
        assert shown["attention"] == (config.attention.value if config.attention else "none")
        expected_kind = {"base": "base", "chat": "chat", "instruct": "chat"}
        assert shown["kind"] == expected_kind.get(entry.card.variant, "other")


def test_model_files_hold_every_value_and_score_with_its_source(catalog, generated):
    for entry in catalog.deepseek_models:
        data = _model_file(generated.files, entry.id)
        sources = data["sources"]
        # Each field: its first value, then every value as shown with the sources giving it.
        # ... and, for each of those sources, whether its reading was checked (1) or not.
        config = {
            name: (
                raw,
                [[shown, [sources[i] for i in given], checked] for shown, given, checked in groups],
            )
            for name, raw, groups in data["config"]
        }
        assert config == {
            name: (
                str(v.value),
                [
                    [
                        _shown(value, name),
                        [[s.label, s.link, evidence.of_source(s)] for s, _ in given],
                        [
                            int(catalog.fact_checked(entry.id, name, at if v.others else None))
                            for _, at in given
                        ],
                    ]
                    for value, given in by_value_at(v)
                ],
            )
            for name, v in entry.card.config.items()
        }
        assert {kind for _, _, _, kind, _ in data["scores"]} <= set(evidence.KINDS)
        shown = {
            (tuple(data["benchmarks"][b][i] for i in (0, 2, 3, 4)), value, sources[s][0], checked)
            for b, value, s, _, checked in data["scores"]
        }
        assert len(shown) == len(data["scores"])  # each value from each source once
        assert shown == {
            (
                (s.benchmark, catalog.subtask(s), s.metric, s.setting),
                score(s.score),
                s.source.label,
                int(s.checked),
            )
            for s in catalog.scores
            if s.model == entry.id
        }


def test_a_fact_sources_disagree_on_carries_every_value(generated):
    data = _model_file(generated.files, "deepseek-vl2-small")
    (field,) = [f for f in data["config"] if f[0] == "activated_params"]
    name, raw, groups = field
    assert raw == "2800000000"
    assert [shown for shown, _, _ in groups] == ["2.8B", "2.4B"]
    readme = [data["sources"][i] for i in groups[1][1]]
    assert [s[2] for s in readme] == ["repository"] and "Gradio Demo" in readme[0][0]


def test_page_data_cannot_end_its_script_element(catalog, monkeypatch):
    monkeypatch.setitem(
        strings.UI, "explore_name", ("名稱 </script><!-- &", "Name </script><!-- &")
    )
    text = ModelExplorer(catalog=catalog).json("en")
    assert not set(text) & set("<>&")
    assert json.loads(text)["text"]["name"] == "Name </script><!-- &"


def test_only_the_compare_pages_load_the_explorer_script(built_site):
    loading = sorted(
        page.relative_to(built_site).as_posix()
        for page in built_site.rglob("*.html")
        if "javascripts/compare.js" in page.read_text(encoding="utf-8")
    )
    assert loading == ["compare/index.html", "en/compare/index.html", "zh-Hans/compare/index.html"]
