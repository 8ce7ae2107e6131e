"""Vendors: the facts kept about each outsourcing partner, and the checks on them."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from outsource_tui.domain.answers import parse_date
from outsource_tui.domain.contract import ContractClock, ContractTerms, clock
from outsource_tui.errors import ValidationError

NAME_MAX = 80


class VendorStatus(StrEnum):
    """Where a vendor stands in the relationship."""

    CANDIDATE = "candidate"
    ONBOARDING = "onboarding"
    ACTIVE = "active"
    ON_HOLD = "on-hold"
    EXITING = "exiting"
    ENDED = "ended"


@dataclass(frozen=True)
class VendorDraft:
    """What the user typed for a vendor, before it is checked."""

    name: str
    service: str = ""
    status: str = VendorStatus.ACTIVE.value
    timezone: str = ""
    contract_start: str = ""
    contract_end: str = ""
    contact: str = ""


@dataclass(frozen=True)
class Vendor:
    """A vendor as stored. ``id`` is stable and names its file."""

    id: str
    name: str
    service: str = ""
    status: str = VendorStatus.ACTIVE.value
    timezone: str = ""
    contract_start: str = ""
    contract_end: str = ""
    contact: str = ""
    created_at: str = ""
    notice_given: str = ""  # YYYY-MM-DD: the day notice to end the contract was given
    # Contract terms beyond the dates: initial_months, renewal, renewal_months, notice_days,
    # window_earliest_days, window_latest_days, lead_days (see domain/contract.py).
    contract: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The vendor as plain JSON-ready data."""
        return asdict(self)

    def draft(self) -> VendorDraft:
        """The facts the vendor form edits, as stored."""
        return VendorDraft(
            **{name: getattr(self, name) for name in VendorDraft.__dataclass_fields__}
        )


def name_key(name: str) -> str:
    """The form two names are compared in: case and surrounding space do not count."""
    return " ".join(name.split()).casefold()


@cache
def known_timezones() -> tuple[str, ...]:
    """Every IANA zone name this machine knows, sorted."""
    return tuple(sorted(available_timezones()))


# A vendor record's fields in the user's words, for messages that name a changed field.
FIELD_WORDS = {
    "name": "name",
    "service": "service",
    "status": "status",
    "timezone": "time zone",
    "contract_start": "contract start",
    "contract_end": "contract end",
    "contact": "contact",
    "contract": "contract terms",
    "notice_given": "notice date",
}


def check_timezone(text: str) -> str:
    """An IANA zone name such as Europe/Berlin, or '' for none; refuses unknown zones."""
    text = text.strip()
    if not text:
        return ""
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a directory, not a zone
        from outsource_tui.domain.answers import closest_timezones

        # The same name in another case, or the zone of the city named (manila: Asia/Manila).
        close = closest_timezones(text)
        if close:
            hint = " or ".join(close)
            raise ValidationError(f"unknown time zone '{text}': did you mean {hint}?") from None
        raise ValidationError(
            f"unknown time zone '{text}': use an IANA name such as Europe/Berlin"
        ) from None
    return text


def check_status(text: str) -> str:
    """One of the vendor statuses."""
    value = text.strip().lower()
    allowed = [s.value for s in VendorStatus]
    if value not in allowed:
        raise ValidationError(f"unknown status '{text}': use one of {', '.join(allowed)}")
    return value


# Control characters (terminal escapes among them), invisible format characters (bidi
# overrides, zero-width ones), private-use and lone surrogate code points.
UNPRINTABLE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs"})


def _check_printable(field_name: str, label: str, text: str) -> str:
    """``text`` unchanged, or a ``FieldError`` naming the first character it cannot hold."""
    for char in text:
        if unicodedata.category(char) in UNPRINTABLE_CATEGORIES:
            raise FieldError(
                field_name,
                f"the {label} cannot hold control or invisible characters "
                f"(found U+{ord(char):04X}): type it as plain text",
            )
    return text


def draft_problems(draft: VendorDraft) -> list[FieldError]:
    """Every field :func:`check_draft` refuses, in its order, not only the first: a refused
    field is given a harmless value and the rest checked again."""
    harmless = {"name": "vendor", "status": VendorStatus.ACTIVE.value}
    problems: list[FieldError] = []
    while True:
        try:
            check_draft(draft)
            return problems
        except FieldError as exc:
            if any(p.field == exc.field for p in problems):
                return problems  # refused even as harmless: said once already
            problems.append(exc)
            draft = replace(draft, **{exc.field: harmless.get(exc.field, "")})


def check_draft(draft: VendorDraft) -> dict[str, str]:
    """Check every field; returns the cleaned fields or raises on the first bad one.

    The error's ``field`` attribute names the field so a form can show it in place.
    """
    name = " ".join(draft.name.split())
    if not name:
        raise FieldError("name", "a vendor needs a name")
    if len(name) > NAME_MAX:
        raise FieldError("name", f"a name can be at most {NAME_MAX} characters")
    _check_printable("name", "name", name)
    service = _check_printable("service", "service", " ".join(draft.service.split()))
    cleaned = {"name": name, "service": service}
    for field_name, check in (("status", check_status), ("timezone", check_timezone)):
        try:
            cleaned[field_name] = check(getattr(draft, field_name))
        except ValidationError as exc:
            raise FieldError(field_name, str(exc)) from None
    dates: dict[str, date] = {}
    for field_name in ("contract_start", "contract_end"):
        text = getattr(draft, field_name).strip()
        cleaned[field_name] = ""
        if text:
            try:
                dates[field_name] = parse_date(text)
            except ValidationError as exc:
                raise FieldError(field_name, str(exc)) from None
            cleaned[field_name] = dates[field_name].isoformat()
    if len(dates) == 2 and dates["contract_end"] < dates["contract_start"]:
        raise FieldError("contract_end", "the contract cannot end before it starts")
    cleaned["contact"] = _check_printable("contact", "contact", " ".join(draft.contact.split()))
    return cleaned


class FieldError(ValidationError):
    """A vendor field was refused; ``field`` says which."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


CONTRACT_KEYS = (
    "initial_months",
    "renewal",
    "renewal_months",
    "notice_days",
    "window_earliest_days",
    "window_latest_days",
    "lead_days",
)


def contract_terms(vendor: Vendor) -> ContractTerms | None:
    """The vendor's contract terms, if its start date and terms are known."""
    if not vendor.contract or not vendor.contract_start:
        return None
    return check_contract(vendor.contract_start, vendor.contract)


def check_contract(start: str, values: dict[str, Any]) -> ContractTerms:
    """Contract terms from stored or typed values; raises ValidationError when they do not fit."""
    try:
        # The type too: True == 1, yet a term of True months is refused.
        key = (start, tuple(sorted((k, type(v).__name__, v) for k, v in values.items())))
        hash(key)
    except TypeError:  # a value no store or form gives (a list, say): checked, not kept
        return _check_contract(start, values)
    return _kept_terms(key)


@cache
def _kept_terms(key: tuple[str, tuple[tuple[str, str, Any], ...]]) -> ContractTerms:
    # The dashboard works out every vendor's contract, often more than once: terms are
    # immutable, so the same start and values give the same terms (a refusal is not kept).
    start, items = key
    return _check_contract(start, {k: v for k, _, v in items})


def _check_contract(start: str, values: dict[str, Any]) -> ContractTerms:
    unknown = set(values) - set(CONTRACT_KEYS)
    if unknown:
        raise ValidationError(f"unknown contract term {sorted(unknown)[0]!r}")
    if not start:
        raise ValidationError("set the contract start date first")
    args = {k: v for k, v in values.items() if v is not None}
    for key, value in args.items():
        if key != "renewal" and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValidationError(f"{key.replace('_', ' ')} must be a whole number")
    if "initial_months" not in args:
        raise ValidationError("the contract needs its initial term in months")
    if "renewal" not in args:
        raise ValidationError("the contract needs its renewal: automatic, manual or none")
    return ContractTerms(start=parse_date(start), **args)


def contract_clock(vendor: Vendor, on: date) -> ContractClock | None:
    """Where a vendor's contract stands on a day, if its terms are known and valid.

    None as well when the clock cannot be worked out on that day (a term past the
    end of the calendar); ``due`` lists such a vendor with the reason instead.
    """
    try:
        terms = contract_terms(vendor)
        if terms is None:
            return None
        return clock(terms, on, notice_given_on(vendor))
    except ValidationError:
        return None


def notice_given_on(vendor: Vendor) -> date | None:
    """The day notice was given, if it was (a damaged date counts as not given)."""
    if not vendor.notice_given:
        return None
    try:
        return parse_date(vendor.notice_given)
    except ValidationError:
        return None


def months_between(start: str, end: str) -> int | None:
    """Whole months from ``start`` to the day after ``end`` (2026-01-15 to 2027-01-14: 12),
    or None when the dates do not span whole months."""
    from outsource_tui.domain.contract import add_months

    try:
        first, last = parse_date(start), parse_date(end)
    except ValidationError:
        return None
    months = (last.year - first.year) * 12 + last.month - first.month
    for guess in (months, months + 1):
        try:
            if guess >= 1 and add_months(first, guess) == date.fromordinal(last.toordinal() + 1):
                return guess
        except (ValidationError, ValueError, OverflowError):
            continue
    return None


def contract_conflict(vendor: Vendor) -> str | None:
    """Why the vendor's contract dates and its terms disagree, or None when they agree.

    The rule: the terms decide the dates, and the contract end date is the last day of the
    first term. A typed end date that is not is a conflict for the user to settle.
    """
    if not vendor.contract_end or not vendor.contract:
        return None
    try:
        terms = contract_terms(vendor)
    except ValidationError:
        return None  # told elsewhere: the terms cannot be used at all
    if terms is None:
        return None
    first_end = terms.term_end(1).isoformat()
    if first_end == vendor.contract_end:
        return None
    return (
        f"the contract end date {vendor.contract_end} is not the end of the first term: "
        f"{terms.initial_months} months from {vendor.contract_start} end on {first_end}. "
        "Change the end date (e) or the first term (t)"
    )
