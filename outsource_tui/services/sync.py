"""A shared portfolio: the data directory as a git work tree, synced with ``origin``.

``sync`` does, in turn:

1. under the store's lock, checks that every store file opens, and commits what changed
   here with a message that says what it was ("Acme: quarterly business review 2026-Q4,
   3 answers"; "Added vendor Bolt Logistics");
2. fetches, and under the lock merges what others sent: store files record by record
   through the merge driver (``store/merge.py``), every other file by git. A file git
   cannot merge keeps this side's version, the other kept aside; a store file never is
   (either version alone lacks the other's records): it is merged record by record, or
   the merge is refused. The store is checked to open before the merge is committed; if
   it does not, the merge is undone. A completed review the merge brought answers or
   ratings to has its kept scorecard worked out again, as completing it does;
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

from outsource_tui.domain.contract import TERM_WORDS as CONTRACT_WORDS
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
    is_store_file,
    keep_snapshot,
    load_conflicts,
    merge_texts,
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
    from outsource_tui.services.portfolio import Portfolio

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
# How git starts a line of its own, and lines that are not the reason it stopped.
GIT_PREFIXES = ("fatal:", "error:", "remote:")
NOT_A_REASON = ("hint:", "warning:", "to ")
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
    **CONTRACT_WORDS,  # a vendor's contract terms, one by one
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
    notes: list[str] = field(default_factory=list)  # what sync did of itself, a line each
    sent: int = 0
    joined: bool = False  # --init checked out a portfolio kept there


def _reason(proc: subprocess.CompletedProcess[str]) -> str:
    """git's own reason for stopping, whole, on one line: the first line that gives one.

    What follows it is advice or a summary ("Please make sure you have the correct access
    rights / and the repository exists."; "failed to push some refs"), never the reason.
    """
    for stream in (proc.stderr, proc.stdout):
        for raw in (stream or "").splitlines():
            line = raw.strip()
            while line.startswith(GIT_PREFIXES):
                line = line.split(":", 1)[1].strip()
            if line and not line.lower().startswith(NOT_A_REASON):
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


def _changed(old: dict[str, Any] | None, new: dict[str, Any] | None, table: str) -> list[Any]:
    """The records of ``table`` whose value was given, changed or cleared."""
    was = {k: r for k, (_, r) in table_records(old or {}, table).items()}
    now = {k: r for k, (_, r) in table_records(new or {}, table).items()}
    found = []
    for key in dict.fromkeys([*was, *now]):
        a, b = was.get(key), now.get(key)
        value_a = a.get("value") if isinstance(a, dict) else None
        value_b = b.get("value") if isinstance(b, dict) else None
        if value_a != value_b:
            found.append(b if isinstance(b, dict) else a if isinstance(a, dict) else {})
    return found


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
            raise SyncError(
                f"cannot reach {url}: {_reason(fetched)}; check the address and the connection "
                "(a new shared repository is made with `git init --bare PATH`), then run "
                "sync --init again; nothing was changed"
            )
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
            merged = self._merge_set_aside()
        report.committed += [subject for subject in (committed, merged) if subject]
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
            raise SyncError(
                f"cannot reach {url}: {_reason(proc)}; check the address and the connection, "
                f"and if the repository moved, point to it with `git -C {self.data_dir} remote "
                f"set-url {REMOTE} NEW-URL`{kept}"
            )

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

        bits = ["started"] if old is None else []
        answers = _changed(old, new, "answers")
        if answers:
            bits.append(_plural(len(answers), "answer"))
        ratings = _changed(old, new, RATINGS_TABLE)
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
                report.notes += self._merge_both(head, theirs, incoming, waiting)
                report.notes += self._rescore_merged(head)
            self._name_others(theirs)
        report.incoming += incoming

    def _rescore_merged(self, head: str) -> list[str]:
        """After a merge: completed reviews it changed get their scorecards worked out
        again, in a commit of their own that says so."""
        listing = self.git.out("diff", "--name-only", "-z", "--no-renames", head, "HEAD")
        told, written = self._rescore(head, listing.split("\0"), "the answers that came in")
        if written:
            problem = self._store_problem()
            if problem:
                self.git.run("checkout", "HEAD", "--", *written, check=False)
                return [
                    f"the scorecards worked out again would not open ({problem}), so they were "
                    "left as completed: complete those reviews again to count every reviewer"
                ]
            self._commit_local(list(written.values()), list(written))
        return told

    def _rescore(
        self, before: str, paths: Sequence[str], otherwise: str
    ) -> tuple[list[str], dict[str, str]]:
        """Completed reviews among the run files ``paths`` whose answers or ratings changed
        since commit ``before``: each one's kept scorecard worked out again, as completing
        it does (RunService.complete), so it counts every reviewer's ratings.

        Returns the lines to show and, by file written, the line that says so. A scorecard
        that cannot be worked out here is left as it was, with a line saying so.
        """
        from outsource_tui.domain.settings import load_settings
        from outsource_tui.services import Services

        told: list[str] = []
        written: dict[str, str] = {}
        portfolio: Portfolio | None = None
        for path in dict.fromkeys(paths):
            parts = path.split("/")
            if len(parts) != 3 or parts[0] != VENDOR_DIR or not parts[2].endswith(".json"):
                continue
            try:
                run = self.store.get_run(parts[1], parts[2].removesuffix(".json"))
                vendor = self.store.get_vendor(run.vendor_id).name
                now = read_json(self.data_dir / path)
            except UserError:
                continue  # the store's own check names a file that does not open
            if not (run.completed and run.snapshot and run.period) or run.abandoned:
                continue
            old = _parse(self._blob(f"{before}:{path}"))
            if old is None:
                continue  # the run came whole from the other side, scorecard and all
            raters = {str(r.get("reviewer")) for r in _changed(old, now, RATINGS_TABLE)}
            raters.discard("")
            if not raters and not _changed(old, now, "answers"):
                continue  # the scorecard stands on the answers and ratings alone
            owners = [name + "'s" for name in sorted(raters, key=str.casefold)]
            what = f"{vendor}: {run.period} scorecard"
            given = f"{_listed(owners)} ratings" if owners else otherwise
            library = self._library_or_none()
            playbook = library.get(run.playbook_id) if library is not None else None
            try:
                if library is None or playbook is None:
                    raise UserError(f"the playbook '{run.playbook_id}' is not on this computer")
                if portfolio is None:
                    settings = load_settings(self.data_dir)
                    portfolio = Services(self.store, library, settings).portfolio()
                if not playbook.fed_tables("kpi-actuals"):
                    continue
                runs = self.store.runs(run.vendor_id)
                card = json.loads(
                    json.dumps(portfolio.live_scorecard(playbook, run, runs).to_dict())
                )
                if card == run.snapshot:
                    continue
                keep_snapshot(self.data_dir / path, run.id, card)
            except UserError as exc:
                told.append(
                    f"{what} still counts only what it was completed with, not {given} "
                    f"({exc}): complete the review again to count them"
                )
                continue
            written[path] = f"{what} worked out again with {given}"
            told.append(written[path])
        return told, written

    def _store_problem(self) -> str | None:
        try:
            self.store.check()
        except StoreError as exc:
            return str(exc)
        return None

    def _merge_both(
        self, head: str, theirs: str, incoming: list[Change], waiting: list[Conflict]
    ) -> list[str]:
        """Merge and commit both sides' changes; returns what the user should know of it."""
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
            notes = self._keep_both(unmerged, head, theirs, waiting)
        else:
            notes = []
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
        return notes

    def _merge_set_aside(self) -> str | None:
        """Store files an earlier version of sync set aside whole, merged record by record
        now, so that no choice drops the records only one version has; under the lock.
        Returns the subject of the commit that keeps the result, None if there was none."""
        try:
            waiting = load_conflicts(self.conflicts_file)
        except StoreError as exc:
            raise SyncError(str(exc)) from None
        whole = [c for c in waiting if not c.table and is_store_file(c.file)]
        if not whole:
            return None
        found: list[Conflict] = []
        touched: list[str] = []
        for conflict in whole:
            commits = [
                str((side or {}).get("commit", "")) for side in (conflict.mine, conflict.theirs)
            ]
            other = commits[1] if conflict.kept == "mine" else commits[0]
            there = self._blob(f"{other}:{conflict.file}") if other else None
            if there is None:
                continue  # the other side removed it: the file here lacks nothing
            target = self.data_dir / conflict.file
            touched.append(conflict.file)
            if not target.exists():
                self.git.run("checkout", other, "--", conflict.file)
                continue
            base_commit = self.git.value("merge-base", *commits) if all(commits) else None
            base = self._blob(f"{base_commit}:{conflict.file}") if base_commit else None
            try:
                here = target.read_text(encoding="utf-8")
                text, new = merge_texts(base or "", here, there, conflict.file)
                write_text_atomic(target, text)
            except (OSError, UnicodeDecodeError, MergeError, StoreError) as exc:
                self.git.run("checkout", "HEAD", "--", *touched, check=False)
                raise SyncError(
                    f"{conflict.file}, set aside by an earlier sync, cannot be merged record by "
                    f"record ({exc}); nothing was changed: settle conflict {conflict.number} "
                    "with git by hand, then sync again"
                ) from None
            for record in new:
                record.mine_by, record.theirs_by = conflict.mine_by, conflict.theirs_by
                if conflict.kept == "theirs":  # the file here is the other side's
                    record.mine, record.theirs = record.theirs, record.mine
                    record.kept = "theirs"
            found += new
        problem = self._store_problem()
        if problem:
            self.git.run("checkout", "HEAD", "--", *touched, check=False)
            raise SyncError(
                f"the store would not open with the files set aside by an earlier sync merged "
                f"in ({problem}); nothing was changed"
            )
        record_conflicts(self.conflicts_file, found)  # numbered after those still waiting
        settled = {c.key for c in whole}
        save_conflicts(
            self.conflicts_file,
            [c for c in load_conflicts(self.conflicts_file) if c.key not in settled],
        )
        if not touched:
            return None
        who = _listed(sorted({c.theirs_by or "others" for c in whole}))
        return self._commit_local(
            [f"Merged {_listed(touched)} record by record, with what {who} had there too"]
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

    def _keep_both(
        self, unmerged: dict[str, set[int]], head: str, theirs: str, waiting: list[Conflict]
    ) -> list[str]:
        """Files git could not merge: this side's version stays (the other one where this
        side removed it); the other is kept aside as a conflict to settle. A store file is
        never kept aside whole (choosing either version would drop the other's records): it
        is merged record by record here, or the merge is refused. Returns what to tell."""
        conflicts = []
        notes = []
        for path, stages in sorted(unmerged.items()):
            if 2 not in stages and 3 not in stages:  # removed on both sides
                self.git.run("rm", "-q", "--cached", "--", path)
                continue
            kept = "mine" if 2 in stages else "theirs"
            if is_store_file(path) and 2 in stages and 3 in stages:
                conflicts += self._merge_store_file(path, stages, theirs, waiting)
                continue
            self.git.run("checkout", f"--{'ours' if kept == 'mine' else 'theirs'}", "--", path)
            self.git.run("add", "--", path)
            if is_store_file(path):
                notes.append(
                    f"Kept {path}: it was removed on one side and changed on the other, "
                    "and removing it would lose those changes"
                )
                continue
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
        return notes

    def _merge_store_file(
        self, path: str, stages: set[int], theirs: str, waiting: list[Conflict]
    ) -> list[Conflict]:
        """A store file git left unmerged (the driver could not run, or refused a version),
        merged record by record here; a version that is no store file stops the merge."""
        base = self._blob(f":1:{path}") if 1 in stages else None
        try:
            text, found = merge_texts(
                base or "", self._blob(f":2:{path}") or "", self._blob(f":3:{path}") or "", path
            )
        except MergeError as exc:
            self._undo_merge(waiting)
            who = self.git.value("log", "-1", "--format=%an", theirs, "--", path) or "others"
            raise SyncError(
                f"cannot take in the changes from others: {path} as {who} sent it cannot be "
                f"merged record by record ({exc}), so nothing here was changed: ask {who} to "
                "open their store with outsource-tui, which names what is damaged, put it "
                "right and sync again"
            ) from None
        try:
            write_text_atomic(self.data_dir / path, text)
        except StoreError as exc:
            self._undo_merge(waiting)
            raise SyncError(f"{exc}; the merge was undone and nothing was sent") from None
        self.git.run("add", "--", path)
        return found

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
        words = ", ".join(FIELD_WORDS.get(p, p) for p in field_path)
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
            told, written = self._rescore("HEAD", touched, "the value chosen")
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
            self._commit_local([*words, *written.values()], touched, allow_empty=True)
        report.settled += words
        report.notes += told

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
