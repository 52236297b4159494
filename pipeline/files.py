"""Atomic writes, byte-stable zip containers, checksums and the run manifest."""
from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_UMASK: int | None = None


def _umask() -> int:
    global _UMASK
    if _UMASK is None:  # reading the umask means setting it: once, then restore
        _UMASK = os.umask(0o022)
        os.umask(_UMASK)
    return _UMASK


def file_mode() -> int:
    """Mode of a new output file: readable by others as the user's umask allows (0644 typically)."""
    return 0o666 & ~_umask()


def dir_mode() -> int:
    return 0o777 & ~_umask()


@contextmanager
def atomic_path(target: Path):
    """Yield a temp path in the target's folder; on success it replaces the target in one step."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, file_mode())  # mkstemp makes 0600
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


def write_bytes_atomic(target: Path, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


ZIP_FIRST_ENTRIES = ("[Content_Types].xml", "_rels/.rels")


def normalize_zip_bytes(data: bytes) -> bytes:
    """Rewrite an OOXML zip with fixed dates and a stable entry order: same content, same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        names = zin.namelist()
        ordered = [n for n in ZIP_FIRST_ENTRIES if n in names]
        ordered += sorted(n for n in names if n not in ZIP_FIRST_ENTRIES)
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zout.writestr(info, zin.read(name))
    return out.getvalue()


def normalize_zip(path: Path) -> None:
    write_bytes_atomic(path, normalize_zip_bytes(Path(path).read_bytes()))


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def portable_path(path: Path, root: Path, base: Path | None = None) -> str:
    """Path as recorded in outputs: relative to the project root (the same bytes wherever the project
    is cloned), else to base's parent (so "<base name>/<file>"), else the bare name; never absolute."""
    path = Path(path).absolute()
    for anchor in (root, Path(base).parent if base is not None else None):
        if anchor is None:
            continue
        try:
            return path.relative_to(Path(anchor).absolute()).as_posix()
        except ValueError:
            pass
        try:
            return path.resolve().relative_to(Path(anchor).resolve()).as_posix()
        except ValueError:
            pass
    return path.name


def file_record(path: Path, root: Path, base: Path | None = None) -> dict:
    path = Path(path)
    return {"path": portable_path(path, root, base), "sha256": sha256_of(path), "size": path.stat().st_size}


def write_manifest(target: Path, data: dict) -> Path:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n"
    return write_bytes_atomic(target, text.encode("utf-8"))


def put_value(cell, value):
    """Set a spreadsheet cell; a string stays text even when it starts with "=" (openpyxl would
    otherwise store a formula: agency text must never become one)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def save_workbook_stable(wb, path: Path) -> Path:
    """Save an openpyxl workbook atomically with fixed zip dates: equal content, equal bytes."""
    from openpyxl.writer.excel import ExcelWriter

    with atomic_path(path) as tmp:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            ExcelWriter(wb, archive).write_data()  # openpyxl's save_workbook stamps "modified" with now()
    normalize_zip(path)
    return Path(path)
