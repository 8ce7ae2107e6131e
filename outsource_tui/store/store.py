"""The store: vendors, runs and answers on disk, behind an API in the user's terms.

Layout of a data directory::

    index.json            schema version and the vendor records
    vendors/<id>.json     one file per vendor: its runs, answers and ticked items
    playbooks/            the user's own playbooks (optional)

Saving an answer rewrites only that vendor's file, so its cost does not grow with the
portfolio. Every write holds the directory lock and re-reads the file first, so two
instances on one directory never lose each other's writes. Reads take no lock: files are
only ever replaced whole.
"""

from __future__ import annotations

import contextlib
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from outsource_tui.domain.answers import Answer, parse_date
from outsource_tui.domain.parser import slugify
from outsource_tui.domain.playbook import Playbook
from outsource_tui.domain.run import Run, latest_runs
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
    read_json,
    write_json_atomic,
)

SCHEMA_VERSION = 2
BACKUP_DIR = "backups"
INDEX_FILE = "index.json"
VENDOR_DIR = "vendors"
META_TABLE = "_meta"

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


MIGRATIONS = {1: _v1_to_v2}  # from version N to N + 1


class UnknownVendor(UserError):
    """No vendor has that name or id."""


class UnknownRun(UserError):
    """No run has that id."""


class Store:
    """All reads and writes of one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._lock = DirectoryLock(self.data_dir)

    # -- files ---------------------------------------------------------------------------

    @property
    def index_path(self) -> Path:
        return self.data_dir / INDEX_FILE

    def vendor_path(self, vendor_id: str) -> Path:
        """The file holding one vendor's runs and answers."""
        return self.data_dir / VENDOR_DIR / f"{vendor_id}.json"

    def _checked(self, path: Path) -> dict[str, Any] | None:
        """Read a store file and check its schema version; ``None`` if it does not exist."""
        data = read_json(path)
        if data is None:
            return None
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
        if version < SCHEMA_VERSION:
            data = self._migrate(path, data, version)
        return data

    def _migrate(self, path: Path, data: dict[str, Any], version: int) -> dict[str, Any]:
        """Bring an older file up to this schema: a backup copy first, then one atomic write."""
        with self._lock.hold():
            fresh = read_json(path) or data  # another instance may have migrated it meanwhile
            meta = fresh.get(META_TABLE, {})
            current = next(
                (d["schema"] for d in meta.values() if isinstance(d, dict) and "schema" in d),
                version,
            )
            if current >= SCHEMA_VERSION:
                return fresh
            backup = self.backup_file(path, f"schema{current}")
            for step in range(current, SCHEMA_VERSION):
                fresh = MIGRATIONS[step](fresh)
            fresh[META_TABLE] = {"1": {"schema": SCHEMA_VERSION}}
            try:
                write_json_atomic(path, fresh)
            except StoreError as exc:
                raise StoreError(f"{exc} (a copy of the old file is in {backup})") from None
        return fresh

    def backup_file(self, path: Path, label: str) -> Path:
        """Copy one store file into a timestamped folder under ``backups/``."""
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        target = self.data_dir / BACKUP_DIR / f"{stamp}-{label}" / path.relative_to(self.data_dir)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        except OSError as exc:
            raise StoreError(
                f"cannot back up {path} before upgrading it: {describe_os_error(exc)}; "
                "the file was left untouched"
            ) from None
        return target

    def backup(self) -> Path:
        """A timestamped copy of every store file and the user's playbooks and settings."""
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        target = self.data_dir / BACKUP_DIR / stamp
        n = 2
        while target.exists():
            target = self.data_dir / BACKUP_DIR / f"{stamp}-{n}"
            n += 1
        with self._lock.hold():
            try:
                target.mkdir(parents=True)
                for name in (INDEX_FILE, "settings.toml"):
                    if (self.data_dir / name).is_file():
                        shutil.copy2(self.data_dir / name, target / name)
                for folder in (VENDOR_DIR, "playbooks"):
                    if (self.data_dir / folder).is_dir():
                        shutil.copytree(self.data_dir / folder, target / folder)
            except OSError as exc:
                raise StoreError(
                    f"cannot write the backup {target}: {describe_os_error(exc)}"
                ) from None
        return target

    @contextlib.contextmanager
    def _open(self, path: Path, *, write: bool) -> Iterator[TinyDB]:
        """A TinyDB over ``path``, schema-checked.

        When writing: under the directory lock, on a fresh read of the file, and saved in one
        atomic write when the block ends without an error.
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

    def check(self) -> None:
        """Read every store file once, so a broken one is reported before any work starts."""
        with self._open(self.index_path, write=False):
            pass
        vendor_dir = self.data_dir / VENDOR_DIR
        if vendor_dir.is_dir():
            for path in sorted(vendor_dir.glob("*.json")):
                self._checked(path)
        for vendor in self.list_vendors():
            self._checked(self.vendor_path(vendor.id))

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
        while vendor_id in taken or self.vendor_path(vendor_id).exists():
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
            vendor = Vendor(id=vendor_id, created_at=now(), **fields)
            table.insert(vendor.to_dict())
        return vendor

    def edit_vendor(self, vendor_id: str, draft: VendorDraft) -> Vendor:
        """Change a vendor's facts; its id (and so its file) stays, the name stays unique."""
        fields = check_draft(draft)
        with self._open(self.index_path, write=True) as db:
            table = db.table("vendors")
            key = name_key(fields["name"])
            for doc in table.all():
                other = self._vendor_from(doc)
                if other.id != vendor_id and name_key(other.name) == key:
                    raise FieldError("name", f"a vendor named '{other.name}' already exists")
            if not table.contains(Query().id == vendor_id):
                raise UnknownVendor(f"no vendor with id '{vendor_id}'")
            table.update(fields, Query().id == vendor_id)
        return self.get_vendor(vendor_id)

    # -- runs ------------------------------------------------------------------------------

    def _run_from(self, path: Path, doc: dict[str, Any], answers: dict[str, Answer]) -> Run:
        try:
            return Run(
                id=str(doc["id"]),
                vendor_id=str(doc["vendor_id"]),
                playbook_id=str(doc["playbook_id"]),
                playbook_digest=str(doc.get("playbook_digest", "")),
                playbook_title=str(doc.get("playbook_title", doc["playbook_id"])),
                started_at=str(doc.get("started_at", "")),
                updated_at=str(doc.get("updated_at", "")),
                completed_at=str(doc.get("completed_at", "")),
                step_index=int(doc.get("step_index", 0)),
                step_id=str(doc.get("step_id", "")),
                period=str(doc.get("period", "")),
                snapshot=doc.get("snapshot") if isinstance(doc.get("snapshot"), dict) else None,
                answers=answers,
                checked={str(item) for item in doc.get("checked", [])},
            )
        except KeyError as exc:
            raise StoreError(f"{path}: a run has no '{exc.args[0]}'; left untouched") from None
        except (TypeError, ValueError):
            raise StoreError(f"{path}: a run record is damaged; left untouched") from None

    def _runs_in(self, db: TinyDB, path: Path) -> list[Run]:
        answers: dict[str, dict[str, Answer]] = {}
        for doc in db.table("answers").all():
            run_id, question_id = doc.get("run_id"), doc.get("question_id")
            if not isinstance(run_id, str) or not isinstance(question_id, str):
                raise StoreError(f"{path}: an answer record is damaged; left untouched")
            answers.setdefault(run_id, {})[question_id] = doc.get("value")
        docs = sorted(db.table("runs").all(), key=lambda doc: doc.doc_id)  # oldest first
        return [
            self._run_from(path, dict(doc), answers.get(str(doc.get("id")), {})) for doc in docs
        ]

    def runs(self, vendor_id: str) -> list[Run]:
        """Every run of one vendor, oldest first."""
        path = self.vendor_path(vendor_id)
        with self._open(path, write=False) as db:
            return self._runs_in(db, path)

    def get_run(self, vendor_id: str, run_id: str) -> Run:
        """One run with its answers."""
        for run in self.runs(vendor_id):
            if run.id == run_id:
                return run
        raise UnknownRun(f"no run '{run_id}' for vendor '{vendor_id}'")

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
        with self._open(self.vendor_path(vendor_id), write=True) as db:
            self._insert_run(db, run)
        return run

    @staticmethod
    def _insert_run(db: TinyDB, run: Run) -> None:
        db.table("runs").insert(
            {
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
            }
        )
        answers = db.table("answers")
        answers.insert_multiple(
            {"run_id": run.id, "question_id": qid, "value": value, "saved_at": run.started_at}
            for qid, value in run.answers.items()
            if value is not None
        )

    def _update_run(self, db: TinyDB, run_id: str, fields: dict[str, Any]) -> None:
        runs = db.table("runs")
        if not runs.contains(Query().id == run_id):
            raise UnknownRun(f"no run '{run_id}'")
        runs.update({**fields, "updated_at": now()}, Query().id == run_id)

    def save_answer(self, vendor_id: str, run_id: str, question_id: str, value: Answer) -> None:
        """Store one answer at once; ``None`` clears it."""
        with self._open(self.vendor_path(vendor_id), write=True) as db:
            runs = db.table("runs")
            if not runs.contains(Query().id == run_id):
                raise UnknownRun(f"no run '{run_id}'")
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
            runs.update({"updated_at": now()}, Query().id == run_id)

    def set_checked(
        self, vendor_id: str, run_id: str, ticked: set[str], unticked: set[str] = frozenset()
    ) -> set[str]:
        """Tick and untick checklist items; returns every ticked item as now stored.

        Only the items named change, so another instance's ticks in the meantime survive.
        """
        with self._open(self.vendor_path(vendor_id), write=True) as db:
            doc = db.table("runs").get(Query().id == run_id)
            if doc is None:
                raise UnknownRun(f"no run '{run_id}'")
            checked = ({str(k) for k in doc.get("checked", [])} - unticked) | ticked
            self._update_run(db, run_id, {"checked": sorted(checked)})
        return checked

    def set_step(self, vendor_id: str, run_id: str, step_index: int, step_id: str = "") -> None:
        """Remember which step the run is on (by id, and by position as a fallback)."""
        with self._open(self.vendor_path(vendor_id), write=True) as db:
            self._update_run(db, run_id, {"step_index": max(0, step_index), "step_id": step_id})

    def complete_run(
        self, vendor_id: str, run_id: str, snapshot: dict[str, Any] | None = None
    ) -> None:
        """Mark the run finished, keeping ``snapshot`` (a scorecard) as it stands now."""
        fields: dict[str, Any] = {"completed_at": now()}
        if snapshot is not None:
            fields["snapshot"] = snapshot
        with self._open(self.vendor_path(vendor_id), write=True) as db:
            self._update_run(db, run_id, fields)

    def set_contract(self, vendor_id: str, start: str, terms: dict[str, Any]) -> Vendor:
        """Store a vendor's contract start and terms, checked first."""
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
    ) -> list[Vendor]:
        """Add many vendors with their runs at once (the sample portfolio): one write per file.

        Run ``vendor_id`` fields are replaced by the new vendors' ids.
        """
        added: list[Vendor] = []
        with self._lock.hold(), self._open(self.index_path, write=True) as db:
            table = db.table("vendors")
            taken = {self._vendor_from(doc).id for doc in table.all()}
            keys = {name_key(self._vendor_from(doc).name) for doc in table.all()}
            docs = []
            for draft, runs in entries:
                fields = check_draft(draft)
                if name_key(fields["name"]) in keys:
                    raise FieldError("name", f"a vendor named '{fields['name']}' already exists")
                keys.add(name_key(fields["name"]))
                vendor_id = self._new_vendor_id(fields["name"], taken)
                taken.add(vendor_id)
                terms = (contracts or {}).get(fields["name"], {})
                if terms:
                    check_contract(fields["contract_start"], terms)
                vendor = Vendor(id=vendor_id, created_at=now(), contract=dict(terms), **fields)
                docs.append(vendor.to_dict())
                with self._open(self.vendor_path(vendor_id), write=True) as vdb:
                    for run in runs:
                        run.vendor_id = vendor_id
                        self._insert_run(vdb, run)
                added.append(vendor)
            table.insert_multiple(docs)
        return added
