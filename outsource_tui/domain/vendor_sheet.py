"""A vendor list kept in a spreadsheet, read into vendor drafts.

The headings are matched to vendor fields whatever their case and punctuation ("Supplier",
"TZ", "Contract start", "Monthly fee (EUR)"); each row's cells become the text the vendor form
takes, and the row is then checked by :func:`check_draft`, as ``vendor add`` checks what is
typed. A spreadsheet gives more than the form does, so a few things are read first:

- a date given as a real date, or as text: ISO (2026-04-03), or day and month as numbers or a
  month's name. ``03/04/2026`` is refused, since it could be 3 April or 4 March; ``25/12/2026``
  can only be one date and is taken. A year must be written in full.
- a fee with a currency sign or code and thousands separators (``€ 12,500``, ``12.500,00
  EUR``); a fee such as ``12.500``, that could be twelve and a half or twelve thousand five
  hundred, is refused. A sign that several currencies use (``$``, ``¥``) is taken only when
  the heading or a Currency column says which of them it is; whatever the cell, the heading
  and the Currency column say must agree.
- a formula cell of a workbook that holds no saved result (a file written by a program, never
  opened in a spreadsheet program) is refused, rather than read as blank.
- a status written with spaces (``On hold``).

Every problem of a row is found, not only the first one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from outsource_tui.domain.answers import format_number, validate_answer
from outsource_tui.domain.playbook import Question
from outsource_tui.domain.vendor import (
    FIELD_WORDS,
    FieldError,
    VendorDraft,
    check_contract,
    check_draft,
)
from outsource_tui.errors import ValidationError

FEE = "monthly_fee"
VENDOR_FIELDS = tuple(VendorDraft.__dataclass_fields__)
FIELDS = (*VENDOR_FIELDS, FEE)
DATE_FIELDS = ("contract_start", "contract_end")
LABELS = {
    **{k: v for k, v in FIELD_WORDS.items() if k in VENDOR_FIELDS},
    FEE: "monthly fee",
    "currency": "currency",
}
HEADER_SEARCH_ROWS = 10  # a title or a note may stand above the headings
CURRENCY = "currency"  # the column that says which currency the row's fee is in
NO_SAVED_RESULT = (
    "a formula with no saved result: open the file in a spreadsheet program and save it, "
    "or type the value"
)

# Headings as :func:`heading_key` leaves them. The first set of each field is a sure match;
# a heading in a later set is taken only when no column gives the field by an earlier one.
_HEADINGS: dict[str, tuple[frozenset[str], ...]] = {
    "name": (
        frozenset(
            {"name", "vendor", "supplier", "company", "partner", "provider", "contractor"}
            | {"vendor name", "supplier name", "company name", "partner name", "provider name"}
            | {"service provider", "outsourcing partner"}
        ),
        frozenset({"organisation", "organization", "firm", "business", "account"}),
    ),
    "service": (
        frozenset(
            {"service", "services", "service description", "outsourced service", "scope"}
            | {"what they do", "what we outsource", "outsourced"}
        ),
        frozenset({"service area", "service type", "service category", "service line", "category"}),
        frozenset({"description", "function", "type", "area"}),
    ),
    "status": (
        frozenset({"status", "vendor status", "relationship status"}),
        frozenset({"state", "stage"}),
    ),
    "timezone": (
        frozenset(
            {"time zone", "timezone", "tz", "zone", "iana time zone", "vendor time zone"}
            | {"partner time zone", "their time zone"}
        ),
        frozenset({"location time zone"}),
    ),
    "contract_start": (
        frozenset(
            {"contract start", "contract start date", "start date", "start", "contract begins"}
            | {"contract from", "commencement date", "effective date", "begin date"}
        ),
        frozenset({"from", "since", "begins", "starts"}),
    ),
    "contract_end": (
        frozenset(
            {"contract end", "contract end date", "end date", "end", "contract ends"}
            | {"contract expiry", "expiry date", "expiration date", "contract until"}
            | {"term end", "contract expires"}
        ),
        frozenset({"until", "expiry", "expires", "ends"}),
    ),
    "contact": (
        frozenset(
            {"contact", "primary contact", "main contact", "contact name", "contact person"}
            | {"account manager", "key contact", "vendor contact"}
        ),
        frozenset({"email", "e mail", "contact email", "contact e mail", "phone"}),
    ),
    FEE: (
        frozenset(
            {"monthly fee", "fee", "fees", "monthly cost", "monthly price", "monthly charge"}
            | {"fee per month", "cost per month", "price per month", "monthly amount"}
            | {"monthly fees", "fee month", "monthly"}
        ),
        frozenset({"cost", "price", "amount", "rate", "monthly rate"}),
    ),
    CURRENCY: (
        frozenset({"currency", "fee currency", "currency code", "currency of the fee", "ccy"}),
    ),
}

# ISO codes of the currencies a fee is most often given in; a sign that names one currency only.
CURRENCY_CODES = frozenset(
    {"EUR", "USD", "GBP", "CHF", "JPY", "CNY", "INR", "AUD", "CAD", "NZD", "SEK", "NOK", "DKK"}
    | {"ISK", "PLN", "CZK", "HUF", "RON", "BGN", "TRY", "UAH", "ZAR", "BRL", "MXN", "ARS", "CLP"}
    | {"COP", "PEN", "SGD", "HKD", "TWD", "KRW", "PHP", "THB", "MYR", "IDR", "VND", "AED", "SAR"}
    | {"ILS", "EGP", "NGN", "KES"}
)
CURRENCY_SIGNS = {"€": "EUR", "£": "GBP", "₹": "INR", "₱": "PHP", "₩": "KRW", "₺": "TRY"} | {
    "₴": "UAH",
    "₪": "ILS",
    "₫": "VND",
    "₦": "NGN",
    "฿": "THB",
}
# Signs that several currencies use: a fee written with one needs the heading or the row to
# say which (listed with the commonest first).
SHARED_SIGNS = {
    "$": ("USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "TWD", "ARS", "CLP", "COP"),
    "¥": ("JPY", "CNY"),
}
# A shared sign with the country's letters before it names one currency.
_QUALIFIED_SIGN = re.compile(r"(?<![A-Za-z])(US|CA|C|AU|A|NZ|S|SG|HK|MX|NT|R|CN|JP)\s?([$¥])")
_QUALIFIED = {
    "US$": "USD",
    "CA$": "CAD",
    "C$": "CAD",
    "AU$": "AUD",
    "A$": "AUD",
    "NZ$": "NZD",
    "S$": "SGD",
    "SG$": "SGD",
    "HK$": "HKD",
    "MX$": "MXN",
    "NT$": "TWD",
    "R$": "BRL",
    "CN¥": "CNY",
    "JP¥": "JPY",
}

_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")
_WORD = re.compile(r"[a-z0-9]+")
_ISO = re.compile(
    r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?"
)
_NUMERIC = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d+)")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]*([^\W\d_]+)\.?,?[\s\-/.]*(\d+)")
_MONTH_DAY = re.compile(r"([^\W\d_]+)\.?[\s\-/.]*(\d{1,2})(?:st|nd|rd|th)?,?[\s\-/.]*(\d+)")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_CODE_AT_ENDS = re.compile(r"^([A-Za-z]{3})(?![A-Za-z])|(?<![A-Za-z])([A-Za-z]{3})$")
# Spaces people and spreadsheets put between groups of digits, and the Swiss apostrophe.
_DIGIT_GAPS = re.compile(r"(?<=\d)[\s\u00a0\u202f\u2009'’](?=\d)")
_EURO_DECIMAL = re.compile(r"[+-]?\d{1,3}(\.\d{3})+,\d+")
_EURO_GROUPS = re.compile(r"[+-]?\d{1,3}(\.\d{3}){2,}")
_DOT_OR_GROUP = re.compile(r"[+-]?[1-9]\d{0,2}\.\d{3}")


def column_letter(index: int) -> str:
    """The spreadsheet name of the column at ``index`` (0 is A, 26 is AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_text(value: Any) -> str:
    """A cell as text: spaces trimmed, a whole number without ``.0``, a date in ISO form.

    A formula with no saved result is blank here: :func:`check_row` refuses it.
    """
    if value is None or isinstance(value, UnsavedFormula):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def heading_key(text: str) -> str:
    """A heading as it is matched: lower case, bracketed notes and punctuation left out."""
    text = _BRACKETED.sub(" ", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(_WORD.findall(text.replace("&", " and ")))


def _qualified(text: str) -> str:
    """``US$`` as USD, ``R$`` as BRL: each sign with a country's letters before it as a code."""

    def code(match: re.Match[str]) -> str:
        named = _QUALIFIED.get(match[1] + match[2])
        return f" {named} " if named else match[0]

    return _QUALIFIED_SIGN.sub(code, unicodedata.normalize("NFKC", text))


def heading_currency(text: str) -> str:
    """The currency a heading names, such as EUR in "Monthly fee (EUR)" or "Fee €", else ''.

    A sign that several currencies use ("Fee ($)") is given as the sign: which of them it is
    must then come from elsewhere.
    """
    text = _qualified(text)
    found = {code for sign, code in CURRENCY_SIGNS.items() if sign in text}
    found |= {w.upper() for w in re.findall(r"[A-Za-z]+", text) if w.upper() in CURRENCY_CODES}
    if not found:
        found = {sign for sign in SHARED_SIGNS if sign in text}
    return found.pop() if len(found) == 1 else ""


def format_currency(number_format: str) -> str:
    """The currency a cell's number format shows its number in (as :func:`heading_currency`
    reads a heading): EUR for ``#,##0.00 [$€-407]``, ``$`` for ``"$"#,##0``, else ''."""
    if not number_format or number_format == "General":
        return ""
    # Colours and conditions ([Red], [>=100]) name no currency; [$€-407] and [$USD] do.
    return heading_currency(re.sub(r"\[(?!\$)[^\]]*\]", " ", number_format))


def shared_sign_note(sign: str) -> str:
    """Which currencies use a shared sign, in a few words: ``'¥' ... (JPY, CNY)``."""
    codes = SHARED_SIGNS[sign]
    shown = ", ".join(codes) if len(codes) <= 3 else ", ".join(codes[:3]) + " and more"
    return f"'{sign}' stands for several currencies ({shown})"


def sheet_currency(value: Any) -> str:
    """A Currency cell as the code it gives ('' when blank), or a shared sign such as ``$``."""
    text = " ".join(_qualified(cell_text(value)).split())
    if not text:
        return ""
    if text.upper() in CURRENCY_CODES:
        return text.upper()
    if text in CURRENCY_SIGNS:
        return CURRENCY_SIGNS[text]
    if text in SHARED_SIGNS:
        return text
    raise ValidationError(
        f"'{cell_text(value)}' is not a currency code: write one such as EUR or USD"
    )


def _heading_field(text: str) -> tuple[str, int] | None:
    """The field a heading gives and how sure the match is (0 sure, higher is weaker)."""
    key = heading_key(text)
    bare = " ".join(w for w in key.split() if w.upper() not in CURRENCY_CODES)
    bare = bare.removesuffix(" in")  # "Monthly fee in EUR"
    for candidate in dict.fromkeys((key, bare)):
        for name, tiers in _HEADINGS.items():
            for rank, forms in enumerate(tiers):
                if candidate in forms:
                    return name, rank
    return None


class NoNameColumn(ValidationError):
    """No heading of the row names the vendor's name column."""


@dataclass(frozen=True)
class Column:
    """A column of the sheet and the vendor field it gives."""

    index: int
    heading: str
    field: str
    currency: str = ""  # for the fee: the currency its heading names


@dataclass(frozen=True)
class ColumnMap:
    """Which column gives which field, and which columns are left out (with why)."""

    columns: dict[str, Column]
    ignored: list[tuple[int, str, str]] = field(default_factory=list)


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def map_headings(headings: Sequence[Any], data_columns: frozenset[int] = frozenset()) -> ColumnMap:
    """Match a heading row to the vendor fields.

    ``data_columns`` are the columns that hold anything below the headings: a column with
    neither heading nor data is left out silently, one with data but no heading is listed.
    Raises NoNameColumn when no column gives the vendor's name, and ValidationError when two
    columns give the same field equally surely.
    """
    texts = [cell_text(h) for h in headings]
    found: dict[str, list[tuple[int, int]]] = {}
    ignored: list[tuple[int, str, str]] = []
    for index, text in enumerate(texts):
        if not text:
            if index in data_columns:
                ignored.append((index, "", "no heading"))
            continue
        match = _heading_field(text)
        if match is None:
            ignored.append((index, text, "not a vendor field"))
            continue
        found.setdefault(match[0], []).append((match[1], index))
    columns: dict[str, Column] = {}
    for name, hits in found.items():
        best = min(rank for rank, _ in hits)
        chosen = [index for rank, index in hits if rank == best]
        if len(chosen) > 1:
            raise ValidationError(
                f"columns {_quoted([texts[i] for i in chosen])} all look like the "
                f"{LABELS[name]}: keep one, or rename the others"
            )
        index = chosen[0]
        currency = heading_currency(texts[index]) if name == FEE else ""
        columns[name] = Column(index, texts[index], name, currency)
        for rank, other in hits:
            if rank != best:
                why = f"the {LABELS[name]} is taken from '{texts[index]}'"
                ignored.append((other, texts[other], why))
    if CURRENCY in columns and FEE not in columns:
        unused = columns.pop(CURRENCY)
        ignored.append((unused.index, unused.heading, "no column gives the monthly fee"))
    if "name" not in columns:
        shown = [t for t in texts if t]
        seen = f" (headings found: {', '.join(shown)})" if shown else ""
        raise NoNameColumn(
            "no column gives the vendor's name: head it Name, Vendor, Supplier or Company" + seen
        )
    return ColumnMap(columns, sorted(ignored))


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _checked_year(text: str, year: str) -> int:
    if len(year) != 4:
        raise ValidationError(f"'{text}': write the year in full (four digits), not {year}")
    return int(year)


def sheet_date(value: Any) -> str:
    """A date cell as YYYY-MM-DD text for the vendor check.

    A real spreadsheet date is taken as it is. Text may be ISO or give the day and month as
    numbers (refused when they could be swapped) or with the month's name. Text of any other
    form is handed on unchanged, for the vendor check to refuse with its own words.
    """
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValidationError(
            f"{format_number(value)} is a number, not a date: format the cell as a date "
            "or write it as YYYY-MM-DD"
        )
    text = cell_text(value)
    if not text:
        return ""
    if match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        return f"{year:04d}-{month:02d}-{day:02d}"
    if match := _NUMERIC.fullmatch(text):
        first, second, year = int(match[1]), int(match[3]), _checked_year(text, match[4])
        readings = set()
        for day, month in ((first, second), (second, first)):
            try:
                readings.add(date(year, month, day))
            except ValueError:
                continue
        if not readings:
            raise ValidationError(f"{text} is not a real calendar date")
        if len(readings) > 1:
            one, other = sorted(readings, key=lambda d: d.day != first)  # day first, then month
            raise ValidationError(
                f"'{text}' could be {_long_date(one)} or {_long_date(other)}: write it as "
                f"YYYY-MM-DD ({one.isoformat()} or {other.isoformat()})"
            )
        return readings.pop().isoformat()
    for pattern, day_at, month_at in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        match = pattern.fullmatch(text)
        if match and match[month_at].casefold() in _MONTHS:
            year = _checked_year(text, match[3])
            month, day = _MONTHS[match[month_at].casefold()], int(match[day_at])
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                raise ValidationError(f"{text} is not a real calendar date") from None
    return text


def sheet_status(value: Any) -> str:
    """A status cell as the vendor check takes it: ``On hold`` is ``on-hold``."""
    return "-".join(cell_text(value).replace("_", " ").split())


def sheet_number(value: Any) -> tuple[str | int | float, str]:
    """A fee cell as the number check takes it, and the currency it names ('' if none).

    Currency signs and codes are taken off and digit groups closed up; ``1.234,56`` and
    ``1.234.567`` (dots between thousands) are read as such, ``12.500`` is refused. A sign
    that several currencies use (``$``) is given back as the sign, for the caller to settle;
    a sign it does not know is refused.
    """
    if isinstance(value, bool):
        return cell_text(value), ""
    if isinstance(value, int | float):
        return value, ""
    shown = cell_text(value)
    currencies = set()
    signs = set()
    kept = []
    for char in _qualified(shown):
        if unicodedata.category(char) == "Sc":
            if char in CURRENCY_SIGNS:
                currencies.add(CURRENCY_SIGNS[char])
            elif char in SHARED_SIGNS:
                signs.add(char)
            else:
                raise ValidationError(
                    f"'{shown}': '{char}' is not a currency sign this import knows: write the "
                    "currency's code instead"
                )
            continue
        kept.append(char)
    text = "".join(kept).strip()
    while match := _CODE_AT_ENDS.search(text):
        code = (match[1] or match[2]).upper()
        if code not in CURRENCY_CODES:
            break
        currencies.add(code)
        text = (text[: match.start()] + text[match.end() :]).strip()
    named = sorted(currencies | signs)
    if len(currencies) > 1 or len(signs) > 1:
        raise ValidationError(f"'{shown}' names two currencies: {', '.join(named)}")
    if currencies and signs and currencies.isdisjoint(SHARED_SIGNS[next(iter(signs))]):
        raise ValidationError(f"'{shown}' names two currencies: {', '.join(named)}")
    text = _DIGIT_GAPS.sub("", text)
    if _EURO_DECIMAL.fullmatch(text):
        text = text.replace(".", "").replace(",", ".")
    elif _EURO_GROUPS.fullmatch(text):
        text = text.replace(".", "")
    elif _DOT_OR_GROUP.fullmatch(text):
        small, large = format_number(float(text)), text.replace(".", "")
        raise ValidationError(
            f"'{shown}' could be {small} or {large} (a dot between thousands): "
            f"write it as {small} or as {large}"
        )
    return text, (currencies or signs or {""}).pop()


@dataclass(frozen=True)
class UnsavedFormula:
    """A workbook's formula cell that holds no saved result, so its value is not known.

    A spreadsheet program keeps each formula's result in the file when it saves; a file
    written by another program may hold the formula alone.
    """

    formula: str


def lacks_saved_result(value: Any, data_type: str) -> bool:
    """Whether a formula cell, read for its saved result, holds none.

    ``value`` and ``data_type`` are the cell's as read for saved results: a result that is
    empty text is saved as a text cell with no value, and is a result.
    """
    return value is None and data_type != "str"


@dataclass(frozen=True)
class Fee:
    """How a playbook records the monthly fee, and its currency (which may be absent)."""

    question: Question
    currency: Question | None = None


@dataclass(frozen=True)
class RowCheck:
    """A row checked: the vendor's fields as they would be stored, and what was wrong.

    ``given`` names the vendor fields the row filled in (a blank cell keeps what is stored);
    ``problems`` are (field, reason) pairs, every one the row has.
    """

    fields: dict[str, str]
    given: frozenset[str]
    fee: int | float | None = None
    currency: str = ""
    problems: list[tuple[str, str]] = field(default_factory=list)


_FALLBACK = {"name": "vendor", "status": "active"}


def check_row(
    cells: Mapping[str, Any],
    *,
    current: VendorDraft | None = None,
    terms: Mapping[str, Any] | None = None,
    fee: Fee | None = None,
    fee_currency: str = "",
    currency_heading: str = "",
    fee_format: str = "",
) -> RowCheck:
    """Check one row of a vendor list, given its cells by field name.

    ``current`` is the vendor as stored when the row's name is already in the store: a blank
    cell then keeps the stored value, and the stored contract ``terms`` must still fit a new
    start date. Every field is checked by :func:`check_draft`; when one is refused, it is put
    back to the stored (or default) value and the check runs again, so every problem shows.
    ``fee_currency`` is what the fee's heading names (a code or a shared sign),
    ``currency_heading`` the heading of the Currency column, when there is one, and
    ``fee_format`` the currency the fee cell's number format shows, if any.
    """
    base = current or VendorDraft(name="")
    unsaved = {name for name, value in cells.items() if isinstance(value, UnsavedFormula)}
    problems: list[tuple[str, str]] = [(name, NO_SAVED_RESULT) for name in sorted(unsaved)]
    texts: dict[str, str] = {}
    for name in VENDOR_FIELDS:
        if name not in cells or name in unsaved:
            continue
        try:
            if name in DATE_FIELDS:
                text = sheet_date(cells[name])
            elif name == "status":
                text = sheet_status(cells[name])
            else:
                text = cell_text(cells[name])
        except ValidationError as exc:
            problems.append((name, str(exc)))
            continue
        if text:
            texts[name] = text
    draft = replace(base, **texts)
    refused: set[str] = unsaved & set(VENDOR_FIELDS)  # said already
    while True:
        try:
            checked = check_draft(draft)
            break
        except FieldError as exc:
            if exc.field not in refused:
                problems.append((exc.field, str(exc)))
                refused.add(exc.field)
                fallback = getattr(base, exc.field)
                if fallback == getattr(draft, exc.field):
                    fallback = _FALLBACK.get(exc.field, "")
            else:  # the stored value is refused along with it: the default is not
                fallback = _FALLBACK.get(exc.field, "")
            draft = replace(draft, **{exc.field: fallback})
    start = checked["contract_start"]
    if terms and "contract_start" in texts and "contract_start" not in refused:
        try:
            check_contract(start, dict(terms))
        except ValidationError as exc:
            problems.append(("contract_start", f"the contract terms no longer fit: {exc}"))
    amount: int | float | None = None
    currency = ""
    if fee is not None and FEE in cells and not unsaved & {FEE, CURRENCY}:
        shown = cell_text(cells[FEE])
        try:
            raw, in_cell = sheet_number(cells[FEE])
            value = validate_answer(fee.question, raw)
            if value is not None and not isinstance(value, int | float):
                raise ValidationError(f"'{shown}' is not a number")
            amount = value
        except ValidationError as exc:
            problems.append((FEE, str(exc)))
            in_cell = ""
        in_row = ""
        if CURRENCY in cells:
            try:
                in_row = sheet_currency(cells[CURRENCY])
            except ValidationError as exc:
                if amount is not None:  # a currency without a fee changes nothing
                    problems.append((CURRENCY, str(exc)))
                amount = None
        if amount is not None:
            row_place = f"column '{currency_heading or LABELS[CURRENCY].title()}'"
            cell = f"'{shown}'"
            if fee_format and not in_cell:
                in_cell, cell = fee_format, f"'{shown}' (formatted with {fee_format})"
            try:
                currency = fee_currency_of(cell, in_cell, fee_currency, in_row, row_place)
                if currency and fee.currency is not None:
                    validate_answer(fee.currency, currency)
            except ValidationError as exc:
                problems.append((FEE, str(exc)))
                amount, currency = None, ""
    return RowCheck(checked, frozenset(texts), amount, currency, problems)


def fee_currency_of(
    cell: str, in_cell: str, in_heading: str, in_row: str, row_place: str = "the row"
) -> str:
    """The one currency a fee is in, from what its cell, its heading and its row name.

    Each is a code, a sign that several currencies use (``$``), or '' when it names none;
    ``cell`` is the fee as the messages name it (``'$7'``) and ``row_place`` where the row
    names its currency (``column 'Currency'``). What they name must agree and leave one
    currency; '' when none names any.
    """
    said = [
        (mark, where)
        for mark, where in ((in_cell, ""), (in_heading, "the heading"), (in_row, row_place))
        if mark
    ]
    choices: frozenset[str] | None = None
    narrowest = ("", "")
    for mark, where in said:
        options = frozenset(SHARED_SIGNS.get(mark, (mark,)))
        if choices is not None and choices.isdisjoint(options):
            raise ValidationError(_disagree(cell, narrowest, (mark, where)))
        if choices is None or len(options) < len(choices):
            narrowest = (mark, where)
        choices = options if choices is None else choices & options
    if choices is None:
        return ""
    if len(choices) > 1:
        sign, where = narrowest
        note = shared_sign_note(sign)
        place = f"{cell}: {note}" if not where else f"{note}, and {where} uses it"
        raise ValidationError(
            f"{place}: write the code instead, or name the currency in the heading, such as "
            "Fee (USD), or in a Currency column"
        )
    return next(iter(choices))


_VERBS = {"": "is in", "the heading": "names"}


def _disagree(cell: str, one: tuple[str, str], other: tuple[str, str]) -> str:
    """Why two of a fee's currencies (each with where it is named, '' for the cell) differ."""

    def sign_at(sign: str, where: str) -> str:
        return f"{cell}: '{sign}'" if not where else f"'{sign}' in {where}"

    def named(where: str) -> str:
        return f"{where or cell} {_VERBS.get(where, 'says')}"

    (a, where_a), (b, where_b) = one, other
    if a in SHARED_SIGNS and b in SHARED_SIGNS:
        return f"{sign_at(a, where_a)} and {sign_at(b, where_b)} are signs of different currencies"
    if a in SHARED_SIGNS or b in SHARED_SIGNS:
        (sign, at), (code, where) = (one, other) if a in SHARED_SIGNS else (other, one)
        return f"{sign_at(sign, at)} is not a sign of {code}, which {named(where)}"
    return f"{named(where_a)} {a}, but {named(where_b)} {b}"
