"""The phrasebook: every sentence the drafting writes, as a file the Văn phòng can read and change.

A phrasebook is a TOML file of tables of strings; each string is a phrase with named slots
(`{cutoff}`). The drafting code declares, per phrase key, the slots it fills (`required`); the
file may use any of them, in any order, or none. `check_phrasebook` lists what is wrong with a
file (a missing or unknown key, an unknown slot, a stray brace) in Vietnamese, so
`make check-template` catches an edit before a report run does.

A phrase that counts (a slot named `count`) has a zero form beside it, `<key>_zero`, with the same slots
but the count: "" leaves the phrase out. `with_zero_forms` adds those keys to a contract, so a phrasebook
without them fails the check; `Phrasebook.count` picks the form, so no sentence ever says «0 nhiệm vụ».
"""
from __future__ import annotations

import string
import tomllib
import unicodedata
from pathlib import Path

from pipeline.errors import PipelineError

_FORMATTER = string.Formatter()


def _flatten(table: dict, prefix: str = "") -> dict[str, object]:
    out = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


def _fields(text: str) -> list[str]:
    return [field for _, field, _, _ in _FORMATTER.parse(text) if field is not None]


def read_phrases(path: Path) -> dict[str, object]:
    try:
        raw = Path(path).read_bytes().decode("utf-8-sig")
        return _flatten(tomllib.loads(raw))
    except FileNotFoundError:
        raise PipelineError(f"Không tìm thấy sổ câu chữ «{path}».") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PipelineError(f"Sổ câu chữ «{Path(path).name}» viết sai cú pháp TOML: {exc}.") from None


COUNT_SLOT = "count"
ZERO_SUFFIX = "_zero"


def with_zero_forms(required: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """The contract with every counting phrase's zero form added beside it."""
    out = {}
    for key, slots in required.items():
        out[key] = slots
        if COUNT_SLOT in slots:
            out[key + ZERO_SUFFIX] = tuple(s for s in slots if s != COUNT_SLOT)
    return out


def check_phrasebook(path: Path, required: dict[str, tuple[str, ...]]) -> list[str]:
    """Every problem of the file against the slots the code fills, one Vietnamese line each."""
    try:
        phrases = read_phrases(path)
    except PipelineError as exc:
        return [str(exc)]
    messages = []
    for key in required:
        if key not in phrases and key.endswith(ZERO_SUFFIX) and COUNT_SLOT in required.get(key[:-len(ZERO_SUFFIX)], ()):
            messages.append(f"Thiếu câu «{key}»: câu «{key[:-len(ZERO_SUFFIX)]}» có số đếm {{count}}, nên cần dạng dùng "
                            "khi số đếm bằng 0 (viết \"\" để bỏ câu).")
        elif key not in phrases:
            messages.append(f"Thiếu câu «{key}».")
    for key, text in phrases.items():
        if key not in required:
            messages.append(f"Câu «{key}» không được dùng ở đâu (tên câu gõ sai?).")
            continue
        if not isinstance(text, str):
            messages.append(f"Câu «{key}» phải là một chuỗi chữ trong dấu ngoặc kép.")
            continue
        try:
            fields = _fields(text)
        except ValueError:
            messages.append(f"Câu «{key}» có dấu ngoặc nhọn {{ }} không khớp (chỗ trống viết dạng {{ten}}).")
            continue
        allowed = required[key]
        for field in fields:
            if field not in allowed:
                shown = ", ".join(f"{{{s}}}" for s in allowed) or "không có chỗ trống nào"
                messages.append(f"Câu «{key}» dùng chỗ trống {{{field}}} không có; chỗ trống được dùng: {shown}.")
    return messages


class Phrasebook:
    """Loaded and checked phrases; `say(key, **slots)` fills one."""

    def __init__(self, path: Path, required: dict[str, tuple[str, ...]]):
        self.path = Path(path)
        self.required = required
        messages = check_phrasebook(self.path, required)
        if messages:
            raise PipelineError(f"Sổ câu chữ «{self.path.name}» có {len(messages)} lỗi: " + " ".join(messages))
        self._phrases = {k: unicodedata.normalize("NFC", v) for k, v in read_phrases(self.path).items()}

    def say(self, key: str, **slots) -> str:
        expected = set(self.required[key])
        if set(slots) != expected:  # a programming error, not a user's
            raise KeyError(f"phrase {key}: slots {sorted(slots)} != declared {sorted(expected)}")
        return self._phrases[key].format(**slots)

    def count(self, key: str, n: int, **slots) -> str:
        """A counting phrase: its zero form when `n` is 0 ("" = left out), else the phrase with `n` written out."""
        from pipeline.text.vntext import format_number
        if n == 0:
            return self.say(key + ZERO_SUFFIX, **slots)
        return self.say(key, count=format_number(n), **slots)
