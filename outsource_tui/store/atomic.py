"""Crash-safe JSON storage for TinyDB, and the lock that keeps two instances from clobbering.

TinyDB's own JSONStorage rewrites its file in place, so a crash mid-write can leave a file
that no longer parses. Here every write goes to a temporary file in the same directory, is
flushed to disk, and replaces the old file in one step: a reader sees the old state or the
new one, never half of either.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from outsource_tui.errors import StoreError


def describe_os_error(exc: OSError) -> str:
    """A short reason for an OS error, without the errno noise."""
    return exc.strerror or exc.__class__.__name__


def read_json(path: Path) -> dict[str, Any] | None:
    """The parsed content of ``path``, ``None`` when it does not exist yet; never modifies it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise StoreError(f"{path} is not UTF-8 text; it was left untouched") from None
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {describe_os_error(exc)}") from None
    if not text.strip():
        raise StoreError(f"{path} is empty; it was left untouched (restore it or move it aside)")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StoreError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}); "
            "it was left untouched (restore it or move it aside)"
        ) from None
    if not isinstance(data, dict):
        raise StoreError(f"{path} does not hold a store (expected a JSON object); left untouched")
    return data


def fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def dumps_store(data: dict[str, Any]) -> str:
    """A store as JSON with one line per record.

    A changed answer is one changed line in a diff, and each record goes through the fast
    (C) encoder: pretty-printing the whole file with ``indent`` uses the slow one, whose
    cost grew with a vendor's history.
    """
    lines = ["{"]
    tables = sorted(data.items())
    for t_index, (name, table) in enumerate(tables):
        end = "," if t_index < len(tables) - 1 else ""
        if not isinstance(table, dict) or not table:
            lines.append(f" {_ENCODE(name)}: {_ENCODE(table)}{end}")
            continue
        lines.append(f" {_ENCODE(name)}: {{")
        records = sorted(table.items(), key=lambda kv: (len(kv[0]), kv[0]))  # 2 before 10
        for r_index, (key, record) in enumerate(records):
            comma = "," if r_index < len(records) - 1 else ""
            lines.append(f"  {_ENCODE(key)}: {_ENCODE(record)}{comma}")
        lines.append(f" }}{end}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_json_atomic(path: Path, data: Any, *, durable: bool = True) -> None:
    """Write ``data`` as JSON to ``path`` through a temporary file, fsync and ``os.replace``."""
    if isinstance(data, dict):
        text = dumps_store(data)
    else:
        text = json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n"
    write_text_atomic(path, text, durable=durable)


def sync_all() -> None:
    """Flush every write to disk: one call after many writes made with ``durable=False``."""
    if hasattr(os, "sync"):
        os.sync()


# The temporary file a save writes first: ".<name>.<8 characters of mkstemp>.tmp", next to
# the file it replaces. A save killed before its rename leaves one behind.
TEMP_PREFIX, TEMP_SUFFIX = ".", ".tmp"
TEMP_NAME = re.compile(r"\.(?P<target>.+)\.[a-z0-9_]{8}\.tmp")


def remove_stale_temp_files(
    folder: Path, target: Callable[[str], bool], *, older_than: float
) -> list[Path]:
    """Remove the temporary files of saves into ``folder`` left for ``older_than`` seconds.

    Only names ``write_text_atomic`` makes, for a file whose name ``target`` accepts; nothing
    else in the folder is touched. Returns what was removed; a file that cannot be removed
    is left for next time.
    """
    removed: list[Path] = []
    cutoff = time.time() - older_than
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = TEMP_NAME.fullmatch(entry.name)
        if match is None or not target(match.group("target")):
            continue
        try:
            if not entry.is_file(follow_symlinks=False) or entry.stat().st_mtime > cutoff:
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def write_text_atomic(
    path: Path, text: str | bytes, *, durable: bool = True, make_parents: bool = True
) -> None:
    """Write ``text`` to ``path`` so a reader sees the old file or the new one, never half.

    ``text`` is written as UTF-8, line endings as they are; bytes (a workbook) as they are.

    With ``durable=False`` the data is not flushed before the rename: only for bulk writes
    that call ``sync_all`` before anything refers to them. A symlink is followed: its target
    is replaced and the link kept. A folder, or an existing file that is not a regular one
    (a device, a pipe), is refused; so is a missing folder unless ``make_parents``.
    """
    try:
        info: os.stat_result | None = os.stat(path)  # through any link
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise StoreError(f"cannot save {path}: {describe_os_error(exc)}") from None
    if info is not None and not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        raise StoreError(f"{path} is not a regular file (a device or a pipe); it was left alone")
    path = Path(os.path.realpath(path)) if path.is_symlink() else path
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise StoreError(f"{path} is a folder: give the name of a file to write")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise StoreError(f"{path} is not a regular file (a device or a pipe); it was left alone")
    if not make_parents and not path.parent.is_dir():
        raise StoreError(f"cannot save {path}: there is no folder {path.parent}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f"{TEMP_PREFIX}{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent
        )
    except OSError as exc:
        raise StoreError(f"cannot save {path}: {describe_os_error(exc)}") from None
    tmp = Path(tmp_name)
    try:
        # mkstemp makes the file private; keep the old file's mode, else an ordinary one.
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(text if isinstance(text, bytes) else text.encode("utf-8"))
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StoreError(f"cannot save {path}: {describe_os_error(exc)}") from None
    if durable:
        fsync_directory(path.parent)


class TransactionStorage(Storage):
    """A TinyDB storage over data already read from ``path``, written back once on ``commit``.

    TinyDB writes the whole file after every table operation; holding the changes in memory
    and committing once makes a store method one atomic write, and an error part-way through
    writes nothing at all.
    """

    def __init__(self, path: Path, data: dict[str, Any] | None) -> None:
        self.path = path
        self._data = data
        self.dirty = False

    def read(self) -> dict[str, dict[str, Any]] | None:
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._data = data
        self.dirty = True

    def commit(self) -> None:
        """Write the changes, if any, atomically to disk."""
        if self.dirty and self._data is not None:
            write_json_atomic(self.path, self._data)
            self.dirty = False

    def close(self) -> None:
        pass


LOCK_WAIT_ENV = "OUTSOURCE_TUI_LOCK_WAIT"
LOCK_WAIT_SECONDS = 3.0  # how long a write waits for another process to let go


def lock_wait_seconds() -> float:
    """How long a writer waits for the lock: $OUTSOURCE_TUI_LOCK_WAIT seconds, else 3."""
    try:
        value = float(os.environ.get(LOCK_WAIT_ENV, ""))
    except ValueError:
        return LOCK_WAIT_SECONDS
    return value if 0 <= value <= 600 else LOCK_WAIT_SECONDS


class DirectoryLock:
    """An exclusive lock on a data directory, held around each read-modify-write.

    Re-entrant within one process, so a store method may call another while holding it.
    ``on_first_hold`` runs once, the first time the lock is taken, while it is held.

    A writer waits a bounded time (``lock_wait_seconds``) for another process to let go,
    then fails with one line that names that process: a stopped or hung instance blocks
    nobody for long. The holder writes its pid into the lock file for that message.
    """

    def __init__(self, directory: Path, *, on_first_hold: Callable[[], None] | None = None) -> None:
        self.path = directory / ".lock"
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._handle: Any = None
        self._on_first_hold = on_first_hold

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        wait = lock_wait_seconds()
        if not self._thread_lock.acquire(timeout=wait):
            raise StoreError(self._busy(wait, "another task of this process"))
        try:
            if self._depth == 0:
                self._acquire(wait)
            self._depth += 1
            try:
                if self._on_first_hold is not None:
                    first, self._on_first_hold = self._on_first_hold, None
                    first()
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._release()
        finally:
            self._thread_lock.release()

    def _busy(self, wait: float, holder: str) -> str:
        return (
            f"{holder} is writing to the data directory {self.path.parent} and has not let go "
            f"for {wait:g} s; nothing was saved: try again once it has finished, or stop it"
        )

    def _acquire(self, wait: float) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(self.path, "a+b")  # noqa: SIM115 - held open while locked
        except OSError as exc:
            raise StoreError(
                f"cannot use the data directory {self.path.parent}: {describe_os_error(exc)}"
            ) from None
        deadline = time.monotonic() + wait
        while True:
            try:
                locked = _try_lock_file(handle)
            except OSError as exc:
                handle.close()
                raise StoreError(f"cannot lock {self.path}: {describe_os_error(exc)}") from None
            if locked:
                break
            if time.monotonic() >= deadline:
                holder = _holder(handle)
                handle.close()
                name = "another outsource-tui process" + (f" (pid {holder})" if holder else "")
                raise StoreError(self._busy(wait, name))
            time.sleep(0.02)
        with contextlib.suppress(OSError):  # only for the message above: not worth failing
            handle.truncate(0)
            handle.write(f"{os.getpid()}\n".encode())
            handle.flush()
        self._handle = handle

    def _release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            with contextlib.suppress(OSError):
                _unlock_file(handle)
            handle.close()


def _holder(handle: Any) -> int | None:
    """The pid the lock's holder wrote into the lock file, if it can be read."""
    try:
        handle.seek(0)
        text = handle.read(32).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock_file(handle: Any) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLK):
                return False
            raise
        return True

    def _unlock_file(handle: Any) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock_file(handle: Any) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock_file(handle: Any) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
