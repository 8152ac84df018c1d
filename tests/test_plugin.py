"""The dspapers MkDocs plugin: registered, configured in mkdocs.yml, the one way options travel."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from conftest import DSPAPERS, ROOT

from generators.options import BuildOptions
from generators.paths import ProjectPaths
from generators.plugin.plugin import DsPapersPlugin
from generators.plugin.settings import declared_settings, load_mkdocs_config, options_from_settings


def test_the_plugin_is_a_registered_mkdocs_plugin():
    assert entry_points(group="mkdocs.plugins")["dspapers"].load() is DsPapersPlugin
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\n  - dspapers:" in config and "hooks:" not in config


def test_mkdocs_yml_declares_the_default_options(small_project):
    options = options_from_settings(
        declared_settings(small_project / "mkdocs.yml"), small_project / "mkdocs.yml"
    )
    assert options == BuildOptions(paths=ProjectPaths.at(small_project))
    assert options.paths.cache == small_project / ".cache" and options.preview is None


@pytest.mark.parametrize(
    "change",
    [
        {"preview": "en"},
        {"preview": "zh-Hans", "charts": False},
        {"offline": True},
        {"offline": True, "slide_files": False},
        {"charts": False},
    ],
)
def test_command_options_reach_the_plugin_unchanged(small_project, tmp_path, change):
    """What `dspapers` decides is what the plugin inside each MkDocs build makes of it."""
    base = BuildOptions(
        paths=dataclasses.replace(ProjectPaths.at(small_project), cache=tmp_path / "cache")
    )
    wanted = dataclasses.replace(base, **change)
    config = load_mkdocs_config(wanted, site_dir=tmp_path / "site")
    plugin = config.plugins["dspapers"]
    assert isinstance(plugin, DsPapersPlugin)
    assert plugin.build_options(config) == wanted
    assert config.site_dir == str(tmp_path / "site")


def test_a_wrong_setting_is_a_clean_error(small_project):
    config = small_project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("preview: null", "preview: fr"), encoding="utf-8"
    )
    result = subprocess.run(
        [*DSPAPERS, "--root", str(small_project), "check"], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.search(r"plugins: dspapers: preview: .*fr", result.stderr), result.stderr


def test_the_environment_is_read_only_at_the_edge():
    """No build switch hides in an environment variable: only the command line reads any."""
    readers = sorted(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "generators").rglob("*.py")
        if "os.environ" in path.read_text(encoding="utf-8")
        or "getenv" in path.read_text(encoding="utf-8")
    )
    assert readers == ["generators/bench.py", "generators/cli.py"]
    assert "DSPAPERS_" not in "".join(
        p.read_text(encoding="utf-8") for p in Path(ROOT / "generators").rglob("*.py")
    )
    assert "!ENV [DSPAPERS" not in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_every_template_environment_of_a_build_keeps_compiled_templates(small_project, tmp_path):
    """The search plugin makes its own environments to read the theme's translations: they
    share the pages' bytecode cache, so a rebuild does not compile the theme's language
    templates again."""
    import jinja2

    cache = tmp_path / "cache"
    options = BuildOptions(paths=ProjectPaths.at(small_project, cache=cache), charts=False)
    config = load_mkdocs_config(options, site_dir=tmp_path / "site")
    config = config.plugins.on_config(config)
    env = config.theme.get_env()
    assert isinstance(env.bytecode_cache, jinja2.FileSystemBytecodeCache)
    env.get_template("partials/language.html")
    assert any((cache / "jinja").rglob("*.cache")), "the compiled template was kept"
