"""The store: vendors, runs and answers on disk, behind an API in the user's terms.

Layout of a data directory::

    index.json                  schema version and the vendor records
    vendors/<vendor>/<run>.json one file per playbook run: its answers and ticked items
    playbooks/                  the user's own playbooks (optional)
    backups/                    copies taken before an upgrade and by ``backup``

Saving an answer rewrites only the file of the run it belongs to, so its cost grows neither
with the portfolio nor with the vendor's years of history. Every write holds the directory
lock and re-reads the file first, so two instances on one directory never lose each other's
writes. Reads take no lock: files are only ever replaced whole.

Schema 2 kept one file per vendor (``vendors/<vendor>.json``); opening such a directory
splits those files into one per run, after copying the old files to ``backups/``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from outsource_tui.domain.answers import Answer, parse_date
from outsource_tui.domain.periods import QUARTER, YEAR, check_period
from outsource_tui.domain.playbook import Cadence, Playbook
from outsource_tui.domain.reported import check_reported, merge_reported
from outsource_tui.domain.reviewers import RatingsBy, stored_name
from outsource_tui.domain.run import Run, latest_runs
from outsource_tui.domain.slug import slugify
from outsource_tui.domain.vendor import (
    FieldError,
    Vendor,
    VendorDraft,
    check_contract,
    check_draft,
    check_status,
    name_key,
)
from outsource_tui.errors import StoreError, UserError, ValidationError
from outsource_tui.store.atomic import (
    DirectoryLock,
    TransactionStorage,
    describe_os_error,
    fsync_directory,
    read_json,
    remove_stale_temp_files,
    sync_all,
    write_json_atomic,
)

SCHEMA_VERSION = 3
BACKUP_DIR = "backups"
INDEX_FILE = "index.json"
SUMMARY_FILE = "summaries.json"  # derived from the rest: rebuilt whenever it is stale or lost
VENDOR_DIR = "vendors"
META_TABLE = "_meta"
RATINGS_TABLE = "ratings"  # in a run's file: named reviewers' ratings, one record each

VENDOR_FIELDS = (
    "id",
    "name",
    "service",
    "status",
    "timezone",
    "contract_start",
    "contract_end",
    "contact",
    "created_at",
    "notice_given",
)


def now() -> str:
    """The current time as stored: UTC, ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 2: runs record their review period, step id and scorecard snapshot."""
    for doc in data.get("runs", {}).values():
        doc.setdefault("period", "")
        doc.setdefault("step_id", "")
        doc.setdefault("snapshot", None)
    return data


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 3 moves runs into files of their own; see ``Store._split_vendor_files``."""
    return data


MIGRATIONS = {1: _v1_to_v2, 2: _v2_to_v3}  # from version N to N + 1


RUN_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Vendor ids name folders. New ones are ASCII slugs; earlier versions kept letters of any
# script. Never a dot or a slash, so no id read from the index can point outside vendors/.
VENDOR_ID = re.compile(r"[\w-]{1,64}")
STALE_TEMP_SECONDS = 5 * 60  # a temporary file this old is no save still under way


def _doc_order(key: str) -> int:
    """TinyDB document ids are numbers kept as strings: 2 comes before 10."""
    return int(key) if key.isdigit() else 0


class UnknownVendor(UserError):
    """No vendor has that name or id."""


class UnknownRun(UserError):
    """No run has that id."""


class Store:
    """All reads and writes of one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._lock = DirectoryLock(self.data_dir, on_first_hold=self._remove_stale_temp_files)

    def _remove_stale_temp_files(self) -> None:
        """Remove what saves killed part-way left behind, once per store, at its first write.

        Only our own temporary names (see ``atomic.TEMP_NAME``) for the index, the run files
        and schema 2 vendor files, and only those older than any save takes: every save holds
        the lock, as this does, so the age is a second guard, not the only one.
        """

        def index_file(name: str) -> bool:
            return name in (INDEX_FILE, SUMMARY_FILE)

        def store_file(name: str) -> bool:  # a run's file, or a schema 2 vendor's
            return name.endswith(".json") and bool(VENDOR_ID.fullmatch(name[: -len(".json")]))

        remove_stale_temp_files(self.data_dir, index_file, older_than=STALE_TEMP_SECONDS)
        vendors = self.data_dir / VENDOR_DIR
        folders = [vendors]
        with contextlib.suppress(OSError):
            folders += [entry for entry in vendors.iterdir() if entry.is_dir()]
        for folder in folders:
            remove_stale_temp_files(folder, store_file, older_than=STALE_TEMP_SECONDS)

    @contextlib.contextmanager
    def hold_lock(self) -> Iterator[None]:
        """Hold the directory lock around work on the files from outside the store (git
        merging into them, say): no instance writes meanwhile. Re-entrant, as every write."""
        with self._lock.hold():
            yield

    # -- files ---------------------------------------------------------------------------

    @property
    def index_path(self) -> Path:
        return self.data_dir / INDEX_FILE

    def vendor_dir(self, vendor_id: str) -> Path:
        """The folder holding one vendor's runs, a file per run."""
        if not VENDOR_ID.fullmatch(vendor_id):
            raise UnknownVendor(f"no vendor with id {vendor_id!r}")
        return self.data_dir / VENDOR_DIR / vendor_id

    def run_path(self, vendor_id: str, run_id: str) -> Path:
        """The file holding one run with its answers and ticked items."""
        if not RUN_ID.fullmatch(run_id):
            raise UnknownRun(f"no run '{run_id}'")
        return self.vendor_dir(vendor_id) / f"{run_id}.json"

    def legacy_vendor_path(self, vendor_id: str) -> Path:
        """Where schema 2 kept all of a vendor's runs in one file."""
        return self.vendor_dir(vendor_id).with_name(f"{vendor_id}.json")

    def records_stamp(self, vendor_id: str) -> int:
        """What changes whenever the store writes one of the vendor's runs: the modification
        time (ns) of its run folder, 0 while it has none.

        Every save writes a temporary file into the folder and renames it over the run's
        file, so the folder changes with it. One ``stat``, however long the history.
        """
        try:
            return os.stat(self.vendor_dir(vendor_id)).st_mtime_ns
        except OSError:
            return 0

    def records_detail(self, vendor_id: str) -> list[int]:
        """How many run files the vendor has, the newest one's modification time (ns) and
        their total size, and the time of a schema 2 file not yet split: changes also when a
        file is edited in place, outside the store."""
        count = newest = size = 0
        try:
            legacy = self.legacy_vendor_path(vendor_id).stat().st_mtime_ns
        except OSError:
            legacy = 0
        try:
            entries = list(os.scandir(self.vendor_dir(vendor_id)))
        except OSError:
            entries = []
        for entry in entries:
            if not entry.name.endswith(".json") or entry.name.startswith("."):
                continue
            try:
                info = entry.stat()
            except OSError:
                continue
            count += 1
            newest = max(newest, info.st_mtime_ns)
            size += info.st_size
        return [count, newest, size, legacy]

    def read_summaries(self) -> dict[str, Any]:
        """The kept vendor summaries as stored; empty when missing or unreadable (they are
        only ever derived, so a damaged file just means working them out again)."""
        try:
            data = read_json(self.data_dir / SUMMARY_FILE)
        except StoreError:
            return {}
        return data or {}

    def write_summaries(self, data: dict[str, Any]) -> None:
        """Keep the vendor summaries; under the lock, atomically, like every other write."""
        with self._lock.hold():
            write_json_atomic(self.data_dir / SUMMARY_FILE, data, durable=False)

    @staticmethod
    def _version(path: Path, data: dict[str, Any]) -> int:
        """The schema version a store file declares, checked to be one this version reads."""
        meta = data.get(META_TABLE)
        version = None
        if isinstance(meta, dict):
            for doc in meta.values():
                if isinstance(doc, dict) and "schema" in doc:
                    version = doc["schema"]
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise StoreError(f"{path} has no schema version; it was left untouched")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path} was written by a newer outsource-tui (schema {version}, this version "
                f"reads up to {SCHEMA_VERSION}); upgrade outsource-tui. The file was left untouched"
            )
        for name, table in data.items():
            if not isinstance(table, dict) or not all(isinstance(d, dict) for d in table.values()):
                raise StoreError(f"{path}: table '{name}' is damaged; the file was left untouched")
        return version

    def _checked(self, path: Path) -> dict[str, Any] | None:
        """Read a store file and check its schema version; ``None`` if it does not exist."""
        data = read_json(path)
        if data is None:
            return None
        version = self._version(path, data)
        if version < SCHEMA_VERSION:
            data = self._migrate(path, data, version)
        return data

    def _migrate(self, path: Path, data: dict[str, Any], version: int) -> dict[str, Any]:
        """Bring an older file up to this schema: a backup copy first, then one atomic write.

        Upgrading the index upgrades the whole directory: from schema 2, each vendor's file
        is split into one file per run before the index says schema 3.
        """
        with self._lock.hold():
            fresh = read_json(path) or data  # another instance may have migrated it meanwhile
            current = self._version(path, fresh)
            if current >= SCHEMA_VERSION:
                return fresh
            is_index = path == self.index_path
            legacy = sorted((self.data_dir / VENDOR_DIR).glob("*.json")) if is_index else []
            backup = self.backup_files([path, *legacy], f"schema{current}")
            for step in range(current, SCHEMA_VERSION):
                fresh = MIGRATIONS[step](fresh)
            fresh[META_TABLE] = {"1": {"schema": SCHEMA_VERSION}}
            try:
                for vendor_file in legacy:
                    self._split_vendor_file(vendor_file)
                write_json_atomic(path, fresh)
            except StoreError as exc:
                raise StoreError(f"{exc} (a copy of the old files is in {backup})") from None
        return fresh

    def _split_vendor_file(self, legacy: Path) -> None:
        """Move the runs of a schema 1 or 2 vendor file into a file each, then remove it.

        Safe to repeat after a crash: the old file goes last, and a run file already
        written is kept as it is (nothing writes to a vendor's runs before its split).
        """
        raw = read_json(legacy)
        if raw is None:
            return
        version = self._version(legacy, raw)
        for step in range(version, SCHEMA_VERSION):
            raw = MIGRATIONS[step](raw)
        self._runs_from(raw, legacy)  # refuses damaged runs before anything is written
        answers: dict[str, dict[str, Any]] = {}
        for doc in raw.get("answers", {}).values():
            group = answers.setdefault(str(doc["run_id"]), {})
            group[str(len(group) + 1)] = doc
        folder = self.data_dir / VENDOR_DIR / legacy.stem
        docs = sorted(raw.get("runs", {}).items(), key=lambda kv: _doc_order(kv[0]))
        for seq, (_, doc) in enumerate(docs, start=1):
            run_id = str(doc["id"])
            if not RUN_ID.fullmatch(run_id):
                raise StoreError(f"{legacy}: a run has a damaged id; left untouched")
            target = folder / f"{run_id}.json"
            if target.exists():
                continue
            write_json_atomic(
                target,
                {
                    META_TABLE: {"1": {"schema": SCHEMA_VERSION}},
                    "runs": {"1": {**doc, "seq": seq}},
                    "answers": answers.get(run_id, {}),
                },
            )
        try:
            legacy.unlink()
        except OSError as exc:
            raise StoreError(f"cannot upgrade {legacy}: {describe_os_error(exc)}") from None
        fsync_directory(legacy.parent)

    def _split_legacy(self, vendor_id: str) -> None:
        """Split a vendor file left in the old layout (restored by hand, say), with a backup."""
        legacy = self.legacy_vendor_path(vendor_id)
        with self._lock.hold():
            if not legacy.is_file():
                return
            backup = self.backup_files([legacy], "schema2")
            try:
                self._split_vendor_file(legacy)
            except StoreError as exc:
                raise StoreError(f"{exc} (a copy of the old file is in {backup})") from None

    def backup_file(self, path: Path, label: str) -> Path:
        """Copy one store file into a timestamped folder under ``backups/``."""
        return self.backup_files([path], label) / path.relative_to(self.data_dir)

    def backup_files(self, paths: list[Path], label: str) -> Path:
        """Copy store files into one timestamped folder under ``backups/``; returns it.

        The copies are made in a folder marked incomplete and moved into place in one step,
        so a backup cut short is never mistaken for a whole one.
        """
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        folder = self.data_dir / BACKUP_DIR / f"{stamp}-{label}"

        def copy(work: Path) -> None:
            for path in paths:
                target = work / path.relative_to(self.data_dir)
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, target)
                except OSError as exc:
                    raise StoreError(
                        f"cannot back up {path} before upgrading it: {describe_os_error(exc)}; "
                        "the file was left untouched"
                    ) from None

        return self._build_folder(folder, copy)

    @staticmethod
    def _build_folder(folder: Path, fill: Callable[[Path], None]) -> Path:
        """Fill ``folder`` in one step: in ``.<name>.incomplete`` beside it, then renamed;
        ``folder-2`` (and so on) if that name is taken. Returns the folder made.

        A failure removes the incomplete folder; a kill leaves it, named for what it is.
        """
        base, n = folder, 2
        while folder.exists():
            folder = base.with_name(f"{base.name}-{n}")
            n += 1
        work = folder.with_name(f".{folder.name}.incomplete")
        try:
            work.mkdir(parents=True)
        except OSError as exc:
            raise StoreError(
                f"cannot write the backup {folder}: {describe_os_error(exc)}"
            ) from None
        try:
            fill(work)
            os.rename(work, folder)
            return folder
        except BaseException as exc:
            shutil.rmtree(work, ignore_errors=True)
            if isinstance(exc, OSError):
                raise StoreError(
                    f"cannot write the backup {folder}: {describe_os_error(exc)}; "
                    "nothing was kept of it"
                ) from None
            raise

    def backup(self) -> Path:
        """A timestamped copy of every store file and the user's playbooks and settings."""
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        target = self.data_dir / BACKUP_DIR / stamp

        def copy(work: Path) -> None:
            for name in (INDEX_FILE, "settings.toml"):
                if (self.data_dir / name).is_file():
                    shutil.copy2(self.data_dir / name, work / name)
            for folder in (VENDOR_DIR, "playbooks"):
                if (self.data_dir / folder).is_dir():
                    shutil.copytree(self.data_dir / folder, work / folder)

        with self._lock.hold():
            return self._build_folder(target, copy)

    @contextlib.contextmanager
    def _open(self, path: Path, *, write: bool, run_id: str = "") -> Iterator[TinyDB]:
        """A TinyDB over ``path``, schema-checked.

        When writing: under the directory lock, on a fresh read of the file, and saved in one
        atomic write when the block ends without an error. With ``run_id`` the file is a
        run's and must exist already.
        """
        if not write:
            yield TinyDB(path, self._checked(path), storage=TransactionStorage)
            return
        with self._lock.hold():
            # Every writer holds the lock, so a temporary file seen now was left by a crash.
            for stale in path.parent.glob(f".{path.name}.*.tmp"):
                with contextlib.suppress(OSError):
                    stale.unlink()
            existing = self._checked(path)
            if existing is None and run_id:
                raise UnknownRun(f"no run '{run_id}'")
            db = TinyDB(path, existing, storage=TransactionStorage)
            if existing is None:
                db.table(META_TABLE).insert({"schema": SCHEMA_VERSION})
            yield db
            storage = db.storage
            assert isinstance(storage, TransactionStorage)
            storage.commit()

    def check_index(self) -> None:
        """Read the index, so a broken one is reported before the app starts."""
        self._checked(self.index_path)

    def has_vendors(self) -> bool:
        """Whether the index lists any vendor (read, not checked vendor by vendor)."""
        data = self._checked(self.index_path)
        return bool(data and data.get("vendors"))

    def check(self) -> None:
        """Read every store file once, so a broken one is reported before any work starts."""
        for vendor in self.list_vendors():
            self.runs(vendor.id)

    # -- vendors ---------------------------------------------------------------------------

    def _vendor_from(self, doc: dict[str, Any]) -> Vendor:
        values: dict[str, str] = {}
        for name in VENDOR_FIELDS:
            value = doc.get(name, "")
            if name in ("id", "name") and (not isinstance(value, str) or not value.strip()):
                problem = "has no" if name not in doc else "has a damaged"
                raise StoreError(
                    f"{self.index_path}: a vendor record {problem} '{name}'; left untouched"
                )
            if not isinstance(value, str):
                raise StoreError(
                    f"{self.index_path}: vendor '{doc.get('name')}' has a damaged '{name}'; "
                    "left untouched"
                )
            values[name] = value
        if not VENDOR_ID.fullmatch(values["id"]):
            raise StoreError(
                f"{self.index_path}: vendor '{values['name']}' has a damaged id "
                f"{values['id']!r} (letters, digits, '-' and '_' only); left untouched"
            )
        contract = doc.get("contract") or {}
        if not isinstance(contract, dict):
            raise StoreError(
                f"{self.index_path}: vendor '{values['name']}' has damaged contract terms; "
                "left untouched"
            )
        return Vendor(**values, contract=contract)

    def list_vendors(self) -> list[Vendor]:
        """Every vendor, by name (case-insensitive)."""
        with self._open(self.index_path, write=False) as db:
            vendors = [self._vendor_from(doc) for doc in db.table("vendors").all()]
        return sorted(vendors, key=lambda v: name_key(v.name))

    def get_vendor(self, vendor_id: str) -> Vendor:
        """The vendor with this id."""
        with self._open(self.index_path, write=False) as db:
            doc = db.table("vendors").get(Query().id == vendor_id)
        if doc is None:
            raise UnknownVendor(f"no vendor with id '{vendor_id}'")
        return self._vendor_from(dict(doc))

    def find_vendor(self, name: str) -> Vendor:
        """The vendor with this name (case-insensitive) or id."""
        key = name_key(name)
        for vendor in self.list_vendors():
            if name_key(vendor.name) == key or vendor.id == name:
                return vendor
        raise UnknownVendor(f"no vendor named '{name}'")

    def _new_vendor_id(self, name: str, taken: set[str]) -> str:
        """A readable, file-name-safe id not used by any vendor record or file."""
        base = slugify(name, ascii_only=True)[:40].strip("-")
        base = "vendor" if base in ("", "item") else base
        vendor_id, n = base, 2
        while (
            vendor_id in taken
            or self.vendor_dir(vendor_id).exists()
            or self.legacy_vendor_path(vendor_id).exists()
        ):
            vendor_id = f"{base}-{n}"
            n += 1
        return vendor_id

    def add_vendor(self, draft: VendorDraft) -> Vendor:
        """Check and store a new vendor; names are unique regardless of case."""
        fields = check_draft(draft)
        with self._open(self.index_path, write=True) as db:
            table = db.table("vendors")
            existing = [self._vendor_from(doc) for doc in table.all()]
            key = name_key(fields["name"])
            for other in existing:
                if name_key(other.name) == key:
                    raise FieldError("name", f"a vendor named '{other.name}' already exists")
            taken = {other.id for other in existing}
            vendor_id = self._new_vendor_id(fields["name"], taken)
            vendor = Vendor(id=vendor_id, created_at=now(), contract={}, **fields)
            table.insert(vendor.to_dict())
        return vendor

    def edit_vendor(
        self, vendor_id: str, draft: VendorDraft, *, shown: VendorDraft | None = None
    ) -> Vendor:
        """Change a vendor's facts; its id (and so its file) stays, the name stays unique.

        With ``shown``, the facts as the form showed them, only what the user changed there
        is written: a fact another instance changed meanwhile keeps that instance's value.
        The record that results is checked as a whole.
        """
        with self._open(self.index_path, write=True) as db:
            table = db.table("vendors")
            if shown is not None:
                doc = table.get(Query().id == vendor_id)
                if doc is None:
                    raise UnknownVendor(f"no vendor with id '{vendor_id}'")
                current = self._vendor_from(dict(doc))
                changed = {
                    name: getattr(draft, name)
                    for name in VendorDraft.__dataclass_fields__
                    if getattr(draft, name) != getattr(shown, name)
                }
                if not changed:
                    return current  # nothing edited: nothing written over anyone's change
                draft = VendorDraft(
                    **{
                        name: changed.get(name, getattr(current, name))
                        for name in VendorDraft.__dataclass_fields__
                    }
                )
            fields = check_draft(draft)
            key = name_key(fields["name"])
            for record in table.all():
                other = self._vendor_from(record)
                if other.id != vendor_id and name_key(other.name) == key:
                    raise FieldError("name", f"a vendor named '{other.name}' already exists")
            doc = table.get(Query().id == vendor_id)
            if doc is None:
                raise UnknownVendor(f"no vendor with id '{vendor_id}'")
            terms = self._vendor_from(dict(doc)).contract
            if terms:  # the terms count from the start date: they must still fit it
                try:
                    check_contract(fields["contract_start"], terms)
                except ValidationError as exc:
                    raise FieldError(
                        "contract_start", f"the contract terms no longer fit: {exc}"
                    ) from None
            table.update(fields, Query().id == vendor_id)
        return self.get_vendor(vendor_id)

    # -- runs ------------------------------------------------------------------------------

    def _run_from(self, path: Path, doc: dict[str, Any], answers: dict[str, Answer]) -> Run:
        try:
            vendor_id = str(doc["vendor_id"])
            if not VENDOR_ID.fullmatch(vendor_id):
                raise StoreError(f"{path}: the run's vendor id is damaged; left untouched")
            return Run(
                id=str(doc["id"]),
                vendor_id=vendor_id,
                playbook_id=str(doc["playbook_id"]),
                playbook_digest=str(doc.get("playbook_digest", "")),
                playbook_title=str(doc.get("playbook_title", doc["playbook_id"])),
                started_at=str(doc.get("started_at", "")),
                updated_at=str(doc.get("updated_at", "")),
                completed_at=str(doc.get("completed_at", "")),
                step_index=int(doc.get("step_index", 0)),
                step_id=str(doc.get("step_id", "")),
                period=self._period_from(path, doc.get("period", "")),
                abandoned_at=str(doc.get("abandoned_at", "")),
                snapshot=self._snapshot_from(path, doc.get("snapshot")),
                answers=answers,
                checked=self._checked_from(doc.get("checked", [])),
                reported=self._reported_from(path, doc.get("reported")),
            )
        except KeyError as exc:
            raise StoreError(f"{path}: a run has no '{exc.args[0]}'; left untouched") from None
        except (TypeError, ValueError):
            raise StoreError(f"{path}: a run record is damaged; left untouched") from None

    @staticmethod
    def _checked_from(value: object) -> set[str]:
        """Ticked items: a list of ``step/item`` strings (anything else is damage)."""
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValueError("checked is not a list of items")
        return set(value)

    @staticmethod
    def _period_from(path: Path, value: object) -> str:
        """A run's review period: 'YYYY-Qn', 'YYYY', or '' for a run of a one-off playbook.

        Checked here, whatever the playbook's cadence, so one period edited by hand flags its
        vendor instead of stopping every view that works out what is due.
        """
        if isinstance(value, str):
            if value == "" or QUARTER.fullmatch(value) or YEAR.fullmatch(value):
                return value
            for cadence in (Cadence.QUARTERLY, Cadence.ANNUAL):  # '2026-q3', ' 2026'
                with contextlib.suppress(ValidationError):
                    return check_period(value, cadence)
        shown = f" {value!r}" if isinstance(value, str) else ""
        raise StoreError(
            f"{path}: the run's period{shown} is damaged (write it like 2026-Q3 or 2026); "
            "left untouched"
        )

    @staticmethod
    def _snapshot_from(path: Path, value: object) -> dict[str, Any] | None:
        """A completed review's stored scorecard, checked field by field; ``None`` if none."""
        if value is None:
            return None
        if not isinstance(value, dict):
            raise StoreError(f"{path}: the run's scorecard snapshot is damaged; left untouched")
        if value:  # {} is kept as no snapshot at all
            try:
                from outsource_tui.domain.scoring import check_snapshot  # only with snapshots

                check_snapshot(value)
            except (TypeError, ValueError, KeyError) as exc:
                raise StoreError(
                    f"{path}: the run's scorecard snapshot is damaged ({exc}); left untouched"
                ) from None
        return value

    @staticmethod
    def _reported_from(path: Path, value: object) -> dict[str, Any]:
        """What the partner reported for a review (see ``domain/reported.py``), checked; {}
        for a run without any, as every run written before review packs is."""
        try:
            return check_reported(value)
        except ValueError as exc:
            raise StoreError(f"{path}: {exc}; left untouched") from None

    def _runs_from(self, data: dict[str, Any], path: Path) -> list[tuple[int, Run]]:
        """The runs in one store file's data, each with its place in the vendor's history."""
        answers: dict[str, dict[str, Answer]] = {}
        for doc in data.get("answers", {}).values():
            run_id, question_id = doc.get("run_id"), doc.get("question_id")
            if not isinstance(run_id, str) or not isinstance(question_id, str):
                raise StoreError(f"{path}: an answer record is damaged; left untouched")
            answers.setdefault(run_id, {})[question_id] = doc.get("value")
        ratings = self._ratings_from(data, path)
        found = []
        for key, doc in sorted(data.get("runs", {}).items(), key=lambda kv: _doc_order(kv[0])):
            seq = doc.get("seq", _doc_order(key))
            if not isinstance(seq, int) or isinstance(seq, bool):
                raise StoreError(f"{path}: a run record is damaged; left untouched")
            run = self._run_from(path, doc, answers.get(str(doc.get("id")), {}))
            run.ratings_by = ratings.get(run.id, {})
            found.append((seq, run))
        return found

    @staticmethod
    def _ratings_from(data: dict[str, Any], path: Path) -> dict[str, RatingsBy]:
        """Named reviewers' ratings, by run id: the ``ratings`` table, one record per rating
        (absent from files written before there were several reviewers)."""
        found: dict[str, RatingsBy] = {}
        for doc in data.get(RATINGS_TABLE, {}).values():
            run_id, reviewer, question_id = (
                doc.get("run_id"),
                doc.get("reviewer"),
                doc.get("question_id"),
            )
            if not all(isinstance(v, str) and v for v in (run_id, reviewer, question_id)):
                raise StoreError(f"{path}: a reviewer's rating record is damaged; left untouched")
            found.setdefault(run_id, {}).setdefault(reviewer, {})[question_id] = doc.get("value")
        return found

    def _history(self, vendor_id: str) -> list[tuple[int, Run]]:
        """Every run of one vendor with its place in the history, oldest first."""
        if self.legacy_vendor_path(vendor_id).is_file():
            self._split_legacy(vendor_id)
        found: list[tuple[int, Run]] = []
        for path in sorted(self.vendor_dir(vendor_id).glob("*.json")):
            data = self._checked(path)
            if data is None:  # replaced between the listing and the read: never half-written
                continue
            runs = self._runs_from(data, path)
            if len(runs) != 1 or runs[0][1].id != path.stem:
                raise StoreError(f"{path} does not hold the run '{path.stem}'; left untouched")
            found.extend(runs)
        return sorted(found, key=lambda entry: (entry[0], entry[1].started_at, entry[1].id))

    def runs(self, vendor_id: str, *, abandoned: bool = False) -> list[Run]:
        """Every run of one vendor, oldest first; abandoned runs only when asked for.

        An abandoned run stays on disk, but counts for nothing: not in progress, not done.
        """
        return [run for _, run in self._history(vendor_id) if abandoned or not run.abandoned]

    def get_run(self, vendor_id: str, run_id: str) -> Run:
        """One run with its answers."""
        if self.legacy_vendor_path(vendor_id).is_file():
            self._split_legacy(vendor_id)
        path = self.run_path(vendor_id, run_id)
        data = self._checked(path)
        runs = self._runs_from(data, path) if data is not None else []
        if len(runs) != 1 or runs[0][1].id != run_id:
            raise UnknownRun(f"no run '{run_id}' for vendor '{vendor_id}'")
        return runs[0][1]

    def latest_run(self, vendor_id: str, playbook_id: str) -> Run | None:
        """The most recent run of a playbook for a vendor: the open one if there is one."""
        return latest_runs(self.runs(vendor_id)).get(playbook_id)

    def start_run(
        self,
        vendor_id: str,
        playbook: Playbook,
        *,
        period: str = "",
        answers: dict[str, Answer] | None = None,
    ) -> Run:
        """Begin a new walk of ``playbook`` for the vendor, optionally pre-filled."""
        self.get_vendor(vendor_id)
        stamp = now()
        run = Run(
            id=uuid.uuid4().hex[:12],
            vendor_id=vendor_id,
            playbook_id=playbook.id,
            playbook_digest=playbook.digest,
            playbook_title=playbook.title,
            started_at=stamp,
            updated_at=stamp,
            period=period,
            answers=dict(answers or {}),
        )
        with self._lock.hold():
            seq = max((seq for seq, _ in self._history(vendor_id)), default=0) + 1
            self._write_run(run, seq)
        return run

    def _write_run(self, run: Run, seq: int, *, durable: bool = True) -> None:
        """Write a new run's file, holding its record and answers."""
        record = {
            "id": run.id,
            "vendor_id": run.vendor_id,
            "playbook_id": run.playbook_id,
            "playbook_digest": run.playbook_digest,
            "playbook_title": run.playbook_title,
            "started_at": run.started_at,
            "updated_at": run.updated_at or run.started_at,
            "completed_at": run.completed_at,
            "step_index": run.step_index,
            "step_id": run.step_id,
            "period": run.period,
            "snapshot": run.snapshot,
            "checked": sorted(run.checked),
            "seq": seq,
        }
        if run.reported:  # only where the partner reported something, as with ratings
            record["reported"] = run.reported
        answers = [
            {"run_id": run.id, "question_id": qid, "value": value, "saved_at": run.started_at}
            for qid, value in run.answers.items()
            if value is not None
        ]
        data = {
            META_TABLE: {"1": {"schema": SCHEMA_VERSION}},
            "runs": {"1": record},
            "answers": {str(n): doc for n, doc in enumerate(answers, start=1)},
        }
        ratings = [
            {"run_id": run.id, "reviewer": name, "question_id": qid, "value": value}
            for name, given in run.ratings_by.items()
            for qid, value in given.items()
            if value is not None
        ]
        if ratings:  # only where there are any: other files stay as earlier versions wrote them
            data[RATINGS_TABLE] = {str(n): doc for n, doc in enumerate(ratings, start=1)}
        write_json_atomic(self.run_path(run.vendor_id, run.id), data, durable=durable)

    @contextlib.contextmanager
    def _run_db(self, vendor_id: str, run_id: str) -> Iterator[TinyDB]:
        """The run's file, open for one atomic change under the lock."""
        if self.legacy_vendor_path(vendor_id).is_file():
            self._split_legacy(vendor_id)
        path = self.run_path(vendor_id, run_id)
        with self._open(path, write=True, run_id=run_id) as db:
            if not db.table("runs").contains(Query().id == run_id):
                raise UnknownRun(f"no run '{run_id}'")
            # Read it as a reader would before rewriting it: a file a reader refuses (a damaged
            # field anywhere in it) is named and never rewritten.
            storage = db.storage
            assert isinstance(storage, TransactionStorage)
            runs = self._runs_from(storage.read() or {}, path)
            if len(runs) != 1 or runs[0][1].id != run_id:
                raise StoreError(f"{path} does not hold the run '{run_id}'; left untouched")
            yield db

    def _update_run(
        self, db: TinyDB, run_id: str, fields: dict[str, Any], *, touch: bool = True
    ) -> None:
        # ``updated_at`` says when work was last done on the run (the due list reminds of a
        # run left half done since then); moving between steps is not work.
        stamp = {"updated_at": now()} if touch else {}
        db.table("runs").update({**fields, **stamp}, Query().id == run_id)

    def save_answer(self, vendor_id: str, run_id: str, question_id: str, value: Answer) -> None:
        """Store one answer at once; ``None`` clears it."""
        with self._run_db(vendor_id, run_id) as db:
            answers = db.table("answers")
            match = (Query().run_id == run_id) & (Query().question_id == question_id)
            if value is None:
                answers.remove(match)
            else:
                answers.upsert(
                    {
                        "run_id": run_id,
                        "question_id": question_id,
                        "value": value,
                        "saved_at": now(),
                    },
                    match,
                )
            self._update_run(db, run_id, {})

    def save_rating(
        self, vendor_id: str, run_id: str, reviewer: str, question_id: str, value: Answer
    ) -> str:
        """Store one named reviewer's rating at once (``None`` clears it); returns the name it
        is kept under: the spelling already stored for that reviewer, whatever the case.

        Only this reviewer's record changes: another reviewer's rating of the same question,
        and the run's own answer, are never touched.
        """
        with self._run_db(vendor_id, run_id) as db:
            ratings = db.table(RATINGS_TABLE)
            names = [doc.get("reviewer") for doc in ratings.search(Query().run_id == run_id)]
            name = stored_name(names, reviewer)
            match = (
                (Query().run_id == run_id)
                & (Query().reviewer == name)
                & (Query().question_id == question_id)
            )
            if value is None:
                ratings.remove(match)
            else:
                ratings.upsert(
                    {
                        "run_id": run_id,
                        "reviewer": name,
                        "question_id": question_id,
                        "value": value,
                        "saved_at": now(),
                    },
                    match,
                )
            self._update_run(db, run_id, {})
        return name

    def set_checked(
        self,
        vendor_id: str,
        run_id: str,
        ticked: AbstractSet[str],
        unticked: AbstractSet[str] = frozenset(),
    ) -> set[str]:
        """Tick and untick checklist items; returns every ticked item as now stored.

        Only the items named change, so another instance's ticks in the meantime survive.
        """
        with self._run_db(vendor_id, run_id) as db:
            doc = db.table("runs").get(Query().id == run_id)
            assert doc is not None
            checked = ({str(k) for k in doc.get("checked", [])} - unticked) | ticked
            self._update_run(db, run_id, {"checked": sorted(checked)})
        return checked

    def set_step(self, vendor_id: str, run_id: str, step_index: int, step_id: str = "") -> None:
        """Remember which step the run is on (by id, and by position as a fallback)."""
        with self._run_db(vendor_id, run_id) as db:
            self._update_run(
                db, run_id, {"step_index": max(0, step_index), "step_id": step_id}, touch=False
            )

    def abandon_run(self, vendor_id: str, run_id: str) -> None:
        """Mark a run abandoned: kept on disk with its answers, left out of every count."""
        with self._run_db(vendor_id, run_id) as db:
            self._update_run(db, run_id, {"abandoned_at": now()})

    def save_reported(self, vendor_id: str, run_id: str, given: dict[str, Any]) -> dict[str, Any]:
        """Keep what the partner reported for a review (a review pack read back) beside the
        run's answers, which it never touches; returns what is now stored.

        ``given`` is merged into what is stored, on a fresh read under the lock: a value given
        replaces the one reported before, a blank keeps it (see ``merge_reported``).
        """
        check_reported(given)  # what is written must read back
        with self._run_db(vendor_id, run_id) as db:
            doc = db.table("runs").get(Query().id == run_id)
            assert doc is not None
            merged = check_reported(merge_reported(check_reported(doc.get("reported")), given))
            self._update_run(db, run_id, {"reported": merged})
        return merged

    def complete_run(
        self, vendor_id: str, run_id: str, snapshot: dict[str, Any] | None = None
    ) -> None:
        """Mark the run finished, keeping ``snapshot`` (a scorecard) as it stands now."""
        fields: dict[str, Any] = {"completed_at": now()}
        if snapshot is not None:
            fields["snapshot"] = snapshot
        with self._run_db(vendor_id, run_id) as db:
            self._update_run(db, run_id, fields)

    def set_contract(
        self,
        vendor_id: str,
        start: str,
        terms: dict[str, Any],
        *,
        shown: tuple[str, dict[str, Any]] | None = None,
    ) -> Vendor:
        """Store a vendor's contract start and terms, checked first.

        With ``shown``, the start and terms as the form showed them, only the ones the user
        changed are written; the others keep what is stored now (another instance may have
        changed them). The terms that result are checked as a whole.
        """
        if shown is not None:
            with self._lock.hold():
                current = self.get_vendor(vendor_id)
                shown_start, shown_terms = shown
                keys = set(terms) | set(shown_terms)
                changed = {k: terms.get(k) for k in keys if terms.get(k) != shown_terms.get(k)}
                start_changed = start.strip() != shown_start.strip()
                if not changed and not start_changed:
                    return current
                merged = {**current.contract, **changed}
                merged = {k: v for k, v in merged.items() if v is not None}
                new_start = start if start_changed else current.contract_start
                return self.set_contract(vendor_id, new_start, merged)
        start_text = start.strip()
        if start_text:
            try:
                start_text = parse_date(start_text).isoformat()
            except ValidationError as exc:
                raise FieldError("contract_start", str(exc)) from None
        try:
            check_contract(start_text, terms)
        except ValidationError as exc:
            raise FieldError("contract", str(exc)) from None
        return self._update_vendor(vendor_id, {"contract_start": start_text, "contract": terms})

    def set_vendor_facts(self, vendor_id: str, changes: dict[str, str]) -> Vendor:
        """Change some of a vendor's facts, checked as the vendor form checks them.

        Only the fields named change, so another instance's edit of the others survives.
        ``changes`` may name service, timezone, contract_start, contract_end, contact and
        notice_given (a date, on or after the contract start).
        """
        unknown = set(changes) - {*VendorDraft.__dataclass_fields__, "notice_given"} - {"name"}
        if unknown:
            raise ValueError(f"not a vendor fact: {sorted(unknown)[0]}")
        with self._open(self.index_path, write=True) as db:
            table = db.table("vendors")
            doc = table.get(Query().id == vendor_id)
            if doc is None:
                raise UnknownVendor(f"no vendor with id '{vendor_id}'")
            current = self._vendor_from(dict(doc))
            drafted = {k: v for k, v in changes.items() if k != "notice_given"}
            fields = check_draft(
                VendorDraft(
                    name=current.name,
                    service=drafted.get("service", current.service),
                    status=current.status,
                    timezone=drafted.get("timezone", current.timezone),
                    contract_start=drafted.get("contract_start", current.contract_start),
                    contract_end=drafted.get("contract_end", current.contract_end),
                    contact=drafted.get("contact", current.contact),
                )
            )
            update = {k: fields[k] for k in drafted}
            if "notice_given" in changes:
                update["notice_given"] = self._notice_date(
                    changes["notice_given"], fields["contract_start"]
                )
            if "contract_start" in update and current.contract:
                try:
                    check_contract(fields["contract_start"], current.contract)
                except ValidationError as exc:
                    raise FieldError(
                        "contract_start", f"the contract terms no longer fit: {exc}"
                    ) from None
            table.update(update, Query().id == vendor_id)
        return self.get_vendor(vendor_id)

    @staticmethod
    def _notice_date(text: str, contract_start: str) -> str:
        if not text.strip():
            return ""
        try:
            day = parse_date(text.strip()).isoformat()
        except ValidationError as exc:
            raise FieldError("notice_given", str(exc)) from None
        if contract_start and day < contract_start:
            raise FieldError(
                "notice_given",
                f"notice cannot be given before the contract starts ({contract_start})",
            )
        return day

    def set_status(self, vendor_id: str, status: str) -> Vendor:
        """Move a vendor to another status (candidate, onboarding, active, ...)."""
        try:
            value = check_status(status)
        except ValidationError as exc:
            raise FieldError("status", str(exc)) from None
        return self._update_vendor(vendor_id, {"status": value})

    def _update_vendor(self, vendor_id: str, fields: dict[str, Any]) -> Vendor:
        with self._open(self.index_path, write=True) as db:
            table = db.table("vendors")
            if not table.contains(Query().id == vendor_id):
                raise UnknownVendor(f"no vendor with id '{vendor_id}'")
            table.update(dict(fields), Query().id == vendor_id)
        return self.get_vendor(vendor_id)

    def import_portfolio(
        self,
        entries: list[tuple[VendorDraft, list[Run]]],
        contracts: dict[str, dict[str, Any]] | None = None,
        notices: dict[str, str] | None = None,
    ) -> list[Vendor]:
        """Add many vendors with their runs at once (the sample portfolio): one write per file.

        ``contracts`` and ``notices`` (the day notice was given) are keyed by vendor name and
        checked as a single vendor's would be. Run ``vendor_id`` fields are replaced by the
        new vendors' ids. All or nothing: if any of it fails, the run files already written
        are removed and the index is left as it was.
        """
        added: list[Vendor] = []
        with self._lock.hold(), self._open(self.index_path, write=True) as db:
            table = db.table("vendors")
            taken = {self._vendor_from(doc).id for doc in table.all()}
            keys = {name_key(self._vendor_from(doc).name) for doc in table.all()}
            docs = []
            try:
                for draft, runs in entries:
                    fields = check_draft(draft)
                    if name_key(fields["name"]) in keys:
                        raise FieldError(
                            "name", f"a vendor named '{fields['name']}' already exists"
                        )
                    keys.add(name_key(fields["name"]))
                    vendor_id = self._new_vendor_id(fields["name"], taken)
                    taken.add(vendor_id)
                    terms = (contracts or {}).get(fields["name"], {})
                    if terms:
                        check_contract(fields["contract_start"], terms)
                    notice = self._notice_date(
                        (notices or {}).get(fields["name"], ""), fields["contract_start"]
                    )
                    vendor = Vendor(
                        id=vendor_id,
                        created_at=now(),
                        contract=dict(terms),
                        notice_given=notice,
                        **fields,
                    )
                    docs.append(vendor.to_dict())
                    added.append(vendor)
                    for seq, run in enumerate(runs, start=1):
                        run.vendor_id = vendor_id
                        self._write_run(run, seq, durable=False)
                sync_all()  # every run file on disk before the index names its vendor
            except BaseException:
                # The index will not name these vendors: their run files go too.
                for vendor in added:
                    shutil.rmtree(self.vendor_dir(vendor.id), ignore_errors=True)
                raise
            table.insert_multiple(docs)
        return added
