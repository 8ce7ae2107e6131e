"""A shared portfolio: the data directory as a git work tree, synced with ``origin``.

``sync`` does, in turn:

1. under the store's lock, checks that every store file opens, and commits what changed
   here with a message that says what it was ("Acme: quarterly business review 2026-Q4,
   3 answers"; "Added vendor Bolt Logistics");
2. fetches, and under the lock merges what others sent: store files record by record
   through the merge driver (``store/merge.py``), every other file by git. A file git
   cannot merge keeps this side's version, the other kept aside. The store is checked to
   open before the merge is committed; if it does not, the merge is undone;
3. shows each conflict with both values and applies the side the user chooses;
4. pushes, unless a conflict is still waiting: nothing is sent with a value nobody chose.

Everything goes through the git command-line tool. Files derived from the rest
(summaries.json) and those of one computer (the lock, backups, settings.toml) are never
shared; the dashboard works summaries out again from the files git changed.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from outsource_tui.domain.settings import SETTINGS_FILE
from outsource_tui.domain.vendor import FIELD_WORDS as VENDOR_FIELD_WORDS
from outsource_tui.errors import StoreError, UserError
from outsource_tui.services.pack import PACK_DIR
from outsource_tui.store import Store
from outsource_tui.store.atomic import read_json, write_text_atomic
from outsource_tui.store.merge import (
    CONFLICTS_ENV,
    CONFLICTS_FILE,
    DRIVER,
    MERGED_FILES,
    Conflict,
    MergeError,
    apply_choice,
    conflicts_path,
    load_conflicts,
    parse_store_text,
    record_conflicts,
    save_conflicts,
    table_records,
)
from outsource_tui.store.store import (
    BACKUP_DIR,
    INDEX_FILE,
    RATINGS_TABLE,
    SUMMARY_FILE,
    VENDOR_DIR,
)

if TYPE_CHECKING:
    from outsource_tui.domain.library import Library

REMOTE = "origin"
REPORTS_DIR = "reports"  # where the app writes reports (see outsource_tui.reports)
# Never shared (.gitignore): what is derived from the rest, or kept for one computer only.
# settings.toml holds who you are ([me] name), your working hours and your keys.
NOT_SHARED = (
    f"/{SUMMARY_FILE}",
    "/.lock",
    f"/{BACKUP_DIR}/",
    f"/{REPORTS_DIR}/",
    f"/{PACK_DIR}/",
    f"/{SETTINGS_FILE}",
    f"/{CONFLICTS_FILE}",
    ".*.tmp",
)
DEFAULT_BRANCH = "main"
PUSH_ATTEMPTS = 3  # a push refused because others sent meanwhile: fetch, merge, try again
# What git says when someone else pushed first (seen before sending, or while it did).
MOVED_ON = ("(fetch first)", "(non-fast-forward)", "(failed to update ref)", "(stale info)")
SUBJECT_MAX = 72  # a commit subject longer than this names its first change only
VALUE_MAX = 240  # characters of a value shown in a conflict
SHARING_SETUP = "Set up sharing"
GIT_MISSING = (
    "sync needs the git command-line tool, and there is no git on this computer's PATH "
    "(install it from https://git-scm.com)"
)
WHO_ARE_YOU = (
    "git does not know your name yet, which every shared change carries: run "
    'git config --global user.name "Your Name" and git config --global user.email '
    "you@example.com, then sync again"
)
FIELD_WORDS = {
    **VENDOR_FIELD_WORDS,
    "checked": "ticked items",
    "completed_at": "completion",
    "abandoned_at": "abandoning",
    "period": "review period",
}


class SyncError(UserError):
    """Sync could not go on; the message says why and what was kept."""


Choose = Callable[["ConflictView"], str | None]  # "mine", "theirs", or None to decide later


@dataclass(frozen=True)
class Change:
    """One change others made, as its commit names it."""

    subject: str
    author: str


@dataclass(frozen=True)
class ConflictView:
    """A conflict as the user sees it: what it is about, and both values."""

    number: int
    label: str
    mine: str
    theirs: str
    mine_by: str
    theirs_by: str
    conflict: Conflict


@dataclass
class SyncReport:
    """What one sync did."""

    remote: str
    committed: list[str] = field(default_factory=list)
    incoming: list[Change] = field(default_factory=list)
    settled: list[str] = field(default_factory=list)
    pending: list[ConflictView] = field(default_factory=list)
    sent: int = 0
    joined: bool = False  # --init checked out a portfolio kept there


def _reason(proc: subprocess.CompletedProcess[str]) -> str:
    """git's own last word on what went wrong, on one line."""
    for stream in (proc.stderr, proc.stdout):
        lines = [line.strip() for line in (stream or "").splitlines() if line.strip()]
        lines = [line for line in lines if not line.lower().startswith("hint:")]
        if lines:
            line = lines[-1]
            for prefix in ("fatal: ", "error: ", "remote: "):
                if line.startswith(prefix):
                    line = line[len(prefix) :]
            return line
    return f"git stopped with status {proc.returncode}"


class _Git:
    """The git command line in one work tree; a failure is one line, never a traceback."""

    def __init__(self, exe: str, work_tree: Path) -> None:
        self.exe = exe
        self.work_tree = work_tree

    def run(
        self,
        *args: str,
        check: bool = True,
        env: dict[str, str] | None = None,
        stdin: str | None = None,
    ) -> subprocess.CompletedProcess[str]:
        full = {
            **os.environ,
            "LC_ALL": "C",  # git's messages in one language, for the checks on them
            "GIT_MERGE_AUTOEDIT": "no",
            **(env or {}),
        }
        if sys.stdin is None or not sys.stdin.isatty():
            full["GIT_TERMINAL_PROMPT"] = "0"  # no password prompt nobody can answer
        command = [self.exe, "-C", str(self.work_tree), "-c", "core.quotepath=false", *args]
        try:
            proc = subprocess.run(
                command,
                input=stdin,
                capture_output=True,
                env=full,
                encoding="utf-8",
                errors="replace",
                check=False,
            )
        except FileNotFoundError:
            raise SyncError(GIT_MISSING) from None
        except OSError as exc:
            raise SyncError(f"cannot run git: {exc.strerror or exc}") from None
        if check and proc.returncode != 0:
            raise SyncError(f"git {args[0]} failed: {_reason(proc)}")
        return proc

    def out(self, *args: str) -> str:
        return self.run(*args).stdout.strip()

    def ok(self, *args: str) -> bool:
        return self.run(*args, check=False).returncode == 0

    def value(self, *args: str) -> str | None:
        """The output, or None when git says there is none (an unset config, no ref)."""
        proc = self.run(*args, check=False)
        return proc.stdout.strip() if proc.returncode == 0 else None


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _run_words(run: dict[str, Any]) -> str:
    """A run as the user names it: "quarterly business review 2026-Q4"."""
    title = str(run.get("playbook_title") or run.get("playbook_id") or "playbook")
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        title = title[0].lower() + title[1:]
    return f"{title} {run.get('period') or ''}".strip()


def _first_run(data: dict[str, Any] | None) -> dict[str, Any]:
    for _, record in table_records(data or {}, "runs").values():
        if isinstance(record, dict):
            return record
    return {}


def _parse(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        return parse_store_text(text, what="the file")
    except MergeError:
        return None


def _show(value: Any) -> str:
    """A stored value on one line, cut short if long."""
    if isinstance(value, str):
        text = f"'{value}'"
    elif isinstance(value, list) and all(isinstance(row, dict) for row in value) and value:
        text = " | ".join(", ".join(f"{k}: {v}" for k, v in row.items()) for row in value)
    else:
        text = json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= VALUE_MAX else text[: VALUE_MAX - 1] + "…"


def _listed(words: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _message(items: Sequence[str]) -> str:
    """A commit message: the changes on the subject line if they fit, then one a line."""
    if len(items) == 1:
        return items[0]
    subject = "; ".join(items)
    if len(subject) > SUBJECT_MAX:
        subject = f"{items[0]}; and {_plural(len(items) - 1, 'more change')}"
    return subject + "\n\n" + "\n".join(items)


class Sharing:
    """``outsource-tui sync`` for one data directory."""

    def __init__(
        self,
        data_dir: Path,
        *,
        library: Callable[[], Library] | None = None,
        git: str | None = None,
    ) -> None:
        # Absolute: git runs the merge driver from the top of the work tree, not from here.
        self.data_dir = Path(data_dir).absolute()
        exe = git or shutil.which("git")
        if exe is None:
            raise SyncError(GIT_MISSING)
        self.git = _Git(exe, self.data_dir)
        self.store = Store(self.data_dir)
        self.conflicts_file = conflicts_path(self.data_dir)
        self._load_library = library
        self._library: Library | None = None
        self._asked: set[tuple[str, str, tuple[str, ...]]] = set()

    # -- the state of the work tree ------------------------------------------------------

    def _is_own_repo(self) -> bool:
        if not (self.data_dir / ".git").exists():
            return False
        top = self.git.value("rev-parse", "--show-toplevel")
        return top is not None and Path(top).resolve() == self.data_dir.resolve()

    def _check_repo(self) -> None:
        if not self.data_dir.is_dir() or not self._is_own_repo():
            raise SyncError(
                f"{self.data_dir} is not shared yet: run `outsource-tui sync --init URL` "
                "to share it through the git repository at URL, or to join the portfolio there"
            )
        self._check_no_leftover()

    def _git_dir(self) -> Path:
        return Path(self.git.out("rev-parse", "--absolute-git-dir"))

    def _check_no_leftover(self) -> None:
        git_dir = self._git_dir()
        undo = {
            "MERGE_HEAD": ("a merge", "merge --abort"),
            "rebase-merge": ("a rebase", "rebase --abort"),
            "rebase-apply": ("a rebase", "rebase --abort"),
            "CHERRY_PICK_HEAD": ("a cherry-pick", "cherry-pick --abort"),
            "REVERT_HEAD": ("a revert", "revert --abort"),
        }
        for name, (what, command) in undo.items():
            if (git_dir / name).exists():
                raise SyncError(
                    f"{self.data_dir} has {what} left unfinished from before: finish it with "
                    f"git, or undo it with `git -C {self.data_dir} {command}`, then sync "
                    "again; nothing was changed"
                )
        if self.git.out("ls-files", "-u"):
            raise SyncError(
                f"{self.data_dir} has files git left unmerged from before: settle them with "
                "git (git status lists them), then sync again; nothing was changed"
            )

    def _branch(self) -> str:
        branch = self.git.value("symbolic-ref", "-q", "--short", "HEAD")
        if not branch:
            raise SyncError(
                f"{self.data_dir} is not on a branch (git's HEAD is detached): check out the "
                "branch you share, then sync again; nothing was changed"
            )
        return branch

    def _remote_url(self) -> str:
        url = self.git.value("remote", "get-url", REMOTE)
        if not url:
            raise SyncError(
                f"{self.data_dir} has no remote to sync with: run "
                "`outsource-tui sync --init URL` to name the shared repository"
            )
        return url

    def _remote_branch(self, branch: str) -> str:
        merge = self.git.value("config", f"branch.{branch}.merge") or ""
        return merge.removeprefix("refs/heads/") or branch

    def _head(self) -> str | None:
        return self.git.value("rev-parse", "-q", "--verify", "HEAD^{commit}")

    def _ref(self, ref: str) -> str | None:
        return self.git.value("rev-parse", "-q", "--verify", f"{ref}^{{commit}}")

    def _me(self) -> str:
        """The name this side's commits carry (from git's config or environment)."""
        ident = self.git.value("var", "GIT_AUTHOR_IDENT") or ""
        return ident.split(" <", 1)[0].strip() or "you"

    # -- set-up ------------------------------------------------------------------------

    def _install_driver(self) -> None:
        """The merge driver in .git/config, and which files it merges in .git/info, so
        store files are merged record by record even before .gitattributes is shared."""
        command = f"{shlex.quote(sys.executable)} -m outsource_tui.store.merge %O %A %B %P"
        self.git.run("config", f"merge.{DRIVER}.name", "outsource-tui store files")
        self.git.run("config", f"merge.{DRIVER}.driver", command)
        info = self._git_dir() / "info"
        self._ensure_lines(info / "attributes", [f"{p} merge={DRIVER}" for p in MERGED_FILES])
        self._ensure_lines(info / "exclude", list(NOT_SHARED))

    def _ensure_shared_files(self) -> None:
        """.gitignore and .gitattributes for everyone who shares the portfolio."""
        self._ensure_lines(
            self.data_dir / ".gitattributes",
            [f"{p} merge={DRIVER}" for p in MERGED_FILES],
            "Store files are merged record by record by outsource-tui sync",
        )
        self._ensure_lines(
            self.data_dir / ".gitignore",
            list(NOT_SHARED),
            "Derived, or of one computer only: never shared",
        )

    @staticmethod
    def _ensure_lines(path: Path, lines: list[str], heading: str = "") -> bool:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            text = ""
        except (OSError, UnicodeDecodeError) as exc:
            raise SyncError(f"cannot read {path}: {exc}") from None
        have = {line.strip() for line in text.splitlines()}
        missing = [line for line in lines if line not in have]
        if not missing:
            return False
        if text and not text.endswith("\n"):
            text += "\n"
        if heading and f"# {heading}" not in have:
            text += f"# {heading}\n"
        try:
            write_text_atomic(path, text + "\n".join(missing) + "\n")
        except StoreError as exc:
            raise SyncError(str(exc)) from None
        return True

    def init(self, url: str, choose: Choose) -> SyncReport:
        """Share this data directory through the git repository at ``url``, or join the
        portfolio kept there; then sync."""
        url = url.strip()
        if not url:
            raise SyncError("--init needs the URL of a git repository")
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SyncError(f"cannot make {self.data_dir}: {exc.strerror or exc}") from None
        has_store = self.store.index_path.exists() or (self.data_dir / VENDOR_DIR).exists()
        if has_store:
            with self.store.hold_lock():
                self.store.check()
        made_repo = added_remote = False
        if self._is_own_repo():
            self._check_no_leftover()
        else:
            self.git.run("init", "-q")
            self.git.run("symbolic-ref", "HEAD", f"refs/heads/{DEFAULT_BRANCH}")
            made_repo = True
        current = self.git.value("remote", "get-url", REMOTE)
        if current and current != url:
            raise SyncError(
                f"{self.data_dir} is already shared with {current}; to share it elsewhere: "
                f"git -C {self.data_dir} remote set-url {REMOTE} URL, then sync"
            )
        if not current:
            self.git.run("remote", "add", REMOTE, url)
            added_remote = True
        fetched = self.git.run("fetch", "-q", "--prune", REMOTE, check=False)
        if fetched.returncode != 0:
            if made_repo:
                shutil.rmtree(self.data_dir / ".git", ignore_errors=True)
            elif added_remote:
                self.git.run("remote", "remove", REMOTE, check=False)
            raise SyncError(f"cannot reach {url}: {_reason(fetched)}; nothing was changed")
        self._install_driver()
        there = self._remote_default()
        joined = False
        if there is not None and self._head() is None:
            # Commits made here go onto the branch the portfolio there is kept on.
            self.git.run("symbolic-ref", "HEAD", f"refs/heads/{there}")
            if not has_store:
                proc = self.git.run(
                    "checkout", "-q", "-B", there, "--track", f"{REMOTE}/{there}", check=False
                )
                if proc.returncode != 0:
                    raise SyncError(f"cannot take the portfolio from {url}: {_reason(proc)}")
                joined = True
            else:
                self.git.run("config", f"branch.{there}.remote", REMOTE)
                self.git.run("config", f"branch.{there}.merge", f"refs/heads/{there}")
        report = self.sync(choose)
        report.joined = joined
        return report

    def _remote_default(self) -> str | None:
        """The branch the remote keeps its portfolio on; None while it is empty."""
        proc = self.git.run("ls-remote", "--symref", REMOTE, "HEAD", check=False)
        for line in proc.stdout.splitlines():
            if line.startswith("ref: refs/heads/") and line.endswith("\tHEAD"):
                name = line[len("ref: refs/heads/") : -len("\tHEAD")]
                if self._ref(f"refs/remotes/{REMOTE}/{name}"):
                    return name
        names = self.git.out(
            "for-each-ref", "--format=%(refname:lstrip=3)", f"refs/remotes/{REMOTE}/"
        ).split()
        names = [n for n in names if n != "HEAD"]
        for name in (DEFAULT_BRANCH, "master"):
            if name in names:
                return name
        return names[0] if names else None

    # -- sync --------------------------------------------------------------------------

    def sync(self, choose: Choose) -> SyncReport:
        """Commit what changed here, take in what others sent, settle, send."""
        self._check_repo()
        url = self._remote_url()
        branch = self._branch()
        there = self._remote_branch(branch)
        tracking = f"refs/remotes/{REMOTE}/{there}"
        report = SyncReport(remote=url)
        self._install_driver()
        with self.store.hold_lock():
            self._check_store("the store here")
            if self._head() is not None or self._ref(tracking) is None:
                self._ensure_shared_files()
            committed = self._commit_local()
        if committed:
            report.committed.append(committed)
        self._settle(choose, report)  # conflicts waiting from an earlier sync
        for _ in range(PUSH_ATTEMPTS):
            self._fetch(url, report)
            theirs = self._ref(tracking)
            if theirs is not None:
                self._merge(theirs, report)
            self._settle(choose, report)
            if report.pending:
                break
            if self._push(url, branch, there, theirs, report):
                break
        else:
            raise SyncError(
                f"{url} kept changing while this sync sent to it; what changed here is "
                "committed and goes with the next sync"
            )
        return report

    def _check_store(self, what: str) -> None:
        try:
            self.store.check()
        except StoreError as exc:
            raise SyncError(f"{what} does not open, so nothing was shared: {exc}") from None

    def _fetch(self, url: str, report: SyncReport) -> None:
        proc = self.git.run("fetch", "-q", "--prune", REMOTE, check=False)
        if proc.returncode != 0:
            kept = (
                "; what changed here is committed and goes with the next sync"
                if report.committed or report.settled
                else "; nothing was changed"
            )
            raise SyncError(f"cannot reach {url}: {_reason(proc)}{kept}")

    def _push(
        self, url: str, branch: str, there: str, theirs: str | None, report: SyncReport
    ) -> bool:
        """Send what is new here; False when the remote moved on meanwhile."""
        head = self._head()
        if head is None or head == theirs:
            return True
        span = f"{theirs}..{head}" if theirs else head
        count = int(self.git.out("rev-list", "--count", "--no-merges", span))
        proc = self.git.run(
            "push", "-q", REMOTE, f"refs/heads/{branch}:refs/heads/{there}", check=False
        )
        if proc.returncode != 0:
            if any(word in proc.stderr for word in MOVED_ON):
                return False
            raise SyncError(
                f"{url} did not take what was sent: {_reason(proc)}; what changed here is "
                "committed and goes with the next sync"
            )
        if self.git.value("config", f"branch.{branch}.merge") is None:
            self.git.run("config", f"branch.{branch}.remote", REMOTE)
            self.git.run("config", f"branch.{branch}.merge", f"refs/heads/{there}")
        report.sent += count
        return True

    # -- commits -----------------------------------------------------------------------

    def _commit(self, message: str, *, allow_empty: bool = False) -> None:
        args = ["commit", "-q", "-F", "-"]
        if allow_empty:
            args.append("--allow-empty")
        proc = self.git.run(*args, stdin=message + "\n", check=False)
        if proc.returncode != 0:
            said = proc.stderr.lower()
            if "user.email" in said or "user.name" in said or "ident" in said:
                raise SyncError(WHO_ARE_YOU)
            raise SyncError(f"git commit failed: {_reason(proc)}")

    def _commit_local(
        self, first: Sequence[str] = (), skip: Sequence[str] = (), *, allow_empty: bool = False
    ) -> str | None:
        """Commit every change here (under the lock); returns the subject, None if none."""
        self.git.run("add", "-A")
        head = self._head()
        listing = self.git.out(
            "diff", "--cached", "--name-status", "-z", "--no-renames", *([head] if head else [])
        )
        fields = [f for f in listing.split("\0") if f]
        changes = list(zip(fields[::2], fields[1::2], strict=False))
        if not changes and not (allow_empty and first):
            return None
        items = list(first)
        if head is None:
            items.append(self._first_words())
        else:
            items += self._describe(head, [(s, p) for s, p in changes if p not in skip])
        items = list(dict.fromkeys(items)) or ["Changed files"]
        message = _message(items)
        self._commit(message, allow_empty=allow_empty)
        return message.splitlines()[0]

    def _first_words(self) -> str:
        vendors = self.store.list_vendors()
        if not vendors:
            return SHARING_SETUP
        runs = sum(len(self.store.runs(v.id, abandoned=True)) for v in vendors)
        return f"Shared the portfolio: {_plural(len(vendors), 'vendor')}, {_plural(runs, 'run')}"

    def _blob(self, spec: str) -> str | None:
        proc = self.git.run("show", spec, check=False)
        return proc.stdout if proc.returncode == 0 else None

    def _names(self, head: str | None) -> dict[str, str]:
        """Vendor names by id: as they are now, else as they were."""
        names: dict[str, str] = {}
        sources = [_parse(self._blob(f"{head}:{INDEX_FILE}")) if head else None]
        with contextlib.suppress(StoreError):
            sources.append(read_json(self.store.index_path))
        for data in sources:
            for _, record in table_records(data or {}, "vendors").values():
                if isinstance(record, dict) and isinstance(record.get("id"), str):
                    names[record["id"]] = str(record.get("name") or record["id"])
        return names

    def _describe(self, head: str, changes: list[tuple[str, str]]) -> list[str]:
        """Each change in the user's words."""
        names = self._names(head)
        items: list[str] = []
        for status, path in changes:
            old = self._blob(f"{head}:{path}") if status != "A" else None
            new = None
            if status != "D":
                try:
                    new = (self.data_dir / path).read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    new = ""
            items += self._describe_file(path, old, new, names)
        return items

    def _describe_file(
        self, path: str, old: str | None, new: str | None, names: dict[str, str]
    ) -> list[str]:
        parts = path.split("/")
        verb = "Added" if old is None else "Removed" if new is None else "Changed"
        if path == INDEX_FILE:
            return self._describe_index(_parse(old), _parse(new))
        if parts[0] == VENDOR_DIR and len(parts) == 3 and parts[2].endswith(".json"):
            return [self._describe_run(names.get(parts[1], parts[1]), _parse(old), _parse(new))]
        if parts[0] == VENDOR_DIR and len(parts) == 2:
            name = names.get(parts[1].removesuffix(".json"), parts[1])
            return [f"{name}: records moved to one file per run"]
        if path in (".gitignore", ".gitattributes"):
            return [SHARING_SETUP]
        if parts[0] == "playbooks":
            return [f"{verb} playbook {'/'.join(parts[1:])}"]
        return [f"{verb} {path}"]

    @staticmethod
    def _describe_index(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[str]:
        before = table_records(old or {}, "vendors")
        after = table_records(new or {}, "vendors")
        items = []

        def name(record: Any) -> str:
            return str(record.get("name", "?")) if isinstance(record, dict) else "?"

        for ident, (_, record) in after.items():
            if ident not in before:
                items.append(f"Added vendor {name(record)}")
                continue
            was = before[ident][1]
            if not isinstance(was, dict) or not isinstance(record, dict) or was == record:
                continue
            changed = [k for k in dict.fromkeys([*was, *record]) if was.get(k) != record.get(k)]
            words = []
            if "name" in changed:
                items.append(f"Renamed vendor {name(was)} to {name(record)}")
            if "status" in changed:
                words.append(f"now {record.get('status')}")
            if "notice_given" in changed and record.get("notice_given"):
                words.append(f"notice given on {record.get('notice_given')}")
            rest = [
                FIELD_WORDS.get(k, k)
                for k in changed
                if k not in ("name", "status", "notice_given")
            ]
            if rest:
                words.append(f"{_listed(rest)} changed")
            if words:
                items.append(f"{name(record)}: {', '.join(words)}")
        for ident, (_, record) in before.items():
            if ident not in after:
                items.append(f"Removed vendor {name(record)}")
        return items

    @staticmethod
    def _describe_run(vendor: str, old: dict[str, Any] | None, new: dict[str, Any] | None) -> str:
        run_now, run_was = _first_run(new), _first_run(old)
        what = _run_words(run_now or run_was)
        if new is None:
            return f"{vendor}: {what} removed"

        def changed(table: str) -> list[dict[str, Any]]:
            """The records of ``table`` whose value was given, changed or cleared."""
            was = {k: r for k, (_, r) in table_records(old or {}, table).items()}
            now = {k: r for k, (_, r) in table_records(new, table).items()}
            found = []
            for key in dict.fromkeys([*was, *now]):
                a, b = was.get(key), now.get(key)
                value_a = a.get("value") if isinstance(a, dict) else None
                value_b = b.get("value") if isinstance(b, dict) else None
                if value_a != value_b:
                    found.append(b if isinstance(b, dict) else a if isinstance(a, dict) else {})
            return found

        bits = ["started"] if old is None else []
        answers = changed("answers")
        if answers:
            bits.append(_plural(len(answers), "answer"))
        ratings = changed(RATINGS_TABLE)
        if ratings:
            who = sorted({str(r.get("reviewer", "?")) for r in ratings if isinstance(r, dict)})
            bits.append(f"{_plural(len(ratings), 'rating')} by {', '.join(who)}")
        ticks = set(run_now.get("checked") or []) ^ set(run_was.get("checked") or [])
        if ticks:
            bits.append(_plural(len(ticks), "checklist item"))
        if run_now.get("completed_at") and not run_was.get("completed_at"):
            bits.append("completed")
        elif run_was.get("completed_at") and not run_now.get("completed_at"):
            bits.append("reopened")
        if run_now.get("abandoned_at") and not run_was.get("abandoned_at"):
            bits.append("abandoned")
        return f"{vendor}: {what}, {', '.join(bits or ['updated'])}"

    # -- merging -----------------------------------------------------------------------

    def _is_ancestor(self, older: str, newer: str) -> bool:
        return self.git.ok("merge-base", "--is-ancestor", older, newer)

    def _merge(self, theirs: str, report: SyncReport) -> None:
        """Take in what others sent, under the lock; the store must open after it."""
        head = self._head()
        if head == theirs or (head is not None and self._is_ancestor(theirs, head)):
            return
        span = f"{head}..{theirs}" if head else theirs
        log = self.git.out("log", "--no-merges", "--reverse", "--format=%an%x1f%s%x1e", span)
        incoming = [
            Change(subject=entry.split("\x1f")[1], author=entry.split("\x1f")[0])
            for entry in (e.strip("\n") for e in log.split("\x1e"))
            if "\x1f" in entry
        ]
        with self.store.hold_lock():
            waiting = load_conflicts(self.conflicts_file)
            if head is None or self._is_ancestor(head, theirs):
                proc = self.git.run("merge", "-q", "--ff-only", theirs, check=False)
                if proc.returncode != 0:
                    raise SyncError(
                        f"cannot take in the changes from others: {_reason(proc)}; "
                        "nothing here was changed"
                    )
                problem = self._store_problem()
                if problem:
                    if head is not None:
                        self.git.run("reset", "-q", "--keep", head)
                    raise SyncError(
                        f"what others sent does not open ({problem}); it was not taken in"
                    )
            else:
                self._merge_both(head, theirs, incoming, waiting)
            self._name_others(theirs)
        report.incoming += incoming

    def _store_problem(self) -> str | None:
        try:
            self.store.check()
        except StoreError as exc:
            return str(exc)
        return None

    def _merge_both(
        self, head: str, theirs: str, incoming: list[Change], waiting: list[Conflict]
    ) -> None:
        proc = self.git.run(
            "merge", "-q", "--no-ff", "--no-commit", "--allow-unrelated-histories",
            "-X", "no-renames", theirs,
            env={CONFLICTS_ENV: str(self.conflicts_file)},
            check=False,
        )  # fmt: skip
        if proc.returncode != 0:
            unmerged = self._unmerged()
            if not unmerged:
                self._undo_merge(waiting)
                raise SyncError(
                    f"cannot merge the changes from others: {_reason(proc)}; "
                    "nothing here was changed"
                )
            self._keep_both(unmerged, head, theirs)
        problem = self._store_problem()
        if problem:
            self._undo_merge(waiting)
            raise SyncError(
                f"the merged store would not open ({problem}); the merge was undone and "
                "nothing was sent"
            )
        authors = sorted({c.author for c in incoming}) or ["others"]
        self._commit(
            f"Took in {_plural(len(incoming), 'change')} from {', '.join(authors)}"
            if incoming
            else "Took in the changes from others"
        )

    def _undo_merge(self, waiting: list[Conflict]) -> None:
        self.git.run("merge", "--abort", check=False)
        save_conflicts(self.conflicts_file, waiting)

    def _unmerged(self) -> dict[str, set[int]]:
        found: dict[str, set[int]] = {}
        for entry in self.git.out("ls-files", "-u", "-z").split("\0"):
            if "\t" not in entry:
                continue
            info, path = entry.split("\t", 1)
            found.setdefault(path, set()).add(int(info.split()[2]))
        return found

    def _keep_both(self, unmerged: dict[str, set[int]], head: str, theirs: str) -> None:
        """Files git could not merge: this side's version stays (the other one where this
        side removed it); the other is kept aside as a conflict to settle."""
        conflicts = []
        for path, stages in sorted(unmerged.items()):
            if 2 not in stages and 3 not in stages:  # removed on both sides
                self.git.run("rm", "-q", "--cached", "--", path)
                continue
            kept = "mine" if 2 in stages else "theirs"
            self.git.run("checkout", f"--{'ours' if kept == 'mine' else 'theirs'}", "--", path)
            self.git.run("add", "--", path)
            conflicts.append(
                Conflict(
                    file=path,
                    table="",
                    record="",
                    ref={},
                    path=[],
                    mine={"commit": head} if 2 in stages else None,
                    theirs={"commit": theirs} if 3 in stages else None,
                    kept=kept,
                )
            )
        record_conflicts(self.conflicts_file, conflicts)

    def _name_others(self, theirs: str) -> None:
        """Who made the other side of each new conflict, and who this side is."""
        conflicts = load_conflicts(self.conflicts_file)
        me = self._me()
        changed = False
        for conflict in conflicts:
            if not conflict.theirs_by:
                conflict.theirs_by = (
                    self.git.value("log", "-1", "--format=%an", theirs, "--", conflict.file)
                    or "others"
                )
                conflict.mine_by = conflict.mine_by or me
                changed = True
        if changed:
            save_conflicts(self.conflicts_file, conflicts)

    # -- conflicts ---------------------------------------------------------------------

    def pending(self) -> list[ConflictView]:
        """The conflicts waiting for the user's choice, each with both values."""
        try:
            conflicts = load_conflicts(self.conflicts_file)
        except StoreError as exc:
            raise SyncError(str(exc)) from None
        names = self._names(None)
        return [self._view(c, names) for c in conflicts]

    def _library_or_none(self) -> Library | None:
        if self._library is None and self._load_library is not None:
            try:
                self._library = self._load_library()
            except UserError:
                self._load_library = None
        return self._library

    def _question(self, playbook_id: str, question_id: str) -> str:
        library = self._library_or_none()
        playbook = library.get(playbook_id) if library is not None else None
        question = playbook.questions_by_id.get(question_id) if playbook else None
        return f"“{question.prompt}”" if question else f"'{question_id}'"

    def _label(self, conflict: Conflict, names: dict[str, str]) -> str:
        parts = conflict.file.split("/")
        if not conflict.table:
            return f"the file {conflict.file}"
        field_path = conflict.path
        words = " ".join(FIELD_WORDS.get(p, p) for p in field_path)
        if conflict.file == INDEX_FILE and conflict.table == "vendors":
            vendor_id = conflict.ref.get("id", "")
            name = names.get(vendor_id) or conflict.ref.get("name") or vendor_id
            return f"{name}: {words}" if field_path else f"vendor {name}, as a whole"
        if parts[0] == VENDOR_DIR and len(parts) == 3:
            vendor = names.get(parts[1], parts[1])
            try:
                run = _first_run(read_json(self.data_dir / conflict.file))
            except StoreError:
                run = {}
            what = f"{vendor}: {_run_words(run)}"
            question = self._question(
                str(run.get("playbook_id", "")), conflict.ref.get("question_id", "")
            )
            if conflict.table == "answers":
                return f"{what}, the answer to {question}"
            if conflict.table == RATINGS_TABLE:
                return f"{what}, {conflict.ref.get('reviewer', '?')}'s rating of {question}"
            return f"{what}, {words or 'the run as a whole'}"
        return f"{conflict.file}: {conflict.table} {words}".strip()

    def _side_text(self, conflict: Conflict, take: str) -> str:
        side = conflict.mine if take == "mine" else conflict.theirs
        if side is None:
            return "(removed)"
        if not conflict.table:
            commit = str(side.get("commit", ""))
            when = self.git.value("log", "-1", "--format=%cs", commit) or "?"
            return f"the version of {commit[:8]} ({when})"
        return _show(side.get("value"))

    def _view(self, conflict: Conflict, names: dict[str, str]) -> ConflictView:
        return ConflictView(
            number=conflict.number,
            label=self._label(conflict, names),
            mine=self._side_text(conflict, "mine"),
            theirs=self._side_text(conflict, "theirs"),
            mine_by=conflict.mine_by or "you",
            theirs_by=conflict.theirs_by or "others",
            conflict=conflict,
        )

    def _settle(self, choose: Choose, report: SyncReport) -> None:
        """Ask about each conflict not asked about yet in this sync; apply the choices."""
        views = self.pending()
        report.pending = []
        chosen: list[tuple[ConflictView, str]] = []
        for view in views:
            take = None
            if view.conflict.key not in self._asked:
                self._asked.add(view.conflict.key)
                take = choose(view)
            if take in ("mine", "theirs"):
                chosen.append((view, take))
            else:
                report.pending.append(view)
        if not chosen:
            return
        with self.store.hold_lock():
            touched = []
            for view, take in chosen:
                conflict = view.conflict
                if conflict.table:
                    changed = apply_choice(self.data_dir, conflict, take)
                else:
                    changed = self._apply_file(conflict, take)
                if changed:
                    touched.append(conflict.file)
            problem = self._store_problem()
            if problem:  # put back what this side had, which opened: nothing is lost
                self.git.run("checkout", "HEAD", "--", *touched, check=False)
                raise SyncError(
                    f"the store would not open with that choice ({problem}); "
                    "it was undone and the conflicts still wait"
                )
            settled = {view.conflict.key for view, _ in chosen}
            save_conflicts(
                self.conflicts_file,
                [c for c in load_conflicts(self.conflicts_file) if c.key not in settled],
            )
            words = [
                f"{view.label}: chose {view.mine_by if take == 'mine' else view.theirs_by}'s "
                f"{view.mine if take == 'mine' else view.theirs}"
                for view, take in chosen
            ]
            self._commit_local(words, touched, allow_empty=True)
        report.settled += words

    def _apply_file(self, conflict: Conflict, take: str) -> bool:
        if take == conflict.kept:
            return False
        side = conflict.mine if take == "mine" else conflict.theirs
        target = self.data_dir / conflict.file
        if side is None:
            try:
                target.unlink(missing_ok=True)
            except OSError as exc:
                raise SyncError(f"cannot remove {target}: {exc.strerror or exc}") from None
            return True
        self.git.run("checkout", str(side.get("commit", "")), "--", conflict.file)
        return True
