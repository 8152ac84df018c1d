"""The git history of the data folder: which commits changed which data files, and how.

Read with the `git` command from the data folder, along the first parent of HEAD (a merge
counts as one change, on the day it landed, against the line it joined). Only committed
history counts, so two builds of one commit read the same history. A copy without it (a
source archive, a machine without git, a folder git does not track) has no history; a
shallow clone has the part it holds, and its oldest commit's own changes are unknown.

Nothing here judges the files' content: `changes` compares them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

State = Literal["complete", "shallow", "absent"]

_TIMEOUT = 60  # seconds for one git command; a larger history than that is not expected
_EMPTY = "0" * 40  # git's object id for "no file" in a raw diff
_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, kw_only=True)
class FileChange:
    """One data file as one commit changed it (a path relative to the data folder)."""

    path: str
    before: str | None  # the blob's id before the commit, None where the file was new
    after: str | None  # after the commit, None where the commit removed the file


@dataclass(frozen=True, kw_only=True)
class Commit:
    """A commit that changed data files, with its committer time."""

    id: str
    time: int  # seconds since the epoch (committer time: when it joined this history)
    files: tuple[FileChange, ...]

    @property
    def short(self) -> str:
        return self.id[:7]

    @property
    def date(self) -> dt.date:
        """The commit's day in UTC: one day for every reader and every build machine."""
        return dt.datetime.fromtimestamp(self.time, dt.UTC).date()


@dataclass(frozen=True, kw_only=True)
class History:
    """The commits that changed data files, newest first, and how complete the list is."""

    state: State
    commits: tuple[Commit, ...] = ()
    # A shallow clone: the time of its oldest commit, before which nothing is known.
    horizon: int | None = None

    @property
    def fingerprint(self) -> str:
        """A digest of everything the changes depend on (commit, time and blob ids)."""
        digest = hashlib.sha256(f"{self.state}\0{self.horizon}\n".encode())
        for commit in self.commits:
            digest.update(f"{commit.id}\0{commit.time}\n".encode())
            for f in commit.files:
                digest.update(f"{f.path}\0{f.before}\0{f.after}\n".encode())
        return digest.hexdigest()


def _git(folder: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    """The output of `git ARGS` run in *folder*, or None if git is missing or fails."""
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=folder,
            input=stdin,
            capture_output=True,
            timeout=_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def _ignored(path: str, ignored: frozenset[str]) -> bool:
    """A file named in *ignored*, or in a folder named there with its slash ("checks/")."""
    return path in ignored or any(i.endswith("/") and path.startswith(i) for i in ignored)


def _parse_log(
    out: bytes, ignored: frozenset[str]
) -> list[tuple[str, int, bool, list[FileChange]]]:
    """`git log -z --raw` output: (commit, time, has a parent, data files changed)."""
    commits: list[tuple[str, int, bool, list[FileChange]]] = []
    fields = out.decode("utf-8", errors="surrogateescape").split("\0")
    index = 0
    while index < len(fields):
        field = fields[index].strip("\n")
        index += 1
        if field.startswith("@"):
            header, *rest = field[1:].split("\n", 1)
            commit, time, *parents = header.split(" ")
            commits.append((commit, int(time), bool([p for p in parents if p]), []))
            field = rest[0].strip("\n") if rest else ""
        if not field.startswith(":") or not commits:
            continue
        # ":mode mode blob blob status", then the path as the next NUL-separated field.
        _modes_old, _mode_new, before, after, _status = field[1:].split(" ")
        path = fields[index]
        index += 1
        if not path.endswith(_SUFFIXES) or _ignored(path, ignored):
            continue
        commits[-1][3].append(
            FileChange(
                path=path,
                before=None if before == _EMPTY else before,
                after=None if after == _EMPTY else after,
            )
        )
    return commits


def read(data: Path, *, ignored: frozenset[str] = frozenset()) -> History:
    """The history of the YAML files in *data*, but the *ignored* ones (relative paths)."""
    facts = _git(data, "rev-parse", "--is-shallow-repository")
    if facts is None:
        return History(state="absent")
    shallow = facts.strip() == b"true"
    out = _git(
        data,
        "log",
        "--first-parent",
        "--diff-merges=first-parent",
        "--root",
        "--raw",
        "--no-renames",
        "--no-abbrev",
        "--relative",
        "-z",
        "--format=@%H %ct %P",
        "HEAD",
        "--",
        ".",
    )
    if out is None:  # no commit yet
        return History(state="absent")
    commits: list[Commit] = []
    horizon = None
    for commit, time, has_parent, files in _parse_log(out, ignored):
        if shallow and not has_parent:
            # The clone's oldest commit: its parent is not here, so what it changed is not
            # known (a diff against nothing would call every value new).
            horizon = time
            continue
        if files:
            commits.append(Commit(id=commit, time=time, files=tuple(files)))
    if not commits and horizon is None:
        return History(state="absent")  # git knows the folder, but no commit holds data
    return History(
        state="shallow" if shallow else "complete", commits=tuple(commits), horizon=horizon
    )


def blobs(data: Path, ids: set[str]) -> dict[str, bytes]:
    """The content of the blobs *ids*, read with one `git cat-file --batch`."""
    wanted = sorted(ids)
    if not wanted:
        return {}
    out = _git(data, "cat-file", "--batch", stdin="".join(f"{i}\n" for i in wanted).encode())
    if out is None:
        raise OSError(f"git could not read {len(wanted)} data files from the history")
    contents: dict[str, bytes] = {}
    position = 0
    for blob in wanted:
        end = out.index(b"\n", position)
        header = out[position:end].decode().split(" ")
        if len(header) != 3 or header[1] != "blob":
            raise OSError(f"git could not read the data file {blob} from the history")
        size = int(header[2])
        contents[blob] = out[end + 1 : end + 1 + size]
        position = end + 1 + size + 1  # the content ends with a newline of git's
    return contents
