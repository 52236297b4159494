"""Where a run writes and how, so that nothing is lost (standard library only: `make clean` uses it).

- output/<period>/ holds the current draft; output/<period>/phat-hanh/<số>/ each issued report,
  never replaced by a draft or another number, re-issued only when asked.
- Only files the tool wrote are replaced or removed: a name is the tool's when the folder's
  manifest.json lists it with the same SHA-256. Anything else (a signed scan, an edited DOCX,
  subfolders such as phieu/) stays; an edited file in the way of a new output is renamed, not lost.
- One run per period at a time (flock on output/<period>/.baocao.lock, which says who holds it).
- Outputs are built in a hidden staging folder inside the target folder (same file system, so a
  rename is atomic, and a symlinked period folder is written through, never moved); staging folders
  left by killed runs are removed at the next start, under the lock.
"""
from __future__ import annotations

import errno
import fcntl
import getpass
import json
import os
import re
import shutil
import signal
import socket
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pipeline.files import dir_mode, sha256_of
from pipeline.errors import PipelineError

MANIFEST = "manifest.json"
LOCK_NAME = ".baocao.lock"
STAGING_PREFIX = ".baocao-tam-"
ISSUED_DIR = "phat-hanh"
FOLLOW_UP_DIR = "don-doc"    # output/<period>/don-doc/: the follow-up letters, a folder with its own manifest
KEPT_INFIX = "giu-lai"
REISSUE_FLAG = "--ghi-de-ban-phat-hanh"


def shown(path: Path) -> str:
    """A path as the user typed it, relative to the working folder when it is inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


# ---------------------------------------------------------------- where

def check_no_overlap(out_dir: Path, protected: list[tuple[str, Path]]) -> None:
    """Refuse an output folder equal to, inside, or containing an input folder (nothing is touched)."""
    out = Path(out_dir).resolve()
    for what, folder in protected:
        folder = Path(folder).resolve()
        if out == folder or folder in out.parents or out in folder.parents:
            raise PipelineError(
                f"Không ghi kết quả vào «{shown(out_dir)}» vì thư mục này trùng hoặc lồng với {what} "
                f"«{shown(folder)}» (công cụ không bao giờ ghi vào thư mục đầu vào); hãy chọn thư mục kết quả "
                "khác, ví dụ --output output.")


def ensure_folder(folder: Path) -> Path:
    """Create the folder (per umask); a period folder may be a symlink to an existing folder."""
    folder = check_folder(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def check_folder(folder: Path) -> Path:
    """Refuse a folder that cannot be one (a dangling link, a file), touching nothing."""
    folder = Path(folder)
    if folder.is_symlink() and not folder.exists():
        raise PipelineError(f"«{shown(folder)}» là liên kết tới «{os.readlink(folder)}», một thư mục không tồn tại; "
                            "hãy tạo thư mục đó hoặc xóa liên kết.")
    if folder.exists() and not folder.is_dir():
        raise PipelineError(f"«{shown(folder)}» là một tệp, không phải thư mục; hãy đổi tên tệp đó hoặc chọn "
                            "thư mục kết quả khác.")
    return folder


def issued_folder(period_dir: Path, number: int) -> Path:
    return Path(period_dir) / ISSUED_DIR / str(number)


def check_issue_free(target: Path, number: int, replace: bool) -> None:
    if (Path(target) / MANIFEST).exists() and not replace:
        raise PipelineError(
            f"Bản phát hành số {number} đã có trong «{shown(target)}» và không bị ghi đè; nếu thật sự cần lập lại "
            f"bản phát hành số này, chạy lại với {REISSUE_FLAG} (các tệp khác trong thư mục được giữ nguyên).")


# ---------------------------------------------------------------- lock

@contextmanager
def period_lock(period_dir: Path, what: str):
    """Hold the period's lock for the block; a second run fails at once, saying who holds it."""
    path = Path(period_dir) / LOCK_NAME
    with environment_errors(period_dir):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PipelineError(f"{what} đang được một lần chạy khác ghi ({_holder(fd)}); hãy chờ lần chạy đó "
                                "kết thúc rồi chạy lại.") from None
        info = {"pid": os.getpid(), "user": _user(), "host": socket.gethostname(),
                "started": datetime.now().replace(microsecond=0).isoformat()}
        with environment_errors(period_dir):
            os.ftruncate(fd, 0)
            os.pwrite(fd, (json.dumps(info, ensure_ascii=False) + "\n").encode("utf-8"), 0)
        yield path
    finally:
        os.close(fd)  # closing releases the lock; the file stays (removing it would race)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no name for this uid (a container): the number says enough
        return str(os.getuid())


def _holder(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
        started = datetime.fromisoformat(info["started"])
        return (f"tiến trình {info['pid']} của người dùng {info['user']} trên máy {info['host']}, "
                f"bắt đầu lúc {started:%H:%M:%S} ngày {started.day:02d}/{started.month:02d}/{started.year}")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return "lần chạy đó vừa bắt đầu"


def is_locked(period_dir: Path) -> bool:
    path = Path(period_dir) / LOCK_NAME
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


# ---------------------------------------------------------------- staging

def remove_leftovers(period_dir: Path) -> list[Path]:
    """Staging folders of earlier runs that were killed; call only while holding the period's lock.

    Also the half-built folders older versions left beside the period folder (output/.2022-Q3.<8 random
    characters>, tempfile.mkdtemp's pattern); never their parked `.2022-Q3.old`, which may hold more.
    """
    period_dir = Path(period_dir)
    legacy = re.compile(re.escape(f".{period_dir.name}.") + r"[a-z0-9_]{8}")
    found = list(period_dir.glob(STAGING_PREFIX + "*"))
    found += [p for p in period_dir.parent.glob(f".{period_dir.name}.*") if legacy.fullmatch(p.name)]
    gone = []
    for p in sorted(found):
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
            gone.append(p)
    return gone


@contextmanager
def staging(period_dir: Path):
    """A hidden folder to build outputs in; removed afterwards whatever happens."""
    stage = None
    try:
        # a stop arriving between the folder's creation and `stage` being known would leave it behind
        with signals_deferred():
            stage = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=period_dir))
        os.chmod(stage, dir_mode())  # it may become an issued folder: readable per umask, not 0700
        yield stage
    finally:
        if stage is not None:
            with signals_deferred():   # nor may it cut the clean-up short
                shutil.rmtree(stage, ignore_errors=True)


@contextmanager
def signals_deferred():
    """Hold SIGTERM/SIGHUP/SIGINT while files are moved into place, so a run is never half-moved."""
    sigs = {signal.SIGTERM, signal.SIGHUP, signal.SIGINT}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


# ---------------------------------------------------------------- one run

@dataclass
class Run:
    period_dir: Path
    target: Path                      # the period folder (draft) or phat-hanh/<số>/ (issued)
    notices: list[str] = field(default_factory=list)


@contextmanager
def period_run(period_dir: Path, what: str, protected: list[tuple[str, Path]], issue_number: int | None = None,
               replace_issued: bool = False):
    """Everything before a run writes: refuse unsafe targets (before touching anything), create the
    period folder, take its lock, remove leftovers of killed runs, move an old-style issued report."""
    period_dir = Path(period_dir)
    check_no_overlap(period_dir, protected)
    target = issued_folder(period_dir, issue_number) if issue_number else period_dir
    if issue_number:
        check_issue_free(target, issue_number, replace_issued)
    with environment_errors(period_dir):
        ensure_folder(period_dir)
    with period_lock(period_dir, what):
        run = Run(period_dir, target)
        with environment_errors(period_dir):
            remove_leftovers(period_dir)
            adopted = adopt_legacy_issue(period_dir)
        if adopted:
            run.notices.append(f"Bản phát hành do phiên bản trước ghi ở «{shown(period_dir)}» đã được chuyển vào "
                               f"«{shown(adopted)}», nơi không lần chạy nào thay thế nó.")
        if issue_number:  # again, under the lock: another run may have issued it meanwhile
            check_issue_free(target, issue_number, replace_issued)
        yield run


# ---------------------------------------------------------------- commit

def tool_written(folder: Path, draft_only: bool) -> dict[str, str]:
    """Names (relative to folder) the tool wrote there, with their SHA-256, from the folder's manifest.

    With draft_only, an issued report's manifest (left at the top level by older versions) gives none:
    its files are then kept like any file the tool did not write.
    """
    try:
        manifest = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
        listed = {rec["path"]: rec["sha256"] for rec in manifest["outputs"].values()}
        draft = manifest.get("draft", True)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    if draft_only and draft is False:
        return {}
    ours = {name: sha for name, sha in listed.items() if "/" not in name and name not in ("", ".", "..")}
    ours[MANIFEST] = ""  # our own manifest (parsed above) is ours by construction
    return ours


def adopt_legacy_issue(period_dir: Path) -> Path | None:
    """Versions before phat-hanh/ wrote an issued report into output/<period>/ itself: move its files
    (those its manifest lists, unchanged) into phat-hanh/<số>/, where no draft replaces them.
    Call while holding the period's lock. Returns the new folder, or None when there was nothing to move."""
    period_dir = Path(period_dir)
    try:
        manifest = json.loads((period_dir / MANIFEST).read_text(encoding="utf-8"))
        number = int(manifest["metadata"]["CodeNumber"])
        listed = {rec["path"]: rec["sha256"] for rec in manifest["outputs"].values()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    target = issued_folder(period_dir, number)
    if manifest.get("draft") is not False or number < 1 or target.exists() or target.is_symlink():
        return None
    ours = {n: sha for n, sha in listed.items() if "/" not in n}
    with signals_deferred():
        target.mkdir(parents=True)
        for name in ours:
            if is_tool_file(period_dir / name, ours):
                (period_dir / name).rename(target / name)
        (period_dir / MANIFEST).rename(target / MANIFEST)
    return target


def is_tool_file(path: Path, ours: dict[str, str]) -> bool:
    if path.name not in ours or path.is_symlink() or not path.is_file():
        return False
    return ours[path.name] == "" or sha256_of(path) == ours[path.name]


def _free_name(path: Path) -> Path:
    n = 1
    while True:
        candidate = path.with_name(f"{path.stem}.{KEPT_INFIX}-{n}{path.suffix}")
        if not candidate.exists() and not candidate.is_symlink():
            return candidate
        n += 1


@dataclass
class Commit:
    folder: Path
    kept_aside: list[tuple[str, str]] = field(default_factory=list)  # (name, new name)
    removed_stale: list[str] = field(default_factory=list)


def commit(stage: Path, target: Path, names: list[str], draft_only: bool) -> Commit:
    """Move the staged files `names` into target (manifest.json last), replacing only what the tool wrote.

    A new target folder is the staging folder itself, renamed: all or nothing.
    """
    stage, target = Path(stage), Path(target)
    result = Commit(target)
    with signals_deferred():
        if not target.exists() and not target.is_symlink():
            target.parent.mkdir(parents=True, exist_ok=True)
            stage.rename(target)
            return result
        ours = tool_written(target, draft_only)
        order = [n for n in names if n != MANIFEST] + [n for n in names if n == MANIFEST]
        for name in order:
            dest = target / name
            if (dest.exists() or dest.is_symlink()) and not is_tool_file(dest, ours):
                aside = _free_name(dest)
                dest.rename(aside)
                result.kept_aside.append((name, aside.name))
            os.replace(stage / name, dest)
        for name in sorted(set(ours) - set(names)):  # outputs an earlier run wrote and this one does not
            old = target / name
            if is_tool_file(old, ours):
                old.unlink()
                result.removed_stale.append(name)
    return result


@contextmanager
def environment_errors(folder: Path):
    """Disk full, read-only or forbidden folder: one Vietnamese sentence naming the folder."""
    try:
        yield
    except OSError as exc:
        sentence = oserror_sentence(exc, folder)
        if sentence is None:
            raise
        raise PipelineError(sentence) from exc


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:   # the handler must not fail on the path it explains
        return False


def oserror_sentence(exc: OSError, folder: Path | None = None) -> str | None:
    """One Vietnamese sentence for an environment failure (disk full, read-only, no permission)."""
    where = exc.filename or folder
    if exc.errno == errno.ENAMETOOLONG:
        name = Path(os.fsdecode(where)).name if where is not None else ""
        shown_name = name if len(name) <= 60 else name[:40] + "…"
        return (f"Tên tệp hoặc thư mục «{shown_name}» quá dài so với giới hạn của hệ thống tệp; hãy dùng số văn bản, "
                "tên kỳ hoặc thư mục kết quả ngắn hơn (không tệp nào được ghi).")
    if where is not None:
        where = Path(os.fsdecode(where))
        if not _is_dir(where) and not (exc.errno in (errno.EACCES, errno.EPERM) and where.is_file()):
            where = where.parent
        # name the folder the user knows, not our hidden staging folder or temp file inside it
        while where.name.startswith(STAGING_PREFIX) or (where.name.startswith(".") and not _is_dir(where)):
            where = where.parent
    place = f"«{shown(where)}»" if where is not None else "thư mục kết quả"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"Hết chỗ trống trên đĩa khi ghi vào {place}; hãy giải phóng chỗ trống rồi chạy lại "
                "(không tệp kết quả dở dang nào được để lại).")
    if exc.errno == errno.EROFS:
        return (f"Thư mục {place} nằm trên ổ đĩa chỉ cho đọc, không ghi được; hãy chọn thư mục kết quả khác "
                "bằng --output.")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return (f"Không đủ quyền đọc hoặc ghi {place}; hãy xin cấp quyền cho tài khoản đang chạy hoặc chọn "
                "thư mục khác.")
    return None
