"""SMART goal analysis: which of specific, measurable and time-bound a written goal shows.

The analysis runs on every keystroke, so it is regular expressions and a few small word
lists, compiled once at import, and it never raises. Each verdict quotes the words that
decided it, so a user can see why and disagree. Achievable and relevant depend on facts the
text cannot hold (the partner's capacity, the business objective), so they are always left
for the user to judge.

No list of subjects decides what counts: the goal is split into words, numbers and dates,
and read with a few rules of English word order. The thing a goal names is the noun phrase
after its
verb ("Recruit *30 new volunteers*", "Cut *fuel use* by 10%"), or before its verb in a
sentence ("*Steel sales* will go up"). It names an outcome unless that phrase ends in an
abstract word (quality, performance, efficiency...), names only the people involved
(vendor, team, customers) or an activity (bookkeeping, marketing). A number measures that
outcome when it is tied to it: it counts the phrase that follows ("500 trees", "98% of our
members", "$100K revenue"), or sets a level for the phrase before it ("fuel use by 10%",
"the backlog from 1,200 to 300"). Dates, labels ("tier 2", "version 3") and numbers that
describe ("our 3 vendors") measure nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound")

# A number and the phrase it measures must sit this close (in words) to count as a target;
# further apart they are usually two unrelated facts in one long sentence.
TIE_WORDS = 8
PHRASE_WORDS = 12  # a noun phrase longer than this is a list, not one thing
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


_FLAGS = re.IGNORECASE

# Words quoted back when a goal names nothing else.
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
_SEASON = r"(?:spring|summer|autumn|fall|winter)"
_HOLIDAY = (
    r"(?:christmas|xmas|easter|thanksgiving|halloween|diwali|ramadan|eid|hanukkah|"
    r"new\s+year(?:'s)?(?:\s+(?:day|eve))?|black\s+friday|"
    r"(?:memorial|labou?r|independence|valentine'?s|boxing|st\.?\s+patrick'?s)\s+day)"
)
_YEAR = r"(?:19|20|21)[0-9]{2}(?![0-9])"
_ORDINAL = r"(?:first|second|third|fourth|last|final|1st|2nd|3rd|4th)"
_PERIOD = r"(?:year|quarter|month|week|sprint|day)"
# Longer spans that end on a known day: "this Parliament", "the end of the school year".
_TERM = (
    r"(?:term|semester|trimester|decade|season|parliament|(?:school|academic)\s+year|"
    r"administration|mandate)"
)
_NUMBER_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand|million|billion)"
)
_COUNT = rf"(?:[0-9]+|{_NUMBER_WORD}|a\s+few|a\s+couple\s+of)"
_PREP = (
    r"(?:by|before|until|till|til|no\s+later\s+than|not\s+later\s+than|in|during|through|"
    r"throughout|for|within|on|at|over|ahead\s+of|prior\s+to)"
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
    rf"{_SEASON},?\s+{_YEAR}",
    rf"\bq[1-4]\s*[-/]?\s*(?:{_YEAR}|'?[0-9]{{2}}\b)",
    rf"{_YEAR}\s*-?\s*[qh][1-4]\b",
    rf"\bh[12]\s*-?\s*{_YEAR}",
    rf"{_ORDINAL}\s+(?:quarter|half)(?:\s+of\s+(?:{_YEAR}|(?:the|this|next)\s+year))?",
    rf"(?:this|next|the\s+coming|the\s+current|the\s+following)\s+"
    rf"(?:(?:financial|fiscal|calendar|tax)\s+)?(?:{_PERIOD}|{_TERM}|{_SEASON})\b",
    rf"(?:end|close)\s+of\s+(?:the\s+)?(?:(?:this|next|current|coming)\s+)?"
    rf"(?:(?:financial|fiscal|calendar|tax)\s+)?(?:{_PERIOD}|{_TERM})\b",
    rf"(?:{_PREP}|over|inside|next)\s+(?:the\s+)?(?:(?:next|coming|first|following)\s+)?"
    rf"{_COUNT}\s+(?:calendar\s+)?(?:days|weeks|months|years|quarters|sprints|decades|"
    r"day|week|month|year|quarter|sprint)\b(?:'?s?\s+time)?"
    r"(?!\s+of\s+(?:each|every|the\s+month|month))",
    rf"(?:in|within|during|over)\s+(?:the|its|their|our|my|his|her)\s+(?:first|opening)\s+"
    rf"(?:{_PERIOD}|{_TERM}|{_SEASON})\b",
    # "within a month" sets an end; "500 orders in a day" is a rate, so only these two.
    rf"(?:within|inside)\s+an?\s+(?:{_PERIOD}|decade)\b",
    rf"(?:next|this)\s+(?:{_WEEKDAY}|{_MONTH})\b",
    rf"from\s+{_YEAR}\s+(?:to|until|through)\s+{_YEAR}",
    r"(?:by|before|until|till)\s+(?:tomorrow|tonight|eod|eow|eom|eoq|eoy|"
    r"close\s+of\s+business|cob)\b",
)
# Words that are a deadline only after "by", "in", "end of" and the like: "in 2027" is a
# deadline, "our 2027 strategy" is not; "by May" is a month, "we may" is not; "before the
# rainy season" and "by Easter" end on a day everyone knows, "fall sharply" does not.
# A season or holiday that ends its phrase; "the spring concert" is an event, not a date.
_PHRASE_ENDS = (
    r"(?![\w-]|\s+(?!(?:of|and|or|to|in|at|by|for|with|from|when|so|the|this|next|we|i|"
    r"our|is|will)\b)[^\W\d_])"
)
_ANCHORED = (
    _YEAR,
    rf"{_MONTH}\b",
    r"fy\s*'?[0-9]{2}(?:[0-9]{2})?\b",
    r"[qh][1-4]\b",
    r"(?:year|quarter|month)[\s-]end\b",
    rf"{_WEEKDAY}\b",
    rf"{_SEASON}(?:\s+(?:term|semester|break|holidays?))?{_PHRASE_ENDS}",
    rf"(?:[^\W\d_]+[\s-])?season{_PHRASE_ENDS}",
    rf"{_HOLIDAY}{_PHRASE_ENDS}",
    r"(?:19|20)[0-9]0s\b",
)
_DEADLINE = re.compile(
    rf"(?<![\w-])(?:{_LEAD}(?:{'|'.join(_STANDALONE)})|{_ANCHOR}(?:{'|'.join(_ANCHORED)}))",
    _FLAGS,
)
_RECURRING = re.compile(
    rf"\b(?:(?:every|each|per)\s+(?:(?:working|business|calendar)\s+)?"
    rf"(?:{_PERIOD}|{_TERM}|fortnight|release|cycle|{_WEEKDAY}|{_SEASON})|"
    rf"(?<!by\s)an?\s+(?:(?:working|business|calendar)\s+)?{_PERIOD}|"
    rf"every\s+{_COUNT}\s+{_PERIOD}s?|"
    rf"{_PERIOD}\s+(?:over|on)\s+{_PERIOD}|yoy|qoq|"
    r"daily|weekly|fortnightly|monthly|quarterly|annually|yearly|bi-?weekly|bi-?monthly)\b",
    _FLAGS,
)
_FUZZY_TIME = re.compile(
    r"\b(?:asap|as\s+soon\s+as\s+possible|as\s+quickly\s+as\s+possible|soon|eventually|"
    r"at\s+some\s+point|in\s+due\s+course|going\s+forward|ongoing|over\s+time|"
    r"in\s+the\s+future|someday|one\s+day)\b",
    _FLAGS,
)
# "Process every refund within 5 days": a limit for each one, not a deadline for the goal.
_WINDOW_START = re.compile(r"(?:within|inside|in)\s+(?!the\s+(?:next|coming|following)\b)", _FLAGS)
_EACH = re.compile(r"\b(?:every|each|all|any)\b", _FLAGS)
_BARE_YEAR = re.compile(rf"(?<![\w.,/-]){_YEAR}(?![\w%])", _FLAGS)

# --- quantities ---------------------------------------------------------------------------

_NUM = r"[0-9]+(?:[.,][0-9]+)*"
_CURRENCY = r"(?:[$€£¥₹]|(?:usd|eur|gbp|chf|aud|cad|inr)\s?)"
_BIG = r"(?:\s?(?:k|m|mn|bn|thousand|million|billion)\b)"
_UNIT = (
    r"\s?(?:%|percent|per\s?cent|percentage\s+points?|pp|k|m|mn|bn|thousand|million|billion|"
    r"x|h|hrs?|hours?|mins?|minutes?|s|secs?|seconds?|ms|"
    r"(?:working\s+|business\s+|calendar\s+)?days?|weeks?|months?|years?|"
    r"points?|pts|usd|eur|gbp|€|£)"
)
_QTY = rf"(?<![\w.,/-])(?:{_CURRENCY}{_NUM}{_BIG}?|{_NUM}(?:{_UNIT})?)(?![\w/])"
_QUANTITY = re.compile(
    rf"{_QTY}|\b(?:(?:an?|one|two|three|four)\s+(?:thirds?|quarters?|fifths?|tenths?)|{_NUMBER_WORD}(?:[\s-]+{_NUMBER_WORD})*(?:\s?%)?|"
    r"half|halve[sd]?|double[sd]?|triple[sd]?|twice)\b",
    _FLAGS,
)
_HAS_CURRENCY = re.compile(rf"^{_CURRENCY}|(?:usd|eur|gbp|€|£)$", _FLAGS)
_FROM_TO = re.compile(rf"\bfrom\s+{_QTY}\s+(?:down\s+|up\s+)?to\s+{_QTY}", _FLAGS)
# Numbers that name a thing rather than count it: "version 2", "tier 2", "top 5", "grade 4".
_LABEL_BEFORE = re.compile(
    r"(?:\b(?:version|v|phase|tier|level|step|stage|wave|sev|severity|priority|top|release|"
    r"gen|number|no\.?|grade|year|class|room|floor|building|gate|ward|route|lane|zone|"
    r"round|part|chapter|section|page|item|question|line|lines|site|unit)|#)\s*$",
    _FLAGS,
)
_YEAR_ONLY = re.compile(rf"{_YEAR}$")
# Which kind of example number fits the metric the goal names.
_TIME_METRIC = re.compile(r"time|aht|mttr|mtta|latency|speed|wait|delay|duration", _FLAGS)
_RATE_METRIC = re.compile(
    r"rate|ratio|score|csat|nps|ces|satisf|accura|coverage|uptime|availab|churn|retention|"
    r"percent|ctr|conversion|utili|occupancy|adherence|level|otif|on.time|roi|margin|share",
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


# --- words --------------------------------------------------------------------------------
# Small closed classes of English, not a vocabulary of subjects: anything not listed here is
# read as a word that can name a thing.


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_DETERMINERS = _words(
    "the a an our their its my your his her this that these those all both each every some "
    "any no another other such whose"
)
_DISTRIBUTIVE = _words("every each any")
_PREPOSITIONS = _words(
    "of in on at to for with by from into onto across through throughout within over under "
    "below above between per about via among after before during until till than as like "
    "without around against toward towards beyond versus vs including upon inside outside "
    "near off out up down back along past since despite except plus minus"
)
_PARTICLES = _words("up down out off over back away in on into")
_CLAUSE_WORDS = _words(
    "and or but nor so yet then while whether if because although though unless whereas "
    "when where once that which who whom what how why"
)
_PRONOUNS = _words(
    "we i you they it us me them he she him one everyone everybody someone anyone nobody "
    "ourselves itself themselves myself yourself yourselves we'll i'll you'll they'll "
    "we're you're they're i'm we've i've it's"
)
_MODALS = _words(
    "will would shall should can could may might must 'll we'll i'll you'll they'll it'll"
)
_AUXILIARIES = _words(
    "be is are was were been being am do does did have has had not never also just only even "
    "still very too really always already least most more less fewer much many few several "
    "able going sure"
)
# Comparatives that say which way a measure should move, and those that only praise.
_DIRECTED = _words(
    "faster quicker cheaper shorter lower higher smaller bigger larger fewer less sooner "
    "earlier safer cleaner leaner lighter"
)
_PRAISE = _words(
    "better best worse greater stronger smarter nicer easier happier healthier great good "
    "excellent outstanding superb amazing awesome world-class best-in-class top-notch "
    "seamless smooth smoothly"
)
# Nouns that name no outcome: what to improve is still open after reading them.
_ABSTRACT = _words(
    "quality performance efficiency efficiencies effectiveness productivity experience "
    "experiences communication communications relationship relationships collaboration "
    "cooperation teamwork culture business businesses operations process processes thing "
    "things stuff everything anything something synergy synergies alignment service "
    "services results outcomes impact impacts capability capabilities excellence success "
    "growth progress improvement improvements development innovation strategy strategies "
    "integrity reliability presence intelligence skill skills knowledge morale attitude "
    "attitudes mindset behaviour behavior behaviours behaviors image reputation standard "
    "standards expectation expectations goal goals objective objectives target targets "
    "priority priorities need needs promise promises commitment commitments action actions "
    "activity activities initiative initiatives effort efforts opportunity opportunities "
    "issue issues matter matters aspect aspects way ways practice practices approach "
    "approaches work job jobs role roles responsibility responsibilities duty duties "
    "value level levels focus plan vision mission direction transition potential "
    "learning achievement achievements play game journey ability abilities environment "
    "change changes"
)
# Heads that are abstract alone but name a measure once qualified: "order value" is a metric,
# "more value" is not.
_QUALIFIED = _words("value level levels service services")
# The people and bodies involved: naming them says who, not what should change.
_PARTIES = _words(
    "vendor vendors partner partners agency agencies supplier suppliers contractor "
    "contractors provider providers team teams staff employee employees people person "
    "persons customer customers client clients user users member members colleague "
    "colleagues manager managers department departments organisation organisations "
    "organization organizations company companies firm firms public city council "
    "government everyone stakeholder stakeholders player players individual individuals "
    "group groups workforce personnel leadership management"
)
# Words that name a measure, so "improve X" names an outcome when X is one of them.
_MEASURES = _words(
    "rate rates ratio ratios score scores time times cost costs price prices share shares "
    "number numbers count counts percentage percentages proportion proportions amount "
    "amounts volume volumes accuracy coverage availability uptime downtime satisfaction "
    "retention churn turnover attendance speed throughput latency yield yields margin "
    "margins revenue revenues sales profit profits income spend spending output rating "
    "ratings ranking rankings incidence frequency duration length size weight usage "
    "consumption emissions waste total average median index backlog compliance adherence "
    "utilisation utilization occupancy conversion conversions reach traffic visits "
    "footfall balance budget budgets savings value level levels csat nps ces roi oee mttr "
    "mtbf mtta aht fcr otif dso dpo ctr cpa cpl cac ltv arr mrr kpi kpis sla slas"
)
# Nouns ending in -ing that name a thing rather than an activity.
_THINGS_IN_ING = _words(
    "building buildings rating ratings booking bookings listing listings meeting meetings "
    "funding spending pricing earnings ranking rankings housing saving savings opening "
    "openings filing filings billing shipping offering offerings recording recordings "
    "painting paintings clothing packaging signage wiring plumbing lighting seating "
    "parking string"
)
_NOT_ADVERBS = _words(
    "family supply assembly reply rally ally belly jelly bully italy july anomaly monopoly "
    "holly lily fly early only daily weekly monthly quarterly yearly"
)
_NOT_PARTICIPLES = _words("need needs speed feed seed bed red shed hundred embed breed")
# Verbs whose object is not an outcome of its own: "be", "have", "feel"...
_STATE_VERBS = _words("be is are become becomes have has feel seem stay remain need want")
# "Make X better" names nothing; "make deliveries faster" names deliveries.
_MAKE_VERBS = _words("make makes render keep")
# Verbs that say only that something should get better: their object must name a measure.
_VAGUE_VERBS = _words(
    "improve improves enhance enhances optimise optimize optimises optimizes streamline "
    "streamlines strengthen strengthens foster fosters develop develops support promote "
    "encourage advance elevate transform modernise modernize refine prioritise prioritize "
    "address tackle manage handle focus work drive empower enable embrace leverage nurture "
    "cultivate champion facilitate coordinate collaborate learn understand explore consider "
    "discuss examine investigate study deal look talk communicate sort revamp rethink "
    "reinforce boost"
)
# Verbs whose object may be people: to hire staff or grow users is an outcome, to train
# them is not.
_ACQUIRE_VERBS = _words(
    "onboard hire recruit acquire attract win gain sign enrol enroll add find retain welcome "
    "convert bring hold get increase grow raise reduce cut lower decrease double halve triple "
    "expand lose"
)
# Other verbs that open a goal; used to tell "to reduce" from "to the new system".
_VERBS = (
    _STATE_VERBS
    | _MAKE_VERBS
    | _VAGUE_VERBS
    | _ACQUIRE_VERBS
    | _words(
        "increase raise lift grow expand extend reduce cut lower decrease drop shrink minimise "
        "minimize maximise maximize limit cap halve double triple eliminate prevent avoid stop "
        "maintain sustain reach hit achieve attain exceed beat surpass save shorten speed "
        "accelerate slash trim curb lessen contain control stabilise stabilize launch ship "
        "deliver publish release implement install migrate deploy build open complete finish "
        "introduce roll replace digitise digitize automate upgrade plant train create "
        "establish set conduct run host organise organize attend write produce design draft "
        "document update fix resolve answer respond process pay close clear collect send "
        "issue provide offer generate sell buy purchase book schedule kick start begin "
        "restore recover retire move transfer visit call contact survey test audit report "
        "review monitor track measure record certify pass obtain secure allocate invest fund "
        "donate recycle compost construct renovate repair clean inspect distribute serve "
        "treat vaccinate screen educate teach coach mentor lose return turn post share read "
        "submit hand give go come ensure keep prepare continue identify select agree "
        "negotiate renew cancel approve deliver sell move bring help serve reach protect "
        "restore conserve connect lead score place demonstrate show decline fall rise"
    )
)


# Nouns that only say which way a number moves: "a 20% increase in scores".
_CHANGES = _words(
    "increase increases reduction reductions decrease decreases growth improvement "
    "improvements rise drop cut cuts gain gains uplift decline fall"
)
# Words between a number and the phrase before it: "churn from 4% to 2.5%", "at least 90%".
_LINKS = _words(
    "by to from of at below under above over than beyond around about approximately roughly "
    "nearly almost least most within in up down only just no more less fewer exceed exceeds "
    "higher lower"
)


# Words between a number and the phrase it counts: "20 more students", "5 extra shifts".
_COUNT_WORDS = _words("more fewer less additional extra net")


def _verb_base(low: str) -> str:
    """The verb a word is a form of ("ships", "reduced", "reducing"), or ""."""
    if low in _VERBS:
        return low
    candidates: list[str] = []
    if low.endswith("ies") or low.endswith("ied"):
        candidates.append(low[:-3] + "y")
    if low.endswith("es") or low.endswith("ed"):
        candidates += [low[:-2], low[:-1]]
    elif low.endswith("s"):
        candidates.append(low[:-1])
    if low.endswith("ing"):
        stem = low[:-3]
        candidates += [stem, stem + "e", stem[:-1]]
    if low.endswith("ed") and len(low) > 4 and low[-3] == low[-4]:
        candidates.append(low[:-3])
    return next((c for c in candidates if c in _VERBS), "")


def _low(word: str) -> str:
    return word.casefold().replace("’", "'")


def _is_adverb(low: str) -> bool:
    return len(low) > 4 and low.endswith("ly") and low not in _NOT_ADVERBS


def _is_participle(low: str) -> bool:
    return len(low) > 4 and low.endswith("ed") and low not in _NOT_PARTICIPLES


def _is_activity(low: str) -> bool:
    return len(low) > 4 and low.endswith("ing") and low not in _THINGS_IN_ING


def _is_function(low: str) -> bool:
    return (
        low in _DETERMINERS
        or low in _PREPOSITIONS
        or low in _CLAUSE_WORDS
        or low in _PRONOUNS
        or low in _MODALS
        or low in _AUXILIARIES
    )


# --- tokens -------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*(?:-[^\W_]+(?:['’][^\W_]+)*)*|[^\w\s]")
_CLAUSE_MARKS = frozenset(',;:.!?[]{}"“”—–/&')


@dataclass(frozen=True)
class _Token:
    """A word, a clause mark ("punct"), another sign ("mark"), a number ("num") or a date or
    frequency ("time")."""

    kind: str
    start: int
    end: int
    low: str
    money: bool = False


def _tokens(text: str, numbers: list[re.Match[str]], masked: list[Span]) -> list[_Token]:
    """The goal as tokens; numbers and masked spans each become one token."""
    spans: list[tuple[int, int, str, bool]] = [(s, e, "time", False) for s, e in masked]
    starts = [s for s, _ in masked]
    for m in numbers:
        if not _overlaps(m.span(), masked, starts):
            spans.append((m.start(), m.end(), "num", bool(_HAS_CURRENCY.search(m.group()))))
    spans.sort()
    tokens: list[_Token] = []
    position = 0

    def words(upto: int) -> None:
        for w in _TOKEN.finditer(text, position, upto):
            if w.group() in _CLAUSE_MARKS:
                kind = "punct"
            else:
                kind = "word" if w.group()[0].isalnum() else "mark"
            tokens.append(_Token(kind, w.start(), w.end(), _low(w.group())))

    for start, end, kind, money in spans:
        if start < position:
            continue
        words(start)
        tokens.append(_Token(kind, start, end, _low(text[start:end]), money))
        position = end
    words(len(text))
    return tokens


def _is_content(token: _Token) -> bool:
    """A word that can be part of a noun phrase."""
    low = token.low
    return (
        token.kind == "word"
        and not _is_function(low)
        and low not in _DIRECTED
        and low not in _PRAISE
        and not _is_adverb(low)
    )


@dataclass(frozen=True)
class _Phrase:
    """A noun phrase: tokens ``first`` to ``last`` (inclusive), and the word it is about."""

    first: int
    last: int
    head: str
    qualified: bool

    def text(self, source: str, tokens: list[_Token]) -> str:
        return source[tokens[self.first].start : tokens[self.last].end]

    @property
    def abstract(self) -> bool:
        return self.head in _ABSTRACT and not (self.qualified and self.head in _QUALIFIED)

    @property
    def party(self) -> bool:
        return self.head in _PARTIES

    @property
    def activity(self) -> bool:
        return _is_activity(self.head)

    @property
    def measure(self) -> bool:
        return self.head in _MEASURES and not self.abstract


def _phrase_at(tokens: list[_Token], i: int) -> tuple[_Phrase | None, int]:
    """The noun phrase starting at or after determiners at ``i``, and the index after it.

    A phrase is a run of content words; a date or frequency inside it ("the 2027 marketing
    campaign", "monthly spend") and a participle before a noun ("churned customers") belong
    to it. A verb after a noun ("tickets drop from") ends it.
    """
    n = len(tokens)
    while i < n and tokens[i].kind == "word" and tokens[i].low in _DETERMINERS:
        i += 1
    first = i
    last = -1
    while i < n and i - first < PHRASE_WORDS:
        token = tokens[i]
        following = tokens[i + 1] if i + 1 < n else None
        if token.kind == "time" or (token.kind == "num" and _YEAR_ONLY.match(token.low)):
            if following is not None and _is_content(following):
                i += 1
                continue
            break
        if token.low in ("(", ")"):
            i += 1
            continue
        if not _is_content(token):
            break
        low = token.low
        if _is_participle(low) and not (following is not None and _is_content(following)):
            break
        if (
            last >= 0
            and low in _VERBS
            and not low.endswith("s")
            and tokens[last].low.endswith("s")
            and (following is None or following.kind != "word" or not _is_content(following))
        ) or (last >= 0 and low in _VERBS and tokens[last].low in _PARTIES):
            break  # "tickets drop from", "all staff complete the course"
        if (
            last >= 0
            and low.endswith("s")
            and _verb_base(low)
            and not tokens[last].low.endswith("s")
            and following is not None
            and following.low in _DETERMINERS
        ):
            break  # "every order ships the same day"
        last = i
        i += 1
    if last < 0:
        return None, i
    content = [t.low for t in tokens[first : last + 1] if t.kind == "word"]
    head = content[-1] if content else tokens[last].low
    phrase = _Phrase(first, last, head, len(content) > 1)
    # "the number of invoices", "the incidence of falls": the measure is of the next phrase.
    if phrase.measure and last + 1 < n and tokens[last + 1].low == "of":
        inner, after = _phrase_at(tokens, last + 2)
        if inner is not None and not inner.abstract:
            return _Phrase(first, inner.last, inner.head, True), after
    return phrase, last + 1


# --- reading the goal -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Clause:
    """Token indexes of one clause: from ``start`` up to (not including) ``end``."""

    start: int
    end: int


def _clauses(tokens: list[_Token]) -> list[_Clause]:
    """Split at punctuation, at "and", "so", "that"..., and after "ensure" or "make sure"."""
    clauses: list[_Clause] = []
    start = 0
    for i, token in enumerate(tokens):
        if token.kind == "punct" or (
            token.kind == "word" and token.low in _CLAUSE_WORDS and token.low not in ("or",)
        ):
            if i > start:
                clauses.append(_Clause(start, i))
            start = i + 1
        elif token.kind == "word" and (
            token.low in ("ensure", "ensures", "ensuring")
            or (token.low == "sure" and i > 0 and _verb_base(tokens[i - 1].low) == "make")
        ):
            # "Make sure every order ships": what follows is a clause of its own.
            if i > start:
                clauses.append(_Clause(start, i + 1))
            start = i + 1
    if start < len(tokens):
        clauses.append(_Clause(start, len(tokens)))
    return clauses


def _verb_slots(tokens: list[_Token], clause: _Clause, opening: bool) -> list[int]:
    """Where a verb stands in the clause: first word, after "to" or a modal, or a gerund.

    A goal usually opens with its verb, so any first word of the ``opening`` clause that is
    not a noun phrase's subject counts; later clauses need a verb everyone knows.
    """
    slots: list[int] = []
    i = clause.start
    # Skip a leading date or frequency: "By 2027,", "Every month,".
    while i < clause.end and tokens[i].kind == "time":
        i += 1
    if i < clause.end and tokens[i].kind == "word":
        first = tokens[i]
        nxt = tokens[i + 1] if i + 1 < clause.end else None
        subject = _subject_end(tokens, i, clause.end)
        if subject is None and (
            first.low in _VERBS or _is_activity(first.low) or (opening and _is_content(first))
        ):
            slots.append(i)
        elif subject is not None:
            slots.append(subject)  # "all staff complete the training"
        elif nxt is not None and first.low in _PRONOUNS and _verb_base(nxt.low):
            slots.append(i + 1)
    for j in range(clause.start, clause.end - 1):
        token, nxt = tokens[j], tokens[j + 1]
        if token.kind != "word" or nxt.kind != "word":
            continue
        if token.low in _MODALS or (token.low == "to" and nxt.low in _VERBS):
            k = j + 1
            while k < clause.end and tokens[k].kind == "word" and tokens[k].low in _AUXILIARIES:
                k += 1
            if k < clause.end and tokens[k].kind == "word":
                slots.append(k)
        elif (
            token.low in _PREPOSITIONS
            and _is_activity(nxt.low)
            and j + 2 < clause.end
            and tokens[j + 2].kind == "word"
            and (tokens[j + 2].low in _DETERMINERS or _is_content(tokens[j + 2]))
        ):
            slots.append(j + 1)  # "by reducing the error rate", "at answering tickets"
        elif token.low in ("and", "or") and _verb_base(nxt.low):
            slots.append(j + 1)
    return sorted(set(slots))


def _subject_end(tokens: list[_Token], i: int, end: int) -> int | None:
    """If the clause opens with a noun phrase followed by a modal or a verb, where it ends."""
    phrase, after = _phrase_at(tokens, i)
    if phrase is None or after >= end:
        return None
    nxt = tokens[after]
    if nxt.kind != "word":
        return None
    if nxt.low in _MODALS or nxt.low in ("is", "are", "was", "were"):
        return after
    base = _verb_base(nxt.low)
    if base and (phrase.last > phrase.first or phrase.first > i or base != nxt.low):
        return after
    return None


@dataclass
class _Reading:
    """What the goal names: its outcomes, and each number with the phrase it measures."""

    outcomes: list[_Phrase]
    tied: list[tuple[_Token, _Phrase | None]]
    loose: list[_Token]
    dates: list[_Token]


def _object(tokens: list[_Token], verb: int, end: int) -> _Phrase | None:
    """The noun phrase right after a verb, past a particle ("hand over the code")."""
    i = verb + 1
    if i < end and tokens[i].kind == "word" and tokens[i].low in _PARTICLES:
        i += 1
    if i < end and tokens[i].kind == "word" and tokens[i].low in ("more", "fewer", "less"):
        i += 1
    if i >= end or tokens[i].kind in ("punct", "num"):
        return None
    phrase, _ = _phrase_at(tokens, i)
    if phrase is not None and phrase.last < end:
        return phrase
    return None


def _outcome_of(tokens: list[_Token], verb: int, end: int) -> _Phrase | None:
    """The outcome a verb names, if any (see the module docstring)."""
    low = _verb_base(tokens[verb].low) or tokens[verb].low
    phrase = _object(tokens, verb, end)
    if phrase is None or low in _STATE_VERBS or phrase.abstract:
        return None
    counted = tokens[verb + 1].low in ("more", "fewer", "less") if verb + 1 < end else False
    if low in _MAKE_VERBS:
        after = phrase.last + 1
        complement = tokens[after].low if after < end else ""
        if complement not in _DIRECTED:
            return None
    if low in _VAGUE_VERBS and not phrase.measure:
        return None
    if phrase.party and not (counted or low in _ACQUIRE_VERBS):
        return None
    if phrase.activity and phrase.qualified and low not in _VAGUE_VERBS:
        return phrase  # "complete the GDPR training", "kick off the onboarding programme"
    if phrase.activity:
        # "complete training for CPR certification": the activity's subject is the outcome.
        after = phrase.last + 1
        if after + 1 < end and tokens[after].low in ("for", "on", "in", "of"):
            inner, _ = _phrase_at(tokens, after + 1)
            if inner is not None and not (inner.abstract or inner.party or inner.activity):
                return inner
        return None
    return phrase


def _after_number(tokens: list[_Token], q: int, end: int) -> _Phrase | None:
    """The phrase a number counts: "500 trees", "98% of our members", "20% increase in X"."""
    i = q + 1
    while i < end and tokens[i].kind == "time" and i + 1 < end:
        i += 1  # "45 minutes per week of admin time"
    if i < end and tokens[i].kind == "word" and tokens[i].low in _COUNT_WORDS:
        i += 1
    if i >= end or tokens[i].kind != "word":
        return None
    link = tokens[i].low
    if link in ("of", "in", "on"):
        if i + 1 < end and tokens[i + 1].low in _DISTRIBUTIVE:
            return None
        phrase, _ = _phrase_at(tokens, i + 1)
    else:
        phrase, after = _phrase_at(tokens, i)
        if phrase is not None and phrase.head in _CHANGES:
            # "a 20% increase in satisfaction scores", "5% market share growth"
            if phrase.last > phrase.first:
                words = [t for t in tokens[phrase.first : phrase.last] if t.kind == "word"]
                return _Phrase(phrase.first, phrase.last - 1, words[-1].low, True)
            if after + 1 < end and tokens[after].low in ("in", "of"):
                phrase, _ = _phrase_at(tokens, after + 1)
            else:
                return None
    if phrase is None or phrase.last >= end or phrase.abstract:
        return None
    return phrase


def _before_number(
    tokens: list[_Token], q: int, clause: _Clause, slots: list[int]
) -> _Phrase | None:
    """The phrase a number sets a level for: "fuel use by 10%", "churn from 4% to 2.5%"."""
    i = q - 1
    linked = False
    while i >= clause.start and tokens[i].kind == "word" and tokens[i].low in _LINKS:
        linked = True
        i -= 1
    if i < clause.start:
        return None
    if not linked and not (tokens[i].kind == "word" and _is_content(tokens[i])):
        return None
    if q - i > TIE_WORDS + 4:
        return None
    verbs = [v for v in slots if v < i + 1]
    if verbs:
        verb = verbs[-1]
        if q - verb <= TIE_WORDS + 4:
            phrase = _object(tokens, verb, q)
            if phrase is None:
                j = verb + 1
                while j < q and not (tokens[j].kind == "word" and _is_content(tokens[j])):
                    j += 1
                phrase, _ = _phrase_at(tokens, j) if j < q else (None, j)
            if phrase is None and verb > clause.start:
                phrase, _ = _phrase_at(tokens, clause.start)  # "visitor numbers should rise by 8%"
                if phrase is not None and phrase.last >= verb:
                    phrase = None
            if phrase is not None and phrase.last < q:
                return None if phrase.abstract else phrase
            return None
    j = max(clause.start, q - TIE_WORDS - 4)
    while j < q and not (tokens[j].kind == "word" and _is_content(tokens[j])):
        j += 1
    if j >= q:
        return None
    phrase, _ = _phrase_at(tokens, j)
    if phrase is None or phrase.last >= q or phrase.abstract:
        return None
    return phrase


def _describes(tokens: list[_Token], q: int) -> bool:
    """ "our 3 vendors", "the 4 warehouses": a number that says what there is, not a target."""
    token = tokens[q]
    if "%" in token.low or "percent" in token.low:
        return False
    before = tokens[q - 1] if q > 0 else None
    return (
        before is not None
        and before.kind == "word"
        and before.low
        in (_DETERMINERS - _DISTRIBUTIVE - {"a", "an", "no", "all", "some", "another", "other"})
    )


def _names(text: str, tokens: list[_Token], q: int) -> bool:
    """ "ISO 27001", "Windows 11": a bare number after a name is part of the name."""
    token = tokens[q]
    if q < 2 or not token.low.isdigit() or text.isupper():
        return False
    before = tokens[q - 1]
    return (
        before.kind == "word"
        and text[before.start].isupper()
        and _is_content(before)
        and before.end < token.start
    )


def _read(text: str, tokens: list[_Token]) -> _Reading:
    reading = _Reading([], [], [], [])
    for number, clause in enumerate(_clauses(tokens)):
        slots = _verb_slots(tokens, clause, opening=number == 0)
        for verb in slots:
            phrase = _outcome_of(tokens, verb, clause.end)
            if phrase is not None:
                reading.outcomes.append(phrase)
        phrase = _subject(tokens, clause, slots, opening=number == 0)
        if phrase is not None:
            reading.outcomes.append(phrase)
        for q in range(clause.start, clause.end):
            token = tokens[q]
            if token.kind != "num":
                continue
            if _YEAR_ONLY.match(token.low) or _LABEL_BEFORE.search(
                text, max(0, token.start - 12), token.start
            ):
                reading.dates.append(token)
                continue
            if _describes(tokens, q) or _names(text, tokens, q):
                continue
            phrase = _after_number(tokens, q, clause.end) or _before_number(
                tokens, q, clause, slots
            )
            if phrase is not None or token.money:
                reading.tied.append((token, phrase))
            else:
                reading.loose.append(token)
    return reading


def _subject(
    tokens: list[_Token], clause: _Clause, slots: list[int], opening: bool
) -> _Phrase | None:
    """The outcome a clause names before its verb ("Steel sales will go up"), or a goal
    with no verb names ("95% SLA compliance", "Fewer mistakes in the reconciliations")."""
    i = clause.start
    while i < clause.end and tokens[i].kind in ("time", "num", "mark"):
        i += 1
    while (
        i < clause.end
        and tokens[i].kind == "word"
        and (tokens[i].low in _DIRECTED or tokens[i].low in _PRAISE or tokens[i].low == "more")
    ):
        i += 1
    if i >= clause.end or (slots and slots[0] <= i):
        return None
    phrase, after = _phrase_at(tokens, i)
    if phrase is None or phrase.last >= clause.end:
        return None
    if phrase.abstract or phrase.party or phrase.activity or _praised(tokens, after, clause.end):
        return None
    if _subject_end(tokens, i, clause.end) is None and not (opening and not slots):
        return None
    return phrase


def _praised(tokens: list[_Token], after: int, end: int) -> bool:
    """ "Version 2 should be better": a subject followed only by praise names no outcome."""
    words = [t.low for t in tokens[after:end] if t.kind == "word"]
    return bool(words) and all(
        w in _MODALS or w in _AUXILIARIES or w in _STATE_VERBS or w in _PRAISE for w in words
    )


# --- the criteria -------------------------------------------------------------------------


def _outcome_texts(text: str, tokens: list[_Token], reading: _Reading) -> tuple[str, ...]:
    pieces = [p.text(text, tokens) for p in reading.outcomes]
    for number, phrase in reading.tied:
        if phrase is not None:
            pieces.append(phrase.text(text, tokens))
        elif number.money:
            pieces.append(text[number.start : number.end])
    return _unique(pieces)


def _specific(
    text: str, tokens: list[_Token], reading: _Reading, words: list[str], deadline: str
) -> Criterion:
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
    outcomes = _outcome_texts(text, tokens, reading)
    if outcomes:
        return Criterion(True, f"Names what should change: {_quotes(outcomes)}.", outcomes)
    vague = _unique((m.group() for m in _VAGUE.finditer(text)), limit=2)
    if vague:
        return Criterion(
            False,
            f"Only vague words such as {_quotes(vague)}; nothing says what will change.",
            vague,
            f"{how} instead of {_quote(vague[-1])}",
        )
    return Criterion(False, "Nothing says what should change or be delivered.", (), how)


def _number_example(outcome: str) -> str:
    if not outcome:
        return EXAMPLE_PERCENT
    if _TIME_METRIC.search(outcome):
        return EXAMPLE_HOURS
    if _RATE_METRIC.search(outcome):
        return EXAMPLE_PERCENT
    return EXAMPLE_COUNT


def _target_text(text: str, tokens: list[_Token], number: _Token, phrase: _Phrase | None) -> str:
    """The number with the phrase it measures, as one quote when they are close together."""
    if phrase is None:
        return text[number.start : number.end]
    first, last = tokens[phrase.first], tokens[phrase.last]
    start, end = min(number.start, first.start), max(number.end, last.end)
    if len(text[start:end].split()) <= TIE_WORDS:
        return text[start:end]
    return text[number.start : number.end]


def _measurable(text: str, tokens: list[_Token], reading: _Reading) -> Criterion:
    if reading.tied:
        measured = _unique(
            phrase.text(text, tokens) for _, phrase in reading.tied if phrase is not None
        )
        from_to = _FROM_TO.search(text)
        if from_to and any(
            from_to.start() <= number.start < from_to.end() for number, _ in reading.tied
        ):
            evidence = (from_to.group(), *measured)
            target = f" for {_quotes(measured)}" if measured else ""
            why = f"Found {_quote(from_to.group())}{target}: a starting point and a target."
        else:
            evidence = _unique(_target_text(text, tokens, n, p) for n, p in reading.tied)
            why = f"Found {_quotes(evidence)}, with no starting value."
        return Criterion(True, why, evidence)

    outcomes = _outcome_texts(text, tokens, reading)
    name_number = (
        f"name a number to reach, such as '{_number_example(outcomes[0] if outcomes else '')}'"
    )
    if reading.loose:
        numbers = _unique((text[t.start : t.end] for t in reading.loose), limit=2)
        return Criterion(
            False,
            f"Found {_quotes(numbers)} but not what it measures.",
            numbers,
            f"say what the number measures, such as '{EXAMPLE_TARGET}'",
        )
    if outcomes:
        return Criterion(
            False,
            f"Names {_quote(outcomes[0])} but no number to reach.",
            (outcomes[0],),
            f"{name_number} for {_quote(outcomes[0])}",
        )
    if reading.dates:
        only = _unique((text[t.start : t.end] for t in reading.dates), limit=2)
        return Criterion(
            False,
            f"Found only {_quotes(only)}, which says when, not how much.",
            only,
            name_number,
        )
    return Criterion(False, "No number or metric found.", (), name_number)


def _windows(text: str, dates: list[Span]) -> tuple[list[Span], list[Span]]:
    """Split found spans into deadlines and limits that apply to each item."""
    deadlines: list[Span] = []
    windows: list[Span] = []
    for start, end in dates:
        clause = max(text.rfind(mark, 0, start) for mark in ",;:.!?") + 1
        each = _EACH.search(text, clause, start)
        if each and _WINDOW_START.match(text, start):
            windows.append((start, end))
        else:
            deadlines.append((start, end))
    return deadlines, windows


_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _dated_wrongly(evidence: tuple[str, ...], today: date | None) -> str:
    """Why a written deadline cannot hold: a day that does not exist, or one gone by."""
    for found in evidence:
        for match in _ISO_DAY.finditer(found):
            try:
                day = date(*(int(part) for part in match.groups()))
            except ValueError:
                return f"{_quote(match.group())} is not a real calendar date."
            if today is not None and day < today:
                return f"{_quote(match.group())} has already passed."
    return ""


def _time_bound(
    text: str, dates: list[Span], windows: list[Span], deadline: str, today: date | None
) -> Criterion:
    suggestion = f"add a deadline such as '{deadline}'"
    if dates:
        evidence = _unique(text[start:end] for start, end in dates)
        wrong = _dated_wrongly(evidence, today)
        if wrong:
            return Criterion(False, wrong, evidence, f"set a date ahead, such as '{deadline}'")
        return Criterion(True, f"Found {_quotes(evidence)}.", evidence)
    if windows:
        window = text[windows[0][0] : windows[0][1]]
        return Criterion(
            False,
            f"{_quote(window)} is a limit for each one, not a deadline for the goal.",
            (window,),
            suggestion,
        )
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

    ``today`` dates the example deadline in suggestions and tells a written day that has
    passed; pass the app's clock for reproducible output. Any string is accepted; nothing
    raises.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    words = _WORD.findall(text)
    dates, windows = _windows(text, _merge(m.span() for m in _DEADLINE.finditer(text)))
    masked = _merge(dates + [m.span() for m in _RECURRING.finditer(text)])
    numbers = list(_QUANTITY.finditer(text))
    tokens = _tokens(text, numbers, masked)
    reading = _read(text, tokens) if len(words) >= 2 else _Reading([], [], [], [])

    deadline = example_deadline(today)
    measurable = _measurable(text, tokens, reading)
    return SmartReport(
        specific=_specific(text, tokens, reading, words, deadline),
        measurable=measurable,
        achievable=_achievable(measurable),
        relevant=_relevant(text),
        time_bound=_time_bound(text, dates, windows, deadline, today),
    )
