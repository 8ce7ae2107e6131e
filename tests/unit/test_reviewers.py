"""Several reviewers: each rates on their own, the scorecard and the comparison take the median.

Every median, spread and score below is worked out by hand in the comments beside it; the
ratings are given through the command line (``answers import --as``), the plain mode and
the settings file, as users would give them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.input import create_pipe_input

from outsource_tui.cli import main
from outsource_tui.domain.library import load_library
from outsource_tui.domain.reviewers import median, spread
from outsource_tui.domain.scoring import Scorecard
from outsource_tui.domain.settings import Settings
from outsource_tui.domain.vendor import VendorDraft
from outsource_tui.errors import StoreError
from outsource_tui.prompts import run_plain
from outsource_tui.store import Store

from .plain_harness import Screen

TODAY = "2026-07-15"  # in 2026-Q3: 2026-Q2 has ended
PERIOD = "2026-Q2"
QUALITY = "Quality of deliverables"
TIMELINESS = "Timeliness: were dates and service levels kept?"
RESPONSIVENESS = "Responsiveness to questions, requests and incidents"
COMMUNICATION = "Communication: clear, honest and early?"

# quality (weight 3), timeliness (2), responsiveness (2), communication (2)
REVIEWS = {
    "Ana": (2, 4, 3, 5),
    "Ben": (5, 4, 3, 3),
    "Cy": (4, 5, 3, 4),
}
# By hand, from the table above:
#   quality         2, 5, 4 -> median 4, spread 3 (flagged)
#   timeliness      4, 4, 5 -> median 4, spread 1 (not flagged)
#   responsiveness  3, 3, 3 -> median 3, spread 0
#   communication   5, 3, 4 -> median 4, spread 2 (flagged: 2 is enough)
# Scores 0-100: 4 -> 75, 3 -> 50. Rating score (3*75 + 2*75 + 2*50 + 2*75) / 9 = 625 / 9.


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTSOURCE_TUI_TODAY", TODAY)


def review_file(tmp_path: Path, name: str, ratings: tuple[int, ...]) -> Path:
    quality, timeliness, responsiveness, communication = ratings
    path = tmp_path / f"{name}.toml"
    path.write_text(
        f"quality_rating = {quality}\n"
        f"timeliness_rating = {timeliness}\n"
        f"responsiveness_rating = {responsiveness}\n"
        f"communication_rating = {communication}\n",
        encoding="utf-8",
    )
    return path


def import_as(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, *extra: str
) -> tuple[int, str, str]:
    path = review_file(tmp_path, name, REVIEWS[name])
    return run(
        capsys,
        "answers",
        "import",
        "Acme",
        "quarterly-review",
        str(path),
        "--period",
        PERIOD,
        "--as",
        name,
        *extra,
    )


def review_run(data_dir: Path):
    store = Store(data_dir)
    found = store.latest_run(store.find_vendor("Acme").id, "quarterly-review")
    assert found is not None
    return found


def run_file(data_dir: Path) -> dict[str, Any]:
    found = review_run(data_dir)
    path = data_dir / "vendors" / found.vendor_id / f"{found.id}.json"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def acme(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    assert run(capsys, "vendor", "add", "Acme")[0] == 0


# -- the median and the spread -------------------------------------------------------------


def test_median_and_spread_of_whole_ratings() -> None:
    assert median([2, 5, 4]) == 4 and spread([2, 5, 4]) == 3
    assert median([3, 4]) == 3.5 and spread([3, 4]) == 1
    assert median([1, 2, 4, 5]) == 3 and spread([1, 2, 4, 5]) == 4  # (2 + 4) / 2
    assert median([4]) == 4 and spread([4]) == 0
    assert median([]) is None and spread([]) == 0
    assert type(median([3, 5])) is int  # a whole median shows as "4 / 5", not "4.0 / 5"


# -- three reviewers through answers import --as ------------------------------------------


def test_three_reviewers_rate_apart_and_the_scorecard_takes_their_median(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path, acme: None
) -> None:
    for name in REVIEWS:
        code, out, err = import_as(capsys, tmp_path, name)
        assert (code, err) == (0, ""), err
        assert out.startswith(f"saved 4 answers to quarterly-review {PERIOD} for Acme")

    stored = review_run(data_dir)
    assert stored.ratings_by == {
        "Ana": {
            "quality_rating": 2,
            "timeliness_rating": 4,
            "responsiveness_rating": 3,
            "communication_rating": 5,
        },
        "Ben": {
            "quality_rating": 5,
            "timeliness_rating": 4,
            "responsiveness_rating": 3,
            "communication_rating": 3,
        },
        "Cy": {
            "quality_rating": 4,
            "timeliness_rating": 5,
            "responsiveness_rating": 3,
            "communication_rating": 4,
        },
    }
    assert not any(qid.endswith("_rating") for qid in stored.answers)  # no shared answer
    records = run_file(data_dir)["ratings"].values()
    assert len(records) == 12  # one record per reviewer and rating

    code, out, err = run(capsys, "scorecard", "Acme", "--period", PERIOD)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert (
        f"  {QUALITY}: 4 / 5 (weight 3); median of 3 reviewers, spread 3 ⚑ discuss: ratings "
        "differ by 3 (Ana 2, Ben 5, Cy 4)"
    ) in lines
    assert (
        f"  {TIMELINESS}: 4 / 5 (weight 2); median of 3 reviewers, spread 1 (Ana 4, Ben 4, Cy 5)"
    ) in lines
    assert (
        f"  {RESPONSIVENESS}: 3 / 5 (weight 2); median of 3 reviewers, spread 0 "
        "(Ana 3, Ben 3, Cy 3)"
    ) in lines
    assert (
        f"  {COMMUNICATION}: 4 / 5 (weight 2); median of 3 reviewers, spread 2 ⚑ discuss: "
        "ratings differ by 2 (Ana 5, Ben 3, Cy 4)"
    ) in lines
    assert out.count("discuss:") == 2  # spread 2 and 3 flagged; 1 and 0 not

    code, out, _ = run(capsys, "scorecard", "Acme", "--period", PERIOD, "--json")
    card = json.loads(out)
    assert card["rating_score"] == pytest.approx(625 / 9)
    assert card["overall"] == pytest.approx(625 / 9)  # no KPI targets: the ratings alone
    assert [(r["rating"], r["by_reviewer"]) for r in card["ratings"]] == [
        (4, {"Ana": 2, "Ben": 5, "Cy": 4}),
        (4, {"Ana": 4, "Ben": 4, "Cy": 5}),
        (3, {"Ana": 3, "Ben": 3, "Cy": 3}),
        (4, {"Ana": 5, "Ben": 3, "Cy": 4}),
    ]


def test_the_reports_show_count_spread_and_the_flag(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path, acme: None
) -> None:
    for name in REVIEWS:
        assert import_as(capsys, tmp_path, name)[0] == 0

    code, out, _ = run(capsys, "report", "Acme", "--period", PERIOD)
    assert code == 0
    assert "| Rating | Weight | Median | Reviewers | Spread | By reviewer |" in out
    assert (
        f"| {QUALITY} | 3 | 4 / 5 | 3 | 3 ⚑ discuss: ratings differ by 3 | Ana 2, Ben 5, Cy 4 |"
    ) in out
    assert f"| {TIMELINESS} | 2 | 4 / 5 | 3 | 1 | Ana 4, Ben 4, Cy 5 |" in out
    assert f"- **⚑ {QUALITY}: discuss: ratings differ by 3** (Ana 2, Ben 5, Cy 4)" in out
    assert f"- **⚑ {COMMUNICATION}: discuss: ratings differ by 2** (Ana 5, Ben 3, Cy 4)" in out
    assert "discuss: ratings differ by 1" not in out

    code, page, _ = run(capsys, "report", "Acme", "--period", PERIOD, "--format", "html")
    assert code == 0
    assert f"<strong>⚑ {QUALITY}: discuss: ratings differ by 3</strong>" in page
    assert "<td>3 ⚑ discuss: ratings differ by 3</td>" in page
    assert "<td>1</td>" in page and "differ by 1" not in page


def test_a_second_reviewer_never_overwrites_the_first(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path, acme: None
) -> None:
    assert import_as(capsys, tmp_path, "Ana")[0] == 0
    first = run_file(data_dir)["ratings"]
    assert import_as(capsys, tmp_path, "Ben")[0] == 0
    after = run_file(data_dir)["ratings"]
    # Ana's four records are still there, value for value; Ben's four came beside them.
    for record in first.values():
        assert record in after.values()
    assert len(after) == 8
    assert review_run(data_dir).ratings_by["Ana"]["quality_rating"] == 2
    assert review_run(data_dir).ratings_by["Ben"]["quality_rating"] == 5

    # The same reviewer, written another way, changes their own ratings only.
    path = tmp_path / "again.toml"
    path.write_text("quality_rating = 3\n", encoding="utf-8")
    args = ["answers", "import", "Acme", "quarterly-review", str(path), "--period", PERIOD]
    code, out, err = run(capsys, *args, "--as", "  ANA ")
    assert (code, err) == (0, "")
    assert out.startswith("saved 1 answer to")
    ratings = review_run(data_dir).ratings_by
    assert set(ratings) == {"Ana", "Ben"}  # kept under the spelling first given
    assert ratings["Ana"]["quality_rating"] == 3 and ratings["Ben"]["quality_rating"] == 5

    # Importing Ben's own export again changes nothing.
    settings = data_dir / "settings.toml"
    settings.write_text('[me]\nname = "Ben"\n', encoding="utf-8")
    code, text, _ = run(capsys, "answers", "export", "Acme", "quarterly-review", "--period", PERIOD)
    assert code == 0 and "quality_rating = 5\n" in text and "communication_rating = 3\n" in text
    export = tmp_path / "export.toml"
    export.write_text(text, encoding="utf-8")
    before = run_file(data_dir)["ratings"]
    code, out, _ = run(capsys, *args[:4], str(export), "--period", PERIOD)
    assert code == 0 and out.startswith("saved 0 answers") and "; 4 unchanged" in out
    assert run_file(data_dir)["ratings"] == before


def test_the_name_in_settings_rates_and_as_overrides_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path, acme: None
) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "settings.toml").write_text('[me]\nname = "Dana"\n', encoding="utf-8")
    path = review_file(tmp_path, "dana", (4, 4, 4, 4))
    args = ["answers", "import", "Acme", "quarterly-review", str(path), "--period", PERIOD]
    assert run(capsys, *args)[0] == 0
    assert run(capsys, *args, "--as", "Eli")[0] == 0
    assert set(review_run(data_dir).ratings_by) == {"Dana", "Eli"}


def test_with_no_name_a_single_reviewer_rates_as_before(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path, acme: None
) -> None:
    path = review_file(tmp_path, "solo", (2, 4, 3, 5))
    args = ["answers", "import", "Acme", "quarterly-review", str(path), "--period", PERIOD]
    assert run(capsys, *args)[0] == 0
    stored = review_run(data_dir)
    assert stored.answers["quality_rating"] == 2 and stored.ratings_by == {}
    assert "ratings" not in run_file(data_dir)  # the file is as earlier versions wrote it
    code, out, _ = run(capsys, "scorecard", "Acme", "--period", PERIOD)
    assert f"  {QUALITY}: 2 / 5 (weight 3)\n" in out
    assert "median of" not in out and "discuss" not in out

    # A named reviewer then rates beside the unnamed one: both count, neither is lost.
    named = review_file(tmp_path, "Ana", (5, 4, 3, 5))
    assert run(capsys, *args[:4], str(named), "--period", PERIOD, "--as", "Ana")[0] == 0
    assert review_run(data_dir).answers["quality_rating"] == 2
    code, out, _ = run(capsys, "scorecard", "Acme", "--period", PERIOD)
    # quality 2 and 5: median 3.5, spread 3
    assert (
        f"  {QUALITY}: 3.5 / 5 (weight 3); median of 2 reviewers, spread 3 ⚑ discuss: ratings "
        "differ by 3 ((no name) 2, Ana 5)"
    ) in out


def test_a_completed_review_keeps_the_median_in_its_scorecard(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path, acme: None
) -> None:
    assert import_as(capsys, tmp_path, "Ana")[0] == 0
    meeting = tmp_path / "meeting.toml"
    meeting.write_text('meeting_date = "2026-07-02"\ndecision = "Keep"\n', encoding="utf-8")
    args = ["answers", "import", "Acme", "quarterly-review", str(meeting), "--period", PERIOD]
    assert run(capsys, *args)[0] == 0
    ben = review_file(tmp_path, "Ben", REVIEWS["Ben"])
    code, out, err = run(
        capsys, *args[:4], str(ben), "--period", PERIOD, "--as", "Ben", "--complete"
    )
    assert (code, err) == (0, ""), err
    # quality 2, 5 -> 3.5 (62.5); timeliness 4, 4 -> 4 (75); responsiveness 3, 3 -> 3 (50);
    # communication 5, 3 -> 4 (75). (3 * 62.5 + 2 * 75 + 2 * 50 + 2 * 75) / 9 = 587.5 / 9 = 65.3
    assert (
        out.splitlines()[-1]
        == f"completed quarterly-review {PERIOD} for Acme, score 65/100 (amber)"
    )
    snapshot = review_run(data_dir).snapshot
    assert snapshot is not None
    assert snapshot["ratings"][0]["rating"] == 3.5
    assert snapshot["ratings"][0]["by_reviewer"] == {"Ana": 2, "Ben": 5}
    # Read back from the store (each snapshot is checked as it is read), it is the same card.
    card = Scorecard.from_dict(snapshot)
    assert card.rating_score == pytest.approx(587.5 / 9)
    assert [(line.raters, line.spread, line.discuss) for line in card.ratings] == [
        (2, 3, True),
        (2, 0, False),
        (2, 0, False),
        (2, 2, True),
    ]


# -- bad input -----------------------------------------------------------------------------


def test_a_blank_name_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, acme: None
) -> None:
    path = review_file(tmp_path, "x", (1, 1, 1, 1))
    with pytest.raises(SystemExit) as done:
        main(["answers", "import", "Acme", "quarterly-review", str(path), "--as", " "])
    out, err = capsys.readouterr()
    assert done.value.code == 2 and out == ""
    assert err.splitlines()[-1].endswith("argument --as: a reviewer's name cannot be blank")


def test_a_name_in_settings_that_is_no_text_is_named_with_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path, acme: None
) -> None:
    settings = data_dir / "settings.toml"
    settings.write_text("[me]\ntimezone = 'Europe/Oslo'\nname = 7\n", encoding="utf-8")
    path = review_file(tmp_path, "x", (1, 1, 1, 1))
    code, out, err = run(capsys, "answers", "import", "Acme", "quarterly-review", str(path))
    assert (code, out) == (1, "")
    assert (
        err == f'outsource-tui: error: {settings}:3: name must be text in quotes, such as "Ana"\n'
    )
    assert review_run_or_none(data_dir) is None  # nothing saved


def review_run_or_none(data_dir: Path):
    store = Store(data_dir)
    return store.latest_run(store.find_vendor("Acme").id, "quarterly-review")


def test_a_damaged_rating_record_is_named_and_left_untouched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path, acme: None
) -> None:
    assert import_as(capsys, tmp_path, "Ana")[0] == 0
    found = review_run(data_dir)
    path = data_dir / "vendors" / found.vendor_id / f"{found.id}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["ratings"]["1"]["reviewer"] = 7
    path.write_text(json.dumps(data), encoding="utf-8")
    damaged = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        Store(data_dir).runs(found.vendor_id)
    assert str(caught.value) == f"{path}: a reviewer's rating record is damaged; left untouched"
    code, _, err = import_as(capsys, tmp_path, "Ben")
    assert code == 1 and "a reviewer's rating record is damaged" in err
    assert path.read_bytes() == damaged


def test_a_snapshot_median_that_no_ratings_make_is_refused() -> None:
    card = {
        "period": PERIOD,
        "ratings": [{"question_id": "q", "prompt": "Q", "weight": 1, "rating": 3.7}],
    }
    with pytest.raises(ValueError, match="not a whole number or a median of them"):
        Scorecard.from_dict(card)
    card["ratings"][0]["rating"] = 3.5
    assert Scorecard.from_dict(card).ratings[0].rating == 3.5


# -- the candidate comparison with two evaluators -------------------------------------------


def test_the_comparison_takes_the_median_of_two_evaluators(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    from outsource_tui.domain.compare import lead, rank
    from outsource_tui.services import Services

    for name in ("Birch", "Cobalt"):
        assert run(capsys, "vendor", "add", name, "--status", "candidate")[0] == 0
    given = {  # (experience weight 10, security weight 15)
        ("Birch", "Ana"): (4, 2),
        ("Birch", "Ben"): (5, 5),
        ("Cobalt", "Ana"): (3, 4),
        ("Cobalt", "Ben"): (3, 4),
    }
    for (vendor, evaluator), (experience, security) in given.items():
        path = tmp_path / f"{vendor}-{evaluator}.toml"
        path.write_text(f"experience = {experience}\nsecurity = {security}\n", encoding="utf-8")
        code, _, err = run(
            capsys, "answers", "import", vendor, "partner-selection", str(path), "--as", evaluator
        )
        assert (code, err) == (0, "")

    store = Store(data_dir)
    library = load_library()
    playbook = library.get("partner-selection")
    assert playbook is not None
    found = Services(store, library).portfolio().candidates(playbook)
    ranking = rank(playbook, [(v.id, v.name, r) for v, r in found])
    # Birch: experience 4, 5 -> 4.5 (87.5); security 2, 5 -> 3.5 (62.5), spread 3.
    #   (10 * 87.5 + 15 * 62.5) / 25 = 72.5
    # Cobalt: experience 3, 3 -> 3 (50); security 4, 4 -> 4 (75). (500 + 1125) / 25 = 65
    assert [(r.name, r.score) for r in ranking] == [("Birch", 72.5), ("Cobalt", 65.0)]
    assert lead(ranking) == 7.5
    birch = {line.question_id: line for line in ranking[0].lines}
    assert (birch["experience"].rating, birch["experience"].raters) == (4.5, 2)
    assert (birch["experience"].spread, birch["experience"].discuss) == (1, False)
    assert (birch["security"].rating, birch["security"].spread) == (3.5, 3)
    assert birch["security"].discuss
    assert birch["price"].rating is None and birch["price"].raters == 0
    assert ranking[0].evaluators == ["Ana", "Ben"]


# -- the plain mode -------------------------------------------------------------------------

ONE_RATING = """# Rate it

```playbook
id = "rate-it"
summary = "One weighted rating."
cadence = "once"
```

## Rate

```questions
[[question]]
id = "overall"
type = "rating"
prompt = "Overall"
weight = 1
```
"""
DOWN, ENTER = "\x1b[B", "\r"


@pytest.mark.timeout(60)
def test_run_as_in_the_plain_mode_keeps_each_reviewers_own_rating(
    data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "books"
    folder.mkdir()
    (folder / "rate-it.md").write_text(ONE_RATING, encoding="utf-8")
    library = load_library([folder])
    store = Store(data_dir)
    store.add_vendor(VendorDraft(name="Acme"))

    def walk(reviewer: str, keys: str) -> tuple[int, str]:
        screen = Screen()
        with create_pipe_input() as pipe:
            pipe.send_text(keys)
            code = run_plain(
                store,
                library,
                "Acme",
                "rate-it",
                input=pipe,
                output=screen,
                settings=Settings(reviewer=reviewer),
            )
        return code, screen.text

    code, text = walk("Ana", DOWN * 4 + ENTER)  # "— no answer —", 1 poor, 2, 3, 4
    assert code == 0, text
    assert "Rating as Ana: these ratings are yours alone" in text
    # Ben starts from his own blank rating, not from Ana's 4: two down is a 2.
    code, text = walk("Ben", DOWN * 2 + ENTER)
    assert code == 0, text
    assert "Rating as Ben" in text
    stored = store.latest_run(store.find_vendor("Acme").id, "rate-it")
    assert stored is not None
    assert stored.ratings_by == {"Ana": {"overall": 4}, "Ben": {"overall": 2}}
    assert "overall" not in stored.answers


def test_a_runs_summary_shows_each_reviewers_rating_and_the_median() -> None:
    from outsource_tui.domain.reviewers import answer_text
    from outsource_tui.domain.run import Run

    run = Run("r1", "acme", "quarterly-review", "", "Quarterly review", "2026-07-01")
    assert answer_text(run, "quality_rating") == ""  # nobody rated it
    run.answers["quality_rating"] = 2
    assert answer_text(run, "quality_rating") == ""  # one reviewer, no name: as before
    run.ratings_by = {"Ana": {"quality_rating": 5}, "Ben": {"quality_rating": 3}}
    # 2, 5, 3 -> median 3, spread 3
    assert answer_text(run, "quality_rating") == (
        "(no name) 2, Ana 5, Ben 3; median 3 / 5 (⚑ discuss: ratings differ by 3)"
    )
    run.ratings_by["Ben"]["quality_rating"] = 4  # 2, 5, 4 -> median 4, still 3 apart
    del run.answers["quality_rating"]  # 5, 4 -> median 4.5, spread 1: nothing to discuss
    assert answer_text(run, "quality_rating") == "Ana 5, Ben 4; median 4.5 / 5"


def test_as_is_taken_by_the_app_run_and_answers_import(data_dir: Path) -> None:
    from outsource_tui.cli import _settings, build_parser

    parser = build_parser()
    assert _settings(parser.parse_args([])).reviewer == ""
    assert _settings(parser.parse_args(["--as", " Ana  Lee "])).reviewer == "Ana Lee"
    args = parser.parse_args(["run", "quarterly-review", "--vendor", "Acme", "--as", "Ben"])
    assert _settings(args).reviewer == "Ben"
    args = parser.parse_args(["--as", "Cy", "answers", "import", "Acme", "sla-kpis", "f.toml"])
    assert _settings(args).reviewer == "Cy"  # given before the command, kept after it


def test_the_resume_command_names_the_reviewer_of_a_review(data_dir: Path) -> None:
    from outsource_tui.prompts.plain import resume_command

    store = Store(data_dir)
    vendor = store.add_vendor(VendorDraft(name="Acme"))
    library = load_library()
    review, sla = library.get("quarterly-review"), library.get("sla-kpis")
    assert review is not None and sla is not None
    assert resume_command(store, vendor, review, PERIOD, "Ana Lee") == (
        f'outsource-tui run quarterly-review --vendor "Acme" --period {PERIOD} --as "Ana Lee"'
    )
    # No ratings in the SLA playbook, and no name: nothing to add.
    assert resume_command(store, vendor, sla, "", "Ana") == (
        'outsource-tui run sla-kpis --vendor "Acme"'
    )
    assert "--as" not in resume_command(store, vendor, review, PERIOD)
