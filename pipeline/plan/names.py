"""A task's short name: the words the report uses for it inside a sentence («lập Quy hoạch tỉnh»).

Rules:
- the drafting officer writes it once per plan, in the master's column «Tên gọn»; `import-plan` only
  proposes one (`propose_short_name`), and keeps the officer's name when the task's text is unchanged;
- a name stands inside a sentence («… đã hoàn thành <tên gọn>», «nhiệm vụ II.4 (<tên gọn>)»): whole, so
  no «…», every bracket and quotation mark closed, one line, no closing punctuation (`name_problem`);
- a task without a name is called by its code alone (`pipeline.drafting.names.short_name`): a name is never cut
  from the task's text.
"""
from __future__ import annotations

import re

from pipeline.text.vntext import lower_first

# A proposal longer than this is no name: the officer writes one (the body meanwhile uses the code).
PROPOSAL_MAX_WORDS = 20

_PAIRS = {"(": ")", "[": "]", "“": "”", "«": "»", "‘": "’"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
_FIRST_CLAUSE = re.compile(r"(?<=[^\d])[.;:](?:\s|$)")
_BULLET = re.compile(r"^[-–•+]\s*")
_ABOUT = re.compile(r"^về\s+(?:việc\s+)?", re.IGNORECASE)
_TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]*\)$")


def balanced(text: str) -> bool:
    """Every bracket and quotation mark opened in `text` is closed, in order."""
    stack = []
    for ch in text:
        if ch in _PAIRS:
            stack.append(_PAIRS[ch])
        elif ch in _CLOSERS:
            if not stack or stack.pop() != ch:
                return False
    return not stack and text.count('"') % 2 == 0


def name_problem(name: str) -> str | None:
    """Why `name` cannot stand inside a sentence (Vietnamese, for the officer), or None."""
    if "…" in name or "..." in name:
        return "có dấu «…»: tên gọn phải trọn vẹn, không cắt dở"
    if not balanced(name):
        return "có dấu ngoặc hoặc dấu ngoặc kép chưa đóng"
    if "\n" in name:
        return "có xuống dòng: tên gọn viết trên một dòng"
    if name.rstrip()[-1:] in (".", ";", ":", ","):
        return "kết thúc bằng dấu câu: tên gọn đứng giữa câu"
    return None


def propose_short_name(content: str) -> str:
    """A first proposal from the task's text: its first clause, a title «Về …» without «Về» (or «Về việc»)
    and without a trailing parenthesis, first letter in lower case unless an acronym. "" when that is
    longer than PROPOSAL_MAX_WORDS words or would not stand in a sentence: never a cut text."""
    lines = content.strip().splitlines()
    first = _BULLET.sub("", lines[0].strip()) if lines else ""
    first = _FIRST_CLAUSE.split(first, maxsplit=1)[0].strip().rstrip(".;:,").strip()
    first = _ABOUT.sub("", first, count=1)
    while _TRAILING_PARENTHESIS.search(first):
        first = _TRAILING_PARENTHESIS.sub("", first).rstrip(" ,;")
    if not first or len(first.split()) > PROPOSAL_MAX_WORDS or name_problem(first):
        return ""
    return lower_first(first)
