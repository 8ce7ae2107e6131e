"""SMART goal analysis: which of specific, measurable and time-bound a written goal shows.

The analysis runs on every keystroke, so it is regular expressions only, compiled once at
import, and it never raises. Each verdict quotes the words that decided it, so a user can
see why and disagree. Achievable and relevant depend on facts the text cannot hold (the
partner's capacity, the business objective), so they are always left for the user to judge.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound")

# A number and the metric it measures must sit this close (in characters) to count as a
# target; further apart they are usually two unrelated facts in one long sentence.
TIE_GAP = 40
QUOTE_MAX = 40  # longer quotes are cut in `why`; `evidence` always holds the exact text

EXAMPLE_GOAL = "Cut first-response time on tier-1 tickets from 8 h to 4 h"
EXAMPLE_OUTCOME = "first-response time on tier-1 tickets"
EXAMPLE_PERCENT = "from 70% to 90%"
EXAMPLE_HOURS = "from 8 h to 4 h"
EXAMPLE_COUNT = "from 40 to 10"
EXAMPLE_TARGET = "90% of tickets answered within 4 hours"


@dataclass(frozen=True)
class Criterion:
    """One SMART criterion: met, not met, or not knowable from the text (``ok is None``)."""

    ok: bool | None
    why: str
    evidence: tuple[str, ...] = ()
    suggestion: str = ""

    def to_dict(self) -> dict[str, bool | str | None]:
        """The verdict, its reason and the suggestion, ready for JSON."""
        return {"ok": self.ok, "why": self.why, "suggestion": self.suggestion}


@dataclass(frozen=True)
class SmartReport:
    """The five SMART criteria for one goal."""

    specific: Criterion
    measurable: Criterion
    achievable: Criterion
    relevant: Criterion
    time_bound: Criterion

    def items(self) -> Iterator[tuple[str, Criterion]]:
        """Each criterion with its name, in S-M-A-R-T order."""
        for name in CRITERIA:
            yield name, getattr(self, name)

    def to_dict(self) -> dict[str, dict[str, bool | str | None]]:
        """All five criteria keyed by name, ready for JSON."""
        return {name: criterion.to_dict() for name, criterion in self.items()}


# --- vocabulary ---------------------------------------------------------------------------

_FLAGS = re.IGNORECASE


def _phrase(term: str) -> str:
    """A lexicon entry as a regex: spaces and hyphens match either, plurals are optional."""
    words = re.split(r"[\s-]+", term)
    return r"[\s-]*".join(re.escape(word) for word in words) + r"(?:s|es)?"


# Concrete outcomes: things a vendor delivers or a metric someone can read off a report.
# Verbs that double as nouns ("order", "call", "post") are listed in the plural only, so
# "in order to" or "call the vendor" do not count as naming an outcome.
_CONCRETE_TERMS = {
    "support": """
        first response time, first response, first contact resolution, response time,
        resolution time, handle time, handling time, wait time, waiting time, turnaround time,
        lead time, cycle time, processing time, transit time, delivery time, load time,
        build time, queue time, hold time, time to resolution, time to hire, time to market,
        speed of answer, service level, aht, asa, fcr, mttr, mtta, mtbf, ticket, chat, calls,
        email, e mail, query, queries, enquiry, enquiries, inquiry, inquiries, requests,
        contacts, complaint, escalation, incident, outage, backlog, abandonment, csat, nps,
        ces, net promoter score, customer satisfaction, satisfaction, sla, kpi, okr, uptime,
        downtime, availability, latency, throughput, reviews, rating, stars, scorecard,
        agents, occupancy, adherence, utilisation, utilization
    """,
    "development": """
        release, deployment, builds, features, story points, velocity, user story,
        user stories, pull request, test coverage, code coverage, coverage, test case,
        unit test, bug, defect, error, mistake, regression, crash, vulnerability,
        vulnerabilities, breach, source code, runbook, documentation, user guide, help centre,
        help center, knowledge base, dashboard, report, translation
    """,
    "logistics": """
        delivery, deliveries, shipment, parcel, package, orders, order value, basket size,
        aov, returns, refund, claims, stock, stockout, inventory, sku, pallet,
        picking accuracy, on time in full, on time rate, on time delivery, otif, fill rate,
        damaged goods, freight, emission
    """,
    "finance": """
        invoice, bills, payment, payroll, ledger, books, reconciliation, month end close,
        days sales outstanding, dso, dpo, receivables, payables, accounts payable,
        accounts receivable, annual accounts, accounts, filing, vat return, tax return, audit,
        budget, spend, cost, unit cost, price, margin, revenue, sales, saving, cash flow,
        write off, expense, billable hours, overtime, mrr, arr
    """,
    "marketing": """
        lead, mql, sql, conversion, conversion rate, sign up, signup, subscriber, follower,
        impression, clicks, click through rate, click through, ctr, cpa, cpl, cpc, roas, roi,
        open rate, booking, demos, blog post, posts, article, campaign, traffic, visits,
        visitor, ltv, cac, customer acquisition cost
    """,
    "accounts and people": """
        churn, churned customer, retention, renewal, attrition, headcount, hires
    """,
    "measures in general": "rate, ratio, score, accuracy, percentage",
}
_TERMS = {t.strip() for group in _CONCRETE_TERMS.values() for t in group.split(",")} - {""}
_COST_PER = r"cost[\s-]+per[\s-]+[^\W\d_]+"
_CONCRETE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join([_COST_PER] + [_phrase(t) for t in sorted(_TERMS, key=lambda t: (-len(t), t))])
    + r")(?![\w-])",
    _FLAGS,
)
# Read as verbs when they open the goal ("Report on…", "Release the…").
_OPENING_VERBS = frozenset(
    {"report", "release", "audit", "budget", "spend", "stock", "lead", "rating", "filing"}
)

_VAGUE = re.compile(
    r"\b(?:improve(?:ment)?s?|improving|enhance[sd]?|enhancing|optimi[sz](?:e[sd]?|ing|ation)|"
    r"better|best|more|increase[sd]?|boost(?:ed|ing)?|streamline[sd]?|grow(?:th|ing)?|"
    r"quality|performance|services?|things?|stuff|efficien(?:cy|t)|effective(?:ness)?|"
    r"process(?:es)?|experience|communication|relationships?|value|business|operations|"
    r"productivity|results|world[\s-]class|proactive|responsive|smarter|faster|stronger|"
    r"great|excellent|everything|synerg(?:y|ies)|alignment|collaboration)\b",
    _FLAGS,
)

_WORD = re.compile(r"[^\W_]+")

# --- dates and spans ----------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_YEAR = r"(?:19|20|21)[0-9]{2}(?![0-9])"
_ORDINAL = r"(?:first|second|third|fourth|last|final|1st|2nd|3rd|4th)"
_PERIOD = r"(?:year|quarter|month|week|sprint|day)"
_NUMBER_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"eighteen|twenty|thirty|forty|fifty|sixty|ninety|hundred)"
)
_COUNT = rf"(?:[0-9]+|{_NUMBER_WORD}|a\s+few|a\s+couple\s+of)"
_PREP = (
    r"(?:by|before|until|till|til|no\s+later\s+than|not\s+later\s+than|in|during|through|"
    r"throughout|for|within|on|at|ahead\s+of|prior\s+to)"
)
_EDGE = r"(?:(?:end|close|start|beginning|middle)\s+of|mid-?)"
_LEAD = rf"(?:{_PREP}\s+(?:the\s+)?)?(?:{_EDGE}\s*(?:the\s+)?)?"
_ANCHOR = rf"(?:{_PREP}\s+(?:the\s+)?(?:{_EDGE}\s*(?:the\s+)?)?|(?:the\s+)?{_EDGE}\s*(?:the\s+)?)"

# Dates that are a deadline wherever they stand.
_STANDALONE = (
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?![0-9])",
    r"[0-9]{1,2}[./][0-9]{1,2}[./](?:[0-9]{4}|[0-9]{2})(?![0-9])",
    rf"[0-9]{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?:,?\s+{_YEAR})?",
    rf"{_MONTH}\.?\s+[0-9]{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR})?",
    rf"{_MONTH}\.?,?\s+{_YEAR}",
    rf"\bq[1-4]\s*[-/]?\s*(?:{_YEAR}|'?[0-9]{{2}}\b)",
    rf"{_YEAR}\s*-?\s*[qh][1-4]\b",
    rf"\bh[12]\s*-?\s*{_YEAR}",
    rf"{_ORDINAL}\s+(?:quarter|half)(?:\s+of\s+(?:{_YEAR}|(?:the|this|next)\s+year))?",
    rf"(?:this|next|the\s+coming|the\s+current|the\s+following)\s+"
    rf"(?:(?:financial|fiscal|calendar|tax)\s+)?{_PERIOD}\b",
    rf"(?:end|close)\s+of\s+(?:the\s+)?(?:(?:this|next|current|coming)\s+)?"
    rf"(?:(?:financial|fiscal|calendar|tax)\s+)?{_PERIOD}\b",
    rf"(?:{_PREP}|over|inside|next)\s+(?:the\s+)?(?:(?:next|coming|first|following)\s+)?"
    rf"{_COUNT}\s+(?:calendar\s+)?(?:days|weeks|months|years|quarters|sprints|"
    r"day|week|month|year|quarter|sprint)\b(?:'?s?\s+time)?"
    r"(?!\s+of\s+(?:each|every|the\s+month|month))",
    # "within a month" sets an end; "500 orders in a day" is a rate, so only these two.
    rf"(?:within|inside)\s+an?\s+{_PERIOD}\b",
    rf"(?:next|this)\s+{_WEEKDAY}",
    rf"from\s+{_YEAR}\s+(?:to|until|through)\s+{_YEAR}",
    r"(?:by|before|until|till)\s+(?:tomorrow|tonight|eod|eow|eom|eoq|eoy|"
    r"close\s+of\s+business|cob)\b",
)
# Words that are a deadline only after "by", "in", "end of" and the like: "in 2027" is a
# deadline, "our 2027 strategy" is not; "by May" is a month, "we may" is not.
_ANCHORED = (
    _YEAR,
    rf"{_MONTH}\b",
    r"fy\s*'?[0-9]{2}(?:[0-9]{2})?\b",
    r"[qh][1-4]\b",
    r"(?:year|quarter|month)[\s-]end\b",
    rf"{_WEEKDAY}\b",
)
_DEADLINE = re.compile(
    rf"(?<![\w-])(?:{_LEAD}(?:{'|'.join(_STANDALONE)})|{_ANCHOR}(?:{'|'.join(_ANCHORED)}))",
    _FLAGS,
)
_RECURRING = re.compile(
    rf"\b(?:(?:every|each|per)\s+(?:(?:working|business|calendar)\s+)?"
    rf"(?:{_PERIOD}|fortnight|release|cycle|{_WEEKDAY})|"
    rf"an?\s+(?:(?:working|business|calendar)\s+)?{_PERIOD}|every\s+{_COUNT}\s+{_PERIOD}s?|"
    rf"{_PERIOD}\s+(?:over|on)\s+{_PERIOD}|yoy|qoq|"
    r"daily|weekly|fortnightly|monthly|quarterly|annually|yearly|bi-?weekly|bi-?monthly)\b",
    _FLAGS,
)
_FUZZY_TIME = re.compile(
    r"\b(?:asap|as\s+soon\s+as\s+possible|soon|eventually|at\s+some\s+point|in\s+due\s+course|"
    r"going\s+forward|ongoing|over\s+time|in\s+the\s+future|someday|one\s+day)\b",
    _FLAGS,
)
_BARE_YEAR = re.compile(rf"(?<![\w.,/-]){_YEAR}(?![\w%])", _FLAGS)

# --- quantities ---------------------------------------------------------------------------

_NUM = r"[0-9]+(?:[.,][0-9]+)*"
_CURRENCY = r"(?:[$€£¥₹]|(?:usd|eur|gbp|chf|aud|cad|inr)\s?)"
_UNIT = (
    r"\s?(?:%|percent|per\s?cent|percentage\s+points?|pp|k|m|bn|x|h|hrs?|hours?|mins?|"
    r"minutes?|s|secs?|seconds?|ms|(?:working\s+|business\s+|calendar\s+)?days?|weeks?|"
    r"points?|pts|usd|eur|gbp|€|£)"
)
_QTY = rf"(?<![\w.,/-])(?:{_CURRENCY}{_NUM}|{_NUM}(?:{_UNIT})?)(?![\w/])"
_QUANTITY = re.compile(
    rf"{_QTY}|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|"
    r"fifty|hundred|half|halve[sd]?|double[sd]?|triple[sd]?|twice)\b",
    _FLAGS,
)
_FROM_TO = re.compile(rf"\bfrom\s+{_QTY}\s+(?:down\s+|up\s+)?to\s+{_QTY}", _FLAGS)
# Numbers that name a thing rather than count it: "version 2", "tier 2", "top 5".
_LABEL_BEFORE = re.compile(
    r"(?:\b(?:version|v|phase|tier|level|step|stage|wave|sev|severity|priority|top|release|"
    r"gen|number|no\.?)|#)\s*$",
    _FLAGS,
)
_YEAR_ONLY = re.compile(rf"{_YEAR}$")
# Which kind of example number fits the metric the goal names.
_TIME_METRIC = re.compile(r"time|aht|mttr|mtta|latency|speed", _FLAGS)
_RATE_METRIC = re.compile(
    r"rate|ratio|score|csat|nps|ces|satisf|accura|coverage|uptime|availab|churn|retention|"
    r"percent|ctr|conversion|utili|occupancy|adherence|level|otif|on.time|roi|margin",
    _FLAGS,
)

_REASON = re.compile(
    r"\b(?:so\s+that|so\s+we\s+can|in\s+order\s+to|to\s+support|in\s+support\s+of|because|"
    r"which\s+(?:will|supports?|helps?)|aligned\s+with|in\s+line\s+with|to\s+help)\b",
    _FLAGS,
)


# --- helpers ------------------------------------------------------------------------------

Span = tuple[int, int]


def _merge(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _overlaps(span: Span, sorted_spans: list[Span], starts: list[int]) -> bool:
    i = bisect_left(starts, span[1])
    return i > 0 and sorted_spans[i - 1][1] > span[0]


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) > QUOTE_MAX:
        flat = flat[: QUOTE_MAX - 1].rstrip() + "…"
    return f'"{flat}"'


def _quotes(items: Iterable[str]) -> str:
    quoted = [_quote(item) for item in items]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _unique(items: Iterable[str], limit: int = 4) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        if item.lower() not in (s.lower() for s in seen):
            seen[item] = None
        if len(seen) == limit:
            break
    return tuple(seen)


def example_deadline(today: date | None = None) -> str:
    """A deadline to suggest: the end of the quarter about six months from ``today``."""
    ahead = (today or date.today()) + timedelta(days=182)
    last_month = ((ahead.month - 1) // 3 + 1) * 3
    if last_month == 12:
        end = date(ahead.year, 12, 31)
    else:
        end = date(ahead.year, last_month + 1, 1) - timedelta(days=1)
    return f"by {end.isoformat()}"


def _concrete_terms(text: str) -> list[re.Match[str]]:
    first_word = _WORD.search(text)
    opening = first_word.start() if first_word else -1
    return [
        m
        for m in _CONCRETE.finditer(text)
        if not (m.start() == opening and m.group().lower() in _OPENING_VERBS)
    ]


# --- the criteria -------------------------------------------------------------------------


def _specific(text: str, terms: list[re.Match[str]], words: list[str], deadline: str) -> Criterion:
    how = f"name the thing that should change, such as '{EXAMPLE_OUTCOME}'"
    if not words:
        return Criterion(
            False,
            "The goal has no words yet.",
            (),
            f"write what should change, such as '{EXAMPLE_GOAL} {deadline}'",
        )
    if len(words) < 2:
        return Criterion(False, f"{_quote(text.strip())} is too short to name an outcome.", (), how)
    if terms:
        evidence = _unique(m.group() for m in terms)
        return Criterion(True, f"Names a concrete outcome: {_quotes(evidence)}.", evidence)
    vague = _unique((m.group() for m in _VAGUE.finditer(text)), limit=2)
    if vague:
        return Criterion(
            False,
            f"Only vague words such as {_quotes(vague)}; nothing says what will change.",
            vague,
            f"{how} instead of {_quote(vague[-1])}",
        )
    return Criterion(
        False, "No concrete outcome such as tickets, invoices or delivery times is named.", (), how
    )


def _terms_near(
    quantity: re.Match[str], terms: list[re.Match[str]], starts: list[int]
) -> list[re.Match[str]]:
    """The metric words within TIE_GAP characters of a number (terms never overlap)."""
    i = bisect_left(starts, quantity.start())
    near: list[re.Match[str]] = []
    j = i - 1
    while j >= 0 and terms[j].end() >= quantity.start() - TIE_GAP:
        near.append(terms[j])
        j -= 1
    j = i
    while j < len(terms) and terms[j].start() <= quantity.end() + TIE_GAP:
        near.append(terms[j])
        j += 1
    return near


def _number_example(terms: list[re.Match[str]]) -> str:
    if not terms:
        return EXAMPLE_PERCENT
    word = terms[0].group()
    if _TIME_METRIC.search(word):
        return EXAMPLE_HOURS
    if _RATE_METRIC.search(word):
        return EXAMPLE_PERCENT
    return EXAMPLE_COUNT


def _measurable(
    text: str, terms: list[re.Match[str]], dates: list[Span], date_starts: list[int]
) -> Criterion:
    quantities: list[re.Match[str]] = []
    date_numbers: list[str] = []
    for m in _QUANTITY.finditer(text):
        span = m.span()
        if _overlaps(span, dates, date_starts) or _YEAR_ONLY.match(m.group()):
            date_numbers.append(m.group())
        elif not _LABEL_BEFORE.search(text, max(0, span[0] - 12), span[0]):
            quantities.append(m)

    tied: list[re.Match[str]] = []
    metrics: dict[int, str] = {}
    term_starts = [t.start() for t in terms]
    for q in quantities:
        near = _terms_near(q, terms, term_starts)
        if near:
            tied.append(q)
            metrics.update((t.start(), t.group()) for t in near)

    if tied:
        metric_words = _unique(metrics[key] for key in sorted(metrics))
        from_to = _FROM_TO.search(text)
        if from_to and any(from_to.start() <= q.start() < from_to.end() for q in tied):
            evidence = (from_to.group(), *metric_words)
            why = (
                f"Found {_quote(from_to.group())} for {_quotes(metric_words)}: "
                "a starting point and a target."
            )
        else:
            evidence = _unique([q.group() for q in tied] + list(metric_words))
            why = f"Found {_quotes(evidence)}, with no starting value."
        return Criterion(True, why, evidence)

    name_number = f"name a number to reach, such as '{_number_example(terms)}'"
    if quantities:
        numbers = _unique((q.group() for q in quantities), limit=2)
        return Criterion(
            False,
            f"Found {_quotes(numbers)} but not what it measures.",
            numbers,
            f"say what the number measures, such as '{EXAMPLE_TARGET}'",
        )
    if terms:
        metric = terms[0].group()
        return Criterion(
            False,
            f"Names {_quote(metric)} but no number to reach.",
            (metric,),
            f"{name_number} for {_quote(metric)}",
        )
    if date_numbers:
        only = _unique(date_numbers, limit=2)
        return Criterion(
            False,
            f"Found only {_quotes(only)}, which says when, not how much.",
            only,
            name_number,
        )
    return Criterion(False, "No number or metric found.", (), name_number)


def _time_bound(text: str, dates: list[Span], deadline: str) -> Criterion:
    if dates:
        evidence = _unique(text[start:end] for start, end in dates)
        return Criterion(True, f"Found {_quotes(evidence)}.", evidence)
    suggestion = f"add a deadline such as '{deadline}'"
    fuzzy = _FUZZY_TIME.search(text)
    if fuzzy:
        return Criterion(
            False, f"{_quote(fuzzy.group())} is not a date.", (fuzzy.group(),), suggestion
        )
    recurring = _RECURRING.search(text)
    if recurring:
        word = recurring.group()
        return Criterion(False, f"{_quote(word)} says how often, not by when.", (word,), suggestion)
    year = _BARE_YEAR.search(text)
    if year:
        return Criterion(
            False,
            f"Found {_quote(year.group())} but not as a deadline such as 'by {year.group()}'.",
            (year.group(),),
            suggestion,
        )
    return Criterion(False, "No deadline or time span found.", (), suggestion)


def _achievable(measurable: Criterion) -> Criterion:
    suggestion = (
        "ask the partner whether the target is feasible with their current team, "
        "and check it against last period's results"
    )
    if measurable.ok:
        target = measurable.evidence[0]
        why = f"The text cannot show whether {_quote(target)} is within reach; you must judge."
    else:
        why = "The text cannot show whether this is within the partner's reach; you must judge."
    return Criterion(None, why, (), suggestion)


def _relevant(text: str) -> Criterion:
    reason = _REASON.search(text)
    if reason:
        return Criterion(
            None,
            f"The text gives a reason ({_quote(reason.group())}), but only you can judge "
            "whether it serves a current business objective.",
            (reason.group(),),
            "check the stated reason against this year's business objectives",
        )
    return Criterion(
        None,
        "The text cannot show how this goal supports the business; you must judge.",
        (),
        "say which business objective it serves, such as '… so that contract renewals stay "
        "above 90%'",
    )


def analyse_goal(text: str, *, today: date | None = None) -> SmartReport:
    """Check a written goal against SMART, quoting the words behind each verdict.

    ``today`` only dates the example deadline in suggestions; pass the app's clock for
    reproducible output. Any string is accepted; nothing raises.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    words = _WORD.findall(text)
    terms = _concrete_terms(text) if len(words) >= 2 else []
    dates = _merge(m.span() for m in _DEADLINE.finditer(text))
    masked = _merge(dates + [m.span() for m in _RECURRING.finditer(text)])
    masked_starts = [start for start, _ in masked]

    deadline = example_deadline(today)
    measurable = _measurable(text, terms, masked, masked_starts)
    return SmartReport(
        specific=_specific(text, terms, words, deadline),
        measurable=measurable,
        achievable=_achievable(measurable),
        relevant=_relevant(text),
        time_bound=_time_bound(text, dates, deadline),
    )
