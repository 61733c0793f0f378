"""Every problem at once: a broken file hides nothing that can be checked without it.

A content tree holds a dozen independent mistakes across company.yaml,
catalog.yaml, customer.yaml, records, notes, training pages and attachments,
several of them next to a broken file (records of a customer whose
customer.yaml is invalid, a record whose front matter is not YAML, a customer
folder with a bad name). One run must report all of them. Fixing exactly what
was reported must then leave only problems that truly needed a broken file to
be checked (a segment needs company.yaml, a service id the catalog), and
fixing those leaves none.
"""

from __future__ import annotations

from dataclasses import dataclass

from csvf_build.problems import Problem
from tests.conftest import CATALOG, COMPANY, ContentBuilder, problem_texts, run_check

MEETING = "type: meeting\ndate: {date}\ntitle: {title}\nkind: review\nstage: after\n"


@dataclass(frozen=True)
class Mistake:
    """One file as written with mistakes, as fixed after the first run, and what the run must say."""

    path: str
    broken: str
    fixed: str
    expected: tuple[tuple[int, str], ...]  # (line, words of the message) of each problem the first run reports


def record(front: str, body: str = "What happened.\n") -> str:
    return f"---\n{front}---\n{body}"


def customer(segment: str = "growth", revenue: str = "1000", extra: str = "") -> str:
    return (
        f"name: Customer\nsegment: {segment}\ntier: standard\nsince: 2023-01-01\naccount_manager: Dana\n"
        f"revenue:\n  2024: {revenue}\ncontacts:\n  - name: Priya Raman\n    role: Buyer\n    from: 2023-01-01\n{extra}"
    )


def line_in(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1) if needle in line)


COMPANY_OK = COMPANY.format(fiscal_year_start=1)
BAD_CATALOG = CATALOG.replace("benefit: return", "benefit: profit")
SVG_OK = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'

MISTAKES = [
    Mistake(
        "company.yaml",
        COMPANY_OK.replace("currency: USD", "currency: usd") + "colour: red\n",
        COMPANY_OK,
        ((2, "currency"), (12, "colour")),
    ),
    Mistake("catalog.yaml", BAD_CATALOG, CATALOG, ((line_in(BAD_CATALOG, "profit"), "profit"),)),
    # acme: customer.yaml invalid; its records, notes and attachments are still checked
    Mistake("customers/acme/customer.yaml", customer(revenue='"1000"'), customer(), ((7, "quoted"),)),
    Mistake(
        "customers/acme/records/2024-01-01-future.md",
        record(MEETING.format(date="2026-07-01", title="Review")),
        record(MEETING.format(date="2026-06-01", title="Review")),
        ((3, "after the build date"),),
    ),
    Mistake(
        "customers/acme/records/2024-02-01-odd.md",
        record(MEETING.format(date="2024-02-01", title="|\n  two\n  lines").replace("type: meeting", "type: visit")),
        record(MEETING.format(date="2024-02-01", title="One line")),
        ((2, "unknown record type 'visit'"), (4, "one line")),
    ),
    Mistake(
        "customers/acme/records/2024-03-01-escalation.md",
        record("type: escalation\ndate: 2024-03-01\ntitle: Late\nlevel: manager\nraised_to: Kim\nresolved: 2024-02-01\ninternal: yes\n"),
        record("type: escalation\ndate: 2024-03-01\ntitle: Late\nlevel: manager\nraised_to: Kim\nresolved: 2024-03-05\n"),
        ((7, "resolved 2024-02-01 is before"), (8, "true or false")),
    ),
    Mistake(
        "customers/acme/records/2024-04-01-broken-yaml.md",
        record(MEETING.format(date="2024-04-01", title="Review: Q2"), "See [the plan](../files/plan.pdf).\n"),
        record(MEETING.format(date="2024-04-01", title='"Review: Q2"'), "See [the plan](../files/plan.svg).\n"),
        ((4, "YAML syntax error"), (8, "no such file")),
    ),
    Mistake(
        "customers/acme/notes.md",
        "# Story\n\nSee [prices](../beta/files/p.pdf).\n",
        "# Story\n\nSee [plan](files/plan.svg).\n",
        ((3, "outside"),),
    ),
    Mistake(
        "customers/acme/files/plan.svg",
        '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1" onclick="x"/></svg>',
        SVG_OK,
        ((1, "onclick"),),
    ),
    # beta: a valid customer whose segment only company.yaml can judge (not reported while it is broken)
    Mistake("customers/beta/customer.yaml", customer(segment="vip"), customer(segment="vip"), ()),
    Mistake(
        "customers/beta/records/2024-02-01-contact.md",
        record(MEETING.format(date="2024-02-01", title="Call") + "contact: Nobody\n"),
        record(MEETING.format(date="2024-02-01", title="Call") + "contact: Priya Raman\n"),
        ((7, "Nobody"),),
    ),
    Mistake(  # its service id needs the catalog: not reported while the catalog is broken
        "customers/beta/records/2024-03-01-service.md",
        record("type: service\ndate: 2024-03-01\ntitle: Audit\nservice: line-servce\nquantity: 2\n"),
        record("type: service\ndate: 2024-03-01\ntitle: Audit\nservice: line-servce\nquantity: 2\n"),
        (),
    ),
    # a folder whose name is not a customer id: its files are checked all the same
    Mistake("customers/Gamma/customer.yaml", customer(), customer(), ((0, "not a valid customer id"),)),
    Mistake(
        "customers/Gamma/records/2024-02-01-x.md",
        record(MEETING.format(date="2024-02-31", title="Visit")),
        record(MEETING.format(date="2024-02-28", title="Visit")),
        ((3, "not a real calendar date"),),
    ),
    Mistake(
        "training/Selling Value.md",
        "# Selling value\n\nRead [the basics](basics.md).\n",
        "# Selling value\n\nRead [the basics](presenting.md).\n",
        ((0, "cannot be a page address"), (3, "not a training page")),
    ),
    Mistake("training/presenting.md", "# Presenting\n\n" + "[" * 1000 + "\n", "# Presenting\n\nHow to.\n", ((3, "unclosed"),)),
]

DEPENDENT = [  # what the first run could not check, because it needed a file that was broken
    ("customers/beta/customer.yaml", "segment 'vip' is not in company.yaml", "segment: vip", "segment: growth"),
    ("customers/beta/records/2024-03-01-service.md", "service 'line-servce' is not in catalog.yaml", "line-servce", "line-service"),
]

RENAMES = {"customers/Gamma": "customers/gamma", "training/Selling Value.md": "training/selling-value.md"}


def write_all(builder: ContentBuilder, fixed: bool) -> None:
    for mistake in MISTAKES:
        builder.write(mistake.path, mistake.fixed if fixed else mistake.broken)


def reported(problems: list[Problem], builder: ContentBuilder) -> list[tuple[str, int, str]]:
    return [(p.file.removeprefix(f"{builder.root}/"), p.line, p.message) for p in problems]


def test_every_independent_problem_is_reported_in_one_run(content: ContentBuilder) -> None:
    write_all(content, fixed=False)
    checked, problems = run_check(content)
    assert checked is None
    got = reported(problems, content)
    folder_of = {"customers/Gamma/customer.yaml": "customers/Gamma"}
    expected = [(folder_of.get(m.path, m.path), line, words) for m in MISTAKES for line, words in m.expected]
    for path, line, words in expected:
        assert any(p == path and at == line and words in msg for p, at, msg in got), (
            f"missing {path}:{line} {words!r}\n{problem_texts(problems)}"
        )
    assert len(got) == len(expected), problem_texts(problems)
    assert len(expected) >= 12


def test_fixing_what_was_reported_leaves_only_what_needed_a_broken_file(content: ContentBuilder) -> None:
    write_all(content, fixed=False)
    run_check(content)
    write_all(content, fixed=True)
    for old, new in RENAMES.items():
        (content.root / old).rename(content.root / new)
    checked, problems = run_check(content)
    assert sorted((path, message) for path, _line, message in reported(problems, content)) == sorted(
        (path, message) for path, message, _old, _new in DEPENDENT
    ), problem_texts(problems)
    for path, _message, old, new in DEPENDENT:
        file = content.root / path
        file.write_text(file.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    checked, problems = run_check(content)
    assert problems == [], problem_texts(problems)
    assert checked is not None and [c.id for c in checked.customers] == ["acme", "beta", "gamma"]  # type: ignore[attr-defined]
