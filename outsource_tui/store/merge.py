"""Two people's changes to one store file, merged record by record: git's merge driver.

A store file holds tables of records under TinyDB's document numbers. Those numbers are
handed out in order, so two people who each add a record give theirs the same number; a
merge line by line would see a clash where there is none. Here records are matched by what
they are: a vendor and a run by their id, an answer by its run and question, a reviewer's
rating by its run, reviewer and question. Each record is merged field by field against the
common ancestor: whatever only one side changed is taken, and so is every change both made
alike. With no common ancestor (two portfolios joined, a file added on both sides) the
ancestor is empty: a record only one side has is kept, and one both have is merged field by
field.

When both sides changed the same field to different values (the same answer, a vendor's
contact) the file keeps this side's value, stays valid JSON the store reads, and the
conflict is written to ``sync-conflicts.json`` in the data directory with both values, for
``outsource-tui sync`` to show and the user to settle. A file never gets conflict markers.

Fields that record when or where work was done are never conflicts: the latest save time
wins, each side's ticks and unticks of checklist items all count, the step a walk stands on
is this side's, and a partner's pack imported on both sides keeps the later import's time.

Git runs the driver as ``python -m outsource_tui.store.merge %O %A %B %P`` from the top of
the work tree: the ancestor's, this side's and the other side's versions, and the file's
path. The result replaces %A; exit status 0 means merged (conflicts, if any, recorded),
1 that the file could not be read as a store file, which git then reports as conflicted.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from outsource_tui.domain.reviewers import name_key as reviewer_key
from outsource_tui.errors import StoreError
from outsource_tui.store.atomic import dumps_store, read_json, write_json_atomic, write_text_atomic
from outsource_tui.store.store import INDEX_FILE, META_TABLE, RATINGS_TABLE, VENDOR_DIR

DRIVER = "outsource-tui"  # the driver's name in .git/config and .gitattributes
CONFLICTS_FILE = "sync-conflicts.json"  # in the data directory; never shared
CONFLICTS_ENV = "OUTSOURCE_TUI_CONFLICTS"  # where the driver records them, if not there

# What .gitattributes sends through this driver: the index and every run file (and the
# one-file-per-vendor layout of schema 2, should one be shared before it is upgraded).
MERGED_FILES = (f"/{INDEX_FILE}", f"/{VENDOR_DIR}/*.json", f"/{VENDOR_DIR}/*/*.json")


def is_store_file(path: str) -> bool:
    """Whether ``path`` (in the data directory, with "/") is one the driver merges: such a
    file is never settled whole, since either version alone lacks the other's records."""
    parts = path.split("/")
    if path == INDEX_FILE:
        return True
    return parts[0] == VENDOR_DIR and len(parts) in (2, 3) and path.endswith(".json")


# The fields that say which record is which, per table ("vendors" and "runs" as in
# Store); a table not named here is matched by document number.
IDENTITY: dict[str, tuple[str, ...]] = {
    "vendors": ("id",),
    "runs": ("id",),
    "answers": ("run_id", "question_id"),
    RATINGS_TABLE: ("run_id", "reviewer", "question_id"),
}
# Fields kept whole: an answer is the user's value as a unit, a table answer included.
WHOLE: set[tuple[str, ...]] = {
    ("answers", "value"),
    (RATINGS_TABLE, "value"),
    ("runs", "snapshot"),
}


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()  # a field or record one side does not have


class MergeError(Exception):
    """A version of the file is not a store file this driver can merge."""


Side = dict[str, Any] | None  # {"value": ...} as that side has it, None where it has none


@dataclass
class Conflict:
    """One value both sides changed differently; ``kept`` says which the file holds now.

    ``table`` is "" for a whole file that could not be merged (then each side is
    ``{"commit": sha}`` of its version, or None where that side removed the file).
    """

    file: str  # path in the data directory, with "/"
    table: str
    record: str  # the record's identity in its table ("" for a whole file)
    ref: dict[str, str]  # the fields naming the record (id, run_id, question_id, ...)
    path: list[str]  # the field within the record; [] for the whole record
    mine: Side
    theirs: Side
    kept: str = "mine"
    mine_by: str = ""
    theirs_by: str = ""
    number: int = 0  # how the user names it: kept while it waits, so --take N stays right

    @property
    def key(self) -> tuple[str, str, tuple[str, ...]]:
        return (self.file, self.record, tuple(self.path))

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: object) -> Conflict:
        if not isinstance(data, dict):
            raise ValueError("not a conflict record")
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        conflict = cls(**known)
        if not isinstance(conflict.file, str) or not isinstance(conflict.path, list):
            raise ValueError("not a conflict record")
        return conflict


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON: ``True`` is not ``1``, ``1`` is not ``1.0``."""
    if a is MISSING or b is MISSING:
        return a is b
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def identity(table: str, doc_key: str, record: object) -> str:
    """Which record this is, whatever document number it has on either side."""
    names = IDENTITY.get(table)
    if names and isinstance(record, dict):
        parts = [record.get(name) for name in names]
        if all(isinstance(part, str) and part for part in parts):
            if table == RATINGS_TABLE:
                parts[1] = reviewer_key(str(parts[1]))
            return json.dumps(parts, ensure_ascii=False)
    return json.dumps(["#", doc_key])


def _ref(table: str, *records: Any) -> dict[str, str]:
    for record in records:
        if isinstance(record, dict):
            return {
                name: str(record[name])
                for name in (*IDENTITY.get(table, ()), "name")
                if isinstance(record.get(name), str)
            }
    return {}


def table_records(data: dict[str, Any], table: str) -> dict[str, tuple[str, Any]]:
    """One table of a store file's data by identity, each record with its document number;
    two records that claim to be one are both kept, by number."""
    found: dict[str, tuple[str, Any]] = {}
    raw = data.get(table)
    if not isinstance(raw, dict):
        return found
    for doc_key, record in raw.items():
        ident = identity(table, str(doc_key), record)
        if ident in found:
            ident = json.dumps(["#", str(doc_key)])
        found[ident] = (str(doc_key), record)
    return found


# -- rules for fields that are never conflicts ----------------------------------------------

Rule = Callable[[Any, Any, Any, dict[str, Any], dict[str, Any]], Any]


def _later(b: Any, o: Any, t: Any, ro: dict[str, Any], rt: dict[str, Any]) -> Any:
    given = [v for v in (o, t) if isinstance(v, str) and v]
    return max(given) if given else o


def _earlier(b: Any, o: Any, t: Any, ro: dict[str, Any], rt: dict[str, Any]) -> Any:
    given = [v for v in (o, t) if isinstance(v, str) and v]
    return min(given) if given else o


def _ours(b: Any, o: Any, t: Any, ro: dict[str, Any], rt: dict[str, Any]) -> Any:
    return t if o is MISSING else o


def _highest(b: Any, o: Any, t: Any, ro: dict[str, Any], rt: dict[str, Any]) -> Any:
    given = [v for v in (o, t) if isinstance(v, int) and not isinstance(v, bool)]
    return max(given) if given else o


def _ticks(b: Any, o: Any, t: Any, ro: dict[str, Any], rt: dict[str, Any]) -> Any:
    """Ticked items: each side's ticks and unticks since the ancestor, all of them."""

    def items(value: Any) -> set[str]:
        return {x for x in value if isinstance(x, str)} if isinstance(value, list) else set()

    base, ours, theirs = items(b), items(o), items(t)
    return sorted((ours & theirs) | (ours - base) | (theirs - base))


def _completed_snapshot(b: Any, o: Any, t: Any, ro: dict[str, Any], rt: dict[str, Any]) -> Any:
    """The scorecard kept with the later completion: it saw the most answers."""
    mine, theirs = str(ro.get("completed_at") or ""), str(rt.get("completed_at") or "")
    return t if theirs > mine else o


def _last_import(b: Any, o: Any, t: Any, ro: dict[str, Any], rt: dict[str, Any]) -> Any:
    """The partner's file named with the pack imported last."""

    def when(record: dict[str, Any]) -> str:
        reported = record.get("reported")
        return str(reported.get("imported_at") or "") if isinstance(reported, dict) else ""

    return t if when(rt) > when(ro) else o


# By table and field (and field within a field): how both sides' changes are combined.
RULES: dict[tuple[str, ...], Rule] = {
    ("runs", "updated_at"): _later,
    ("answers", "saved_at"): _later,
    (RATINGS_TABLE, "saved_at"): _later,
    ("vendors", "created_at"): _earlier,
    ("runs", "started_at"): _earlier,
    ("runs", "abandoned_at"): _earlier,
    ("runs", "completed_at"): _later,
    ("runs", "snapshot"): _completed_snapshot,
    ("runs", "checked"): _ticks,
    ("runs", "step_index"): _ours,
    ("runs", "step_id"): _ours,
    ("runs", "seq"): _ours,
    (RATINGS_TABLE, "reviewer"): _ours,  # one reviewer, spelt two ways
    (META_TABLE, "schema"): _highest,
    ("runs", "reported", "imported_at"): _later,  # one pack imported on both sides
    ("runs", "reported", "exported_at"): _later,
    ("runs", "reported", "file"): _last_import,
}


# -- the merge ---------------------------------------------------------------------------


class _Merge:
    def __init__(self, file: str) -> None:
        self.file = file
        self.conflicts: list[Conflict] = []

    def data(
        self, base: dict[str, Any] | None, ours: dict[str, Any], theirs: dict[str, Any]
    ) -> dict[str, Any]:
        base = base or {}
        out: dict[str, Any] = {}
        for table in _keys(ours, theirs):
            b, o, t = base.get(table, {}), ours.get(table, {}), theirs.get(table, {})
            for side in (b, o, t):
                if not isinstance(side, dict):
                    raise MergeError(f"the table '{table}' is damaged")
            merged = self.table(table, b, o, t)
            if merged or table in ours:
                out[table] = merged
        return out

    def table(
        self, table: str, base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]
    ) -> dict[str, Any]:
        b, o, t = (table_records({table: x}, table) for x in (base, ours, theirs))
        kept: list[tuple[str | None, Any]] = []  # (ours' document number or None, record)
        for ident in _keys(o, t):
            rb = b[ident][1] if ident in b else MISSING
            ro = o[ident][1] if ident in o else MISSING
            rt = t[ident][1] if ident in t else MISSING
            record = self.record(table, ident, rb, ro, rt)
            if record is not MISSING:
                kept.append((o[ident][0] if ident in o else None, record))
        numbers = [int(k) for k, _ in kept if k is not None and k.isdigit()]
        following = max(numbers, default=0) + 1
        out: dict[str, Any] = {}
        for doc_key, record in kept:
            if doc_key is None:  # only the other side has it: the next free number
                doc_key, following = str(following), following + 1
            out[doc_key] = record
        return out

    def record(self, table: str, ident: str, rb: Any, ro: Any, rt: Any) -> Any:
        if _same(ro, rt):
            return ro
        if _same(rb, ro):
            return rt
        if _same(rb, rt):
            return ro
        ref = _ref(table, ro, rt, rb)
        if ro is MISSING or rt is MISSING or not (isinstance(ro, dict) and isinstance(rt, dict)):
            # Removed on one side, changed on the other: the file keeps the changed record.
            kept = "theirs" if ro is MISSING else "mine"
            self.conflicts.append(
                Conflict(self.file, table, ident, ref, [], _side(ro), _side(rt), kept)
            )
            return rt if ro is MISSING else ro
        base = rb if isinstance(rb, dict) else {}
        return self.fields(table, ident, ref, [], base, ro, rt, ro, rt)

    def fields(
        self,
        table: str,
        ident: str,
        ref: dict[str, str],
        path: list[str],
        b: dict[str, Any],
        o: dict[str, Any],
        t: dict[str, Any],
        ro: dict[str, Any],
        rt: dict[str, Any],
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in _keys(o, t):
            value = self.value(
                table, ident, ref, [*path, name], b.get(name, MISSING), o.get(name, MISSING),
                t.get(name, MISSING), ro, rt,
            )  # fmt: skip
            if value is not MISSING:
                out[name] = value
        return out

    def value(
        self,
        table: str,
        ident: str,
        ref: dict[str, str],
        path: list[str],
        b: Any,
        o: Any,
        t: Any,
        ro: dict[str, Any],
        rt: dict[str, Any],
    ) -> Any:
        if _same(o, t):
            return o
        if _same(b, o):
            return t
        if _same(b, t):
            return o
        where = (table, *path)
        if where in RULES:
            return RULES[where](b, o, t, ro, rt)
        if (
            isinstance(o, dict)
            and isinstance(t, dict)
            and (b is MISSING or isinstance(b, dict))
            and where not in WHOLE
        ):
            # b is MISSING where the common version lacks the field, or there is none
            return self.fields(
                table, ident, ref, path, b if isinstance(b, dict) else {}, o, t, ro, rt
            )
        kept = "theirs" if o is MISSING else "mine"
        self.conflicts.append(
            Conflict(self.file, table, ident, ref, path, _side(o), _side(t), kept)
        )
        return t if o is MISSING else o


def _keys(*mappings: dict[str, Any]) -> list[str]:
    """Every key of the mappings, in the order first seen."""
    return list(dict.fromkeys(k for m in mappings for k in m))


def _side(value: Any) -> Side:
    return None if value is MISSING else {"value": value}


def merge_data(
    base: dict[str, Any] | None, ours: dict[str, Any], theirs: dict[str, Any], file: str
) -> tuple[dict[str, Any], list[Conflict]]:
    """The three-way merge of one store file's data, and the conflicts left in it.

    ``base`` is the common ancestor (``None`` when both sides added the file). Raises
    ``MergeError`` when a version is not a store file.
    """
    merge = _Merge(file)
    return merge.data(base, ours, theirs), merge.conflicts


def parse_store_text(text: str, *, what: str) -> dict[str, Any]:
    """A store file's data from its text; ``MergeError`` naming ``what`` if it is not one."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MergeError(f"{what} is not valid JSON (line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise MergeError(f"{what} is not a store file")
    return data


def merge_texts(base: str, ours: str, theirs: str, file: str) -> tuple[str, list[Conflict]]:
    """``merge_data`` over the files' texts; an empty ``base`` means no common ancestor."""
    base_data = parse_store_text(base, what="the common version") if base.strip() else None
    merged, conflicts = merge_data(
        base_data,
        parse_store_text(ours, what="this side's version"),
        parse_store_text(theirs, what="the other side's version"),
        file,
    )
    return dumps_store(merged), conflicts


# -- conflicts kept for the user -------------------------------------------------------------


def conflicts_path(data_dir: Path) -> Path:
    return data_dir / CONFLICTS_FILE


def load_conflicts(path: Path) -> list[Conflict]:
    """The conflicts waiting to be settled, oldest first."""
    data = read_json(path)
    if data is None:
        return []
    raw = data.get("conflicts")
    try:
        if not isinstance(raw, list):
            raise ValueError
        return [Conflict.from_json(item) for item in raw]
    except (TypeError, ValueError):
        raise StoreError(
            f"{path} is damaged; it was left untouched (move it aside to start afresh)"
        ) from None


def save_conflicts(path: Path, conflicts: Sequence[Conflict]) -> None:
    """Keep the conflicts still to settle; the file goes once none are left."""
    if not conflicts:
        if path.exists():
            try:
                path.unlink()
            except OSError as exc:
                raise StoreError(f"cannot remove {path}: {exc.strerror}") from None
        return
    text = json.dumps({"conflicts": [c.to_json() for c in conflicts]}, ensure_ascii=False, indent=1)
    write_text_atomic(path, text + "\n")


def record_conflicts(path: Path, new: Sequence[Conflict]) -> None:
    """Add conflicts to those waiting, each numbered after the last; one found again
    replaces the one kept before, under the same number."""
    kept = {c.key: c for c in load_conflicts(path)}
    following = max((c.number for c in kept.values()), default=0) + 1
    for conflict in new:
        if conflict.key in kept:
            conflict.number = kept[conflict.key].number
        else:
            conflict.number, following = following, following + 1
        kept[conflict.key] = conflict
    save_conflicts(path, list(kept.values()))


def apply_choice(data_dir: Path, conflict: Conflict, take: str) -> bool:
    """Put the chosen side's value of a record conflict into its store file.

    Returns whether the file changed (not when the side chosen is the one kept). The
    caller holds the store's lock. Whole-file conflicts are settled by the caller.
    """
    if take not in ("mine", "theirs"):
        raise ValueError(take)
    if take == conflict.kept:
        return False
    side = conflict.mine if take == "mine" else conflict.theirs
    target = data_dir / conflict.file
    data = read_json(target)
    if data is None:
        raise StoreError(f"{target} is gone; the conflict in it cannot be settled")
    table = data.setdefault(conflict.table, {})
    if not isinstance(table, dict):
        raise StoreError(f"{target}: table '{conflict.table}' is damaged; left untouched")
    found = table_records(data, conflict.table).get(conflict.record)
    if not conflict.path:
        if found is not None:
            del table[found[0]]
        if side is not None:
            numbers = [int(k) for k in table if str(k).isdigit()]
            table[found[0] if found else str(max(numbers, default=0) + 1)] = side["value"]
    else:
        if found is None or not isinstance(found[1], dict):
            raise StoreError(f"{target}: the record of this conflict is gone; nothing was changed")
        holder: dict[str, Any] = found[1]
        for name in conflict.path[:-1]:
            inner = holder.get(name)
            if not isinstance(inner, dict):
                inner = holder[name] = {}
            holder = inner
        last = conflict.path[-1]
        if side is None:
            holder.pop(last, None)
        else:
            holder[last] = side["value"]
    write_json_atomic(target, data)
    return True


def keep_snapshot(path: Path, run_id: str, snapshot: dict[str, Any]) -> None:
    """Keep a completed run's scorecard worked out again (after a merge brought it more
    answers or ratings), leaving the rest of the run as it is. The caller holds the lock."""
    data = read_json(path)
    found = table_records(data or {}, "runs").get(identity("runs", "", {"id": run_id}))
    if data is None or found is None or not isinstance(found[1], dict):
        raise StoreError(f"{path} does not hold the run '{run_id}'; left untouched")
    found[1]["snapshot"] = snapshot
    write_json_atomic(path, data)


# -- the driver --------------------------------------------------------------------------


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def main(argv: Sequence[str] | None = None) -> int:
    """Run as git's merge driver: ``%O %A %B %P``; see the module's text."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 4:
        print(
            "usage: python -m outsource_tui.store.merge BASE OURS THEIRS PATH "
            "(git's merge driver for store files)",
            file=sys.stderr,
        )
        return 2
    base_file, ours_file, theirs_file, file = args
    try:
        text, conflicts = merge_texts(_read(base_file), _read(ours_file), _read(theirs_file), file)
    except (OSError, UnicodeDecodeError, MergeError) as exc:
        print(f"{file}: cannot merge record by record: {exc}; left as it was", file=sys.stderr)
        return 1
    target = Path(os.environ.get(CONFLICTS_ENV) or Path.cwd() / CONFLICTS_FILE)
    try:
        if conflicts:  # recorded first: a result without its conflicts would hide them
            record_conflicts(target, conflicts)
        write_text_atomic(Path(ours_file), text)
    except StoreError as exc:
        print(f"{file}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
