"""Progress while forms are read: a bar with «k/n» on a terminal, nothing in a log or a pipe."""
import os
import pty
import select
import subprocess
import sys

import pytest

from tests.conftest import SAMPLE, copy_project


def _run_on_terminal(args, cwd) -> tuple[subprocess.CompletedProcess, str]:
    """Run the CLI with stderr on a pseudo-terminal (as in a console); stdout stays a pipe."""
    main, term = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=term, text=True)
    os.close(term)
    seen = b""
    while True:
        ready, _, _ = select.select([main], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(main, 4096)
        except OSError:          # the terminal's other side is closed: the run is over
            break
        if not chunk:
            break
        seen += chunk
    out = proc.stdout.read()
    proc.wait(timeout=120)
    os.close(main)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, ""), seen.decode("utf-8", "replace")


@pytest.mark.parametrize("command, code", [(["don-doc", "--period", "2022-Q3"], 0),
                                           (["report", "--period", "2022-Q3"], 1)])
def test_reading_the_forms_shows_k_of_n_on_a_terminal_only(tmp_path, command, code):
    forms = sorted(p.name for p in SAMPLE.iterdir())
    n = len(forms)
    project = copy_project(tmp_path / "tren-man-hinh")
    run, terminal = _run_on_terminal(command, project)
    assert run.returncode == code
    for k, name in enumerate(forms, start=1):
        assert f"Đang đọc phiếu {k}/{n} [" in terminal and name[:39] in terminal
    assert "Đang đọc phiếu" not in run.stdout

    project = copy_project(tmp_path / "vao-tep")
    piped = subprocess.run([sys.executable, "-m", "pipeline", *command], cwd=project, capture_output=True, text=True)
    assert piped.returncode == code
    assert "Đang đọc phiếu" not in piped.stderr + piped.stdout and "\r" not in piped.stderr
    assert piped.stdout == run.stdout.replace("\r\n", "\n")
