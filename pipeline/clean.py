"""`make clean` for output/: remove only draft files the tool wrote and can rebuild.

Run as `python3 -m pipeline.clean output` (standard library only, works before the venv exists).
A draft file goes when its folder's manifest.json lists it with the same SHA-256; issued reports
(phat-hanh/), agency workbooks (phieu/), edited files and anything else stay.
"""
from __future__ import annotations

import sys
from pathlib import Path

from pipeline.archive import outputs as out


def clean_output(root: Path) -> tuple[list[Path], list[Path]]:
    """Return (removed files, period folders skipped because a run holds them)."""
    removed: list[Path] = []
    busy: list[Path] = []
    root = Path(root)
    if not root.is_dir():
        return removed, busy
    for period_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        if out.is_locked(period_dir):
            busy.append(period_dir)
            continue
        removed += out.remove_leftovers(period_dir)
        ours = out.tool_written(period_dir, draft_only=True)
        for name in sorted(ours, key=lambda n: n == out.MANIFEST):  # the manifest last
            path = period_dir / name
            if out.is_tool_file(path, ours):
                path.unlink()
                removed.append(path)
        lock = period_dir / out.LOCK_NAME
        if lock.is_file() and not lock.is_symlink():
            lock.unlink()  # rebuilt by the next run; not counted as a draft file
        if not period_dir.is_symlink() and not any(period_dir.iterdir()):
            period_dir.rmdir()
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
