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


# What the help shows after an option (argparse would print the English name of the field).
_METAVARS = {"--config": "TỆP_CẤU_HÌNH", "--period": "KỲ", "--input": "THƯ_MỤC", "--output": "THƯ_MỤC",
             "--so": "SỐ", "--ngay": "NGÀY", "--han": "NGÀY", "--so-ngay": "SỐ_NGÀY", "--template": "TỆP_DOCX",
             "--phrasebook": "TỆP_TOML", "--registry": "TỆP_XLSX", "docx": "TỆP_DOCX"}
_VALUE_ERROR = re.compile(r"argument (\S+): (?!invalid choice|expected one argument)(.*)")


class _Parser(argparse.ArgumentParser):
    def add_argument(self, *names, **kwargs):
        if "metavar" not in kwargs and kwargs.get("action", "store") == "store":
            kwargs["metavar"] = next((_METAVARS[n] for n in names if n in _METAVARS), "GIÁ_TRỊ")
        return super().add_argument(*names, **kwargs)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", help="in hướng dẫn này rồi thoát")

    def error(self, message):
        value = _VALUE_ERROR.fullmatch(message)
        if value:  # a value that cannot be used: its own sentence says what is accepted
            print(f"Lỗi: {value.group(1)} {value.group(2)}.", file=sys.stderr)
            sys.exit(EXIT_FAILED)
        for pattern, words in _ARGPARSE_WORDS:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, words, message)
                break
        self.print_usage(sys.stderr)
        print(f"Lỗi: {message}. Xem hướng dẫn: {self.prog} --help", file=sys.stderr)
        sys.exit(EXIT_FAILED)


_TYPED_DATES = (  # as people type them: 20/9/2022, 20-9-2022, 2022-09-20
    (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), (3, 2, 1)),
    (re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})"), (3, 2, 1)),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), (1, 2, 3)),
)


def typed_date(text: str) -> date:
    """A date argument: day/month/year with «/» or «-», or year-month-day; anything else is refused."""
    for pattern, (y, m, d) in _TYPED_DATES:
        match = pattern.fullmatch(text.strip())
        if match:
            try:
                return date(int(match.group(y)), int(match.group(m)), int(match.group(d)))
            except ValueError:
                break
    raise argparse.ArgumentTypeError(f"«{text}» không phải một ngày có thật viết theo cách được nhận (ngày/tháng/năm "
                                     "như 20/9/2022 hay 20-9-2022, hoặc năm-tháng-ngày như 2022-09-20)")


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"«{text}» không phải một số nguyên dương")
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
    s.add_argument("--period", required=True, help="kỳ báo cáo, ví dụ 2022-Q4 hoặc q4")
    s.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="thư mục ghi kết quả (mặc định output)")

    s = sub.add_parser("report", help="đọc phiếu đã nộp và lập báo cáo (DOCX, PDF/A, bảng tổng hợp)")
    s.add_argument("--period", required=True, help="kỳ báo cáo, ví dụ 2022-Q3 hoặc q3")
    s.add_argument("--input", type=Path, help="thư mục phiếu đã nộp (mặc định input/<kỳ>)")
    s.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="thư mục ghi kết quả (mặc định output)")
    s.add_argument("--so", type=_positive_int, help="số văn bản do văn thư cấp (bản phát hành)")
    s.add_argument("--ngay", type=typed_date, help="ngày ban hành, ví dụ 20/9/2022 (bản phát hành)")
    s.add_argument("--ghi-de-ban-phat-hanh", action="store_true", dest="replace_issued",
                   help="lập lại bản phát hành có số đã lập trước đó (ghi đè output/<kỳ>/phat-hanh/<số>/)")

    s = sub.add_parser("tinh-hinh", help="tình hình kỳ báo cáo: cơ quan đã gửi (đúng hạn, gửi chậm), chưa gửi; tệp bị "
                       "loại; điểm biên tập đã xử lý, còn mở; đã phát hành được chưa (không ghi tệp nào)")
    s.add_argument("--period", required=True, help="kỳ báo cáo, ví dụ 2022-Q3 hoặc q3")
    s.add_argument("--input", type=Path, help="thư mục phiếu đã nộp (mặc định input/<kỳ>)")
    s.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                   help="thư mục kết quả, nơi có lich-su.sqlite (mặc định output)")
    s.add_argument("--ngay", type=typed_date, help="ngày dự kiến ban hành, ví dụ 20/9/2022: tính cả các điểm phụ "
                   "thuộc ngày này như khi cấp số")

    s = sub.add_parser("don-doc", help="lập công văn đôn đốc các cơ quan chưa báo cáo, báo cáo chưa hợp lệ hoặc có "
                       "nhiệm vụ sắp đến hạn, kèm tệp và thư điện tử nháp cho từng cơ quan")
    s.add_argument("--period", required=True, help="kỳ báo cáo, ví dụ 2022-Q3 hoặc q3")
    s.add_argument("--input", type=Path, help="thư mục phiếu đã nộp (mặc định input/<kỳ>)")
    s.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="thư mục ghi kết quả (mặc định output)")
    s.add_argument("--han", type=typed_date, help="hạn các cơ quan gửi phiếu, ví dụ 22/9/2022 (mặc định: trước hạn gửi "
                   "báo cáo số ngày ghi ở don_doc.answer_days của cấu hình)")
    s.add_argument("--so-ngay", type=_positive_int, dest="days",
                   help="nhắc nhiệm vụ đến hạn trong số ngày này sau ngày chốt số liệu (mặc định don_doc.due_soon_days)")
    s.add_argument("--so", type=_positive_int, help="số công văn do văn thư cấp (bản phát hành)")
    s.add_argument("--ngay", type=typed_date, help="ngày ban hành công văn, ví dụ 16/9/2022 (bản phát hành)")
    s.add_argument("--ghi-de-ban-phat-hanh", action="store_true", dest="replace_issued",
                   help="lập lại công văn có số đã lập trước đó (ghi đè don-doc/phat-hanh/<số>/)")

    s = sub.add_parser("check-template", help="kiểm tra sổ câu chữ và mẫu Word: câu, chỗ trống, biến, thẻ đặt sai chỗ")
    s.add_argument("--template", type=Path, help="tệp mẫu .docx (mặc định templates/docx/bao-cao.docx)")
    s.add_argument("--phrasebook", type=Path, help="sổ câu chữ (mặc định templates/phrasebook/bao-cao.toml)")

    s = sub.add_parser("import-plan", help="đọc phụ lục nhiệm vụ từ văn bản kế hoạch (.docx)")
    s.add_argument("docx", type=Path, help="văn bản kế hoạch (.docx) có bảng phụ lục nhiệm vụ")
    s.add_argument("--output", type=Path, required=True, metavar="TỆP_XLSX", help="bảng nhiệm vụ sẽ ghi (.xlsx)")
    s.add_argument("--registry", type=Path, help="bảng có danh mục cơ quan và đính chính "
                   "(mặc định: bảng nhiệm vụ trong cấu hình)")
    return p


class Stopped(BaseException):
    """SIGTERM/SIGHUP turned into an exception, so every `finally` (temp folders, lock) runs."""


def _swallowed(frame) -> bool:
    """Python ignores an exception raised in a finaliser (a ZipFile being collected, down to the close() it
    calls) or a weakref callback (importlib's module lock clean-up): raised there, the stop would be lost and
    the run would go on."""
    while frame is not None:
        if frame.f_code.co_name == "__del__" or frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


_redeliveries: list[threading.Timer] = []


def _stop(signum, frame):
    if _swallowed(frame):   # deliver the signal again a moment later, outside it
        timer = threading.Timer(0.01, os.kill, (os.getpid(), signum))
        _redeliveries.append(timer)
        timer.start()
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
        return _stopped(exc)
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
        stop = _stop_behind(exc)
        return _stopped(stop) if stop else _unexpected(exc, args.debug)
    finally:
        for timer in _redeliveries:   # the run is over: a stop still on its way must not kill the exit
            timer.cancel()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stopped(exc: BaseException) -> int:
    why = f" (tín hiệu {exc})" if isinstance(exc, Stopped) else ""
    print(f"Đã dừng theo yêu cầu{why}; không tệp kết quả dở dang nào được để lại.", file=sys.stderr)
    return EXIT_FAILED


def _stop_behind(exc: BaseException) -> Stopped | None:
    """The stop a library turned into its own error (openpyxl's bare `except:` raises TypeError over it)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, Stopped):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def _unexpected(exc: BaseException, debug: bool) -> int:
    if debug:
        traceback.print_exc()
    print(f"Lỗi ngoài dự kiến ({type(exc).__name__}: {exc}). Chạy lại với --debug để xem chi tiết "
          "và gửi cho người bảo trì.", file=sys.stderr)
    return EXIT_FAILED
