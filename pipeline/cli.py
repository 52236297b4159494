"""Command line: `python -m pipeline …` or `baocao …`. Errors are one Vietnamese line, never a traceback."""
from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import threading
import traceback
from datetime import date
from pathlib import Path

from pipeline.errors import EXIT_FAILED, PipelineError

DEFAULT_CONFIG = Path("input/ke-hoach-112.toml")
DEFAULT_OUTPUT = Path("output")


_ARGPARSE_WORDS = [  # argparse's own English, as the user should read it
    (r"the following arguments are required: (.*)", r"thiếu tham số bắt buộc: \1"),
    (r"unrecognized arguments: (.*)", r"tham số không được biết đến: \1"),
    (r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)", r"\1: lựa chọn \2 không có (chọn một trong: \3)"),
    (r"argument (\S+): expected one argument", r"\1 cần một giá trị"),
    (r"argument (\S+): (.*)", r"\1: \2"),
]


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "Cách dùng: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", help="in hướng dẫn này rồi thoát")

    def error(self, message):
        for pattern, words in _ARGPARSE_WORDS:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, words, message)
                break
        self.print_usage(sys.stderr)
        print(f"Lỗi: {message}. Xem hướng dẫn: {self.prog} --help", file=sys.stderr)
        sys.exit(EXIT_FAILED)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày «{text}» phải có dạng NĂM-THÁNG-NGÀY, ví dụ 2022-09-20") from None


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"số văn bản «{text}» phải là số nguyên dương")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="baocao", description="Tổng hợp phiếu báo cáo của các cơ quan thành BÁO CÁO của "
                "Ủy ban nhân dân (DOCX trình ký và PDF/A lưu trữ).")
    p.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="tệp cấu hình kế hoạch (TOML)")
    p.add_argument("--debug", action="store_true", help="in chi tiết lỗi kỹ thuật (dành cho người bảo trì)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="LỆNH")

    s = sub.add_parser("check", help="kiểm tra cấu hình và bảng nhiệm vụ, in tóm tắt")
    s.add_argument("--period", help="kỳ báo cáo, ví dụ 2022-Q3, q3, 2022-H1")

    s = sub.add_parser("templates", help="tạo phiếu báo cáo Excel cho từng cơ quan chủ trì")
    s.add_argument("--period", required=True)
    s.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="thư mục ghi kết quả (mặc định output)")

    s = sub.add_parser("report", help="đọc phiếu đã nộp và lập báo cáo (DOCX, PDF/A, bảng tổng hợp)")
    s.add_argument("--period", required=True, help="kỳ báo cáo, ví dụ 2022-Q3 hoặc q3")
    s.add_argument("--input", type=Path, help="thư mục phiếu đã nộp (mặc định input/<kỳ>)")
    s.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="thư mục ghi kết quả (mặc định output)")
    s.add_argument("--so", type=_positive_int, help="số văn bản do văn thư cấp (bản phát hành)")
    s.add_argument("--ngay", type=_iso_date, help="ngày ban hành, dạng 2022-09-20 (bản phát hành)")
    s.add_argument("--ghi-de-ban-phat-hanh", action="store_true", dest="replace_issued",
                   help="lập lại bản phát hành có số đã lập trước đó (ghi đè output/<kỳ>/phat-hanh/<số>/)")

    s = sub.add_parser("don-doc", help="lập công văn đôn đốc các cơ quan chưa báo cáo, báo cáo chưa hợp lệ hoặc có "
                       "nhiệm vụ sắp đến hạn, kèm tệp và thư điện tử nháp cho từng cơ quan")
    s.add_argument("--period", required=True, help="kỳ báo cáo, ví dụ 2022-Q3 hoặc q3")
    s.add_argument("--input", type=Path, help="thư mục phiếu đã nộp (mặc định input/<kỳ>)")
    s.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="thư mục ghi kết quả (mặc định output)")
    s.add_argument("--han", type=_iso_date, help="hạn các cơ quan gửi phiếu, dạng 2022-09-20 (mặc định: trước hạn gửi "
                   "báo cáo số ngày ghi ở don_doc.answer_days của cấu hình)")
    s.add_argument("--so-ngay", type=_positive_int, dest="days",
                   help="nhắc nhiệm vụ đến hạn trong số ngày này sau ngày chốt số liệu (mặc định don_doc.due_soon_days)")
    s.add_argument("--so", type=_positive_int, help="số công văn do văn thư cấp (bản phát hành)")
    s.add_argument("--ngay", type=_iso_date, help="ngày ban hành công văn, dạng 2022-09-16 (bản phát hành)")
    s.add_argument("--ghi-de-ban-phat-hanh", action="store_true", dest="replace_issued",
                   help="lập lại công văn có số đã lập trước đó (ghi đè don-doc/phat-hanh/<số>/)")

    s = sub.add_parser("check-template", help="kiểm tra sổ câu chữ và mẫu Word: câu, chỗ trống, biến, thẻ đặt sai chỗ")
    s.add_argument("--template", type=Path, help="tệp mẫu .docx (mặc định templates/docx/bao-cao.docx)")
    s.add_argument("--phrasebook", type=Path, help="sổ câu chữ (mặc định templates/phrasebook/bao-cao.toml)")

    s = sub.add_parser("import-plan", help="đọc phụ lục nhiệm vụ từ văn bản kế hoạch (.docx)")
    s.add_argument("docx", type=Path)
    s.add_argument("--output", type=Path, required=True, help="bảng nhiệm vụ sẽ ghi (.xlsx)")
    s.add_argument("--registry", type=Path, help="bảng có danh mục cơ quan và đính chính "
                   "(mặc định: bảng nhiệm vụ trong cấu hình)")
    return p


class Stopped(BaseException):
    """SIGTERM/SIGHUP turned into an exception, so every `finally` (temp folders, lock) runs."""


def _stop(signum, frame):
    if frame is not None and frame.f_code.co_name == "__del__":
        # Python ignores an exception raised inside a finaliser (a ZipFile being collected): the run
        # would go on. Deliver the signal again a moment later, outside it.
        threading.Timer(0.01, os.kill, (os.getpid(), signum)).start()
        return
    raise Stopped(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        from pipeline import commands
        return getattr(commands, "cmd_" + args.command.replace("-", "_"))(args)
    except PipelineError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except (KeyboardInterrupt, Stopped) as exc:
        why = f" (tín hiệu {exc})" if isinstance(exc, Stopped) else ""
        print(f"Đã dừng theo yêu cầu{why}; không tệp kết quả dở dang nào được để lại.", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        from pipeline.archive.outputs import oserror_sentence
        sentence = oserror_sentence(exc)
        if sentence is None:
            return _unexpected(exc, args.debug)
        if args.debug:
            traceback.print_exc()
        print(f"Lỗi: {sentence}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # the user never sees a traceback unless asked
        return _unexpected(exc, args.debug)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _unexpected(exc: BaseException, debug: bool) -> int:
    if debug:
        traceback.print_exc()
    print(f"Lỗi ngoài dự kiến ({type(exc).__name__}: {exc}). Chạy lại với --debug để xem chi tiết "
          "và gửi cho người bảo trì.", file=sys.stderr)
    return EXIT_FAILED
