"""The GitHub Actions workflows: valid, pinned, least privilege; and the alerts they raise."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from csvf_build.cli import main
from tests.gitrepo import PROJECT

WORKFLOWS = sorted((PROJECT / ".github/workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40} # v\d+(\.\d+)*$")


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_there_are_a_pull_request_and_a_publish_workflow() -> None:
    triggers = {path.name: load(path)["on"] for path in WORKFLOWS}
    assert set(triggers) == {"pull-request.yml", "publish.yml"}
    assert "pull_request" in triggers["pull-request.yml"]
    publish = triggers["publish.yml"]
    assert publish["push"] == {"branches": ["main"], "tags": ["v*", "fy*"]}
    assert publish["schedule"] == [{"cron": "17 5 * * *"}]


def test_workflows_match_the_github_workflow_schema() -> None:
    result = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *WORKFLOWS], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def zizmor(*paths: Path) -> list[dict]:
    result = subprocess.run([BIN / "zizmor", "--offline", "--format", "json", *paths], capture_output=True, text=True, check=False)
    assert result.stdout.strip(), result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_zizmor_finds_no_medium_or_high_problem() -> None:
    findings = zizmor(*WORKFLOWS)
    serious = [f for f in findings if f["determinations"]["severity"] in ("Medium", "High")]
    assert serious == [], json.dumps(serious, indent=2)


def test_zizmor_does_find_problems_offline(tmp_path: Path) -> None:
    """The control: an unpinned, credential-keeping workflow with template injection is flagged."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request_target\n"
        "jobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n"
    )
    idents = {f["ident"] for f in zizmor(bad) if f["determinations"]["severity"] in ("Medium", "High")}
    assert {"template-injection", "artipacked", "dangerous-triggers"} <= idents


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_pinned_actions_no_kept_credentials(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {}
    assert "concurrency" in workflow
    for job in workflow["jobs"].values():
        assert "permissions" in job and "write-all" not in str(job["permissions"])
    for step in steps(workflow):
        if "uses" in step:
            line = next(line.strip() for line in path.read_text().splitlines() if f"uses: {step['uses']}" in line)
            assert PINNED.match(line.removeprefix("- ").removeprefix("uses: ")), line
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False
        assert "${{" not in step.get("run", ""), f"{step.get('name')}: pass expressions through env, never into a script"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_script_is_valid_bash(path: Path) -> None:
    for step in steps(load(path)):
        if "run" in step:
            result = subprocess.run(["bash", "-n"], input=step["run"], capture_output=True, text=True, check=False)
            assert result.returncode == 0, f"{step['name']}: {result.stderr}"


def test_the_pull_request_posts_the_diff_against_the_merge_base_as_the_job_summary() -> None:
    scripts = {step["name"]: step for step in steps(load(PROJECT / ".github/workflows/pull-request.yml"))}
    diff = scripts["Value diff against the merge base"]
    assert 'git merge-base "$BASE_SHA" "$HEAD_SHA"' in diff["run"]
    assert '>> "$GITHUB_STEP_SUMMARY"' in diff["run"]
    assert diff["if"] == "${{ !cancelled() }}"  # the summary also shows when the check failed
    assert scripts["Check the records"]["run"] == "csvf check"  # annotations: csvf check in Actions
    assert scripts["Attach the built site"]["with"]["path"] == "site/"


def test_publishing_uses_the_version_selector_config() -> None:
    config = yaml.safe_load((PROJECT / "mkdocs-versions.yml").read_text())
    assert config == {"INHERIT": "mkdocs.yml", "extra": {"version": {"provider": "mike"}}}
    run = next(s["run"] for s in steps(load(PROJECT / ".github/workflows/publish.yml")) if s["name"].startswith("Store the version"))
    assert 'csvf publish "$VERSION" $PUBLISH_ARGS' in run


def test_alerts_become_escaped_notices(tmp_path: Path) -> None:
    alerts = tmp_path / "alerts.json"
    alerts.write_text(json.dumps({"alerts": [{"customer": "Acme, Inc.", "message": "presentation due\n::error::fake"}, "stale: Beta"]}))
    result = CliRunner().invoke(main, ["alerts", str(alerts)], env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert lines == [
        "::notice title=csvf alert%3A Acme%2C Inc.::presentation due%0A::error::fake",
        "::notice title=csvf alert::stale: Beta",
    ]


def test_no_alerts_file_is_no_notice(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["alerts", str(tmp_path / "alerts.json")], env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 0 and "::notice" not in result.stdout
