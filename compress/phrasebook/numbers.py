"""Numbers, clock times, durations, prices and dates, each written the way its language writes them.

Conventions (also listed in docs/vocabulary.md):
- English is what a TTS engine speaks, so every number is spelled out in words
  ("twelve euros fifty", "two thirty in the afternoon", "the third of May", "room three oh five").
- German follows Duden: counts one to twelve as words, larger ones as digits ("zwei Tassen", "20 Minuten");
  prices, clock times on the 24-hour clock, temperatures, dates, room and platform numbers in digits
  with a decimal comma ("12,50 Euro", "14:30 Uhr", "am 3. Mai", "Gleis 7"); colloquial clock times
  in words ("halb drei", "Viertel nach drei").
- Chinese follows GB/T 15835 for digits: prices, dates, room and platform numbers in Arabic digits
  ("12.50欧元", "5月3日", "305号房间"); counts, durations, ages, temperatures and times of day in
  characters, with 两 before a measure word or 点 ("两杯咖啡", "两个小时", "下午两点半") and 二 elsewhere
  ("二十", "十二").

English also has its spoken variants ("half six", "twelve fifty", "May the third"): the canonical form
comes first in every `choose`, and the sampler draws the others (see spoken.py).
"""
from .spoken import choose

EN_ONES = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]
EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
EN_ORDINAL_ONES = [
    "", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
    "nineteenth",
]
EN_ORDINAL_TENS = ["", "", "twentieth", "thirtieth"]

DE_WORDS = ["null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf"]
DE_ORDINALS = ["", "erst", "zweit", "dritt", "viert", "fünft"]  # stems; adjective endings are added

ZH_DIGITS = "零一二三四五六七八九"

MONTHS = [
    # (English, German, days in the month; February without leap days)
    ("January", "Januar", 31), ("February", "Februar", 28), ("March", "März", 31), ("April", "April", 30),
    ("May", "Mai", 31), ("June", "Juni", 30), ("July", "Juli", 31), ("August", "August", 31),
    ("September", "September", 30), ("October", "Oktober", 31), ("November", "November", 30),
    ("December", "Dezember", 31),
]


def en_number(n: int) -> str:
    """0 to 9999 in British English words: 'twenty-one', 'one hundred and five'."""
    if n < 0:
        return "minus " + en_number(-n)
    if n < 20:
        return EN_ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return EN_TENS[tens] + ("-" + EN_ONES[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return EN_ONES[hundreds] + " hundred" + (" and " + en_number(rest) if rest else "")
    thousands, rest = divmod(n, 1000)
    if rest == 0:
        return en_number(thousands) + " thousand"
    return en_number(thousands) + " thousand" + (" and " if rest < 100 else " ") + en_number(rest)


def en_ordinal(n: int) -> str:
    """1 to 31: 'first', 'twenty-third', 'thirtieth'."""
    if n < 20:
        return EN_ORDINAL_ONES[n]
    tens, ones = divmod(n, 10)
    if ones == 0:
        return EN_ORDINAL_TENS[tens]
    return EN_TENS[tens] + "-" + EN_ORDINAL_ONES[ones]


def de_count(n: int) -> str:
    """A German count above one: words up to twelve, digits beyond (Duden's rule for running text)."""
    return DE_WORDS[n] if 2 <= n <= 12 else str(n)


def zh_number(n: int, measure: bool = False) -> str:
    """0 to 99999 in Chinese characters; `measure`: the number counts something (两 instead of a leading 二)."""
    if n < 0:
        return "负" + zh_number(-n)
    if n == 2 and measure:
        return "两"
    if n < 10:
        return ZH_DIGITS[n]
    if n < 20:
        return "十" + (ZH_DIGITS[n - 10] if n > 10 else "")
    units = [(10000, "万"), (1000, "千"), (100, "百"), (10, "十")]
    out, zero_pending, started = "", False, False
    for value, name in units:
        digit, n = divmod(n, value)
        if digit:
            if zero_pending:
                out += "零"
            lead = "两" if (digit == 2 and measure and not started and value >= 100) else ZH_DIGITS[digit]
            out += lead + name
            zero_pending, started = False, True
        elif started:
            zero_pending = True
    if n:
        out += ("零" if zero_pending else "") + ZH_DIGITS[n]
    return out


def zh_hour(h12: int) -> str:
    """The hour before 点: 两点, not 二点."""
    return zh_number(h12, measure=True)


# --- Clock times -------------------------------------------------------------------------------
# Two kinds of time slot:
#   "time"  "14:30": a 24-hour time that English speaks with its part of the day
#           ("two thirty in the afternoon"), German writes in digits ("14:30 Uhr") and Chinese
#           writes with its part of the day in characters ("下午两点半").
#   "clock" "2:30": a colloquial time with no part of the day ("half past two", "halb drei", "两点半").

TIME_HOURS = [6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22]
TIME_MINUTES = [0, 10, 15, 20, 30, 40, 45, 50]
CLOCK_MINUTES = [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]

TIME_VALUES = [f"{h:02d}:{m:02d}" for h in TIME_HOURS for m in TIME_MINUTES]
CLOCK_VALUES = [f"{h}:{m:02d}" for h in range(1, 13) for m in CLOCK_MINUTES]


def _parse(value: str) -> tuple[int, int]:
    h, m = value.split(":")
    return int(h), int(m)


def en_daypart(h: int) -> str:
    return "in the morning" if h < 12 else "in the afternoon" if h < 18 else "in the evening"


def zh_daypart(h: int) -> str:
    # 早上 for early morning, 上午 for the rest of the morning, as Mandarin speakers split it.
    return "早上" if h < 9 else "上午" if h < 12 else "下午" if h < 18 else "晚上"


def time_en(value: str) -> str:
    h, m = _parse(value)
    h12 = h - 12 if h > 12 else h
    part = en_daypart(h)
    if m == 0:
        return choose(f"{EN_ONES[h12]} o'clock {part}", f"{EN_ONES[h12]} {part}")
    spoken = [f"{EN_ONES[h12]} {en_number(m)} {part}"]
    if m == 30:
        spoken.append(f"half past {EN_ONES[h12]} {part}")
    if m == 15:
        spoken.append(f"a quarter past {EN_ONES[h12]} {part}")
    if h >= 13:  # timetable English: "fourteen thirty"
        spoken.append(f"{en_number(h)} {en_number(m)}")
    return choose(*spoken)


def time_de(value: str) -> str:
    h, m = _parse(value)
    return f"{h} Uhr" if m == 0 else f"{h}:{m:02d} Uhr"


def time_zh(value: str) -> str:
    h, m = _parse(value)
    h12 = h - 12 if h > 12 else h
    minutes = "" if m == 0 else "半" if m == 30 else zh_number(m) + "分"
    return zh_daypart(h) + zh_hour(h12) + "点" + minutes


def _next_hour(h: int) -> int:
    return 1 if h == 12 else h + 1


def clock_en(value: str) -> str:
    h, m = _parse(value)
    nxt = EN_ONES[_next_hour(h)]
    digital = f"{EN_ONES[h]} {'oh ' if m < 10 else ''}{en_number(m)}"  # "six thirty", "ten oh five"
    if m == 0:
        return choose(f"{EN_ONES[h]} o'clock", EN_ONES[h])
    if m == 15:
        return choose(f"a quarter past {EN_ONES[h]}", f"quarter past {EN_ONES[h]}", digital)
    if m == 30:
        return choose(f"half past {EN_ONES[h]}", f"half {EN_ONES[h]}", digital)  # British "half six" = 6:30
    if m == 45:
        return choose(f"a quarter to {nxt}", f"quarter to {nxt}", digital)
    if m < 30:
        return choose(f"{en_number(m)} past {EN_ONES[h]}", digital)
    return choose(f"{en_number(60 - m)} to {nxt}", digital)


def _de_hour(h: int) -> str:
    return "eins" if h == 1 else DE_WORDS[h]


def clock_de(value: str) -> str:
    h, m = _parse(value)
    nxt = _de_hour(_next_hour(h))
    if m == 0:
        return ("ein" if h == 1 else DE_WORDS[h]) + " Uhr"
    return {
        5: f"fünf nach {_de_hour(h)}",
        10: f"zehn nach {_de_hour(h)}",
        15: f"Viertel nach {_de_hour(h)}",
        20: f"zwanzig nach {_de_hour(h)}",
        25: f"fünf vor halb {nxt}",
        30: f"halb {nxt}",
        35: f"fünf nach halb {nxt}",
        40: f"zwanzig vor {nxt}",
        45: f"Viertel vor {nxt}",
        50: f"zehn vor {nxt}",
        55: f"fünf vor {nxt}",
    }[m]


def clock_zh(value: str) -> str:
    h, m = _parse(value)
    hour = zh_hour(h) + "点"
    if m == 0:
        return hour
    if m == 15:
        return hour + "一刻"
    if m == 30:
        return hour + "半"
    if m == 45:
        return "差一刻" + zh_hour(_next_hour(h)) + "点"
    return hour + ("零" if m < 10 else "") + zh_number(m) + "分"


def when_time(slot: str, value: str) -> tuple[str, str, str]:
    """(en, de, zh) of a "time" or "clock" slot value, without a preposition."""
    if slot == "time":
        return time_en(value), time_de(value), time_zh(value)
    return clock_en(value), clock_de(value), clock_zh(value)


# --- Prices --------------------------------------------------------------------------------------
PRICE_VALUES = sorted(
    {f"{e}.00" for e in list(range(1, 21)) + [25, 30, 35, 40, 45, 50, 60, 75, 80, 90, 95, 99, 120, 150]}
    | {f"{e}.{c:02d}" for e in range(1, 21) for c in (20, 50, 80, 90, 99)},
    key=lambda p: float(p),
)


# (English unit, plural, the hundredth, German, Chinese): euros are the phrasebook's currency;
# the sampler also prices in pounds and dollars.
CURRENCIES = {
    "euro": ("euro", "euros", "cents", "Euro", "欧元"),
    "pound": ("pound", "pounds", "pence", "Pfund", "英镑"),
    "dollar": ("dollar", "dollars", "cents", "Dollar", "美元"),
}


def price_en(value: str, currency: str = "euro") -> str:
    euros, cents = (int(x) for x in value.split("."))
    one, many, hundredth, _, _ = CURRENCIES[currency]
    unit = one if euros == 1 else many
    if not cents:
        return f"{en_number(euros)} {unit}"
    forms = [f"{en_number(euros)} {unit} {en_number(cents)}", f"{en_number(euros)} {unit} and {en_number(cents)} {hundredth}"]
    if currency == "euro":  # "twelve fifty" names no currency: only the phrasebook's own
        forms.insert(1, f"{en_number(euros)} {en_number(cents)}")
    return choose(*forms)


def price_de(value: str, currency: str = "euro") -> str:
    euros, cents = (int(x) for x in value.split("."))
    unit = CURRENCIES[currency][3]
    return f"{euros} {unit}" if cents == 0 else f"{euros},{cents:02d} {unit}"


def price_zh(value: str, currency: str = "euro") -> str:
    euros, cents = (int(x) for x in value.split("."))
    unit = CURRENCIES[currency][4]
    return f"{euros}{unit}" if cents == 0 else f"{euros}.{cents:02d}{unit}"


def price_forms(value: str) -> tuple[str, str, str]:
    currency = choose("euro", "euro", "euro", "pound", "dollar")
    return price_en(value, currency), price_de(value, currency), price_zh(value, currency)


# --- Dates ---------------------------------------------------------------------------------------
DATE_VALUES = [f"{m + 1}-{d}" for m, (_, _, days) in enumerate(MONTHS) for d in range(1, days + 1)]


def date_forms(value: str) -> tuple[str, str, str]:
    """'5-3' -> ('the third of May', '3. Mai', '5月3日'); German takes its article and case from the caller."""
    month, day = (int(x) for x in value.split("-"))
    en_month, de_month, _ = MONTHS[month - 1]
    en = choose(f"the {en_ordinal(day)} of {en_month}", f"{en_month} the {en_ordinal(day)}", f"{en_month} {en_ordinal(day)}")
    return en, f"{day}. {de_month}", f"{month}月{day}日"


# --- Temperatures ---------------------------------------------------------------------------------
TEMPERATURE_VALUES = [t for t in range(-15, 39) if t not in (-1, 0, 1)]


def temperature_forms(t: int) -> tuple[str, str, str]:
    en = f"{en_number(t)} degrees"
    if t < 0:
        en = choose(en, f"{en_number(-t)} degrees below zero", f"{en_number(-t)} below")
    de = f"minus {-t} Grad" if t < 0 else f"{t} Grad"
    zh = f"零下{zh_number(-t)}度" if t < 0 else f"{zh_number(t)}度"
    return en, de, zh
