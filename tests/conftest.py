import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "input" / "ke-hoach-112.toml"
MASTER = ROOT / "input" / "nhiem-vu-112.xlsx"


@pytest.fixture(scope="session")
def master():
    from pipeline.master import load_master
    return load_master(MASTER)


@pytest.fixture(scope="session")
def config():
    from pipeline.config import load_config
    return load_config(CONFIG)


@pytest.fixture
def master_copy(tmp_path):
    """A writable copy of the committed master workbook."""
    dst = tmp_path / "nhiem-vu.xlsx"
    shutil.copy(MASTER, dst)
    return dst
