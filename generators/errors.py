"""Data problems, collected and reported all together."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, kw_only=True, order=True)
class DataError:
    """One problem in one data file, located precisely enough to fix it."""

    file: str
    line: int | None = None
    column: int | None = None
    field: str = ""
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        subject = f" {self.field}:" if self.field else ""
        return f"{where}:{subject} {self.message}"


@dataclass
class ErrorList:
    """Accumulates problems so that one run reports every one of them."""

    errors: list[DataError] = field(default_factory=list)

    def add(self, error: DataError) -> None:
        self.errors.append(error)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def __len__(self) -> int:
        return len(self.errors)


class DataValidationError(Exception):
    """Raised once, at the end of loading, when any data problem was found."""

    def __init__(self, errors: list[DataError]) -> None:
        self.errors = sorted(set(errors), key=_sort_key)
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.errors)
        head = f"{count} problem{'s' if count != 1 else ''} in the data:"
        return "\n".join([head, *(f"  {e}" for e in self.errors)])


def _sort_key(e: DataError) -> tuple[str, int, int, str, str]:
    return (e.file, e.line or 0, e.column or 0, e.field, e.message)


def relative(path: Path, root: Path) -> str:
    """A path as the maintainer knows it: relative to the project root."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


class ChartError(Exception):
    """A chart cannot be drawn correctly (for example a glyph missing from the font)."""
