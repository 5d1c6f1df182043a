"""Working-capital figures from a file: a file without figures is one clear error naming it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cashmission.cli import main
from cashmission.problems import InputError
from cashmission.working_capital.sources import load_working_capital

FEC_HEADER = (
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\t"
    "PieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\n"
)


@pytest.mark.parametrize(
    ("name", "text", "why"),
    [
        ("123456789FEC20241231.txt", FEC_HEADER, "the FEC has no dated entries"),
        ("monthly.csv", "period_end,period_days,revenue,receivables\n", "the file has a header but no rows"),
    ],
)
def test_header_only_file_is_one_error_naming_it(tmp_path, name, text, why):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_working_capital(p)
    assert err.value.problem.code == "empty"
    assert err.value.problem.file == str(p)
    assert why in str(err.value)
    r = CliRunner().invoke(main, ["kpi", str(p)])
    assert r.exit_code == 1 and "Traceback" not in r.output
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert lines == [f"Error: {p}: no working-capital figures: {why} [empty]"]
