"""User settings from ``<data dir>/settings.toml``: scorecard thresholds, own working hours,
and the app's keys."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from outsource_tui.errors import UserError, ValidationError

SETTINGS_FILE = "settings.toml"


@dataclass(frozen=True)
class Thresholds:
    """Where green ends and amber and red begin.

    KPI attainment is a ratio (1.0 = target met exactly); the overall score is 0-100.
    """

    kpi_green: float = 1.0
    kpi_amber: float = 0.9
    score_green: float = 80.0
    score_amber: float = 60.0


@dataclass(frozen=True)
class Settings:
    """Everything a user may set; defaults apply to what the file leaves out."""

    thresholds: Thresholds = field(default_factory=Thresholds)
    timezone: str = ""
    hours_start: str = "09:00"
    hours_end: str = "17:00"
    # Binding id -> keys, such as {"add-vendor": "n"}: the app's keys, remapped.
    keys: dict[str, str] = field(default_factory=dict)
    # Who is rating (``[me] name``, or ``--as NAME``): "" keeps the single, unnamed reviewer.
    reviewer: str = ""


def _number(table: dict[str, Any], key: str, default: float, path: Path, text: str) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        line = next(
            (i for i, row in enumerate(text.splitlines(), 1) if re.match(rf"\s*{key}\s*=", row)),
            0,
        )
        raise UserError(f"{path}:{line}: {key} must be a number")
    return float(value)


def load_settings(data_dir: Path) -> Settings:
    """Read the settings file if there is one; a broken file is named with its line."""
    path = data_dir / SETTINGS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {path}: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None
    table = data.get("scorecard", {})
    if not isinstance(table, dict):
        raise UserError(f"{path}: [scorecard] must be a table")
    thresholds = Thresholds(
        kpi_green=_number(table, "kpi_green", 1.0, path, text),
        kpi_amber=_number(table, "kpi_amber", 0.9, path, text),
        score_green=_number(table, "score_green", 80.0, path, text),
        score_amber=_number(table, "score_amber", 60.0, path, text),
    )
    if (
        thresholds.kpi_amber > thresholds.kpi_green
        or thresholds.score_amber > thresholds.score_green
    ):
        raise UserError(f"{path}: an amber threshold is above its green one")
    me = data.get("me", {})
    if not isinstance(me, dict):
        raise UserError(f"{path}: [me] must be a table")
    reviewer = _reviewer(me, path, text)
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        raise UserError(f"{path}: [keys] must be a table of binding ids and keys")
    for binding_id, value in keys.items():
        if not isinstance(value, str) or not value.strip():
            line = next(
                (
                    i
                    for i, row in enumerate(text.splitlines(), 1)
                    if re.match(rf"\s*\"?{re.escape(binding_id)}\"?\s*=", row)
                ),
                0,
            )
            raise UserError(
                f'{path}:{line}: keys.{binding_id} must be keys in quotes, such as "ctrl+n"'
            )
    return Settings(
        thresholds=thresholds,
        timezone=str(me.get("timezone", "")),
        hours_start=str(me.get("hours_start", "09:00")),
        hours_end=str(me.get("hours_end", "17:00")),
        keys={str(k): str(v).strip() for k, v in keys.items()},
        reviewer=reviewer,
    )


def _reviewer(me: dict[str, Any], path: Path, text: str) -> str:
    """``[me] name``: the reviewer's name, checked as ``--as`` checks it."""
    from outsource_tui.domain.reviewers import check_name  # only when a name is set

    if "name" not in me:
        return ""
    value = me["name"]
    line = next(
        (i for i, row in enumerate(text.splitlines(), 1) if re.match(r"\s*name\s*=", row)), 0
    )
    if not isinstance(value, str):
        raise UserError(f'{path}:{line}: name must be text in quotes, such as "Ana"')
    try:
        return check_name(value)
    except ValidationError as exc:
        raise UserError(f"{path}:{line}: name: {exc}") from None
