"""cashmission.mission.runner: Papermill execution and the client HTML (code hidden, offline)."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from cashmission.mission import runner


@pytest.fixture
def tiny(tmp_path):
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Rapport test"),
            new_code_cell('client_name = "défaut"\ntop_n = 3', metadata={"tags": ["parameters"]}),
            new_code_cell('SECRET_CODE_MARKER = 1\nprint(f"Client : {client_name} / top {top_n}")'),
            new_code_cell('print("hidden cell output")', metadata={"tags": ["remove_cell"]}),
            new_code_cell('import warnings\nwarnings.warn("stderr noise")\nx = 1'),
            new_code_cell("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.bar([1, 2], [3, 4]);"),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "nb" / "tiny.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, str(path))
    return path


@pytest.mark.slow
def test_run_notebook_writes_executed_notebook_and_html(tiny, tmp_path):
    messages = []
    out = tmp_path / "out"
    res = runner.run_notebook(tiny, out, {"client_name": "Acme Industrie", "top_n": 7}, progress=messages.append)
    assert res.executed_ipynb == out / "tiny.ipynb" and res.executed_ipynb.is_file()
    assert res.html_path == out / "tiny.html"
    assert res.seconds > 0
    html = res.html_path.read_text(encoding="utf-8")
    assert "Client : Acme Industrie / top 7" in html  # the parameter reached the notebook
    assert "SECRET_CODE_MARKER" not in html  # no code input
    assert "hidden cell output" not in html  # remove_cell tag honoured
    assert "stderr noise" not in html  # warnings are not shown to the client
    assert "data:image/png;base64" in html  # figures embedded
    assert "<script src=" not in html  # no CDN or external script
    assert "<title>Rapport test</title>" in html
    assert "@page" in html and "table-header-group" in html  # print stylesheet
    assert "white-space: pre-wrap" in html  # printed text wraps between words
    assert any("tiny" in m and "executing" in m for m in messages)
    assert any("executed in" in m for m in messages)
    executed = nbformat.read(str(res.executed_ipynb), as_version=4)
    assert "injected-parameters" in executed.cells[2].metadata.get("tags", [])


@pytest.mark.slow
def test_kernel_runs_encrypted_without_the_plain_tcp_warning(tiny, tmp_path, capfd):
    km_class = runner.kernel_manager_class()
    if km_class is None:
        pytest.skip("this jupyter_client / pyzmq cannot provision CurveZMQ keys")
    assert km_class().transport_encryption == "auto"
    runner.run_notebook(tiny, tmp_path / "out", {}, html=False, progress=None)
    err = capfd.readouterr().err  # the kernel process writes to the inherited stderr
    assert "without encryption" not in err


def test_short_tables_are_kept_on_one_page_long_ones_may_break():
    def table(rows):
        body = "".join(f"<tr><th>{i}</th><td>x</td></tr>" for i in range(rows))
        return {
            "output_type": "execute_result",
            "data": {
                "text/html": f'<table border="1" class="dataframe"><thead><tr><th></th><th>v</th></tr></thead>'
                f"<tbody>{body}</tbody></table>",
                "text/plain": "...",
            },
        }

    short = runner._mark_short_tables(table(12))
    assert 'class="dataframe cm-keep"' in short["data"]["text/html"]
    long = runner._mark_short_tables(table(runner.KEEP_TABLE_ROWS + 20))
    assert 'class="dataframe"' in long["data"]["text/html"] and "cm-keep" not in long["data"]["text/html"]
    text = {"output_type": "stream", "name": "stdout", "text": "no table"}
    assert runner._mark_short_tables(text) == text


@pytest.mark.slow
def test_failing_cell_raises_one_line(tmp_path):
    nb = new_notebook(cells=[new_code_cell("1 / 0")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "bad.ipynb"
    nbformat.write(nb, str(path))
    with pytest.raises(runner.NotebookError, match=r"bad: cell \d+ failed: ZeroDivisionError: division by zero"):
        runner.run_notebook(path, tmp_path / "out", {}, progress=None)
    assert (tmp_path / "out" / "bad.ipynb").is_file()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"as_of": __import__("datetime").date(2026, 8, 3)}, "as_of .* is a date; .*ISO strings"),
        ({"paths": [__import__("pathlib").Path("x")]}, r"paths\[0\]"),
        ({"x": float("nan")}, "NaN"),
        ({"not valid": 1}, "identifier"),
    ],
)
def test_parameters_must_be_json(params, message):
    with pytest.raises(TypeError, match=message):
        runner.check_parameters(params)


def test_notebook_path_finds_shipped_notebooks_and_lists_them():
    with pytest.raises(FileNotFoundError, match="no notebook 'nope'"):
        runner.notebook_path("nope")


def test_shipped_notebooks_are_found():
    path = runner.notebook_path("diagnostic")
    assert path.name == "diagnostic.ipynb" and path.is_file()
    assert runner.notebook_path("working_capital.ipynb").is_file()
