"""Run a report notebook with Papermill and render it to a client HTML file.

One notebook run = Papermill (Python API, kernel ``python3``) with a JSON-only
parameter dict → the executed notebook in ``output_dir`` → nbconvert in-process →
an HTML report with code hidden, figures embedded, no CDN asset, and a print
stylesheet for A4 (``cashmission/templates/report/``) → optionally (``pdf=True``)
that HTML printed to PDF by headless Chromium (:mod:`cashmission.report.pdf`).

The kernel is started with CurveZMQ transport encryption when pyzmq and the kernel
spec support it (:func:`kernel_manager_class`), so ipykernel has no reason to warn
"Kernel is running over TCP without encryption" on every run; nothing of the kernel's
own output is filtered.

Cells are hidden from the report by tag: ``remove_cell`` (whole cell), ``remove_input``
(show only the output), ``remove_output``; the ``parameters`` and Papermill's
``injected-parameters`` cells are always removed, and so are error streams (warnings)
and code cells left without output.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

KERNEL = "python3"
TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"
TEMPLATE_NAME = "report"
REMOVE_CELL_TAGS = frozenset({"remove_cell", "parameters", "injected-parameters"})
REMOVE_INPUT_TAGS = frozenset({"remove_input"})
REMOVE_OUTPUT_TAGS = frozenset({"remove_output"})
# A table of at most this many rows is kept on one printed page (class "cm-keep" in
# report.css); longer ones may break between rows, headers repeated.
KEEP_TABLE_ROWS = 30
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash before ASCII punctuation (CommonMark)

Progress = Callable[[str], Any] | None


@dataclass(frozen=True)
class RunResult:
    """What :func:`run_notebook` produced."""

    executed_ipynb: Path
    html_path: Path | None
    seconds: float
    pdf_path: Path | None = None


class NotebookError(RuntimeError):
    """A report notebook failed; the message names the notebook, the cell and the error."""


def notebook_path(name: str) -> Path:
    """Locate a notebook shipped with cashmission (``"diagnostic"`` or ``"diagnostic.ipynb"``).

    Looks in the installed package's ``notebooks/`` folder first, then in the source
    repository's top-level ``notebooks/``.
    """
    import cashmission

    file = name if name.endswith(".ipynb") else f"{name}.ipynb"
    folders = [
        Path(cashmission.__file__).resolve().parent / "notebooks",
        Path(__file__).resolve().parents[2] / "notebooks",
    ]
    for folder in folders:
        if (folder / file).is_file():
            return folder / file
    known = sorted({p.stem for f in folders if f.is_dir() for p in f.glob("*.ipynb")})
    raise FileNotFoundError(f"no notebook {name!r}; shipped notebooks: {', '.join(known) or 'none found'}")


def kernel_manager_class() -> type | None:
    """The kernel manager Papermill should use: CurveZMQ-encrypted when possible, quiet always.

    Recent jupyter_client versions provision CurveZMQ keys for a kernel whose spec declares
    ``"supported_encryption": ["curve"]`` (ipykernel 7 does) when its
    ``transport_encryption`` is ``"auto"``; the default, ``"disabled"``, makes every
    kernel print a plain-text-TCP warning on stderr.  Without Curve support in
    jupyter_client or pyzmq the kernel runs unencrypted, as before, and still says so.

    The kernel's own stderr (its log: ``[IPKernelApp] ERROR | KeyboardInterrupt`` when it
    is shut down) does not reach the user's terminal: a failing cell is reported through
    Papermill with its traceback in the executed notebook, not through the kernel's log.
    """
    import subprocess

    import zmq
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    curve = "transport_encryption" in AsyncKernelManager.class_trait_names() and zmq.has("curve")

    class QuietKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            kw["stderr"] = subprocess.DEVNULL
            return await super()._async_launch_kernel(kernel_cmd, **kw)

    if not curve:
        return QuietKernelManager

    class EncryptedKernelManager(QuietKernelManager):
        @default("transport_encryption")
        def _transport_encryption_default(self) -> str:
            return "auto"

    return EncryptedKernelManager


def _check_json(value: Any, where: str) -> None:
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise TypeError(f"parameter {where} = {value!r}: NaN and infinity are not JSON; use None")
        return
    if isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _check_json(v, f"{where}[{i}]")
        return
    if isinstance(value, Mapping):
        for k, v in value.items():
            if not isinstance(k, str):
                raise TypeError(f"parameter {where} has a non-string key {k!r}")
            _check_json(v, f"{where}[{k!r}]")
        return
    raise TypeError(
        f"parameter {where} = {value!r} is a {type(value).__name__}; Papermill parameters must be "
        "JSON types (str, int, float, bool, None, list, dict): send dates as ISO strings, paths as str"
    )


def check_parameters(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON round-trip copy of ``parameters``; raises TypeError naming a non-JSON value.

    >>> check_parameters({"as_of": "2026-08-03", "top_n": 10})
    {'as_of': '2026-08-03', 'top_n': 10}
    """
    for k, v in parameters.items():
        if not isinstance(k, str) or not k.isidentifier():
            raise TypeError(f"parameter name {k!r} is not a Python identifier")
        _check_json(v, k)
    return json.loads(json.dumps(dict(parameters)))


def run_notebook(
    notebook: str | Path,
    output_dir: str | Path,
    parameters: Mapping[str, Any] | None = None,
    *,
    html: bool = True,
    pdf: bool = False,
    progress: Progress = print,
    cwd: str | Path | None = None,
    kernel_name: str = KERNEL,
    timeout: int | None = 1800,
) -> RunResult:
    """Execute ``notebook`` with Papermill, then (``html=True``) render the client HTML.

    With ``pdf=True`` the HTML is also printed to ``<stem>.pdf`` (A4) by headless
    Chromium (:func:`cashmission.report.pdf.html_to_pdf`); ``pdf`` implies ``html``.

    Parameters
    ----------
    notebook : path
        The source notebook (not modified).  See :func:`notebook_path`.
    output_dir : path
        Receives ``<stem>.ipynb`` (executed, with outputs), ``<stem>.html`` and, with
        ``pdf=True``, ``<stem>.pdf``; created
        if missing.  It is also passed to the notebook as ``output_dir`` unless the
        parameters already name one.
    parameters : dict
        JSON types only (dates as ISO strings); injected after the ``parameters`` cell.
    progress : callable or None
        Called with one-line messages (which notebook runs, elapsed seconds).
    cwd : path, optional
        Working directory of the kernel; default the notebook's folder, so that the
        notebook's relative default paths resolve.
    timeout : int, optional
        Seconds allowed per cell.

    Returns
    -------
    RunResult(executed_ipynb, html_path, seconds, pdf_path); ``seconds`` covers
    execution and rendering; ``pdf_path`` is ``None`` unless ``pdf=True``.

    Raises
    ------
    NotebookError
        A cell raised; the executed notebook (with the traceback) is still written.
    cashmission.report.pdf.PdfError
        ``pdf=True`` and Chromium is missing or fails (checked before the notebook runs
        when it is missing).
    """
    nb_path = Path(notebook).resolve()
    if not nb_path.is_file():
        raise FileNotFoundError(f"notebook not found: {nb_path}")
    out_dir = Path(output_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    params = check_parameters(parameters or {})
    params.setdefault("output_dir", str(out_dir))
    executed = out_dir / nb_path.name
    say = progress or (lambda _msg: None)
    if pdf:
        from cashmission.report.pdf import require_chromium

        require_chromium()  # fail before minutes of execution, not after

    start = time.perf_counter()
    _execute(
        nb_path, executed, params, kernel_name, Path(cwd).resolve() if cwd is not None else nb_path.parent, timeout, say
    )
    html_path, pdf_path = _render(executed, out_dir, str(params.get("lang", "fr")), html=html, pdf=pdf, say=say)
    return RunResult(executed, html_path, time.perf_counter() - start, pdf_path)


def _execute(
    nb_path: Path,
    executed: Path,
    params: dict[str, Any],
    kernel_name: str,
    cwd: Path,
    timeout: int | None,
    say: Callable[[str], Any],
) -> None:
    """Run the notebook with Papermill into ``executed``; a failing cell becomes a :class:`NotebookError`."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    name = nb_path.stem
    start = time.perf_counter()
    say(f"{name}: executing {nb_path.name} (kernel {kernel_name}) ...")
    km_class = kernel_manager_class()
    engine_options = {"kernel_manager_class": km_class} if km_class is not None else {}
    try:
        pm.execute_notebook(
            str(nb_path),
            str(executed),
            parameters=params,
            kernel_name=kernel_name,
            cwd=str(cwd),
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            execution_timeout=timeout,
            **engine_options,
        )
    except PapermillExecutionError as err:
        raise NotebookError(
            f"{name}: cell {err.exec_count} failed: {err.ename}: {err.evalue} (see {executed})"
        ) from None
    say(f"{name}: cells executed in {time.perf_counter() - start:.1f} s")


def _render(
    executed: Path, out_dir: Path, lang: str, *, html: bool, pdf: bool, say: Callable[[str], Any]
) -> tuple[Path | None, Path | None]:
    """The client HTML (``html`` or ``pdf``) and the PDF (``pdf``) of an executed notebook."""
    name = executed.stem
    html_path = pdf_path = None
    if html or pdf:
        t0 = time.perf_counter()
        html_path = export_html(executed, out_dir / f"{name}.html", lang=lang)
        size = html_path.stat().st_size / 1e6
        say(f"{name}: HTML report {html_path.name} ({size:.1f} MB) in {time.perf_counter() - t0:.1f} s")
    if pdf and html_path is not None:
        from cashmission.report.pdf import html_to_pdf, pdf_page_count

        t0 = time.perf_counter()
        pdf_path = html_to_pdf(html_path, out_dir / f"{name}.pdf")
        pages = pdf_page_count(pdf_path)
        say(f"{name}: PDF report {pdf_path.name} ({pages} pages) in {time.perf_counter() - t0:.1f} s")
    return html_path, pdf_path


def _report_title(nb: Any) -> str | None:
    """The first level-1 heading shown by the notebook (a markdown output or cell), as plain text.

    Markdown backslash escapes and HTML entities (:func:`cashmission.report.markdown.escape_text`)
    are undone, so the text is exactly what the reader sees; the report template escapes it
    once more into the HTML ``<title>`` (nbconvert's ``escape_html_keep_quotes``), where no
    tag is ever live.
    """
    for cell in nb.cells:
        sources: list[str] = []
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                md = out.get("data", {}).get("text/markdown")
                if md:
                    sources.append(md if isinstance(md, str) else "".join(md))
        elif cell.cell_type == "markdown" and not set(cell.metadata.get("tags", [])) & REMOVE_CELL_TAGS:
            sources.append(cell.source)
        for text in sources:
            for line in text.splitlines():
                if line.startswith("# "):
                    return unescape(_MD_ESCAPE.sub(r"\1", line[2:].strip()))
    return None


def export_html(executed_ipynb: str | Path, html_path: str | Path, *, lang: str = "fr") -> Path:
    """Render an executed notebook to a self-contained client HTML report (code hidden)."""
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    nb = nbformat.read(str(executed_ipynb), as_version=4)
    title = _report_title(nb) or Path(executed_ipynb).stem
    nb.metadata["title"] = title

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_CELL_TAGS)
    c.TagRemovePreprocessor.remove_input_tags = set(REMOVE_INPUT_TAGS)
    c.TagRemovePreprocessor.remove_all_outputs_tags = set(REMOVE_OUTPUT_TAGS)
    exporter = HTMLExporter(
        config=c,
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.language_code = lang
    exporter.register_preprocessor(TagRemovePreprocessor(config=c), enabled=True)
    nb = _client_view(nb)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    out = Path(html_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(body, encoding="utf-8")
    return out


def _mark_short_tables(output: Any) -> Any:
    """Tag a DataFrame table of at most :data:`KEEP_TABLE_ROWS` rows ``cm-keep`` (kept whole in print)."""
    html = output.get("data", {}).get("text/html")
    if html is None:
        return output
    text = html if isinstance(html, str) else "".join(html)
    if text.count('class="dataframe"') == 1 and text.count("<tr") <= KEEP_TABLE_ROWS + 2:  # + header rows
        output["data"]["text/html"] = text.replace('class="dataframe"', 'class="dataframe cm-keep"')
    return output


def _client_view(nb: Any) -> Any:
    """Drop what a client must not see: error streams (warnings) and code cells with no output.

    Short tables are also marked to stay on one printed page (:func:`_mark_short_tables`).
    """
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                _mark_short_tables(o)
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
            tags = set(cell.metadata.get("tags", []))
            if not cell.outputs and not tags & REMOVE_INPUT_TAGS:
                continue
        cells.append(cell)
    nb.cells = cells
    return nb
