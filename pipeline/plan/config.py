"""The plan configuration (one TOML file): everything province- and plan-specific."""
from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline.errors import PipelineError

# section -> key -> expected type. Every key is required.
_SCHEMA: dict[str, dict[str, type | tuple]] = {
    "plan": {"number": str, "date": date, "name": str, "reporting_year": int, "master": str},
    "directive": {"citation": str, "subject": str},
    "issuer": {"name": str, "header_lines": list, "place": str, "notation": str},
    "report": {"recipients": list, "noi_nhan": list, "drafting_unit": str, "priority": str, "issued_amount": int},
    "signer": {"authority_lines": list, "position": str, "name": str},
}
# Optional section [don_doc]: the công văn đôn đốc. Every key is optional; a missing one takes its default
# from the report's own settings (FollowUpConfig.from_sections).
_FOLLOW_UP_SCHEMA: dict[str, type] = {
    "issuer_name": str, "parent_lines": list, "header_lines": list, "notation": str, "noi_nhan": list,
    "drafting_unit": str, "authority_lines": list, "position": str, "name": str, "sender_unit": str,
    "email": str, "answer_days": int, "due_soon_days": int, "priority": str,
}
_FOLLOW_UP_MAY_BE_EMPTY = ("parent_lines", "noi_nhan", "email")
_TYPE_WORDS = {str: "một chuỗi chữ", date: "một ngày (dạng 2022-05-09)", int: "một số nguyên",
               list: "một danh sách chuỗi [\"…\", \"…\"]"}


DEFAULT_ANSWER_DAYS = 5   # forms are due this many days before the report (the 25th of the period's last month)


@dataclass(frozen=True)
class FollowUpConfig:
    """Who sends the công văn đôn đốc, under which notation and signature, and its time limits."""
    issuer_name: str
    parent_lines: tuple[str, ...]     # the body above a subordinate issuer (upright), e.g. UBND TỈNH KIÊN GIANG
    header_lines: tuple[str, ...]     # the issuer itself (bold)
    notation: str                     # Số: …/UBND-TH
    noi_nhan: tuple[str, ...]         # between «Như trên» and «Lưu: VT, …»
    drafting_unit: str
    authority_lines: tuple[str, ...]
    position: str
    name: str
    sender_unit: str                  # who sends the e-mail drafts
    email: str                        # its address ("" = the mail program fills in From)
    answer_days: int                  # the reply-by date: this many days before the report is due
    due_soon_days: int                # tasks falling due within this many days of the cut-off are reminded
    priority: str


@dataclass(frozen=True)
class PlanConfig:
    path: Path
    plan_number: str
    plan_date: date
    plan_name: str
    reporting_year: int
    master_path: Path
    directive_citation: str
    directive_subject: str
    issuer_name: str
    issuer_header_lines: tuple[str, ...]
    place: str
    notation: str
    recipients: tuple[str, ...]
    noi_nhan: tuple[str, ...]
    drafting_unit: str
    priority: str
    issued_amount: int
    signer_authority_lines: tuple[str, ...]
    signer_position: str
    signer_name: str
    raw: dict
    follow_up: FollowUpConfig | None = None

    def submission_deadline(self, period) -> date:
        """The day the agencies' forms are due for `period` ([don_doc] answer_days before the report is due)."""
        from pipeline.plan.periods import submission_deadline
        return submission_deadline(period, self.follow_up.answer_days if self.follow_up else DEFAULT_ANSWER_DAYS)

    @property
    def input_dir(self) -> Path:
        return self.path.parent


def _nfc(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.strip())
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    return value


def _check_value(path: Path, name: str, value, typ: type, may_be_empty: bool = False,
                 at_most: int | None = None) -> None:
    """Refuse a value of the wrong type, an empty text or list (unless allowed), a number outside 0..at_most."""
    ok = isinstance(value, typ) and not (typ is int and isinstance(value, bool))
    if typ is date and hasattr(value, "hour"):
        ok = False
    if typ is list:
        ok = ok and (may_be_empty or bool(value)) and all(isinstance(x, str) and x.strip() for x in value)
    if typ is str:
        ok = ok and (may_be_empty or bool(value.strip()))
    if typ is int and at_most is not None:
        ok = ok and 0 <= value <= at_most
    if not ok:
        words = _TYPE_WORDS[typ] + (" không rỗng" if typ in (str, list) and not may_be_empty else "")
        if typ is int and at_most is not None:
            words += f" từ 0 đến {at_most}"
        raise PipelineError(f"Tệp cấu hình «{path}»: khóa «{name}» phải là {words}.")


def load_config(path: Path | str) -> PlanConfig:
    path = Path(path)
    if not path.is_file():
        raise PipelineError(f"Không tìm thấy tệp cấu hình «{path}».")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # Notepad may save UTF-8 with a BOM
    except UnicodeDecodeError:
        raise PipelineError(f"Tệp cấu hình «{path}» không phải văn bản UTF-8.") from None
    except tomllib.TOMLDecodeError as exc:
        raise PipelineError(f"Tệp cấu hình «{path}» sai cú pháp TOML: {exc}.") from None

    unknown = sorted(set(data) - set(_SCHEMA) - {"don_doc"})
    if unknown:
        raise PipelineError(f"Tệp cấu hình «{path}»: mục [{unknown[0]}] không được biết đến "
                            f"(các mục hợp lệ: {', '.join(_SCHEMA)}).")
    v: dict[str, dict] = {}
    for section, keys in _SCHEMA.items():
        table = data.get(section)
        if not isinstance(table, dict):
            raise PipelineError(f"Tệp cấu hình «{path}» thiếu mục [{section}].")
        unknown = sorted(set(table) - set(keys))
        if unknown:
            raise PipelineError(
                f"Tệp cấu hình «{path}», mục [{section}]: khóa «{unknown[0]}» không được biết đến "
                f"(các khóa hợp lệ: {', '.join(keys)})."
            )
        v[section] = {}
        for key, typ in keys.items():
            name = f"{section}.{key}"
            if key not in table:
                raise PipelineError(f"Tệp cấu hình «{path}» thiếu khóa «{name}».")
            _check_value(path, name, table[key], typ)
            v[section][key] = _nfc(table[key])

    master = (path.parent / v["plan"]["master"]).resolve()
    return PlanConfig(
        path=path.resolve(),
        plan_number=v["plan"]["number"],
        plan_date=v["plan"]["date"],
        plan_name=v["plan"]["name"],
        reporting_year=v["plan"]["reporting_year"],
        master_path=master,
        directive_citation=v["directive"]["citation"],
        directive_subject=v["directive"]["subject"],
        issuer_name=v["issuer"]["name"],
        issuer_header_lines=tuple(v["issuer"]["header_lines"]),
        place=v["issuer"]["place"],
        notation=v["issuer"]["notation"],
        recipients=tuple(v["report"]["recipients"]),
        noi_nhan=tuple(v["report"]["noi_nhan"]),
        drafting_unit=v["report"]["drafting_unit"],
        priority=v["report"]["priority"],
        issued_amount=v["report"]["issued_amount"],
        signer_authority_lines=tuple(v["signer"]["authority_lines"]),
        signer_position=v["signer"]["position"],
        signer_name=v["signer"]["name"],
        raw=data,
        follow_up=_follow_up(path, data.get("don_doc", {}), v),
    )


def _follow_up(path: Path, table, v: dict) -> FollowUpConfig:
    if not isinstance(table, dict):
        raise PipelineError(f"Tệp cấu hình «{path}»: [don_doc] phải là một mục (bảng khóa = giá trị).")
    unknown = sorted(set(table) - set(_FOLLOW_UP_SCHEMA))
    if unknown:
        raise PipelineError(f"Tệp cấu hình «{path}», mục [don_doc]: khóa «{unknown[0]}» không được biết đến "
                            f"(các khóa hợp lệ: {', '.join(_FOLLOW_UP_SCHEMA)}).")
    issuer, report, signer = v["issuer"], v["report"], v["signer"]
    default = {
        "issuer_name": issuer["name"], "parent_lines": [], "header_lines": issuer["header_lines"],
        "notation": f"UBND-{report['drafting_unit']}", "noi_nhan": [], "drafting_unit": report["drafting_unit"],
        "authority_lines": signer["authority_lines"], "position": signer["position"], "name": signer["name"],
        "sender_unit": f"Văn phòng {issuer['name']}", "email": "", "answer_days": DEFAULT_ANSWER_DAYS, "due_soon_days": 30,
        "priority": report["priority"],
    }
    got = {}
    for key, typ in _FOLLOW_UP_SCHEMA.items():
        if key not in table:
            got[key] = default[key]
            continue
        value = table[key]
        _check_value(path, f"don_doc.{key}", value, typ, may_be_empty=key in _FOLLOW_UP_MAY_BE_EMPTY, at_most=366)
        got[key] = _nfc(value)
    if got["email"]:
        from pipeline.plan.master import check_email
        if check_email(got["email"]) is None:
            raise PipelineError(f"Tệp cấu hình «{path}»: khóa «don_doc.email» = «{got['email']}» không phải một địa chỉ "
                                "thư điện tử (dạng ten@co-quan.gov.vn); để trống \"\" nếu chương trình thư tự điền.")
    return FollowUpConfig(**{k: tuple(x) if isinstance(x, list) else x for k, x in got.items()})
