"""`make clean` for output/: remove only draft files the tool wrote and can rebuild.

Run as `python3 -m pipeline.clean output` (standard library only, works before the venv exists).
A draft file goes when its folder's manifest.json lists it with the same SHA-256; issued reports
(phat-hanh/), agency workbooks (phieu/), edited files and anything else stay. The follow-up folder
(<period>/don-doc/) is cleaned by the same rule, with its own manifest.
"""
from __future__ import annotations

import sys
from pathlib import Path

from pipeline.archive import outputs as out


def _clean_folder(folder: Path) -> list[Path]:
    removed = out.remove_leftovers(folder)
    ours = out.tool_written(folder, draft_only=True)
    for name in sorted(ours, key=lambda n: n == out.MANIFEST):  # the manifest last
        path = folder / name
        if out.is_tool_file(path, ours):
            path.unlink()
            removed.append(path)
    lock = folder / out.LOCK_NAME
    if lock.is_file() and not lock.is_symlink():
        lock.unlink()  # rebuilt by the next run; not counted as a draft file
    if not folder.is_symlink() and not any(folder.iterdir()):
        folder.rmdir()
    return removed


def clean_output(root: Path) -> tuple[list[Path], list[Path]]:
    """Return (removed files, period folders skipped because a run holds them)."""
    removed: list[Path] = []
    busy: list[Path] = []
    root = Path(root)
    if not root.is_dir():
        return removed, busy
    for period_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        # the follow-up letters (don-doc/) are a folder of their own, with their own manifest and lock
        for folder in (period_dir / out.FOLLOW_UP_DIR, period_dir):
            if not folder.is_dir():
                continue
            if out.is_locked(folder):
                busy.append(folder)
                continue
            removed += _clean_folder(folder)
    if not any(root.iterdir()):
        root.rmdir()
    return removed, busy


def main(argv: list[str]) -> int:
    root = Path(argv[0] if argv else "output")
    removed, busy = clean_output(root)
    print(f"Đã xóa {len(removed)} tệp dự thảo do công cụ tạo trong {root}/; giữ nguyên bản phát hành (phat-hanh/), "
          "phiếu (phieu/) và mọi tệp khác.")
    for p in busy:
        print(f"Bỏ qua {p}: đang có một lần chạy ghi vào thư mục này.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
