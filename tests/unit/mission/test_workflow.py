"""A run folder never looks current when it is not: earlier artefacts cleared, status and index written."""

from __future__ import annotations

import json

from cashmission.mission.workflow import RunStatus, clear_previous, history, write_index, write_status


def test_a_failed_run_clears_the_earlier_reports_and_says_it_is_incomplete(tmp_path):
    run = tmp_path / "client" / "2026-08-17"
    run.mkdir(parents=True)
    for name in ("diagnostic.html", "diagnostic.pdf", "weekly_figures.json", "notes.txt"):
        (run / name).write_text("old", encoding="utf-8")
    removed = {p.name for p in clear_previous(run)}
    assert removed == {"diagnostic.html", "diagnostic.pdf", "weekly_figures.json"}
    assert (run / "notes.txt").exists()  # not an artefact of a run: kept
    status = RunStatus("Client <b>", "2026-08-17", ["diagnostic", "weekly"], done=["diagnostic"])
    status.state, status.failed, status.error = "failed", "weekly", "cell 4 failed: KeyError"
    write_status(run, status)
    assert json.loads((run / "run.json").read_text(encoding="utf-8"))["state"] == "failed"
    assert "weekly: cell 4 failed" in (run / "INCOMPLETE.txt").read_text(encoding="utf-8")
    page = write_index(run, status, "en").read_text(encoding="utf-8")
    assert "Incomplete run" in page and "Client &lt;b&gt;" in page  # client text escaped
    status.state = "complete"
    write_status(run, status)
    assert not (run / "INCOMPLETE.txt").exists()


def test_the_index_compares_with_the_complete_earlier_runs_only(tmp_path):
    client = tmp_path / "client"
    for as_of, overdue, state in (("2026-08-03", 6_600_000, "complete"), ("2026-08-10", 5_000_000, "failed")):
        folder = client / as_of
        folder.mkdir(parents=True)
        (folder / "weekly_figures.json").write_text(json.dumps({"overdue": overdue}), encoding="utf-8")
        (folder / "run.json").write_text(json.dumps({"state": state}), encoding="utf-8")
    assert [d for d, _ in history(client, "2026-08-17")] == ["2026-08-03"]  # the failed run is never compared
    now = client / "2026-08-17"
    now.mkdir()
    (now / "weekly_figures.json").write_text(json.dumps({"overdue": 5_876_984.28}), encoding="utf-8")
    page = write_index(now, RunStatus("C", "2026-08-17", ["weekly"], state="complete"), "en").read_text(
        encoding="utf-8"
    )
    # 5,876,984.28 − 6,600,000 = −723,015.72 since the start (and since last week: the only complete run)
    assert "-723,015.72" in page
