"""The committed sample, copied once per test process into a private folder: tests never read the
checkout's own input/ in place, where a clerk may have added a bien-tap.xlsx, returned forms or a
changed period folder (README: the clerk works in input/ and output/ of this very checkout).

The sample is the configuration, the master table and, in each period folder, the sample forms
scripts/make_sample_input.py writes (named as it names them and marked as sample data); anything
else a user put in input/ is left out.
"""
from __future__ import annotations

import atexit
import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG_NAME = "ke-hoach-112.toml"
MASTER_NAME = "nhiem-vu-112.xlsx"


def _sample_script():
    spec = importlib.util.spec_from_file_location("make_sample_input", ROOT / "scripts" / "make_sample_input.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module      # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def copy_committed_sample(source: Path, dst: Path) -> Path:
    """Copy the sample part of the project folder `source` (holding input/) into dst/input; return it."""
    from pipeline.plan.master import load_master
    from pipeline.plan.periods import parse_period

    script = _sample_script()
    src, out = source / "input", dst / "input"
    out.mkdir(parents=True)
    for name in (CONFIG_NAME, MASTER_NAME):
        shutil.copy2(src / name, out / name)
    master = load_master(src / MASTER_NAME)
    for code in script.SAMPLES:
        period = parse_period(code)
        (out / code).mkdir()
        for form in sorted((src / code).glob("*.xlsx")):
            if script.is_sample_form(form, period, master):
                shutil.copy2(form, out / code / form.name)
    return out


_PROJECT = Path(tempfile.mkdtemp(prefix="baocao-mau-"))
atexit.register(shutil.rmtree, _PROJECT, ignore_errors=True)
copy_committed_sample(ROOT, _PROJECT)

PROJECT = _PROJECT                      # a project folder holding only input/ (the sample): read it, never write
INPUT = PROJECT / "input"
CONFIG = INPUT / CONFIG_NAME
MASTER = INPUT / MASTER_NAME
SAMPLE = INPUT / "2022-Q3"
SAMPLE_Q2 = INPUT / "2022-Q2"


def copy_project(dst: Path) -> Path:
    """A writable project folder (input/ with the sample) at dst, where the CLI may run and write output/."""
    shutil.copytree(INPUT, dst / "input")
    return dst
