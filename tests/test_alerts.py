"""exports/alerts.json: what crossed a line at the build date (value-model.md, "Health", "Presentation due").

An alert fires on the day the line is crossed: the state at the build date
against the same rules evaluated one day earlier, on the content as it stood
then. Build date 2026-06-30 (conftest settings: presentation every 365 days,
stale after 180 days), so 30 days earlier is 2026-05-31.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from csvf_build.cli import main
from csvf_build.model.alerts import alerts, records_as_of
from csvf_build.model.compute import Model
from tests.conftest import ContentBuilder, build_model, generate_docs

TODAY = "2026-06-30"


def escalation(builder: ContentBuilder, cid: str, day: str, resolved: str = "") -> None:
    extra = f"\nresolved: {resolved}" if resolved else ""
    builder.record(cid, f"{day}-leak.md", f"type: escalation\ndate: {day}\ntitle: Leak\nlevel: manager\nraised_to: Dana Whitfield{extra}")


def fresh(builder: ContentBuilder, cid: str, day: str = "2026-06-20") -> None:
    """A recent record, so the file is not stale."""
    builder.record(cid, f"{day}-call.md", f"type: meeting\ndate: {day}\ntitle: Call\nkind: call\nstage: after")


def kinds(m: Model) -> list[tuple[str, str, date]]:
    return [(a.customer, a.kind, a.since) for a in alerts(m)]


def test_turned_red_today_when_an_escalation_turns_31_days_old(content: ContentBuilder) -> None:
    content.customer("acme", name="Acme", since="2026-01-01", revenue={2026: "100"})
    escalation(content, "acme", "2026-05-30")  # 31 days open on 2026-06-30 (red), 30 on 2026-06-29 (not yet)
    fresh(content, "acme")
    m = build_model(content, TODAY)
    assert m.customers[0].health.level == "red"
    assert kinds(m) == [("acme", "red", date(2026, 6, 30))]
    assert alerts(m)[0].message == "Acme turned red on 2026-06-30: unresolved manager escalation since 2026-05-30: Leak"


def test_no_alert_when_it_was_red_yesterday_already(content: ContentBuilder) -> None:
    content.customer("acme", since="2026-01-01", revenue={2026: "100"})
    escalation(content, "acme", "2026-05-29")  # 32 days: red today and yesterday
    fresh(content, "acme")
    assert kinds(build_model(content, TODAY)) == []


def test_a_reduction_recorded_today_turns_red(content: ContentBuilder) -> None:
    content.customer("acme", since="2026-01-01", revenue={2026: "100"})
    fresh(content, "acme")
    content.record("acme", "2026-06-30-cut.md", "type: business-change\ndate: 2026-06-30\ntitle: Volume cut\ndirection: reduction")
    assert kinds(build_model(content, TODAY)) == [("acme", "red", date(2026, 6, 30))]


def test_a_resolution_dated_today_still_counts_as_open_yesterday(content: ContentBuilder) -> None:
    content.customer("acme", since="2026-01-01", revenue={2026: "100"})
    fresh(content, "acme")
    escalation(content, "acme", "2026-04-01", resolved="2026-06-30")  # open (and red) until yesterday, resolved today
    content.record("acme", "2026-06-25-survey.md", "type: survey\ndate: 2026-06-25\ntitle: Survey\nscore: 2")  # CSAT 40: red by itself
    m = build_model(content, TODAY)
    assert m.customers[0].health.level == "red"
    assert kinds(m) == []  # red yesterday (the escalation) and today (the CSAT): no line crossed
    earlier = records_as_of(m.customers[0].folder.records, date(2026, 6, 29))
    assert [r.record.date for r in earlier] == [date(2026, 4, 1), date(2026, 6, 20), date(2026, 6, 25)]
    assert getattr(earlier[0].record, "resolved", "missing") is None


def test_became_overdue_today(content: ContentBuilder) -> None:
    content.customer("acme", name="Acme", segment="key", since="2024-01-01", revenue={2026: "100"})
    fresh(content, "acme")
    # presented 2025-06-29: 366 days before 2026-06-30 (overdue), 365 before 2026-06-29 (not yet)
    content.record("acme", "2025-06-29-present.md", "type: presentation\ndate: 2025-06-29\ntitle: Yearly\nattendees: [Priya Raman]")
    content.customer("later", segment="key", since="2024-01-01", revenue={2026: "100"})
    fresh(content, "later")
    content.record("later", "2025-06-30-present.md", "type: presentation\ndate: 2025-06-30\ntitle: Yearly\nattendees: [Priya Raman]")
    content.customer("growth", segment="growth", since="2024-01-01", revenue={2026: "100"})  # never needs one
    fresh(content, "growth")
    m = build_model(content, TODAY)
    assert kinds(m) == [("acme", "overdue", date(2026, 6, 30))]
    assert alerts(m)[0].message == "Acme's yearly value presentation became overdue on 2026-06-30 (last presented on 2025-06-29)"


def test_never_presented_becomes_overdue_a_year_and_a_day_after_since(content: ContentBuilder) -> None:
    content.customer("acme", name="Acme", segment="strategic", since="2025-06-29", revenue={2026: "100"})
    fresh(content, "acme")
    assert kinds(build_model(content, TODAY)) == [("acme", "overdue", date(2026, 6, 30))]


def test_went_stale_today(content: ContentBuilder) -> None:
    content.customer("acme", name="Acme", since="2025-01-01", revenue={2026: "100"})
    fresh(content, "acme", "2026-01-01")  # 180 days before 2026-06-30 is exactly the limit: not stale
    content.customer("beta", name="Beta", since="2025-01-01", revenue={2026: "100"})
    fresh(content, "beta", "2025-12-31")  # 181 days today, 180 yesterday: went stale today
    m = build_model(content, TODAY)
    assert kinds(m) == [("beta", "stale", date(2026, 6, 30))]
    assert alerts(m)[0].message == "Beta's value file went stale on 2026-06-30: the last record is from 2025-12-31"


def test_alerts_json_and_csvf_alerts_read_it(content: ContentBuilder, tmp_path: Path) -> None:
    content.customer("acme", name="Acme, Inc.", segment="key", since="2024-01-01", revenue={2026: "100"})
    escalation(content, "acme", "2026-05-30")
    content.record("acme", "2025-06-29-present.md", "type: presentation\ndate: 2025-06-29\ntitle: Yearly\nattendees: [Priya Raman]")
    content.customer("calm", since="2024-01-01", revenue={2026: "100"})
    fresh(content, "calm")
    text = generate_docs(content, TODAY).files["exports/alerts.json"].decode()
    data = json.loads(text)
    assert data["build_date"] == TODAY
    assert [(a["customer"], a["kind"], a["since"]) for a in data["alerts"]] == [("acme", "red", TODAY), ("acme", "overdue", TODAY)]
    assert set(data["alerts"][0]) == {"customer", "name", "kind", "since", "message"}
    assert data["alerts"][0]["name"] == "Acme, Inc."
    file = tmp_path / "alerts.json"
    file.write_text(text, encoding="utf-8")
    plain = CliRunner().invoke(main, ["alerts", str(file)], env={"GITHUB_ACTIONS": "false"})
    assert plain.exit_code == 0, plain.output
    assert "csvf alert: acme: Acme, Inc. turned red on 2026-06-30" in plain.output
    assert "2 alerts in" in plain.output
    actions = CliRunner().invoke(main, ["alerts", str(file)], env={"GITHUB_ACTIONS": "true"})
    notices = [line for line in actions.output.splitlines() if line.startswith("::notice")]
    assert len(notices) == 2
    assert notices[1].startswith("::notice title=csvf alert%3A acme::Acme, Inc.'s yearly value presentation became overdue")


def test_a_quiet_day_writes_an_empty_list(content: ContentBuilder) -> None:
    content.customer("calm", since="2024-01-01", revenue={2026: "100"})
    fresh(content, "calm")
    data = json.loads(generate_docs(content, TODAY).files["exports/alerts.json"])
    assert data == {"build_date": TODAY, "alerts": []}
    page = generate_docs(content, TODAY).files["portfolio/health.md"].decode()
    assert "Nothing crossed a line on 2026-06-30" in page
