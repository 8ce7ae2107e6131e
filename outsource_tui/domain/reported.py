"""What the partner reported for a review period, kept beside our own answers.

The review pack (``outsource-tui pack``) brings the partner's own figures, comments and
answers back from a workbook. A review run keeps them in ``Run.reported``, never among its
answers: our own figure is never overwritten, and every front end can show theirs beside
ours. The mapping, every key of it optional::

    {"kpis":       [{"kpi": NAME, "actual": NUMBER or null, "comment": TEXT}, ...],
     "ratings":    [{"question_id": ID, "rating": 1 to 5 or null, "comment": TEXT}, ...],
     "assessment": TEXT,
     "concerns":   [{"concern": TEXT, "answer": TEXT}, ...],
     "actions":    [{"action": TEXT, "status": TEXT, "comment": TEXT}, ...],
     "exported_at": TIME, "imported_at": TIME, "file": NAME}

Entries are matched by their first field (a KPI's name, a rating's question, a concern, an
action), case and spacing ignored. Keys a later version adds are let through.
"""

from __future__ import annotations

import math
from typing import Any

from outsource_tui.domain.run import Run
from outsource_tui.domain.vendor import name_key

KPIS, RATINGS, CONCERNS, ACTIONS = "kpis", "ratings", "concerns", "actions"
ASSESSMENT = "assessment"
TEXT_KEYS = ("assessment", "exported_at", "imported_at", "file")

_TEXT, _NUMBER, _WHOLE = "text", "a number or null", "a whole number or null"

# Per list: the field that names an entry first, then every known field and its kind.
ENTRIES: dict[str, dict[str, str]] = {
    KPIS: {"kpi": _TEXT, "actual": _NUMBER, "comment": _TEXT},
    RATINGS: {"question_id": _TEXT, "rating": _WHOLE, "comment": _TEXT},
    CONCERNS: {"concern": _TEXT, "answer": _TEXT},
    ACTIONS: {"action": _TEXT, "status": _TEXT, "comment": _TEXT},
}


def _fits(value: object, kind: str) -> bool:
    if kind == _TEXT:
        return type(value) is str
    if value is None:
        return True
    if kind == _WHOLE:
        return type(value) is int
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def check_reported(value: object) -> dict[str, Any]:
    """``value`` as a run's reported mapping ({} for none); raises ``ValueError`` saying what
    is damaged, so a file edited by hand is refused where it is read."""
    if value is None:
        return {}
    if type(value) is not dict:
        raise ValueError("what the partner reported is not a record")
    for key in TEXT_KEYS:
        if key in value and type(value[key]) is not str:
            raise ValueError(f"'{key}' in what the partner reported is not text")
    for section, fields in ENTRIES.items():
        entries = value.get(section, [])
        if type(entries) is not list:
            raise ValueError(f"'{section}' in what the partner reported is not a list")
        first = next(iter(fields))
        for entry in entries:
            if type(entry) is not dict or type(entry.get(first)) is not str:
                raise ValueError(f"an entry of '{section}' in what the partner reported is damaged")
            for name, kind in fields.items():
                if name in entry and not _fits(entry[name], kind):
                    raise ValueError(f"'{name}' in '{section}' of what was reported is not {kind}")
    return value


def entry_key(section: str, entry: dict[str, Any]) -> str:
    """What names an entry of ``section``: its first field, case and spacing ignored."""
    return name_key(str(entry.get(next(iter(ENTRIES[section])), "")))


def entries(reported: dict[str, Any], section: str) -> dict[str, dict[str, Any]]:
    """The entries of one list of a reported mapping, by ``entry_key``."""
    found: dict[str, dict[str, Any]] = {}
    for entry in reported.get(section, []):
        if isinstance(entry, dict):
            found[entry_key(section, entry)] = entry
    return found


def reported_actuals(run: Run) -> dict[str, float]:
    """The KPI results the partner reported for a review, by KPI name (case ignored)."""
    actuals: dict[str, float] = {}
    for key, entry in entries(run.reported, KPIS).items():
        value = entry.get("actual")
        if isinstance(value, int | float) and not isinstance(value, bool) and key:
            actuals[key] = float(value)
    return actuals


def _given(value: object) -> bool:
    return value is not None and value != ""


def merge_reported(stored: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """``stored`` with what a newer pack ``given`` brings: a value given replaces the stored
    one; a cell left blank keeps what was reported before, as an answers file import never
    clears an answer."""
    merged = dict(stored)
    for key, value in given.items():
        if key in ENTRIES:
            continue
        if _given(value):
            merged[key] = value
    for section in ENTRIES:
        if section not in given:
            continue
        kept = {k: dict(v) for k, v in entries(stored, section).items()}
        order = list(kept)
        for entry in given[section]:
            key = entry_key(section, entry)
            current = kept.setdefault(key, {})
            if key not in order:
                order.append(key)
            current.update({k: v for k, v in entry.items() if _given(v) or k not in current})
        merged[section] = [kept[k] for k in order]
    return merged
