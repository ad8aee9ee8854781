"""A number in one of Word's numbering formats (w:numFmt), as Word displays it: 一, （一）,
1., ①, 甲… The Chinese documents number their levels 一、（一）1.（1）, and the markers are text
the reader sees, so the importer writes them out as Word shows them."""

from __future__ import annotations

from collections.abc import Callable

Maker = Callable[[int], str]

DIGITS = "〇一二三四五六七八九"
LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
LEGAL_TRADITIONAL = "零壹貳參肆伍陸柒捌玖"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
FULLSTOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
PAREN = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
IDEOGRAPH_CIRCLED = "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"
STEMS = "甲乙丙丁戊己庚辛壬癸"
BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
         (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
UNITS = ((10000, "万"), (1000, "千"), (100, "百"), (10, "十"))
LEGAL_UNITS = {"万": "万", "千": "仟", "百": "佰", "十": "拾"}


def counted(number: int, fmt: str) -> str:
    """number in the format fmt; a format briefgen does not know (Hebrew, Thai…) as decimal."""
    if fmt == "none":
        return ""
    if number <= 0:
        return str(number) if fmt != "decimalZero" else f"{number:02d}"
    maker = FORMATS.get(fmt)
    if maker is not None:
        return maker(number)
    if fmt.endswith("Digital") or fmt.endswith("DigitalTenThousand"):
        return "".join(DIGITS[int(d)] for d in str(number))
    if "Counting" in fmt:
        return chinese(number)
    return str(number)


def chinese(number: int, digits: str = DIGITS, legal: bool = False) -> str:
    """一, 十, 十一, 二十一, 一百零一, 一千零二十: the way Word counts in Chinese."""
    if number >= 100000000:
        return str(number)
    text = ""
    zero = False
    rest = number
    for value, unit in UNITS:
        head, rest = divmod(rest, value)
        if value == 10000:
            if head:
                text += chinese(head, digits, legal) + unit
                zero = 0 < rest < 1000
            continue
        if head:
            if zero and text:
                text += digits[0]
            if not (head == 1 and value == 10 and not text and not legal):
                text += digits[head]
            text += LEGAL_UNITS[unit] if legal else unit
            zero = False
        elif text:
            zero = True
    if rest:
        if zero and text:
            text += digits[0]
        text += digits[rest]
    return text.replace("〇", "零") if digits is DIGITS else text


def _table(symbols: str) -> Maker:
    return lambda number: symbols[number - 1] if number <= len(symbols) else str(number)


def _letters(upper: bool) -> Maker:
    def make(number: int) -> str:
        letter = chr((ord("A") if upper else ord("a")) + (number - 1) % 26)
        return letter * ((number - 1) // 26 + 1)  # Word repeats: Y, Z, AA, BB
    return make


def _roman(upper: bool) -> Maker:
    def make(number: int) -> str:
        text = ""
        for value, numeral in ROMAN:
            while number >= value:
                text += numeral
                number -= value
        return text if upper else text.lower()
    return make


def _cycle(symbols: str) -> Maker:
    return lambda number: symbols[(number - 1) % len(symbols)]


FORMATS: dict[str, Maker] = {
    "decimal": str,
    "decimalZero": lambda number: f"{number:02d}",
    "decimalFullWidth": lambda number: str(number).translate({ord("0") + d: 0xFF10 + d for d in range(10)}),
    "decimalFullWidth2": lambda number: str(number).translate({ord("0") + d: 0xFF10 + d for d in range(10)}),
    "decimalHalfWidth": str,
    "decimalEnclosedCircle": _table(CIRCLED),
    "decimalEnclosedCircleChinese": _table(CIRCLED),
    "decimalEnclosedFullstop": _table(FULLSTOP),
    "decimalEnclosedParen": _table(PAREN),
    "ideographEnclosedCircle": _table(IDEOGRAPH_CIRCLED),
    "ideographTraditional": _cycle(STEMS),
    "ideographZodiac": _cycle(BRANCHES),
    "ideographZodiacTraditional": lambda number: STEMS[(number - 1) % 10] + BRANCHES[(number - 1) % 12],
    "chineseLegalSimplified": lambda number: chinese(number, LEGAL_DIGITS, legal=True),
    "ideographLegalTraditional": lambda number: chinese(number, LEGAL_TRADITIONAL, legal=True),
    "upperLetter": _letters(True),
    "lowerLetter": _letters(False),
    "upperRoman": _roman(True),
    "lowerRoman": _roman(False),
}
