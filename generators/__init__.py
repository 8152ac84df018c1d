"""deepseek-papers: turn structured paper data into a trilingual MkDocs site.

Public API: :func:`generators.pipeline.generate` runs the whole pipeline; the
`dspapers` console command (``generators.cli``) and the MkDocs hook
(``generators.mkdocs_hooks``) are thin wrappers around it.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
