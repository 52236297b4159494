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
_TYPE_WORDS = {str: "một chuỗi chữ", date: "một ngày (dạng 2022-05-09)", int: "một số nguyên",
               list: "một danh sách chuỗi [\"…\", \"…\"]"}


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

    @property
    def input_dir(self) -> Path:
        return self.path.parent


def _nfc(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.strip())
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    return value


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

    unknown = sorted(set(data) - set(_SCHEMA))
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
            value = table[key]
            ok = isinstance(value, typ) and not (typ is int and isinstance(value, bool))
            if typ is date and hasattr(value, "hour"):
                ok = False
            if typ is list:
                ok = ok and bool(value) and all(isinstance(x, str) and x.strip() for x in value)
            if typ is str:
                ok = ok and bool(value.strip())
            if not ok:
                raise PipelineError(
                    f"Tệp cấu hình «{path}»: khóa «{name}» phải là {_TYPE_WORDS[typ]}"
                    + (" không rỗng" if typ in (str, list) else "") + "."
                )
            v[section][key] = _nfc(value)

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
    )
