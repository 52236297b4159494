import unicodedata
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from babel.numbers import get_decimal_symbol, get_group_symbol

from pipeline.text.vntext import (
    end_sentence,
    lower_first,
    ascii_slug,
    clean_cell,
    detect_legacy,
    fold,
    format_date_blank_day,
    format_date_long,
    format_date_short,
    format_number,
    format_percent,
    is_vietnamese_syllable,
    legacy_to_unicode,
    nfc,
    strip_diacritics,
    to_unicode,
    unicode_to_legacy,
)

# The text of Kế hoạch 112/KH-UBND (a public document), carried by the project for these tests.
PLAN = Path(__file__).resolve().parent / "fixtures" / "ke-hoach-112-van-ban.txt"
TARGET = "Sở Kế hoạch và Đầu tư"


def _nfd(s):
    return unicodedata.normalize("NFD", s)


def _all_letters():
    """The 134 non-ASCII Vietnamese letters, built from Unicode itself, not from the tables."""
    bases = ["a", "a\u0306", "a\u0302", "e", "e\u0302", "i", "o", "o\u0302",
             "o\u031b", "u", "u\u031b", "y"]
    tones = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
    lower = [nfc(b + t) for b in bases for t in tones]
    lower = [c for c in lower if not c.isascii()] + ["đ"]
    return lower + [c.upper() for c in lower]


LETTERS = _all_letters()


def _plan_lines():
    return PLAN.read_text(encoding="utf-8").splitlines()


# --- nfc -------------------------------------------------------------------

def test_nfc_composes():
    assert nfc(_nfd(TARGET)) == TARGET
    assert len(nfc(_nfd("ệ"))) == 1


# --- tables ----------------------------------------------------------------

def test_letter_set_is_complete():
    assert len(LETTERS) == 134 == len(set(LETTERS))
    assert all(len(c) == 1 for c in LETTERS)


def test_tcvn3_known_code_points():
    # Byte values of the TCVN3 (ABC) standard, written out by hand.
    expected = {"à": 0xB5, "á": 0xB8, "ạ": 0xB9, "ă": 0xA8, "â": 0xA9, "ê": 0xAA,
                "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE, "Ă": 0xA1, "Â": 0xA2,
                "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7, "ặ": 0xC6,
                "ầ": 0xC7, "ế": 0xD5, "ệ": 0xD6, "ỉ": 0xD8, "ĩ": 0xDC, "ò": 0xDF,
                "ỏ": 0xE1, "ố": 0xE8, "ợ": 0xEE, "ủ": 0xF1, "ự": 0xF9, "ỵ": 0xFE}
    for letter, byte in expected.items():
        assert unicode_to_legacy(letter, "tcvn3").encode("cp1252") == bytes([byte]), letter


def test_vni_known_sequences():
    expected = {"â": "aâ", "ă": "aê", "ấ": "aá", "ầ": "aà", "ẩ": "aå", "ẫ": "aã", "ậ": "aä",
                "ắ": "aé", "ằ": "aè", "ẳ": "aú", "ẵ": "aü", "ặ": "aë", "á": "aù", "à": "aø",
                "ả": "aû", "ã": "aõ", "ạ": "aï", "ơ": "ô", "ư": "ö", "ớ": "ôù", "ự": "öï",
                "đ": "ñ", "Đ": "Ñ", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ỵ": "î", "Ỷ": "YÛ", "Ơ": "Ô"}
    for letter, code in expected.items():
        assert unicode_to_legacy(letter, "vni") == code, letter


def test_tcvn3_codes_are_single_latin1_and_distinct():
    lower = [c for c in LETTERS if c.islower()]
    codes = [unicode_to_legacy(c, "tcvn3") for c in lower]
    assert all(len(c) == 1 and 0xA1 <= ord(c) <= 0xFE for c in codes)
    assert len(set(codes)) == len(lower) == 67


def test_vni_codes_are_latin1_and_distinct():
    codes = [unicode_to_legacy(c, "vni") for c in LETTERS]
    assert all(1 <= len(c) <= 2 and all(ord(x) < 0x100 for x in c) for c in codes)
    assert len(set(codes)) == 134


@pytest.mark.parametrize("letter", LETTERS)
def test_round_trip_vni(letter):
    assert legacy_to_unicode(unicode_to_legacy(letter, "vni"), "vni") == letter


@pytest.mark.parametrize("letter", LETTERS)
def test_round_trip_tcvn3(letter):
    # Toned capitals share the lower-case codes (.VnTimeH); Ă Â Ê Ô Ơ Ư Đ have their own.
    back = legacy_to_unicode(unicode_to_legacy(letter, "tcvn3"), "tcvn3")
    expected = letter if letter.islower() or letter in "ĂÂÊÔƠƯĐ" else letter.lower()
    assert back == expected


def test_tcvn3_capitals_with_own_codes():
    assert legacy_to_unicode("¡¢£¤¥¦§", "tcvn3") == "ĂÂÊÔƠƯĐ"


def test_tcvn3_u_horn_from_soft_hyphen_or_minus():
    assert legacy_to_unicode("Ch\u00ada", "tcvn3") == "Chưa"
    assert legacy_to_unicode("Ch\u2212a", "tcvn3") == "Chưa"


def test_vni_mixed_case_pairs():
    assert legacy_to_unicode("Uûy", "vni") == "Ủy"
    assert legacy_to_unicode("UÛY", "vni") == "ỦY"


def test_unknown_encoding_rejected():
    with pytest.raises(ValueError):
        legacy_to_unicode("abc", "utf-7")
    with pytest.raises(ValueError):
        unicode_to_legacy("abc", "cp1258")


# --- hand-written legacy literals ------------------------------------------

TCVN3_LITERALS = {
    "Së KÕ ho¹ch vµ §Çu t−": "Sở Kế hoạch và Đầu tư",
    "§· hoµn thµnh": "Đã hoàn thành",
    "§ang thùc hiÖn": "Đang thực hiện",
    "Ch\u00ada thùc hiÖn": "Chưa thực hiện",
    "Ch\u2212a thùc hiÖn": "Chưa thực hiện",
    "Céng hoµ x· héi chñ nghÜa ViÖt Nam": "Cộng hoà xã hội chủ nghĩa Việt Nam",
    "§éc lËp - Tù do - H¹nh phóc": "Độc lập - Tự do - Hạnh phúc",
    "Uû ban nh©n d©n tØnh Kiªn Giang": "Uỷ ban nhân dân tỉnh Kiên Giang",
    "Së N«ng nghiÖp vµ Ph¸t triÓn n«ng th«n": "Sở Nông nghiệp và Phát triển nông thôn",
    "Tr\u00adêng häc, bÖnh viÖn cÊp huyÖn": "Trường học, bệnh viện cấp huyện",
    "Së KH&§T": "Sở KH&ĐT",
    "B¸O C¸O": "BáO CáO",  # .VnTimeH capitals come out lower case: accepted practice
}
VNI_LITERALS = {
    "Sôû Keá hoaïch vaø Ñaàu tö": "Sở Kế hoạch và Đầu tư",
    "Ñaõ hoaøn thaønh": "Đã hoàn thành",
    "Ñang thöïc hieän": "Đang thực hiện",
    "Chöa thöïc hieän": "Chưa thực hiện",
    "Uûy ban nhaân daân tænh Kieân Giang": "Ủy ban nhân dân tỉnh Kiên Giang",
    "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam": "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Ñoäc laäp - Töï do - Haïnh phuùc": "Độc lập - Tự do - Hạnh phúc",
    "Ñöôïc giao nhieäm vuï, ñeán naêm 2025": "Được giao nhiệm vụ, đến năm 2025",
    "BAÙO CAÙO": "BÁO CÁO",
}


@pytest.mark.parametrize("legacy,expected", TCVN3_LITERALS.items())
def test_tcvn3_literals(legacy, expected):
    assert detect_legacy(legacy) == "tcvn3"
    assert to_unicode(legacy) == expected


@pytest.mark.parametrize("legacy,expected", VNI_LITERALS.items())
def test_vni_literals(legacy, expected):
    assert detect_legacy(legacy) == "vni"
    assert to_unicode(legacy) == expected


def test_brief_examples_exact():
    assert to_unicode("Së KÕ ho¹ch vµ §Çu t−") == TARGET
    assert to_unicode("Sôû Keá hoaïch vaø Ñaàu tö") == TARGET
    nfd = _nfd(TARGET)
    assert nfd != TARGET
    assert to_unicode(nfd) == TARGET


def test_legacy_phrase_inside_unicode_text_keeps_unicode_words():
    assert to_unicode("Kết quả: §· hoµn thµnh") == "Kết quả: Đã hoàn thành"


# --- no false positives -----------------------------------------------------

@pytest.mark.parametrize("text", [
    "", "Café", "Nguyễn Văn A", "Số 45/BC-UBND", "80%", "ABC-123", "hello world",
    "12.345,6", "2 × 3 = 6", "Độ dày 5 µm", "5 µm", "«Kế hoạch»", "−5 °C", "Điều 5 § 2",
    "Señor José Müller, où est l'été?", "© 2022 UBND tỉnh", "Đã hoàn thành", "Hòa",
    "Quỹ hỗ trợ phát triển hợp tác xã", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
])
def test_plain_text_not_detected(text):
    assert detect_legacy(text) is None
    assert to_unicode(text) == nfc(text)


def test_plan_text_never_detected():
    lines = _plan_lines()
    assert len(lines) > 100
    for line in lines:
        for variant in (line, _nfd(line), line.upper(), line.lower()):
            assert detect_legacy(variant) is None, variant
            assert to_unicode(variant) == nfc(variant), variant


def test_plan_words_are_valid_syllables():
    # The detector relies on this: genuine words pass the syllable check.
    words = {w for line in _plan_lines() for w in line.replace("/", " ").split()}
    words = {w.strip(".,;:()*\"'-–") for w in words}
    vietnamese = {w for w in words if w.isalpha() and not w.isascii() and not w.isupper()}
    assert len(vietnamese) > 300
    invalid = sorted(w for w in vietnamese if not is_vietnamese_syllable(w))
    assert invalid == ["đ"]  # "đ" abbreviates "đồng"


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_plan_text_encoded_is_detected_and_converted(encoding):
    lines = [line for line in _plan_lines() if not line.isascii()]
    undetected = []
    for line in lines:
        legacy = unicode_to_legacy(line, encoding)
        # Written from the encodings, not from the decoder: VNI keeps every letter; TCVN3 has no codes
        # for toned capitals (the .VnTimeH font draws the lower-case codes as capitals), so they come
        # back lower-case.
        expected = nfc(line) if encoding == "vni" else "".join(
            c.lower() if c.isupper() and set(_nfd(c)) & set("\u0300\u0301\u0303\u0309\u0323") else c
            for c in nfc(line))
        assert legacy_to_unicode(legacy, encoding) == expected
        result = to_unicode(legacy)
        if result == legacy:
            undetected.append(line)
        else:
            assert detect_legacy(legacy) == encoding
            assert result == expected
    # Only a few short lines are genuinely ambiguous ("Sè"/"Sè" is a valid word too).
    assert len(undetected) <= 3
    assert all(len(line.strip()) < 40 for line in undetected)


# --- syllables ---------------------------------------------------------------

@pytest.mark.parametrize("word", ["gì", "giữa", "giếng", "quốc", "quyết", "quỳnh", "khuỷu",
                                  "nghiêng", "Nguyễn", "thuở", "Hòa", "hoà", "ỦY", "kỹ", "yêu",
                                  "oẳn", "boong", "được", "huých"])
def test_valid_syllables(word):
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", ["Café", "ko", "ce", "ghu", "ngi", "ge", "hoàc", "tiếngg",
                                  "quo", "Köln", "ab", "", "12", "đ", "ạá", "ca" + "\u0302\u0302"])
def test_invalid_syllables(word):
    assert not is_vietnamese_syllable(word)


# --- clean_cell ----------------------------------------------------------------

@pytest.mark.parametrize("value,expected", [
    (None, ""), (float("nan"), ""), (np.float64("nan"), ""), (pd.NA, ""), (pd.NaT, ""),
    (35.0, "35"), (np.float64(35.0), "35"), (np.int64(7), "7"), (12, "12"), (2.5, "2.5"),
    (Decimal("4.0"), "4"), (-0.0, "0"),
    (date(2022, 9, 14), "2022-09-14"), (datetime(2022, 9, 14), "2022-09-14"),
    (pd.Timestamp("2022-09-14 10:30"), "2022-09-14 10:30:00"),
    ("  Đã   hoàn\tthành  ", "Đã hoàn thành"),
    ("  dòng 1  \r\n\t dòng   2 \n\n \n", "dòng 1\ndòng 2"),
    ("a\n\nb", "a\n\nb"),
    ("Ủy\u00a0ban\u200b nhân\ufeff dân", "Ủy ban nhân dân"),
    ("§ang thùc hiÖn ", "Đang thực hiện"),
    ("Chöa thöïc hieän", "Chưa thực hiện"),
    (_nfd("Kiên Giang"), "Kiên Giang"),
    ("soft\u00adhyphen", "softhyphen"),
])
def test_clean_cell(value, expected):
    result = clean_cell(value)
    assert result == expected
    assert unicodedata.is_normalized("NFC", result)


# --- dates ---------------------------------------------------------------------

def test_format_date_long():
    assert format_date_long(date(2020, 1, 5)) == "ngày 05 tháng 01 năm 2020"
    assert format_date_long(date(2022, 5, 9)) == "ngày 09 tháng 5 năm 2022"
    assert format_date_long(date(2019, 6, 29)) == "ngày 29 tháng 6 năm 2019"
    assert format_date_long(date(2021, 2, 10)) == "ngày 10 tháng 02 năm 2021"
    assert format_date_long(date(2021, 12, 31)) == "ngày 31 tháng 12 năm 2021"


def test_format_date_short():
    assert format_date_short(date(2022, 4, 5)) == "05/4/2022"
    assert format_date_short(date(2021, 11, 29)) == "29/11/2021"
    assert format_date_short(date(2022, 3, 2)) == "02/3/2022"
    assert format_date_short(date(2020, 1, 5)) == "05/01/2020"
    assert format_date_short(datetime(2022, 2, 14, 8, 0)) == "14/02/2022"


def test_format_date_blank_day():
    assert format_date_blank_day(9, 2022) == "ngày      tháng 9 năm 2022"
    assert format_date_blank_day(1, 2023) == "ngày      tháng 01 năm 2023"
    assert format_date_blank_day(10, 2022) == "ngày      tháng 10 năm 2022"   # as FORMAT.md §4 shows it
    with pytest.raises(ValueError):
        format_date_blank_day(13, 2022)


# --- numbers -------------------------------------------------------------------

def test_babel_vi_symbols():
    assert get_group_symbol("vi") == "."
    assert get_decimal_symbol("vi") == ","


def test_format_number():
    assert format_number(1234567.5) == "1.234.567,5"
    assert format_number(476.972, decimals=3) == "476,972"
    assert format_number(35) == "35"
    assert format_number(35.0) == "35"
    assert format_number(35, decimals=2) == "35,00"
    assert format_number(1234, decimals=0) == "1.234"
    assert format_number(-1234.5) == "-1.234,5"
    assert format_number(2.5, decimals=0) == "3"  # half up, not half to even


def test_format_percent():
    assert format_percent(28.5714) == "28,6%"
    assert format_percent(50) == "50%"
    assert format_percent(100) == "100%"
    assert format_percent(0) == "0%"
    assert format_percent(33.333) == "33,3%"
    assert format_percent(12.25) == "12,3%"  # half up
    assert format_percent(99.96) == "100%"
    assert format_percent(66.6667, decimals=2) == "66,67%"
    assert format_percent(12.5, decimals=0) == "13%"


# --- slugs, folding ----------------------------------------------------------------

def test_strip_diacritics():
    assert strip_diacritics(TARGET) == "So Ke hoach va Dau tu"
    assert strip_diacritics(_nfd("ĐẶNG Thị Ưng")) == "DANG Thi Ung"
    assert all(strip_diacritics(c).isascii() for c in LETTERS)


def test_ascii_slug():
    assert ascii_slug(TARGET) == "So-Ke-hoach-va-Dau-tu"
    assert ascii_slug("Sở KH&ĐT") == "So-KH-DT"
    assert ascii_slug("  BCH BĐBP tỉnh / 2022-Q3  ") == "BCH-BDBP-tinh-2022-Q3"


def test_fold_matches_loose_variants():
    assert fold("đã  Hoàn Thành ") == fold("Đã hoàn thành")
    assert fold(_nfd("Đã hoàn thành")) == fold("Đã hoàn thành")
    assert fold("Giai đoạn 2021 – 2025") == fold("Giai đoạn 2021 - 2025")
    assert fold("“Đề án” ‘A’") == fold('"Đề án" \'A\'')
    assert fold("Ủy ban nhân dân") == fold("Uỷ ban nhân dân")
    assert fold("Cộng hòa") == fold("Cộng hoà")
    assert fold("sức khỏe") == fold("sức khoẻ")
    assert fold("Sở\u00a0Tài chính") == fold("Sở Tài chính")


def test_fold_keeps_diacritics():
    assert fold("Đã hoàn thành") != fold("Da hoan thanh")
    assert fold("Chưa thực hiện") != fold("Chua thuc hien")
    assert fold("hoàn") != fold("hồn")
    assert fold("Đã hoàn thành") == "đã hoàn thành"


@pytest.mark.parametrize("text, lowered", [
    ("Chậm giải phóng mặt bằng", "chậm giải phóng mặt bằng"),
    ("Ý kiến của một số bộ, ngành", "ý kiến của một số bộ, ngành"),   # a one-letter first word
    ("UBND tỉnh đã ban hành", "UBND tỉnh đã ban hành"),               # an acronym stays
    ("EVN SPC chưa tiếp nhận", "EVN SPC chưa tiếp nhận"),
])
def test_lower_first(text, lowered):
    assert lower_first(text) == lowered


@pytest.mark.parametrize("text, ended", [
    ("Đã ban hành kế hoạch", "Đã ban hành kế hoạch."), ("Xong.", "Xong."), ("Gồm:", "Gồm:"), ("  ", ""),
])
def test_end_sentence(text, ended):
    assert end_sentence(text) == ended
