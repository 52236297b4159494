"""Vietnamese text: Unicode normalisation, legacy encodings (TCVN3, VNI), wording of
dates and numbers, and small helpers (point letters, Roman numerals, slugs, match keys).

Legacy detection works on words: a word is evidence for an encoding when it is not a
valid Vietnamese syllable as written but becomes one once converted. Genuine Unicode
Vietnamese never gives such evidence, because its words are already valid syllables.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

__all__ = [
    "nfc",
    "detect_legacy",
    "legacy_to_unicode",
    "unicode_to_legacy",
    "to_unicode",
    "clean_cell",
    "format_date_long",
    "format_date_short",
    "format_date_blank_day",
    "format_number",
    "format_percent",
    "ascii_slug",
    "fold",
    "strip_diacritics",
    "is_vietnamese_syllable",
    "lower_first",
    "end_sentence",
]

LOCALE = "vi"


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


# ---------------------------------------------------------------------------
# Legacy tables. Tone order in every row: huyền, hỏi, ngã, sắc, nặng.

_TONED = {  # base vowel -> its five toned forms
    "a": "àảãáạ", "ă": "ằẳẵắặ", "â": "ầẩẫấậ", "e": "èẻẽéẹ", "ê": "ềểễếệ",
    "i": "ìỉĩíị", "o": "òỏõóọ", "ô": "ồổỗốộ", "ơ": "ờởỡớợ", "u": "ùủũúụ",
    "ư": "ừửữứự", "y": "ỳỷỹýỵ",
}

# TCVN3 (ABC, .VnTime fonts) as Windows-1252 code points. Toned capitals have no code
# of their own (the .VnTimeH font draws the lower-case codes as capitals).
_TCVN3_TONED = {
    "a": "µ¶·¸¹", "ă": "»¼½¾Æ", "â": "ÇÈÉÊË", "e": "ÌÎÏÐÑ", "ê": "ÒÓÔÕÖ",
    "i": "×ØÜÝÞ", "o": "ßáâãä", "ô": "åæçèé", "ơ": "êëìíî", "u": "ïñòóô",
    "ư": "õö÷øù", "y": "úûüýþ",
}
_TCVN3_PLAIN = {
    "ă": "¨", "â": "©", "ê": "ª", "ô": "«", "ơ": "¬", "ư": "\u00ad", "đ": "®",
    "Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦", "Đ": "§",
}

# VNI-Windows: a base letter followed by a mark character, plus a few single letters.
_VNI_TONE = "øûõùï"    # after a e o u y ơ ư
_VNI_CIRC = "âàåãáä"   # after a e o: circumflex, then circumflex + each tone
_VNI_BREVE = "êèúüéë"  # after a: breve, then breve + each tone
_VNI_SINGLE = {
    "ơ": "ô", "Ơ": "Ô", "ư": "ö", "Ư": "Ö", "đ": "ñ", "Đ": "Ñ", "ỵ": "î", "Ỵ": "Î",
    "ì": "ì", "ỉ": "æ", "ĩ": "ó", "í": "í", "ị": "ò",
    "Ì": "Ì", "Ỉ": "Æ", "Ĩ": "Ó", "Í": "Í", "Ị": "Ò",
}


def _build_tcvn3() -> tuple[dict[str, str], dict[str, str]]:
    enc: dict[str, str] = dict(_TCVN3_PLAIN)
    for base, forms in _TONED.items():
        for uni, code in zip(forms, _TCVN3_TONED[base]):
            enc[uni] = code
            enc[uni.upper()] = code
    # Capital Ă Â Ê Ô Ơ Ư Đ have their own codes; the lower-case table wins for decoding.
    dec = {code: uni for uni, code in enc.items() if uni.islower() or uni in _TCVN3_PLAIN}
    dec["\u2212"] = "ư"  # soft hyphen often arrives as a minus sign after copy and paste
    return enc, dec


def _build_vni() -> tuple[dict[str, str], dict[str, str]]:
    enc: dict[str, str] = dict(_VNI_SINGLE)
    for case in (str.lower, str.upper):
        tone, circ, breve = case(_VNI_TONE), case(_VNI_CIRC), case(_VNI_BREVE)
        for base, hat in (("a", "â"), ("e", "ê"), ("o", "ô")):
            for uni, mark in zip(hat + _TONED[hat], circ):
                enc[case(uni)] = case(base) + mark
        for uni, mark in zip("ă" + _TONED["ă"], breve):
            enc[case(uni)] = case("a") + mark
        for base in "aeouy":
            for uni, mark in zip(_TONED[base], tone):
                enc[case(uni)] = case(base) + mark
        for base in "ơư":
            for uni, mark in zip(_TONED[base], tone):
                enc[case(uni)] = _VNI_SINGLE[case(base)] + mark
    enc["ỵ"], enc["Ỵ"] = "î", "Î"  # single letters, not y + nặng
    dec: dict[str, str] = {}
    for uni, code in enc.items():
        dec[code] = uni
    for uni, code in enc.items():
        if len(code) == 2:  # mixed case: the base letter decides, "Uûy" is "Ủy"
            dec.setdefault(code[0] + code[1].swapcase(), uni)
    dec.update({"yï": "ỵ", "YÏ": "Ỵ", "Yï": "Ỵ"})  # seen in some VNI files
    return enc, dec


_TCVN3_ENC, _TCVN3_DEC = _build_tcvn3()
_VNI_ENC, _VNI_DEC = _build_vni()
_TCVN3_TRANS = str.maketrans(_TCVN3_DEC)
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(_VNI_DEC, key=len, reverse=True)))
_LEGACY_CHARS = frozenset("".join(_TCVN3_DEC) + "".join(_VNI_DEC))
_ENCODINGS = ("tcvn3", "vni")


def legacy_to_unicode(s: str, encoding: str) -> str:
    """Convert TCVN3 ("tcvn3") or VNI-Windows ("vni") text to Unicode NFC."""
    if encoding == "tcvn3":
        return nfc(s.translate(_TCVN3_TRANS))
    if encoding == "vni":
        return nfc(_VNI_RE.sub(lambda m: _VNI_DEC[m.group(0)], s))
    raise ValueError(f"unknown legacy encoding: {encoding!r}")


def unicode_to_legacy(s: str, encoding: str) -> str:
    """Encode Unicode text the way a TCVN3 or VNI font user would have typed it."""
    table = {"tcvn3": _TCVN3_ENC, "vni": _VNI_ENC}.get(encoding)
    if table is None:
        raise ValueError(f"unknown legacy encoding: {encoding!r}")
    return "".join(table.get(c, c) for c in nfc(s))


# ---------------------------------------------------------------------------
# Vietnamese syllable check (spelling rules, not a dictionary).

_HUYEN, _SAC, _NGA, _HOI, _NANG = "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"
_TONE_MARKS = frozenset((_HUYEN, _SAC, _NGA, _HOI, _NANG))
_RHYMES = frozenset("""
a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây e ec em en eng eo ep et ê êch êm ên ênh êp êt êu
i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu yêm yên yêng yêt yêu
o oc oi om on ong op ot ooc oong oa oac oach oai oam oan oang oanh oao oap oat oay
oăc oăm oăn oăng oăt oe oen oeo oet ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
u ua uc ui um un ung up ut uân uâng uât uây uê uêch uênh uôc uôi uôm uôn uông uôt
uơ uy uya uych uyên uyêt uynh uyt uyu ư ưa ưc ưi ưm ưn ưng ưt ưu
ươ ươc ươi ươm ươn ương ươp ươt ươu y
""".split())
_INITIALS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu",
             "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
_LETTERS = frozenset("abcdđeghiklmnopqrstuvxyăâêôơư")
_FRONT = "ieêy"


def _rhyme_ok(initial: str, rest: str) -> bool:
    if not rest:
        return False
    if initial == "qu":
        return rest[0] in "aăâeêiyôơ" and (rest in _RHYMES or "u" + rest in _RHYMES)
    if initial == "gi":
        return rest in _RHYMES or "i" + rest in _RHYMES
    if rest not in _RHYMES:
        return False
    front = rest[0] in _FRONT
    if initial in ("k", "gh", "ngh"):
        return front and (initial == "k" or rest[0] != "y")
    if initial in ("c", "ng"):
        return not front
    if initial == "g":
        return rest[0] not in "eê"
    return True


def is_vietnamese_syllable(word: str) -> bool:
    """True if `word` is spelled like one Vietnamese syllable (any case, any tone placement)."""
    chars = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in chars if c in _TONE_MARKS]
    if len(tones) > 1:
        return False
    base = nfc("".join(c for c in chars if c not in _TONE_MARKS))
    if not base or not set(base) <= _LETTERS:
        return False
    # syllables ending in a stop take only the sắc or nặng tone
    if base.endswith(("c", "ch", "p", "t")) and (not tones or tones[0] not in (_SAC, _NANG)):
        return False
    return any(base.startswith(i) and _rhyme_ok(i, base[len(i):]) for i in _INITIALS)


# ---------------------------------------------------------------------------
# Detection.

# Vietnamese letters outside Latin-1: legacy text can never contain them.
_UNICODE_ONLY = re.compile("[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9]")
_WORD_RE = re.compile("(?:[^\\W_]|[" + re.escape("".join(sorted(_LEGACY_CHARS))) + "])+")
_MICRO_UNIT = re.compile(r"µ(?:m|g|l|L|s|A|V|W|F|mol|Pa|Hz)")


def _is_abbreviation(word: str) -> bool:
    """Capitals without tones, like "ĐT" in "KH&ĐT": neither for nor against an encoding."""
    return word.isupper() and not any(c in _TONE_MARKS for c in unicodedata.normalize("NFD", word))


def _evidence(words: list[str], encoding: str) -> tuple[int, int]:
    """(good, bad): words that only converting makes valid, words converting makes invalid."""
    good = bad = 0
    for w in words:
        if _UNICODE_ONLY.search(w) or not any(c in _LEGACY_CHARS for c in w):
            continue
        if encoding == "tcvn3" and _MICRO_UNIT.fullmatch(w):
            continue
        conv = legacy_to_unicode(w, encoding)
        if conv == w:
            continue
        if is_vietnamese_syllable(conv):
            # a lone symbol such as "×" or "«" is too weak to count
            if not is_vietnamese_syllable(w) and (len(w) > 1 or w.isalpha()):
                good += 1
        elif not _is_abbreviation(conv):
            bad += 1
    return good, bad


def detect_legacy(s: str) -> str | None:
    """Return "tcvn3", "vni" or None (Unicode, ASCII, or not enough evidence)."""
    if not s or s.isascii():
        return None
    words = _WORD_RE.findall(nfc(s))
    unicode_words = sum(1 for w in words if _UNICODE_ONLY.search(w))
    margins = {}
    for enc in _ENCODINGS:
        good, bad = _evidence(words, enc)
        if good:
            margins[enc] = good - bad - unicode_words
    best = max(margins.values(), default=0)
    winners = [enc for enc, m in margins.items() if m == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


_VI_LETTERS = "".join(
    unicodedata.normalize("NFC", base + tone)
    for base in "aăâeêioôơuưy" for tone in ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")) + "đ"
_VI_LETTERS += _VI_LETTERS.upper()
# Text that could be TCVN3/VNI: a character legacy text is made of that NFC Vietnamese never
# contains, or a plain vowel followed by a VNI mark that is itself a Vietnamese letter ("BAÙO",
# "Toâi"). Text with neither skips detection, which costs about 0.1 ms a cell.
_LEGACY_ONLY = re.compile("[" + re.escape("".join(sorted(
    {c for enc in ("tcvn3", "vni") for c in unicode_to_legacy(_VI_LETTERS, enc)}
    - set(_VI_LETTERS) - {chr(i) for i in range(128)}))) + "]|[aeiouyAEIOUY][ùõâêôÙÕÂÊÔ]")


def maybe_legacy(s: str) -> bool:
    """Cheap pre-check: could this text be TCVN3/VNI at all?"""
    return bool(_LEGACY_ONLY.search(s))


def to_unicode(s: str) -> str:
    """NFC text, converted from TCVN3 or VNI when detected. Words holding letters only
    Unicode has are left as they are, so a legacy phrase pasted into Unicode text is
    repaired without harming the rest."""
    s = nfc(s)
    if not _LEGACY_ONLY.search(s):  # the common case, and detection costs ~0.1 ms a cell
        return s
    enc = detect_legacy(s)
    if enc is None:
        return s

    def convert(m: re.Match) -> str:
        w = m.group(0)
        return w if _UNICODE_ONLY.search(w) else legacy_to_unicode(w, enc)

    return nfc(_WORD_RE.sub(convert, s))


# ---------------------------------------------------------------------------
# Cells.

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f"), " ")
_RUN_OF_BLANKS = re.compile(r"[ \t\f\v]+")


def clean_cell(value) -> str:
    """Any spreadsheet cell value as clean NFC text ("" for empty)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, (numbers.Real, Decimal)):
        f = float(value)
        if math.isnan(f):
            return ""
        return str(int(f)) if f.is_integer() else str(f)
    if isinstance(value, datetime):
        if value != value:  # pandas NaT
            return ""
        if value.time() == datetime.min.time() and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if type(value).__name__ in ("NAType", "NaTType"):
        return ""
    return _clean_text(str(value))


def _clean_text(s: str) -> str:
    s = s.translate(_ZERO_WIDTH).translate(_SPACES)
    s = to_unicode(s).replace("\u00ad", "")  # a soft hyphen left over is invisible noise
    lines = [_RUN_OF_BLANKS.sub(" ", line).strip() for line in re.split(r"\r\n|\r|\n", s)]
    return "\n".join(lines).strip("\n")


# ---------------------------------------------------------------------------
# Dates (Nghị định 30/2020, Phụ lục I: days under 10 and months 1, 2 take a leading zero).

def _day(d: int) -> str:
    return f"{d:02d}"


def _month(m: int) -> str:
    if not 1 <= m <= 12:
        raise ValueError(f"month out of range: {m}")
    return f"{m:02d}" if m <= 2 else str(m)


def format_date_long(d: date) -> str:
    """"ngày 09 tháng 5 năm 2022"."""
    return f"ngày {_day(d.day)} tháng {_month(d.month)} năm {d.year}"


def format_date_short(d: date) -> str:
    """"05/4/2022", "05/01/2020"."""
    return f"{_day(d.day)}/{_month(d.month)}/{d.year}"


def format_date_blank_day(month: int, year: int) -> str:
    """A draft's date with the day left blank for the records clerk."""
    return f"ngày{' ' * 6}tháng {_month(month)} năm {year}"


# ---------------------------------------------------------------------------
# Numbers (Babel "vi": "." groups thousands, "," marks decimals). Rounding is half up,
# as people round by hand; Babel alone would round half to even.

def _half_up(x, decimals: int) -> Decimal:
    return Decimal(str(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(x, decimals: int | None = None) -> str:
    """1234567.5 -> "1.234.567,5"; decimals fixes the number of decimals shown."""
    if decimals is None:
        return format_decimal(_half_up(x, 3), format="#,##0.###", locale=LOCALE)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(_half_up(x, decimals), format=pattern, locale=LOCALE)


def format_percent(value: float, decimals: int = 1) -> str:
    """A value already in percent: 28.5714 -> "28,6%", 50 -> "50%"."""
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return format_decimal(_half_up(value, decimals), format=pattern, locale=LOCALE) + "%"


# ---------------------------------------------------------------------------
# Keys and slugs.

def strip_diacritics(s: str) -> str:
    """"Sở Kế hoạch và Đầu tư" -> "So Ke hoach va Dau tu"."""
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return nfc(s.replace("đ", "d").replace("Đ", "D"))


def ascii_slug(s: str) -> str:
    """File-name safe: "Sở KH&ĐT" -> "So-KH-DT"."""
    return re.sub(r"[^A-Za-z0-9]+", "-", strip_diacritics(s)).strip("-")


_PUNCT = str.maketrans({
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\u2018": "'", "\u2019": "'", "\u201a": "'",
    "\u201b": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
    "\u00ab": '"', "\u00bb": '"', "\u2026": "...",
    # look-alikes of Đ/đ typed from other keyboards or fonts: Icelandic eth, African D
    "\u00d0": "Đ", "\u00f0": "đ", "\u0189": "Đ", "\u0256": "đ",
})
# Old and new tone placement ("hoà"/"hòa", "uỷ"/"ủy") mean the same word.
_OLD_NEW_TONE = re.compile(r"([òóỏõọ])([ae])\b|([ùúủũụ])(y)\b")


def _tone_on_second(m: re.Match) -> str:
    first, second = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    base, tone = unicodedata.normalize("NFD", first)
    return base + nfc(second + tone)


def fold(s: str) -> str:
    """Loose comparison key: "đã  Hoàn Thành " and "Đã hoàn thành" give the same key.
    Keeps diacritics (they carry meaning); unifies case, spaces, dashes, quotes, look-alikes
    of Đ ("Ð" U+00D0) and old/new tone placement."""
    s = nfc(s).translate(_ZERO_WIDTH).translate(_PUNCT)
    s = nfc(s.casefold())
    s = " ".join(s.split())
    return _OLD_NEW_TONE.sub(_tone_on_second, s)


# ---------------------------------------------------------------------------
# Sentences.

def lower_first(s: str) -> str:
    """A sentence's first letter in lower case (to go on after a colon), unless its first word is an
    acronym ("UBND", "EVN")."""
    word = s.split(" ", 1)[0]
    return s if len(word) > 1 and word[1:2].isupper() else s[:1].lower() + s[1:]


def end_sentence(s: str) -> str:
    """The text with a full stop, unless it already ends with a sentence mark."""
    s = s.strip()
    return s if not s or s.endswith((".", "!", "?", "…", ";", ":")) else s + "."


# The words a deadline is written with (Quý II/2022, Tháng 9/2022, Giai đoạn 2021 - 2025, Thường xuyên …).
_DEADLINE_WORD = re.compile(r"(?<![\w/])(Quý|Tháng|Năm|Giai đoạn|Thường xuyên|Hàng năm|Hằng năm|Theo)(?=\s|$)")


def deadline_words(text: str) -> str:
    """A deadline quoted inside a sentence: its words in lower case ("quá thời hạn tháng 6/2022", "đến quý IV/2022");
    numbers, Roman numerals and proper names (Thủ tướng) stay as written. The one helper every quoted deadline uses."""
    return _DEADLINE_WORD.sub(lambda m: m.group(1).lower(), nfc(text))


def upper_first(s: str) -> str:
    """A phrase put at the start of a sentence."""
    return s[:1].upper() + s[1:]
