import shutil
from pathlib import Path

import pytest

# The sample lives in a private copy (tests/sample.py): ROOT is the checkout, for its code, scripts and
# templates only; its input/ and output/ belong to the user.
from tests.sample import CONFIG, INPUT, MASTER, PROJECT, ROOT, SAMPLE, SAMPLE_Q2, copy_project  # noqa: F401


@pytest.fixture(scope="session")
def master():
    from pipeline.plan.master import load_master
    return load_master(MASTER)


@pytest.fixture(scope="session")
def config():
    from pipeline.plan.config import load_config
    return load_config(CONFIG)


@pytest.fixture
def master_copy(tmp_path):
    """A writable copy of the committed master workbook."""
    dst = tmp_path / "nhiem-vu.xlsx"
    shutil.copy(MASTER, dst)
    return dst


def copy_sample(dst: Path) -> Path:
    """A copy of the sample period folder, to add or change files without touching the repository."""
    folder = dst / "2022-Q3"
    shutil.copytree(SAMPLE, folder)
    return folder


def settle_all(editorial: Path, dst: Path, note: str = "Đã kiểm tra") -> Path:
    """The clerk's review: write «Đã kiểm tra» on every block with a point, save as `dst`."""
    import openpyxl
    from pipeline.drafting.editorial import COL_NOTE, COL_POINTS, FIRST_ROW, SHEET

    wb = openpyxl.load_workbook(editorial)
    ws = wb[SHEET]
    for row in range(FIRST_ROW, ws.max_row + 1):
        if ws.cell(row, COL_POINTS).value:
            ws.cell(row, COL_NOTE).value = note
    wb.save(dst)
    return dst


ROW_COLUMNS = ["agency", "task_id", "status", "completed_on", "progress", "results", "output_doc", "difficulties",
               "proposals"]


def agency_rows(*data, columns=ROW_COLUMNS):
    """Accepted rows as collect gives them to merge: one tuple per row, in `columns` order."""
    import pandas as pd
    df = pd.DataFrame([dict(zip(columns, r)) for r in data], columns=columns)
    df["completed_on"] = pd.to_datetime(df["completed_on"])
    return df


@pytest.fixture(scope="session")
def ordinary():
    """Run commands as an ordinary account (tests/accounts.py): the user itself, or nobody when root."""
    from tests.accounts import Ordinary
    account = Ordinary(ROOT)
    yield account
    account.close()
