"""Every number on the site carries a source a reader can open."""

from __future__ import annotations

import re

from generators import schema


def sourced_values(catalog):
    """(where, sourced value) for every number and date the data holds."""
    for paper in catalog.papers:
        for field in ("arxiv_v1", "models_released"):
            value = getattr(paper.dates, field)
            if value:
                yield f"{paper.id}.dates.{field}", value
        for card in paper.models:
            for name, value in card.config.items():
                yield f"{card.id}.{name}", value
    for entry in catalog.models.values():
        if not entry.is_deepseek:
            for name, value in entry.card.config.items():
                yield f"{entry.id}.{name}", value


def test_every_config_value_and_date_has_a_source(catalog):
    values = list(sourced_values(catalog))
    assert len(values) > 150
    for where, value in values:
        assert isinstance(value.source, schema.Source), where
        assert value.source.where.strip(), where


def test_every_claim_table_and_law_has_a_source(catalog):
    for paper in catalog.papers:
        for claim in paper.claims:
            assert isinstance(claim.source, schema.Source), claim.id
        for table in paper.comparisons:
            assert isinstance(table.source, schema.Source), table.id
        for law in paper.scaling_laws:
            assert isinstance(law.source, schema.Source), law.id


def test_every_score_has_a_source(catalog):
    assert len(catalog.scores) > 1000
    assert all(isinstance(s.source, schema.Source) for s in catalog.scores)


def test_source_links_point_at_arxiv_or_official_pages(catalog):
    for paper in catalog.papers:
        for alias, source in paper.sources.items():
            link = source.link
            if source.kind == "paper" and source.ref.startswith("arXiv:"):
                assert re.fullmatch(r"https://arxiv\.org/abs/\d{4}\.\d{4,5}", link), (
                    paper.id,
                    alias,
                )
            elif source.kind == "paper":
                # A paper with no arXiv id: its PDF in the repository that publishes it, at a commit.
                pdf = (
                    rf"https://github\.com/{re.escape(source.ref)}/blob/[0-9a-f]{{40}}/[^/].*\.pdf"
                )
                assert re.fullmatch(pdf, link), (paper.id, alias)
            elif source.kind == "readme":
                assert link.startswith("https://github.com/"), (paper.id, alias)
            else:
                assert link.startswith("https://huggingface.co/"), (paper.id, alias)


def test_paper_sources_cite_their_own_paper(catalog):
    """A paper's table sources name that paper's arXiv id, or for a paper without one its
    repository (other papers' are allowed only by alias)."""
    for paper in catalog.papers:
        for table in paper.comparisons:
            if table.source.kind == "paper":
                own = f"arXiv:{paper.arxiv}" if paper.arxiv else paper.repository
                assert table.source.ref == own, (paper.id, table.id)


def test_headline_claims_from_the_article_are_present(catalog):
    """The figures the source article quotes are in the data, each from its paper."""
    v2 = {c.id: c for c in catalog.paper("deepseek-v2").claims}
    assert v2["training-cost"].value == 42.5 and v2["training-cost"].unit == "percent"
    assert v2["kv-cache-reduction"].value == 93.3
    assert v2["generation-throughput"].value == 5.76 and v2["generation-throughput"].unit == "times"
    v2_config = catalog.models["deepseek-v2"].card.config
    assert v2_config.total_params.value == 236_000_000_000
    assert v2_config.activated_params.value == 21_000_000_000
    assert v2_config.training_tokens.value == 8_100_000_000_000
    prover = {c.id: c for c in catalog.paper("deepseek-prover").claims}
    assert any(c.value == 46.3 for c in prover.values())
