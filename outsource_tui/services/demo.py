"""A realistic sample portfolio, reproducible from a seed, for a first look and for benchmarks.

Vendors in every status; finished setup playbooks; quarterly reviews whose KPI results trend
up, down or stay flat; open and overdue action items; three candidates for one engagement.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from outsource_tui.domain import facts
from outsource_tui.domain.answers import Answer, Cell
from outsource_tui.domain.contract import ContractTerms, Renewal, clock
from outsource_tui.domain.library import Library
from outsource_tui.domain.periods import next_period, period_bounds, quarter_of
from outsource_tui.domain.playbook import (
    DIRECTION_OPTIONS,
    RATING_MAX,
    RATING_MIN,
    Playbook,
    Question,
    QuestionType,
)
from outsource_tui.domain.run import Run, check_key
from outsource_tui.domain.scoring import KpiTarget, Scorecard, SlaTerms, compute_scorecard
from outsource_tui.domain.settings import Thresholds
from outsource_tui.domain.vendor import VendorDraft, VendorStatus
from outsource_tui.errors import UserError
from outsource_tui.store import Store

PREFIXES = (
    "Northwind",
    "Bluepeak",
    "Harbor",
    "Lumen",
    "Cedar",
    "Quartz",
    "Meridian",
    "Atlas",
    "Kestrel",
    "Orchid",
    "Summit",
    "Tidewater",
    "Granite",
    "Saffron",
    "Copper",
    "Juniper",
)
SUFFIXES = ("Support", "Labs", "Logistics", "Ledger", "Digital", "Services", "Partners", "Works")
ZONES = (
    "Asia/Manila",
    "Europe/Warsaw",
    "America/Bogota",
    "Asia/Kolkata",
    "Africa/Lagos",
    "Europe/Lisbon",
    "America/Mexico_City",
    "Asia/Ho_Chi_Minh",
    "Europe/Bucharest",
)
CONTACTS = ("Ana Lima", "Tomasz Nowak", "Priya Rao", "Diego Vargas", "Chidi Okafor", "Mai Tran")
OWNERS = ("Ops lead", "Finance", "Support manager", "IT lead", "Vendor manager")

# service: (KPI name, unit, target, direction, weight, credit %, bonus %, realistic start)
KPI_BANK: dict[str, tuple[tuple[str, str, float, str, float, float, float, float], ...]] = {
    "customer support desk": (
        ("First response time", "hours", 4, "lower is better", 30, 5, 0, 6),
        ("Customer satisfaction", "%", 90, "higher is better", 30, 3, 2, 84),
        ("Tickets resolved on first contact", "%", 70, "higher is better", 20, 2, 0, 62),
        ("Backlog older than 7 days", "tickets", 20, "lower is better", 20, 2, 0, 35),
    ),
    "software development": (
        ("Sprint commitments delivered", "%", 85, "higher is better", 35, 4, 2, 70),
        ("Escaped defects per release", "defects", 5, "lower is better", 35, 4, 0, 9),
        ("Critical bug fix time", "hours", 24, "lower is better", 30, 3, 0, 40),
    ),
    "logistics and fulfilment": (
        ("Orders shipped on time", "%", 97, "higher is better", 40, 5, 2, 92),
        ("Picking accuracy", "%", 99.5, "higher is better", 30, 3, 0, 98.7),
        ("Damaged shipments", "%", 0.5, "lower is better", 30, 3, 0, 1.1),
    ),
    "bookkeeping": (
        ("Month-end close", "working days", 5, "lower is better", 40, 4, 0, 8),
        ("Invoices processed within 3 days", "%", 95, "higher is better", 35, 3, 1, 85),
        ("Reconciliation errors", "errors", 2, "lower is better", 25, 2, 0, 6),
    ),
    "IT operations": (
        ("Uptime", "%", 99.9, "higher is better", 50, 10, 0, 99.5),
        ("Incidents resolved within SLA", "%", 95, "higher is better", 30, 4, 1, 86),
        ("Patch compliance", "%", 98, "higher is better", 20, 2, 0, 90),
    ),
}
ACTIONS = (
    "Share the monthly volume forecast",
    "Fix the escalation contact list",
    "Run a root-cause review of the missed target",
    "Agree a training plan for new agents",
    "Send the revised reporting template",
    "Review access rights of leavers",
    "Schedule a process walkthrough",
    "Update the runbook for peak season",
)


def _sample_rows(table: str, vendor: str, day: date) -> list[dict[str, Cell]]:
    """Rows a vendor manager would write in a table question, so that no column of the sample
    holds a person's name where a calculation or a goal belongs. Empty for tables with no such
    rows here (the KPI tables are filled from the service's KPIs instead)."""
    rng = random.Random(f"{vendor}/{table}/{day}")  # its own draws: the seed's stay put
    lead, other = rng.sample(CONTACTS, 2)
    soon = (day + timedelta(days=rng.randrange(20, 45))).isoformat()
    later = (day + timedelta(days=rng.randrange(60, 120))).isoformat()
    rows: dict[str, list[dict[str, Cell]]] = {
        "raci": [
            {
                "activity": "Monthly KPI report",
                "responsible": vendor,
                "accountable": "Vendor manager",
                "consulted": "Ops lead",
                "informed": "Finance",
            },
            {
                "activity": "Change requests",
                "responsible": "Ops lead",
                "accountable": "Vendor manager",
                "consulted": vendor,
                "informed": "IT lead",
            },
        ],
        "references": [
            {
                "company": "Northwind Retail",
                "contact": lead,
                "feedback": "Reliable; slow to staff up in the first month",
                "hire_again": True,
            },
            {
                "company": "Harbour Insurance",
                "contact": other,
                "feedback": "Good reporting, clear escalation",
                "hire_again": True,
            },
        ],
        "goals": [
            {
                "goal_text": "Cut the support backlog older than 7 days from 35 to 20 tickets "
                "by the end of next quarter",
                "metric": "Tickets older than 7 days",
                "baseline": 35,
                "target": 20,
                "deadline": later,
            },
            {
                "goal_text": "Raise customer satisfaction from 84% to 90% within six months",
                "metric": "Customer satisfaction (%)",
                "baseline": 84,
                "target": 90,
                "deadline": later,
            },
        ],
        "milestones": [
            {"milestone": "Baseline figures agreed", "due": soon, "owner": "Vendor manager"},
            {"milestone": "First monthly report against the goals", "due": later, "owner": lead},
        ],
        "meetings": [
            {
                "meeting": "Weekly operations call",
                "frequency": "Weekly",
                "attendees": f"Ops lead, {lead}",
                "purpose": "Open issues and the week ahead",
            },
            {
                "meeting": "Quarterly business review",
                "frequency": "Quarterly",
                "attendees": "Vendor manager, both sponsors",
                "purpose": "KPIs, actions, plans",
            },
        ],
        "reports": [
            {"report": "KPI report", "frequency": "Monthly", "recipient": "Vendor manager"},
            {"report": "Incident summary", "frequency": "Weekly", "recipient": "Ops lead"},
        ],
        "escalation": [
            {
                "level": 1,
                "ours": "Ops lead",
                "theirs": lead,
                "response_hours": 4,
                "trigger": "A KPI misses its target two weeks running",
            },
            {
                "level": 2,
                "ours": "Vendor manager",
                "theirs": f"Account director, {vendor}",
                "response_hours": 24,
                "trigger": "No fix agreed at level 1 within 3 days",
            },
        ],
        "risks": [
            {
                "risk": "Different views on saying no to a deadline",
                "likelihood": 3,
                "mitigation": "Liaison person",
                "owner": "Vendor manager",
            },
            {
                "risk": "Public holidays that do not match ours",
                "likelihood": 4,
                "mitigation": "Process change",
                "owner": "Ops lead",
            },
        ],
        "transition_plan": [
            {"milestone": "Knowledge transfer sessions done", "owner": lead, "due": soon},
            {"milestone": "Data returned and access removed", "owner": "IT lead", "due": later},
        ],
    }
    return rows.get(table, [])


def _measurement_rows(kpi_rows: list[dict[str, Cell]]) -> list[dict[str, Cell]]:
    """How each of the service's KPIs is measured: one row per KPI, named as in the SLA."""
    return [
        {
            "kpi": row["kpi"],
            "calculation": f"Monthly figure in {row['unit']} from the partner's report, "
            "checked against our own system",
            "period": "Monthly",
            "exclusions": "Planned maintenance agreed a week ahead; delays caused by our side",
        }
        for row in kpi_rows
    ]


# Answers for questions that state a fact, so that the sample agrees with itself.
FACT_ANSWERS: dict[str, Callable[[random.Random], Answer]] = {
    "our-hours-start": lambda rng: "09:00",
    "our-hours-end": lambda rng: rng.choice(("17:00", "17:30", "18:00")),
    "their-hours-start": lambda rng: rng.choice(("08:00", "09:00")),
    "their-hours-end": lambda rng: rng.choice(("17:00", "18:00")),
    "overlap-needed": lambda rng: rng.choice((1, 2)),
    "monthly-fee": lambda rng: rng.choice((8_000, 12_500, 18_000, 25_000, 40_000)),
    "currency": lambda rng: "EUR",
    "credit-cap": lambda rng: rng.choice((10, 12, 15)),
    "earn-back": lambda rng: rng.random() < 0.5,
    "partner-contact": lambda rng: rng.choice(CONTACTS),
}


@dataclass
class _Plan:
    name: str
    service: str
    status: str
    trend: str  # "up", "down" or "flat"
    start: date
    reviewed_until: str  # last period with a completed review ("" for none)


def _stamp(day: date, rng: random.Random) -> str:
    moment = datetime.combine(day, time(9 + rng.randrange(8), rng.randrange(60)))
    return moment.isoformat(timespec="seconds") + "+00:00"


class _Maker:
    def __init__(self, library: Library, rng: random.Random, today: date) -> None:
        self.library = library
        self.rng = rng
        self.today = today

    def _id(self) -> str:
        return f"{self.rng.getrandbits(48):012x}"

    def _value(self, question: Question, vendor: str, day: date) -> Answer:
        rng = self.rng
        kind = question.type
        stated = FACT_ANSWERS.get(question.role)
        if stated is not None:
            return stated(rng)
        if kind is QuestionType.TIMEZONE:
            return rng.choice(ZONES)
        if kind is QuestionType.TEXT:
            return rng.choice((f"Agreed with {vendor}", rng.choice(CONTACTS), rng.choice(OWNERS)))
        if kind is QuestionType.LONG_TEXT:
            return rng.choice(
                (
                    f"Discussed with the account lead at {vendor}; notes are in the shared folder.",
                    "Both sides agreed; we revisit this at the next quarterly review.",
                    "Mostly settled. One open point on reporting format, owned by our ops lead.",
                )
            )
        if kind is QuestionType.NUMBER:
            low = question.min if question.min is not None else 1
            high = question.max if question.max is not None else max(low + 10, 40)
            return int(rng.uniform(low, min(high, low + 40)))
        if kind is QuestionType.DATE:
            return (day - timedelta(days=rng.randrange(1, 60))).isoformat()
        if kind is QuestionType.CHOICE:
            return question.options[min(len(question.options) - 1, rng.randrange(2))]
        if kind is QuestionType.MULTI_CHOICE:
            # Options that cannot be combined ("None") are left out of a sample pick.
            options = [o for o in question.options if o not in question.exclusive]
            return list(options[: 1 + rng.randrange(min(3, len(options)))])
        if kind is QuestionType.YES_NO:
            return rng.random() < 0.8
        if kind is QuestionType.RATING:
            return rng.randint(3, RATING_MAX)
        if kind is QuestionType.TABLE:
            rows: list[dict[str, Cell]] = []
            for _ in range(2):
                row: dict[str, Cell] = {}
                for column in question.columns:
                    if column.type is QuestionType.CHOICE and column.id == "direction":
                        row[column.id] = DIRECTION_OPTIONS[0]
                    else:
                        cell = self._value(column, vendor, day)
                        # Columns are never tables or multi-choice (COLUMN_TYPES): one value.
                        assert not isinstance(cell, list)
                        row[column.id] = cell
                rows.append(row)
            # Written rows where there are some; the generic ones are still drawn, so that
            # every other answer of the sample (a seed's portfolio) stays as it was.
            return _sample_rows(question.id, vendor, day) or rows
        return None

    def run(
        self,
        playbook: Playbook,
        vendor: str,
        day: date,
        *,
        complete: bool = True,
        overrides: Mapping[str, Answer] | None = None,
        period: str = "",
        upto_step: int | None = None,
    ) -> Run:
        steps = playbook.steps if upto_step is None else playbook.steps[:upto_step]
        answers: dict[str, Answer] = {}
        checked: set[str] = set()
        for step in steps:
            for item in step.checklist:
                if complete or self.rng.random() < 0.7:
                    checked.add(check_key(step, item.id))
            for question in step.questions:
                answers[question.id] = self._value(question, vendor, day)
        answers.update(overrides or {})
        for question in playbook.questions_by_id.values():
            earlier = answers.get(question.after) if question.after else None
            if isinstance(earlier, str) and question.id in answers:
                # A date that must follow another (the SLA's next review) comes months later.
                later = date.fromisoformat(earlier) + timedelta(days=180)
                answers[question.id] = later.isoformat()
        started = day - timedelta(days=self.rng.randrange(3, 20))
        run = Run(
            id=self._id(),
            vendor_id="",
            playbook_id=playbook.id,
            playbook_digest=playbook.digest,
            playbook_title=playbook.title,
            started_at=_stamp(started, self.rng),
            updated_at=_stamp(day, self.rng),
            completed_at=_stamp(day, self.rng) if complete else "",
            step_index=len(steps) - 1 if not complete else 0,
            step_id=steps[-1].id if steps and not complete else "",
            period=period,
            answers={k: v for k, v in answers.items() if v is not None},
            checked=checked,
        )
        return run


def _plans(count: int, years: int, rng: random.Random, today: date) -> list[_Plan]:
    services = list(KPI_BANK)
    names: list[str] = []
    for prefix in PREFIXES:
        for suffix in SUFFIXES:
            names.append(f"{prefix} {suffix}")
    rng.shuffle(names)
    if count > len(names):
        names += [f"{n} {i}" for i in range(2, count // len(names) + 2) for n in names]
    # Statuses: three candidates for one engagement, one of each other status, the rest active.
    statuses = [VendorStatus.CANDIDATE.value] * 3 + [
        VendorStatus.ONBOARDING.value,
        VendorStatus.ON_HOLD.value,
        VendorStatus.EXITING.value,
        VendorStatus.ENDED.value,
    ]
    statuses += [VendorStatus.ACTIVE.value] * max(0, count - len(statuses))
    statuses = statuses[:count]
    if count < 8:  # a small portfolio still shows active vendors first
        statuses = ([VendorStatus.ACTIVE.value] * 3 + statuses)[:count]
    trends = ("up", "down", "flat")
    current = quarter_of(today)
    plans = []
    for index, status in enumerate(statuses):
        start = today - timedelta(days=int(365 * years * rng.uniform(0.6, 1.0)))
        last_done = current
        for _ in range(1 if index % 4 else 3):  # every fourth vendor is behind on reviews
            last_done = _previous(last_done)
        service = "customer support desk" if status == "candidate" else rng.choice(services)
        plans.append(
            _Plan(
                name=names[index],
                service=service,
                status=status,
                trend=trends[index % 3],
                start=start,
                reviewed_until=last_done,
            )
        )
    return plans


def _previous(period: str) -> str:
    start, _ = period_bounds(period)
    return quarter_of(start - timedelta(days=1))


def _kpi_rows(service: str) -> list[dict[str, Cell]]:
    return [
        {
            "kpi": name,
            "unit": unit,
            "target": target,
            "direction": direction,
            "weight": weight,
            "credit": credit,
            "bonus": bonus,
            # The first KPI of a service is the one that must not slip.
            "critical": index == 0,
        }
        for index, (name, unit, target, direction, weight, credit, bonus, _) in enumerate(
            KPI_BANK[service]
        )
    ]


def _sla_terms(sla: Playbook, run: Run) -> SlaTerms:
    """The fee, currency, cap and earn-back the sample SLA run agreed."""
    fee = facts.agreed([sla], [run], "monthly-fee")
    cap = facts.agreed([sla], [run], "credit-cap")
    currency = facts.agreed([sla], [run], "currency")
    return SlaTerms(
        monthly_fee=float(fee) if isinstance(fee, int | float) else None,
        currency=currency if isinstance(currency, str) else "",
        credit_cap=float(cap) if isinstance(cap, int | float) else None,
        earn_back=facts.agreed([sla], [run], "earn-back") is True,
    )


def _number(cell: Cell) -> float:
    """A number cell of the rows ``_kpi_rows`` makes, where it is always an int or float."""
    if not isinstance(cell, int | float):
        raise TypeError(f"a KPI figure must be a number, not {cell!r}")
    return float(cell)


def _actual(spec: tuple, trend: str, step: int, total: int, rng: random.Random) -> float:
    _, _, target, direction, _, _, _, begin = spec
    share = step / max(1, total - 1)
    if trend == "up":
        value = begin + (target * 1.03 - begin) * share
    elif trend == "down":
        value = target * 1.01 - (target * 1.01 - begin) * share * 1.2
    else:
        value = (begin + target) / 2
    noise = abs(target) * 0.02 * rng.uniform(-1, 1)
    value = value + noise
    if direction == "lower is better":
        value = max(0.0, value)
    elif target <= 100 and begin <= 100:
        value = min(100.0, value)
    return round(value, 1)


@dataclass
class Sample:
    """A sample portfolio: vendors with their runs, contract terms and notices by name."""

    entries: list[tuple[VendorDraft, list[Run]]]
    contracts: dict[str, dict[str, object]]
    notices: dict[str, str]


def _terms(index: int, status: str, start: date, today: date, rng: random.Random) -> ContractTerms:
    """Mostly yearly auto-renewals; an ended vendor's contract ran out a few weeks ago."""
    if status == VendorStatus.ENDED.value:
        months = (today.year - start.year) * 12 + today.month - start.month - 2
        return ContractTerms(start, max(1, months), Renewal.NONE, notice_days=60, lead_days=30)
    return ContractTerms(
        start,
        rng.choice((12, 24)),
        (Renewal.AUTOMATIC, Renewal.AUTOMATIC, Renewal.MANUAL, Renewal.AUTOMATIC)[index % 4],
        renewal_months=12,
        notice_days=rng.choice((60, 90)),
        window_earliest_days=180 if index % 5 == 0 else None,
        lead_days=30,
    )


def _terms_dict(terms: ContractTerms) -> dict[str, object]:
    return {
        "initial_months": terms.initial_months,
        "renewal": terms.renewal.value,
        "renewal_months": terms.renewal_months,
        "notice_days": terms.notice_days,
        "window_earliest_days": terms.window_earliest_days,
        "window_latest_days": terms.window_latest_days,
        "lead_days": terms.lead_days,
    }


def _notice_day(terms: ContractTerms, today: date) -> date:
    """When an exiting or ended vendor was given notice: a few days before the last notice
    day when that was still ahead a week ago, else a week ago (too late for this term)."""
    number = clock(terms, today).term_number if terms.renewal is Renewal.AUTOMATIC else 1
    last = terms.last_notice_day(number)
    day = min(last - timedelta(days=5), today - timedelta(days=7))
    return max(terms.start, day)


def _with_vendor_facts(playbook: Playbook, run: Run, draft: VendorDraft, notice: str) -> None:
    """A sample answer that states a vendor fact says what the vendor record says."""
    record = {**vars(draft), "notice_given": notice}
    for step in playbook.steps:
        for question in step.questions:
            field = facts.vendor_field(question)
            if field and question.id in run.answers:
                value = record.get(field) or None
                if value is None:
                    run.answers.pop(question.id)
                else:
                    run.answers[question.id] = value


def build_sample(library: Library, count: int, years: int, seed: int, today: date) -> Sample:
    """A sample portfolio; the same seed gives the same portfolio.

    It agrees with itself as a user's records would: contract end dates are the end of the
    first term, candidates have no contract yet, an ended vendor's contract, reviews and
    action items stop at its end, and answers that state a fact say what the record says.
    """
    rng = random.Random(seed)
    terms_rng = random.Random(seed + 1)
    maker = _Maker(library, rng, today)
    entries: list[tuple[VendorDraft, list[Run]]] = []
    contracts: dict[str, dict[str, object]] = {}
    notices: dict[str, str] = {}
    get = library.get
    for index, plan in enumerate(_plans(count, years, rng, today)):
        candidate = plan.status == VendorStatus.CANDIDATE.value
        if plan.status == VendorStatus.ONBOARDING.value:
            plan.start = today - timedelta(days=45)  # a vendor being onboarded started lately
        terms = None if candidate else _terms(index, plan.status, plan.start, today, terms_rng)
        notice = ""
        if terms is not None:
            contracts[plan.name] = _terms_dict(terms)
            if plan.status in (VendorStatus.EXITING.value, VendorStatus.ENDED.value):
                notice = _notice_day(terms, today).isoformat()
                notices[plan.name] = notice
            if plan.status == VendorStatus.ENDED.value:
                # No review for a period after the contract's end.
                plan.reviewed_until = min(plan.reviewed_until, quarter_of(terms.term_end(1)))
        draft = VendorDraft(
            name=plan.name,
            service=plan.service,
            status=plan.status,
            timezone=rng.choice(ZONES),
            contract_start="" if candidate else plan.start.isoformat(),
            contract_end="" if terms is None else terms.term_end(1).isoformat(),
            contact=rng.choice(CONTACTS),
        )
        runs: list[Run] = []
        if plan.status == VendorStatus.CANDIDATE.value:
            selection = get("partner-selection")
            if selection is not None:
                bias = rng.choice((-1, 0, 1))
                ratings = {
                    q.id: max(RATING_MIN, min(RATING_MAX, rng.randint(2, 5) + bias))
                    for q in selection.scored_questions()
                }
                runs.append(
                    maker.run(selection, plan.name, today - timedelta(days=10), overrides=ratings)
                )
            entries.append((draft, runs))
            continue
        setup_day = plan.start + timedelta(days=14)
        for playbook_id in ("objectives", "communication", "cultural-fit"):
            playbook = get(playbook_id)
            if playbook is not None:
                runs.append(maker.run(playbook, plan.name, setup_day))
        sla = get("sla-kpis")
        kpi_rows = _kpi_rows(plan.service)
        money = SlaTerms()
        if sla is not None:
            table = sla.fed_tables("kpi-targets")[0].id
            measured = (
                {"measurement": _measurement_rows(kpi_rows)}
                if "measurement" in sla.questions_by_id
                else {}
            )
            sla_run = maker.run(sla, plan.name, setup_day, overrides={table: kpi_rows, **measured})
            runs.append(sla_run)
            money = _sla_terms(sla, sla_run)
            if money.monthly_fee is not None:
                # The year's budget covers the fee agreed, with a tenth to spare.
                for run in runs:
                    if "annual_budget" in run.answers:
                        run.answers["annual_budget"] = int(round(13.2 * money.monthly_fee, -3))
        onboarding = get("onboarding")
        if onboarding is not None:
            if plan.status == VendorStatus.ONBOARDING.value:
                runs.append(maker.run(onboarding, plan.name, today, complete=False, upto_step=3))
                entries.append((draft, runs))
                continue
            runs.append(maker.run(onboarding, plan.name, setup_day + timedelta(days=60)))
        review = get("quarterly-review")
        if review is not None:
            ended = plan.status == VendorStatus.ENDED.value
            runs.extend(
                _reviews(maker, review, plan, kpi_rows, money, rng, today, settle_all=ended)
            )
        exit_playbook = get("exit-transition")
        if exit_playbook is not None and plan.status in ("exiting", "ended"):
            runs.append(
                maker.run(
                    exit_playbook,
                    plan.name,
                    today - timedelta(days=20),
                    complete=plan.status == "ended",
                    upto_step=None if plan.status == "ended" else 3,
                )
            )
        entries.append((draft, runs))
    for draft, runs in entries:
        for run in runs:
            playbook = get(run.playbook_id)
            if playbook is not None:
                _with_vendor_facts(playbook, run, draft, notices.get(draft.name, ""))
    return Sample(entries, contracts, notices)


def build_portfolio(
    library: Library, count: int, years: int, seed: int, today: date
) -> list[tuple[VendorDraft, list[Run]]]:
    """The vendors and runs of a sample portfolio; the same seed gives the same portfolio."""
    return build_sample(library, count, years, seed, today).entries


def _reviews(
    maker: _Maker,
    review: Playbook,
    plan: _Plan,
    kpi_rows: list[dict[str, Cell]],
    money: SlaTerms,
    rng: random.Random,
    today: date,
    *,
    settle_all: bool = False,
) -> list[Run]:
    specs = KPI_BANK[plan.service]
    targets = [
        KpiTarget(
            kpi=str(r["kpi"]),
            target=_number(r["target"]),
            direction=str(r["direction"]),
            weight=_number(r["weight"]),
            unit=str(r["unit"]),
            credit=_number(r["credit"]),
            bonus=_number(r["bonus"]),
            critical=r.get("critical") is True,
        )
        for r in kpi_rows
    ]
    first = quarter_of(plan.start + timedelta(days=90))
    periods = []
    period = first
    while period_bounds(period)[0] <= period_bounds(plan.reviewed_until)[0]:
        periods.append(period)
        period = next_period(period)
    results_id = review.fed_tables("kpi-actuals")[0].id
    actions_id = review.fed_tables("action-items")[0].id
    scored = review.scored_questions()
    runs: list[Run] = []
    open_items: list[dict[str, Cell]] = []
    for step, period in enumerate(periods):
        _, end = period_bounds(period)
        day = min(end + timedelta(days=rng.randrange(5, 25)), today - timedelta(days=1))
        results: list[dict[str, Cell]] = [
            {"kpi": spec[0], "actual": _actual(spec, plan.trend, step, len(periods), rng)}
            for spec in specs
        ]
        if rng.random() < 0.1:
            del results[rng.randrange(len(results))]["actual"]  # a figure nobody had
        level = {
            "up": 2 + 3 * step / max(1, len(periods)),
            "down": 5 - 3 * step / max(1, len(periods)),
            "flat": 3.5,
        }[plan.trend]
        ratings = {
            q.id: max(RATING_MIN, min(RATING_MAX, round(level + rng.uniform(-0.7, 0.7))))
            for q in scored
        }
        carried: list[dict[str, Cell]] = []
        for item in open_items:
            status = rng.choice(("Done", "Done", "In progress", "Dropped"))
            carried.append({**item, "status": status})
        new: list[dict[str, Cell]] = []
        for _ in range(rng.randint(1, 3)):
            due = day + timedelta(days=rng.randrange(20, 80))
            new.append(
                {
                    "action": rng.choice(ACTIONS),
                    "owner": rng.choice(OWNERS + (plan.name,)),
                    "due": due.isoformat(),
                    "status": "Open",
                }
            )
        rows = carried + new
        if settle_all and step == len(periods) - 1:
            # The last review before the end settles every action item.
            rows = [{**row, "status": "Done"} for row in rows]
        open_items = [r for r in rows if r["status"] in ("Open", "In progress")]
        overrides: dict[str, Answer] = {
            results_id: results,
            actions_id: rows,
            **ratings,
        }
        run = maker.run(review, plan.name, day, overrides=overrides, period=period)
        previous = runs[-1].snapshot if runs else None
        card = compute_scorecard(
            period,
            review,
            run,
            targets,
            Thresholds(),
            money,
            Scorecard.from_dict(previous) if previous else None,
        )
        run.snapshot = card.to_dict()
        fee = money.monthly_fee
        if fee is not None:
            # What the quarter cost agrees with the SLA's fee and this period's credits, and
            # the alternative priced is a little dearer: no draw, so the seed's rest stays.
            credits = card.credit_amount or 0.0
            costs = {"quarter_cost": round(3 * fee - credits), "alternative_cost": round(3.6 * fee)}
            run.answers.update({k: v for k, v in costs.items() if k in run.answers})
        runs.append(run)
    return runs


def write_demo(
    store: Store, library: Library, *, vendors: int, years: int, seed: int, today: date
) -> int:
    """Write a sample portfolio into an empty data directory; returns how many vendors."""
    ours = {".lock", "index.json", "settings.toml", "playbooks", "summaries.json"}

    def empty_folder(path: Path) -> bool:
        return path.is_dir() and not any(path.iterdir())

    leftovers = (
        [p for p in store.data_dir.iterdir() if p.name not in ours and not empty_folder(p)]
        if store.data_dir.exists()
        else []
    )
    if leftovers or store.list_vendors():
        raise UserError(
            f"{store.data_dir} is not empty: the sample portfolio goes into an empty directory"
        )
    if not 1 <= vendors <= 5000 or not 1 <= years <= 50:
        raise UserError("--vendors must be from 1 to 5000 and --years from 1 to 50")
    sample = build_sample(library, vendors, years, seed, today)
    store.import_portfolio(sample.entries, sample.contracts, sample.notices)
    return len(sample.entries)
