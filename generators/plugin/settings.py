"""The way in for the `dspapers` command: its options, written into the plugin's settings.

MkDocs reads mkdocs.yml for every build it runs (a language build, each rebuild of a
preview server). The command does not set anything aside for the plugin to find: it
loads the configuration with the `dspapers` plugin's settings replaced by its options,
through MkDocs' own override of configuration keys, so the plugin makes the same
`BuildOptions` back from them.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.yaml import yaml_load

from ..options import BuildOptions
from ..paths import ProjectPaths
from .config import DsPapersConfig

PLUGIN = "dspapers"


class SettingsError(ValueError):
    """mkdocs.yml's `dspapers` settings are missing or invalid."""


def plugin_settings(options: BuildOptions) -> dict[str, Any]:
    """The plugin settings that give back *options* (see `DsPapersPlugin.build_options`)."""
    paths = options.paths
    return {
        "data_dir": str(paths.data),
        "content_dir": str(paths.content),
        "cache_dir": str(paths.cache),
        "charts": options.charts,
        "preview": options.preview,
        "offline": options.offline,
        "slide_files": options.slide_files,
    }


class Plugins(dict[str, Any]):
    """mkdocs.yml's plugins by name, in order, given to MkDocs as a configuration override.

    MkDocs changes the settings of a plugin list it validates, and a preview server
    validates the same override again on every rebuild: each read is a fresh copy.
    """

    def items(self) -> Iterator[tuple[str, Any]]:  # type: ignore[override]
        return ((name, copy.deepcopy(settings)) for name, settings in super().items())


def plugins_with(config_file: Path, settings: dict[str, Any]) -> Plugins:
    """mkdocs.yml's plugins with the `dspapers` plugin's settings replaced."""
    with open(config_file, encoding="utf-8") as handle:
        declared = yaml_load(handle).get("plugins", [])
    plugins = Plugins()
    for entry in declared:
        name, own = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        plugins[name] = settings if name == PLUGIN else own
    if PLUGIN not in plugins:
        raise SettingsError(f"{config_file}: the {PLUGIN} plugin is not listed under plugins")
    return plugins


def load_mkdocs_config(options: BuildOptions, **overrides: Any) -> MkDocsConfig:
    """The project's MkDocs configuration for a build with *options*."""
    config_file = options.paths.mkdocs_yml
    plugins = plugins_with(config_file, plugin_settings(options))
    overrides = {
        key: str(value) if isinstance(value, Path) else value for key, value in overrides.items()
    }
    return load_config(str(config_file), plugins=plugins, **overrides)


def declared_settings(config_file: Path) -> DsPapersConfig:
    """The `dspapers` plugin's settings as mkdocs.yml declares them, validated."""
    with open(config_file, encoding="utf-8") as handle:
        declared = yaml_load(handle).get("plugins", [])
    raw: dict[str, Any] | None = None
    for entry in declared:
        if entry == PLUGIN:
            raw = {}
        elif isinstance(entry, dict) and PLUGIN in entry:
            raw = entry[PLUGIN] or {}
    if raw is None:
        raise SettingsError(f"{config_file}: the {PLUGIN} plugin is not listed under plugins")
    settings = DsPapersConfig(config_file_path=str(config_file))
    settings.load_dict(raw)
    failed, _warnings = settings.validate()
    if failed:
        problems = "; ".join(f"{key}: {error}" for key, error in failed)
        raise SettingsError(f"{config_file}: plugins: {PLUGIN}: {problems}")
    return settings


def options_from_settings(settings: DsPapersConfig, config_file: Path) -> BuildOptions:
    """`BuildOptions` from the plugin's settings (folders relative to mkdocs.yml)."""
    paths = ProjectPaths.at(
        config_file.parent,
        data=settings.data_dir,
        content=settings.content_dir,
        cache=settings.cache_dir,
    )
    return BuildOptions(
        paths=paths,
        charts=settings.charts,
        preview=settings.preview,
        offline=settings.offline,
        slide_files=settings.slide_files,
    )
