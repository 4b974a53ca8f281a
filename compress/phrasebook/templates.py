"""Sentence templates, one function per template, grouped by topic.

A template names its slots and their domains; its render function gets one filling (slot -> key)
and returns (en, de, zh), or None when that filling would not make sense. Every combination of
slot values is tried; templates with many combinations keep a seeded sample of `limit`.
"""
from dataclasses import dataclass
from typing import Callable

from . import lexicon as L
from .spoken import choose
from .grammar import a_an, capitalize, de_capitalize, de_np, de_pp, en_count, zh_count
from .numbers import (
    CLOCK_VALUES, DATE_VALUES, DE_ORDINALS, DE_WORDS, EN_ONES, MONTHS, PRICE_VALUES, TEMPERATURE_VALUES, TIME_VALUES,
    de_count, en_number, en_ordinal, date_forms, price_forms, temperature_forms, when_time, zh_number,
)

TOPICS = [
    "greetings", "directions", "transport", "hotel", "restaurant", "shopping", "time", "health", "weather",
    "requests",
]


@dataclass(frozen=True)
class Template:
    id: str
    topic: str
    slots: dict  # slot name -> list of values
    render: Callable
    limit: int | None


TEMPLATES: list[Template] = []


def template(tid: str, topic: str, limit: int | None = None, **slots):
    def register(render):
        TEMPLATES.append(Template(tid, topic, slots, render, limit))
        return render

    return register


def fixed(tid: str, topic: str, phrases: dict):
    """A template whose one slot picks a fixed phrase: {key: (en, de, zh)}."""
    template(tid, topic, phrase=list(phrases))(lambda s: phrases[s["phrase"]])


def keys(items, tag=None):
    """Keys of a lexicon list (Nouns or tuples), optionally only those with a tag."""
    out = []
    for item in items:
        if isinstance(item, tuple):
            out.append(item[0])
        elif tag is None or tag in item.tags:
            out.append(item.key)
    return out


def clock_or_time(slots) -> tuple[str, str, str, int]:
    """(en, de, zh, hour on the 24-hour clock or 1-12 for a colloquial time) of whichever time slot is set."""
    kind = "time" if "time" in slots else "clock"
    value = slots[kind]
    en, de, zh = when_time(kind, value)
    return en, de, zh, int(value.split(":")[0])


def timed(tid: str, topic: str, limit=None, time_hours=None, clock_hours=None, minutes=None, **slots):
    """Register a template twice: with a 24-hour "time" slot and with a colloquial "clock" slot."""
    def register(render):
        def keep(value, hours):
            h, m = (int(x) for x in value.split(":"))
            return (hours is None or h in hours) and (minutes is None or m in minutes)

        times = [t for t in TIME_VALUES if keep(t, time_hours)]
        clocks = [c for c in CLOCK_VALUES if keep(c, clock_hours)]
        template(tid + ".time", topic, limit, time=times, **slots)(render)
        template(tid + ".clock", topic, limit, clock=clocks, **slots)(render)
        return render

    return register


def stop_pp(place) -> str:
    """Where a vehicle stops or one arrives: 'am Bahnhof', 'an der Apotheke', 'im Stadtzentrum'."""
    prep = "in" if place.key in ("city_centre", "old_town") else "an"
    return de_pp(prep, place, "def", "dat")


def loc_pp(place) -> str:
    """Being at a place: 'am Bahnhof', 'in der Apotheke', 'auf der Post'."""
    return de_pp(place.get("loc"), place, "def", "dat")


def to_pp(place) -> str:
    """Going to a place: 'zum Bahnhof', 'zur Apotheke'."""
    return de_pp("zu", place, "def", "dat")


def pair_noun(item):
    """Counted plural-only items: 'pair of shoes' / 'Paar Schuhe' (neuter, Paar invariant) / 双."""
    if not item.en_plural_only:
        return item
    if item.get("de_pair"):
        de = item.get("de_pair")
        return L.N(item.key, item.get("en_pair"), item.get("en_pair").replace("pair ", "pairs "), de, "n", de,
                   item.zh, mw=item.mw, de_dat_pl=de)
    return L.N(item.key, item.get("en_pair"), item.get("en_pair").replace("pair ", "pairs "), item.de, item.gender,
               item.de_pl, item.zh, mw=item.mw)


def en_this(item) -> str:
    return ("these " if item.en_plural_only else "this ") + item.en


def en_be(item) -> str:
    return "are" if item.en_plural_only else "is"


def de_verb(item, singular: str, plural: str) -> str:
    return plural if item.gender == "pl" else singular


def en_when_for(key: str) -> str:
    """'for Friday', 'for the weekend', 'for this evening'."""
    en = L.WHEN[key][1]
    if en.startswith("on "):
        return "for " + en[3:]
    if en == "at the weekend":
        return "for the weekend"
    return "for " + en


def de_when_for(key: str) -> str:
    de = L.WHEN[key][2]
    if de.startswith("am ") and key in L.DAY:
        return "für " + de[3:]
    if key == "weekend":
        return "fürs Wochenende"
    return "für " + de


# ================================================================================================
# Greetings and small talk
# ================================================================================================
fixed("greet.fixed", "greetings", {
    "hello": ("Hello!", "Hallo!", "你好！"),
    "good_morning": ("Good morning!", "Guten Morgen!", "早上好！"),
    "good_afternoon": ("Good afternoon!", "Guten Tag!", "下午好！"),
    "good_evening": ("Good evening!", "Guten Abend!", "晚上好！"),
    "good_night": ("Good night!", "Gute Nacht!", "晚安！"),
    "goodbye": ("Goodbye!", "Auf Wiedersehen!", "再见！"),
    "how_are_you": ("How are you?", "Wie geht es Ihnen?", "您好吗？"),
    "fine": ("I am fine, thank you.", "Mir geht es gut, danke.", "我很好，谢谢。"),
    "and_you": ("And how are you?", "Und wie geht es Ihnen?", "您呢？"),
    "nice_to_meet": ("Nice to meet you.", "Freut mich, Sie kennenzulernen.", "很高兴认识您。"),
    "thanks": ("Thank you very much.", "Vielen Dank.", "非常感谢。"),
    "welcome": ("You are welcome.", "Gern geschehen.", "不客气。"),
    "excuse_me": ("Excuse me.", "Entschuldigung.", "打扰一下。"),
    "sorry": ("I am sorry.", "Es tut mir leid.", "对不起。"),
    "no_problem": ("No problem.", "Kein Problem.", "没问题。"),
    "name_q": ("What is your name?", "Wie heißen Sie?", "您叫什么名字？"),
    "where_from": ("Where are you from?", "Woher kommen Sie?", "您是从哪里来的？"),
    "see_later": ("See you later!", "Bis später!", "回头见！"),
    "nice_day": ("Have a nice day!", "Schönen Tag noch!", "祝您今天愉快！"),
    "enjoy_meal": ("Enjoy your meal!", "Guten Appetit!", "祝您用餐愉快！"),
    "cheers": ("Cheers!", "Prost!", "干杯！"),
    "good_luck": ("Good luck!", "Viel Glück!", "祝您好运！"),
    "welcome_here": ("Welcome!", "Willkommen!", "欢迎！"),
    "yes_please": ("Yes, please.", "Ja, gerne.", "好的，谢谢。"),
    "no_thanks": ("No, thank you.", "Nein, danke.", "不用了，谢谢。"),
    "job": ("What do you do for a living?", "Was machen Sie beruflich?", "您是做什么工作的？"),
    "first_time": ("It is my first time here.", "Ich bin zum ersten Mal hier.", "这是我第一次来这里。"),
    "like_here": ("I like it here very much.", "Es gefällt mir hier sehr gut.", "我很喜欢这里。"),
    "weekend_plans": ("What are you doing at the weekend?", "Was machen Sie am Wochenende?", "您周末做什么？"),
    "holiday": ("I am here on holiday.", "Ich bin im Urlaub hier.", "我是来这里度假的。"),
    "business": ("I am here on business.", "Ich bin geschäftlich hier.", "我是来这里出差的。"),
    "how_long": ("How long are you staying?", "Wie lange bleiben Sie?", "您要待多久？"),
    "birthday": ("Happy birthday!", "Alles Gute zum Geburtstag!", "生日快乐！"),
    "congrats": ("Congratulations!", "Herzlichen Glückwunsch!", "恭喜！"),
    "take_care": ("Take care!", "Passen Sie auf sich auf!", "保重！"),
    "children_q": ("Do you have children?", "Haben Sie Kinder?", "您有孩子吗？"),
    "married_q": ("Are you married?", "Sind Sie verheiratet?", "您结婚了吗？"),
    "where_live": ("Where do you live?", "Wo wohnen Sie?", "您住在哪里？"),
    "long_time": ("Long time no see!", "Lange nicht gesehen!", "好久不见！"),
    "pleasure": ("It was a pleasure.", "Es war mir ein Vergnügen.", "很荣幸。"),
})

# What travellers say most often is short: single words and two-word replies.
fixed("greet.short", "greetings", {
    "thanks_short": ("Thanks!", "Danke!", "谢谢！"),
    "pardon": ("Pardon?", "Wie bitte?", "您说什么？"),
    "yes": ("Yes.", "Ja.", "是的。"),
    "no": ("No.", "Nein.", "不是。"),
    "okay": ("Okay.", "Okay.", "好的。"),
    "sure": ("Sure.", "Klar.", "当然可以。"),
    "help": ("Help!", "Hilfe!", "救命！"),
    "bye": ("Bye!", "Tschüss!", "拜拜！"),
    "hi": ("Hi!", "Hallo!", "嗨！"),
    "great": ("Great!", "Super!", "太好了！"),
    "please": ("Please.", "Bitte.", "请。"),
    "really": ("Really?", "Wirklich?", "真的吗？"),
    "i_see": ("I see.", "Ich verstehe.", "我明白了。"),
    "never_mind": ("Never mind.", "Schon gut.", "没关系。"),
    "again": ("Again, please.", "Noch einmal, bitte.", "请再说一遍。"),
    "slowly": ("More slowly, please.", "Langsamer, bitte.", "请说慢一点。"),
    "perfect": ("Perfect, thank you.", "Perfekt, danke.", "太好了，谢谢。"),
    "sorry_short": ("Sorry!", "Entschuldigung!", "对不起！"),
})

GREETING_WORDS = {
    "hello": ("Hello", "Hallo", "你好"), "good_morning": ("Good morning", "Guten Morgen", "早上好"),
    "good_evening": ("Good evening", "Guten Abend", "晚上好"), "goodbye": ("Goodbye", "Auf Wiedersehen", "再见"),
    "thanks": ("Thank you", "Danke", "谢谢"), "good_night": ("Good night", "Gute Nacht", "晚安"),
}


@template("greet.name_greeting", "greetings", greeting=list(GREETING_WORDS), name=keys(L.FIRST_NAMES))
def _(s):
    en, de, zh = GREETING_WORDS[s["greeting"]]
    _, name, name_zh = L.FIRST_NAME[s["name"]]
    mark, zh_mark = ("." , "。") if s["greeting"] == "thanks" else ("!", "！")
    return f"{en}, {name}{mark}", f"{de}, {name}{mark}", f"{zh}，{name_zh}{zh_mark}"


@template("greet.name", "greetings", frame=["my_name", "this_is", "how_are_you", "where_is"], name=keys(L.FIRST_NAMES))
def _(s):
    _, name, zh = L.FIRST_NAME[s["name"]]
    return {
        "my_name": (f"My name is {name}.", f"Ich heiße {name}.", f"我叫{zh}。"),
        "this_is": (f"This is {name}.", f"Das ist {name}.", f"这是{zh}。"),
        # A first name calls for "du" in German and 你 in Chinese.
        "how_are_you": (f"How are you, {name}?", f"Wie geht es dir, {name}?", f"{zh}，你好吗？"),
        "where_is": (f"Where is {name}?", f"Wo ist {name}?", f"{zh}在哪里？"),
    }[s["frame"]]


@template("greet.from_country", "greetings", frame=["i", "we", "you_q"], country=keys(L.COUNTRIES))
def _(s):
    _, en, de, zh = L.COUNTRY[s["country"]]
    return {
        "i": (f"I am from {en}.", f"Ich komme {de}.", f"我来自{zh}。"),
        "we": (f"We are from {en}.", f"Wir kommen {de}.", f"我们来自{zh}。"),
        "you_q": (f"Are you from {en}?", f"Kommen Sie {de}?", f"您来自{zh}吗？"),
    }[s["frame"]]


@template("greet.relative_from", "greetings", relative=keys(L.RELATIVES), country=keys(L.COUNTRIES))
def _(s):
    r = L.RELATIVE[s["relative"]]
    _, en, de, zh = L.COUNTRY[s["country"]]
    return f"My {r.en} is from {en}.", de_capitalize(f"{de_np(r, 'mein', 'nom')} kommt {de}."), f"我{r.zh}来自{zh}。"


@template("greet.language", "greetings", frame=["speak_q", "little", "dont", "learning", "anyone", "called", "doctor"],
          language=keys(L.LANGUAGES))
def _(s):
    _, en, de, zh = L.LANGUAGE[s["language"]]
    return {
        "speak_q": (f"Do you speak {en}?", f"Sprechen Sie {de}?", f"您会说{zh}吗？"),
        "little": (f"I speak a little {en}.", f"Ich spreche ein bisschen {de}.", f"我会说一点{zh}。"),
        "dont": (f"I don't speak {en}.", f"Ich spreche kein {de}.", f"我不会说{zh}。"),
        "learning": (f"I am learning {en}.", f"Ich lerne {de}.", f"我在学{zh}。"),
        "anyone": (f"Does anyone here speak {en}?", f"Spricht hier jemand {de}?", f"这里有人会说{zh}吗？"),
        "called": (f"What is this called in {en}?", f"Wie heißt das auf {de}?", f"这个用{zh}怎么说？"),
        # A relative clause: the verb goes to the end.
        "doctor": (f"Is there a doctor here who speaks {en}?", f"Gibt es hier einen Arzt, der {de} spricht?",
                   f"这里有会说{zh}的医生吗？"),
    }[s["frame"]]


@template("greet.two_languages", "greetings", language=keys(L.LANGUAGES), language2=keys(L.LANGUAGES))
def _(s):
    if s["language"] == s["language2"]:
        return None
    _, en1, de1, zh1 = L.LANGUAGE[s["language"]]
    _, en2, de2, zh2 = L.LANGUAGE[s["language2"]]
    return f"I speak {en1} and {en2}.", f"Ich spreche {de1} und {de2}.", f"我会说{zh1}和{zh2}。"


@template("greet.city", "greetings", frame=["live", "from", "first_time", "been_q", "visit", "beautiful", "like"],
          city=keys(L.CITIES))
def _(s):
    _, en, de, zh = L.CITY[s["city"]]
    return {
        "live": (f"I live in {en}.", f"Ich wohne in {de}.", f"我住在{zh}。"),
        "from": (f"I come from {en}.", f"Ich komme aus {de}.", f"我是{zh}人。"),
        "first_time": (f"This is my first time in {en}.", f"Ich bin zum ersten Mal in {de}.", f"这是我第一次来{zh}。"),
        "been_q": (f"Have you ever been to {en}?", f"Waren Sie schon einmal in {de}?", f"您去过{zh}吗？"),
        "visit": (f"I would like to visit {en}.", f"Ich möchte {de} besuchen.", f"我想去{zh}看看。"),
        "beautiful": (f"{en} is very beautiful.", f"{de} ist sehr schön.", f"{zh}很美。"),
        "like": (f"I really like {en}.", f"{de} gefällt mir sehr gut.", f"我很喜欢{zh}。"),
    }[s["frame"]]


FUTURE_WHENS = [w[0] for w in L.WHENS if w[4]]


@template("greet.travel_to", "greetings", city=keys(L.CITIES), when=FUTURE_WHENS)
def _(s):
    _, en, de, zh = L.CITY[s["city"]]
    _, w_en, w_de, w_zh, _ = L.WHEN[s["when"]]
    return f"We are going to {en} {w_en}.", f"Wir fahren {w_de} nach {de}.", f"我们{w_zh}去{zh}。"


def en_duration(n: int, unit: str) -> str:
    noun = L.DURATION_UNITS[unit]
    if n == 1:
        return "one night" if unit == "night" else a_an(noun.en)  # hotels count nights: "for one night"
    return f"{en_number(n)} {noun.en_pl}"


def de_duration(n: int, unit: str, case: str = "acc") -> str:
    noun = L.DURATION_UNITS[unit]
    return de_np(noun, "count", case, count=n)


def zh_duration(n: int, unit: str) -> str:
    noun = L.DURATION_UNITS[unit]
    return zh_number(n, measure=True) + noun.mw + noun.zh


@template("greet.stay", "greetings", frame=["staying", "been_here", "we_city"], n=list(range(1, 11)),
          unit=["day", "week", "night"], city=[None] + keys(L.CITIES))
def _(s):
    n, unit, frame = s["n"], s["unit"], s["frame"]
    if (frame == "we_city") != (s["city"] is not None) or (unit == "week" and n > 4) or (unit == "night" and frame != "staying"):
        return None
    en_d, zh_d = en_duration(n, unit), zh_duration(n, unit)
    if frame == "staying":
        return f"I am staying for {en_d}.", f"Ich bleibe {de_duration(n, unit)}.", f"我要待{zh_d}。"
    if frame == "been_here":
        return (f"I have been here for {en_d}.", f"Ich bin seit {de_duration(n, unit, 'dat')} hier.",
                f"我来这里{zh_d}了。")
    _, en, de, zh = L.CITY[s["city"]]
    # German: time before place ("Wir bleiben drei Tage in Berlin").
    return f"We are staying in {en} for {en_d}.", f"Wir bleiben {de_duration(n, unit)} in {de}.", f"我们要在{zh}待{zh_d}。"


@template("greet.family", "greetings", frame=["this_is", "have"], relative=keys(L.RELATIVES), n=list(range(1, 5)))
def _(s):
    r, n = L.RELATIVE[s["relative"]], s["n"]
    if s["frame"] == "this_is":
        if n != 1:
            return None
        return f"This is my {r.en}.", f"Das ist {de_np(r, 'mein', 'nom')}.", f"这是我{r.zh}。"
    if r.key not in ("son", "daughter", "child"):
        return None
    return f"I have {en_count(n, r)}.", f"Ich habe {de_np(r, 'count', 'acc', count=n)}.", f"我有{zh_count(n, r)}。"


SEE_YOU = ["tomorrow", "tomorrow_morning", "tomorrow_evening", "this_evening", "this_afternoon", "day_after_tomorrow",
           "weekend", "next_week"] + [d[0] for d in L.DAYS]


@template("greet.see_you", "greetings", when=SEE_YOU)
def _(s):
    _, en, de, zh, _ = L.WHEN[s["when"]]
    if s["when"] in L.DAY:
        de = de[3:]  # "Bis Montag!", not "Bis am Montag!"
    if s["when"] == "weekend":
        de = "zum Wochenende"
    return f"See you {en}!", f"Bis {de}!", f"{zh}见！"


# ================================================================================================
# Directions and places
# ================================================================================================
GOALS = keys(L.PLACES, "goal")
# Destinations worth a bus, a taxi or a long walk.
TRAVEL_GOALS = [k for k in GOALS if k not in ("toilet", "cash_machine", "bus_stop", "subway", "taxi_rank", "petrol_station")]
INDEF_PLACES = keys(L.PLACES, "indef")
ALL_PLACES = keys(L.PLACES)
OPENING_PLACES = keys(L.PLACES, "opens")


@template("dir.where", "directions", frame=["where", "excuse_where", "tell_where", "know_where", "wonder"], place=ALL_PLACES)
def _(s):
    p = L.PLACE[s["place"]]
    nom = de_np(p, "def", "nom")
    return {
        "where": (f"Where is the {p.en}?", f"Wo ist {nom}?", f"{p.zh}在哪里？"),
        "excuse_where": (f"Excuse me, where is the {p.en}?", f"Entschuldigung, wo ist {nom}?", f"请问，{p.zh}在哪里？"),
        # Indirect questions: the verb goes to the end of the subordinate clause.
        "tell_where": (f"Can you tell me where the {p.en} is?", f"Können Sie mir sagen, wo {nom} ist?",
                       f"您能告诉我{p.zh}在哪里吗？"),
        "know_where": (f"Do you know where the {p.en} is?", f"Wissen Sie, wo {nom} ist?", f"您知道{p.zh}在哪里吗？"),
        "wonder": (f"I was wondering where the {p.en} is.", f"Ich wüsste gern, wo {nom} ist.", f"我想知道{p.zh}在哪里。"),
    }[s["frame"]]


SIGHTS = [k for k in GOALS if "opens" in L.PLACE[k].tags or k in ("old_town", "church", "park", "harbour", "castle")]


@template("dir.get_to", "directions", frame=["how", "excuse_how", "want", "far", "how_far", "looking_for", "visit"], place=GOALS)
def _(s):
    p = L.PLACE[s["place"]]
    if s["frame"] == "visit" and p.key not in SIGHTS:
        return None
    return {
        "visit": (f"I would like to visit the {p.en}.", f"Ich möchte {de_np(p, 'def', 'acc')} besuchen.", f"我想去{p.zh}看看。"),
        "how": (f"How do I get to the {p.en}?", f"Wie komme ich {to_pp(p)}?", f"去{p.zh}怎么走？"),
        "excuse_how": (f"Excuse me, how do I get to the {p.en}?", f"Entschuldigung, wie komme ich {to_pp(p)}?",
                       f"请问，去{p.zh}怎么走？"),
        "want": (f"I would like to go to the {p.en}.", f"Ich möchte {to_pp(p)}.", f"我想去{p.zh}。"),
        "far": (f"Is the {p.en} far from here?", f"Ist {de_np(p, 'def', 'nom')} weit von hier?", f"{p.zh}离这里远吗？"),
        "how_far": (f"How far is it to the {p.en}?", f"Wie weit ist es bis {to_pp(p)}?", f"到{p.zh}有多远？"),
        "looking_for": (f"I am looking for the {p.en}.", f"Ich suche {de_np(p, 'def', 'acc')}.", f"我在找{p.zh}。"),
    }[s["frame"]]


@template("dir.nearby", "directions", frame=["is_there", "nearest", "looking_for_a"], place=INDEF_PLACES)
def _(s):
    p = L.PLACE[s["place"]]
    return {
        "is_there": (f"Is there {a_an(p.en)} near here?", f"Gibt es hier in der Nähe {de_np(p, 'indef', 'acc')}?",
                     f"这附近有{p.zh}吗？"),
        "nearest": (f"Where is the nearest {p.en}?", f"Wo ist {de_np(p, 'def', 'nom', adj='nächst')}?", f"最近的{p.zh}在哪里？"),
        "looking_for_a": (f"I am looking for {a_an(p.en)}.", f"Ich suche {de_np(p, 'indef', 'acc')}.",
                          f"我在找{zh_count(1, p)}。"),
    }[s["frame"]]


RELATIONS = {
    # relation: (English, German preposition + dative, Chinese localiser)
    "next_to": ("next to", "neben", "旁边"), "opposite": ("opposite", "gegenüber", "对面"),
    "behind": ("behind", "hinter", "后面"), "in_front": ("in front of", "vor", "前面"),
}


@template("dir.relation", "directions", limit=900, place=ALL_PLACES, relation=list(RELATIONS), place2=keys(L.PLACES, "landmark"))
def _(s):
    if s["place"] == s["place2"]:
        return None
    p, q = L.PLACE[s["place"]], L.PLACE[s["place2"]]
    en_rel, de_rel, zh_rel = RELATIONS[s["relation"]]
    de = f"{de_np(p, 'def', 'nom')} ist {de_pp(de_rel, q, 'def', 'dat')}."
    return f"The {p.en} is {en_rel} the {q.en}.", de_capitalize(de), f"{p.zh}在{q.zh}{zh_rel}。"


DIRECTIONS = {"left": ("left", "links", "左"), "right": ("right", "rechts", "右")}
TURN_POINT_KEYS = keys(L.TURN_POINTS) + keys(L.PLACES, "landmark")


def turn_point(key):
    """(English noun phrase, German 'an' + dative, Chinese '在…' phrase) for a place to turn at."""
    for tp in L.TURN_POINTS:
        if tp.key == key:
            return f"the {tp.en}", de_pp("an", tp, "def", "dat", adj=tp.get("adj", "")), tp.get("zh_at")
    p = L.PLACE[key]
    return f"the {p.en}", de_pp("an", p, "def", "dat"), f"在{p.zh}那里"


@template("dir.turn", "directions", frame=["turn", "straight_then"], direction=list(DIRECTIONS), point=TURN_POINT_KEYS)
def _(s):
    en_dir, de_dir, zh_dir = DIRECTIONS[s["direction"]]
    en_pt, de_pt, zh_pt = turn_point(s["point"])
    if s["frame"] == "turn":
        # Separable "abbiegen": the prefix closes the clause.
        return f"Turn {en_dir} at {en_pt}.", f"Biegen Sie {de_pt} {de_dir} ab.", f"{zh_pt}{zh_dir}转。"
    return (f"Go straight ahead and then turn {en_dir} at {en_pt}.",
            f"Gehen Sie geradeaus und biegen Sie dann {de_pt} {de_dir} ab.", f"一直往前走，然后{zh_pt}{zh_dir}转。")


@template("dir.street", "directions", ordinal=[1, 2, 3, 4], direction=list(DIRECTIONS))
def _(s):
    n = s["ordinal"]
    en_dir, de_dir, zh_dir = DIRECTIONS[s["direction"]]
    return (f"Take the {en_ordinal(n)} street on the {en_dir}.", f"Nehmen Sie die {DE_ORDINALS[n]}e Straße {de_dir}.",
            f"在第{zh_number(n)}个路口{zh_dir}转。")


WALK_MINUTES = [2, 3, 5, 10, 15, 20, 25, 30]
LOCAL_VEHICLES = ["bus", "tram", "subway", "taxi", "car", "bike"]


@template("dir.minutes", "directions", limit=700, place=GOALS, minutes=WALK_MINUTES, mode=["foot"] + LOCAL_VEHICLES)
def _(s):
    p, m = L.PLACE[s["place"]], s["minutes"]
    en_m = f"{en_number(m)} minutes"
    de_m = f"{de_count(m)} Minuten"
    zh_m = f"{zh_number(m, measure=True)}分钟"
    if s["mode"] == "foot":
        return (f"The {p.en} is {en_m} away on foot.", f"{de_capitalize(de_np(p, 'def', 'nom'))} ist {de_m} zu Fuß entfernt.",
                f"走路到{p.zh}要{zh_m}。")
    v = L.VEHICLE[s["mode"]]
    return (f"It is {en_m} to the {p.en} by {v.en}.", f"{de_capitalize(de_pp('mit', v, 'def', 'dat'))} sind es {de_m} bis {to_pp(p)}.",
            f"{v.get('by_zh')}到{p.zh}要{zh_m}。")


@template("dir.opening", "directions", frame=["open_q", "close_q", "tell_open"], place=OPENING_PLACES)
def _(s):
    p = L.PLACE[s["place"]]
    nom = de_np(p, "def", "nom")
    return {
        "open_q": (f"When does the {p.en} open?", f"Wann öffnet {nom}?", f"{p.zh}几点开门？"),
        "close_q": (f"When does the {p.en} close?", f"Wann schließt {nom}?", f"{p.zh}几点关门？"),
        "tell_open": (f"Could you tell me when the {p.en} opens?", f"Könnten Sie mir sagen, wann {nom} öffnet?",
                      f"您能告诉我{p.zh}几点开门吗？"),
    }[s["frame"]]


@timed("dir.opens_at", "directions", limit=400, minutes=(0, 15, 30, 45), time_hours=range(6, 12), clock_hours=range(6, 12), place=OPENING_PLACES)
def _(s):
    p = L.PLACE[s["place"]]
    en, de, zh, _ = clock_or_time(s)
    return f"The {p.en} opens at {en}.", f"{de_capitalize(de_np(p, 'def', 'nom'))} öffnet um {de}.", f"{p.zh}{zh}开门。"


@timed("dir.closes_at", "directions", limit=400, minutes=(0, 15, 30, 45), time_hours=range(13, 23), clock_hours=range(5, 11), place=OPENING_PLACES)
def _(s):
    p = L.PLACE[s["place"]]
    en, de, zh, _ = clock_or_time(s)
    return f"The {p.en} closes at {en}.", f"{de_capitalize(de_np(p, 'def', 'nom'))} schließt um {de}.", f"{p.zh}{zh}关门。"


@template("dir.open_when", "directions", place=OPENING_PLACES, when=[w[0] for w in L.WHENS if w[0] not in ("this_morning", "this_afternoon", "this_evening", "tomorrow_morning", "tomorrow_afternoon", "tomorrow_evening")])
def _(s):
    p = L.PLACE[s["place"]]
    _, w_en, w_de, w_zh, _ = L.WHEN[s["when"]]
    return f"Is the {p.en} open {w_en}?", f"Hat {de_np(p, 'def', 'nom')} {w_de} geöffnet?", f"{p.zh}{w_zh}开门吗？"


@template("dir.open_relative", "directions", place=[k for k in OPENING_PLACES if k in INDEF_PLACES],
          when=["today", "this_evening", "tomorrow", "weekend"] + [d[0] for d in L.DAYS])
def _(s):
    p = L.PLACE[s["place"]]
    _, w_en, w_de, w_zh, _ = L.WHEN[s["when"]]
    relative = de_np(p, "def", "nom").split()[0]  # der, die, das
    # A relative clause: its finite verb goes last.
    return (f"Is there {a_an(p.en)} that is open {w_en}?", f"Gibt es {de_np(p, 'indef', 'acc')}, {relative} {w_de} geöffnet hat?",
            f"有{w_zh}开门的{p.zh}吗？")


@template("dir.closed_on", "directions", place=OPENING_PLACES, day=keys(L.DAYS))
def _(s):
    p = L.PLACE[s["place"]]
    _, en, de, zh = L.DAY[s["day"]]
    return (f"The {p.en} is closed on {en}s.", f"{de_capitalize(de_np(p, 'def', 'nom'))} ist {de.lower()}s geschlossen.",
            f"{p.zh}{zh}不开门。")


# ================================================================================================
# Transport and tickets
# ================================================================================================
@template("tr.by", "transport", place=TRAVEL_GOALS, vehicle=LOCAL_VEHICLES)
def _(s):
    p, v = L.PLACE[s["place"]], L.VEHICLE[s["vehicle"]]
    return (f"Can I get to the {p.en} by {v.en}?", f"Kann ich {de_pp('mit', v)} {to_pp(p)} fahren?",
            f"我可以{v.get('by_zh')}去{p.zh}吗？")


@template("tr.travel", "transport", limit=600, city=keys(L.CITIES), vehicle=["train", "bus", "car", "plane"], when=FUTURE_WHENS)
def _(s):
    _, en, de, zh = L.CITY[s["city"]]
    v = L.VEHICLE[s["vehicle"]]
    _, w_en, w_de, w_zh, _ = L.WHEN[s["when"]]
    if s["city"] in ("beijing", "shanghai") and v.key != "plane":
        return None  # from Europe, one flies there
    if v.key == "plane":
        # German flies rather than "fährt mit dem Flugzeug".
        return f"We are flying to {en} {w_en}.", f"Wir fliegen {w_de} nach {de}.", f"我们{w_zh}坐飞机去{zh}。"
    by_zh = "坐大巴" if v.key == "bus" else v.get("by_zh")  # a coach between cities
    # German order: time, manner, place.
    return (f"We are going to {en} by {v.en} {w_en}.", f"Wir fahren {w_de} {de_pp('mit', v)} nach {de}.",
            f"我们{w_zh}{by_zh}去{zh}。")


@template("tr.which_line", "transport", vehicle=["bus", "tram"], place=TRAVEL_GOALS)
def _(s):
    v, p = L.VEHICLE[s["vehicle"]], L.PLACE[s["place"]]
    return f"Which {v.en} goes to the {p.en}?", f"{de_capitalize(de_np(v, 'welch', 'nom'))} fährt {to_pp(p)}?", f"{v.get('which_zh')}去{p.zh}？"


@template("tr.city_trains", "transport", frame=["which", "next", "platform_q", "duration_q", "change_q", "price_q", "know_leaves", "on_time_q"],
          city=keys(L.CITIES))
def _(s):
    _, en, de, zh = L.CITY[s["city"]]
    return {
        "which": (f"Which train goes to {en}?", f"Welcher Zug fährt nach {de}?", f"哪趟火车去{zh}？"),
        "next": (f"When does the next train to {en} leave?", f"Wann fährt der nächste Zug nach {de}?", f"下一趟去{zh}的火车几点开？"),
        "platform_q": (f"Which platform does the train to {en} leave from?", f"Von welchem Gleis fährt der Zug nach {de} ab?",
                       f"去{zh}的火车从几号站台出发？"),
        "duration_q": (f"How long does the journey to {en} take?", f"Wie lange dauert die Fahrt nach {de}?", f"去{zh}要多长时间？"),
        "change_q": (f"Do I have to change trains to get to {en}?", f"Muss ich umsteigen, um nach {de} zu kommen?",
                     f"去{zh}需要换车吗？"),
        "price_q": (f"How much is a ticket to {en}?", f"Was kostet eine Fahrkarte nach {de}?", f"去{zh}的票多少钱？"),
        "know_leaves": (f"Do you know when the train to {en} leaves?", f"Wissen Sie, wann der Zug nach {de} abfährt?",
                        f"您知道去{zh}的火车几点出发吗？"),
        "on_time_q": (f"Is the train to {en} on time?", f"Ist der Zug nach {de} pünktlich?", f"去{zh}的火车准点吗？"),
    }[s["frame"]]


@template("tr.change_in", "transport", city=keys(L.CITIES))
def _(s):
    _, en, de, zh = L.CITY[s["city"]]
    return f"You have to change trains in {en}.", f"Sie müssen in {de} umsteigen.", f"您需要在{zh}换车。"


@template("tr.next_bus", "transport", vehicle=["bus", "tram"], place=TRAVEL_GOALS)
def _(s):
    v, p = L.VEHICLE[s["vehicle"]], L.PLACE[s["place"]]
    return (f"When does the next {v.en} to the {p.en} leave?", f"Wann fährt {de_np(v, 'def', 'nom', adj='nächst')} {to_pp(p)}?",
            f"{v.get('next_zh')}去{p.zh}的{v.zh}几点开？")


@timed("tr.leaves_at", "transport", limit=600, city=keys(L.CITIES))
def _(s):
    _, en, de, zh = L.CITY[s["city"]]
    t_en, t_de, t_zh, _ = clock_or_time(s)
    return f"The train to {en} leaves at {t_en}.", f"Der Zug nach {de} fährt um {t_de} ab.", f"去{zh}的火车{t_zh}出发。"


@timed("tr.arrives_at", "transport", limit=500, vehicle=["train", "flight"], city=keys(L.CITIES))
def _(s):
    _, en, de, zh = L.CITY[s["city"]]
    t_en, t_de, t_zh, _ = clock_or_time(s)
    name_en, name_de, name_zh = {"train": ("train", "Zug", "火车"), "flight": ("flight", "Flug", "航班")}[s["vehicle"]]
    return f"The {name_en} from {en} arrives at {t_en}.", f"Der {name_de} aus {de} kommt um {t_de} an.", f"从{zh}来的{name_zh}{t_zh}到。"


@template("tr.platform", "transport", city=keys(L.CITIES), platform=list(range(1, 21)))
def _(s):
    _, en, de, zh = L.CITY[s["city"]]
    n = s["platform"]
    return (f"The train to {en} leaves from platform {en_number(n)}.", f"Der Zug nach {de} fährt von Gleis {n} ab.",
            f"去{zh}的火车从{n}号站台出发。")


@template("tr.tickets", "transport", count=list(range(1, 7)), ticket=["ticket", "single", "return", "first_class"], city=keys(L.CITIES))
def _(s):
    _, en, de, zh = L.CITY[s["city"]]
    t, n = L.TICKET[s["ticket"]], s["count"]
    de_t = de_np(t, "count", "acc", adj=t.get("adj", ""), count=n)
    return f"I would like {en_count(n, t)} to {en}.", f"Ich möchte {de_t} nach {de}.", f"我想买{zh_number(n, True)}张去{zh}的{t.get('zh_kind')}。"


@template("tr.tickets_please", "transport", count=list(range(1, 5)), ticket=["ticket", "single", "return", "first_class"], city=keys(L.CITIES))
def _(s):
    _, en, de, zh = L.CITY[s["city"]]
    t, n = L.TICKET[s["ticket"]], s["count"]
    de_t = de_np(t, "count", "acc", adj=t.get("adj", ""), count=n)
    return (f"{capitalize(en_count(n, t))} to {en}, please.", f"{de_capitalize(de_t)} nach {de}, bitte.",
            f"请给我{zh_number(n, True)}张去{zh}的{t.get('zh_kind')}。")


@template("tr.ticket_price", "transport", limit=500, ticket=["ticket", "single", "return", "first_class"], city=keys(L.CITIES),
          price=[p for p in PRICE_VALUES if float(p) >= 19])
def _(s):
    _, en, de, zh = L.CITY[s["city"]]
    t = L.TICKET[s["ticket"]]
    p_en, p_de, p_zh = price_forms(s["price"])
    de_t = de_capitalize(de_np(t, "indef", "nom", adj=t.get("adj", "")))
    return f"{capitalize(a_an(t.en))} to {en} costs {p_en}.", f"{de_t} nach {de} kostet {p_de}.", f"去{zh}的{t.get('zh_kind')}{p_zh}。"


@template("tr.journey", "transport", frame=["takes", "about"], city=keys(L.CITIES), hours=list(range(1, 13)))
def _(s):
    _, en, de, zh = L.CITY[s["city"]]
    n = s["hours"]
    d_en, d_de, d_zh = en_duration(n, "hour"), de_duration(n, "hour"), zh_duration(n, "hour")
    if s["frame"] == "takes":
        return f"The journey to {en} takes {d_en}.", f"Die Fahrt nach {de} dauert {d_de}.", f"去{zh}要{d_zh}。"
    return (f"The journey to {en} takes about {d_en}.", f"Die Fahrt nach {de} dauert ungefähr {d_de}.",
            f"去{zh}大约要{d_zh}。")


DELAYED = {
    "train": ("train", L.N("train", "train", "trains", "Zug", "m", "Züge", "火车")),
    "bus": ("bus", L.N("bus", "bus", "buses", "Bus", "m", "Busse", "公交车")),
    "flight": ("flight", L.N("flight", "flight", "flights", "Flug", "m", "Flüge", "航班")),
    "ferry": ("ferry", L.N("ferry", "ferry", "ferries", "Fähre", "f", "Fähren", "渡轮")),
    "tram": ("tram", L.N("tram", "tram", "trams", "Straßenbahn", "f", "Straßenbahnen", "有轨电车")),
}


@template("tr.delay", "transport", vehicle=list(DELAYED), minutes=[5, 10, 15, 20, 25, 30, 40, 45, 50])
def _(s):
    _, v = DELAYED[s["vehicle"]]
    m = s["minutes"]
    return (f"The {v.en} is {en_number(m)} minutes late.", f"{de_capitalize(de_np(v, 'def', 'nom'))} hat {de_count(m)} Minuten Verspätung.",
            f"{v.zh}晚点{zh_number(m, True)}分钟。")


@template("tr.stop", "transport", frame=["stop_q", "tell_me", "tell_if_goes"], vehicle=["bus", "tram"],
          place=keys(L.PLACES, "landmark") + ["airport", "beach", "hospital", "harbour", "city_centre", "old_town", "zoo", "castle"])
def _(s):
    v, p = L.VEHICLE[s["vehicle"]], L.PLACE[s["place"]]
    if s["frame"] == "stop_q":
        return (f"Does this {v.en} stop at the {p.en}?", f"Hält {de_np(v, 'dies', 'nom')} {stop_pp(p)}?",
                f"这路{v.zh}在{p.zh}停吗？")
    if s["frame"] == "tell_if_goes":
        return (f"Could you tell me if this {v.en} goes to the {p.en}?",
                f"Könnten Sie mir sagen, ob {de_np(v, 'dies', 'nom')} {to_pp(p)} fährt?", f"您能告诉我这路{v.zh}去不去{p.zh}吗？")
    if v.key != "bus":
        return None
    return (f"Please tell me when we get to the {p.en}.", f"Bitte sagen Sie mir, wenn wir {stop_pp(p)} sind.",
            f"到了{p.zh}请告诉我。")


@template("tr.taxi", "transport", frame=["take_me", "price_q"], place=TRAVEL_GOALS)
def _(s):
    p = L.PLACE[s["place"]]
    if s["frame"] == "take_me":
        return f"Please take me to the {p.en}.", f"Bitte bringen Sie mich {to_pp(p)}.", f"请送我去{p.zh}。"
    return f"How much is a taxi to the {p.en}?", f"Was kostet ein Taxi {to_pp(p)}?", f"坐出租车去{p.zh}多少钱？"


@template("tr.rent", "transport", rental=keys(L.RENTALS), n=list(range(1, 8)), unit=["day", "week"])
def _(s):
    r, n, unit = L.RENTAL[s["rental"]], s["n"], s["unit"]
    if unit == "week" and n > 3:
        return None
    en_d = en_duration(n, unit)
    # Modal verb second, infinitive last: "Ich möchte für drei Tage ein Auto mieten."
    return (f"I would like to rent {a_an(r.en)} for {en_d}.", f"Ich möchte für {de_duration(n, unit)} {de_np(r, 'indef', 'acc')} mieten.",
            f"我想租{zh_count(1, r)}，租{zh_duration(n, unit)}。")


@template("tr.rent_price", "transport", rental=keys(L.RENTALS), unit=["day", "week"])
def _(s):
    r, unit = L.RENTAL[s["rental"]], s["unit"]
    u = L.DURATION_UNITS[unit]
    return (f"How much does it cost to rent {a_an(r.en)} for a {u.en}?",
            f"Was kostet es, {de_np(r, 'indef', 'acc')} für {de_np(u, 'indef', 'acc')} zu mieten?",
            f"租{zh_count(1, r)}{zh_duration(1, unit)}多少钱？")


fixed("tr.fixed", "transport", {
    "where_buy": ("Where can I buy a ticket?", "Wo kann ich eine Fahrkarte kaufen?", "在哪里可以买票？"),
    "seat_free": ("Is this seat free?", "Ist dieser Platz frei?", "这个座位有人吗？"),
    "machine": ("Where is the ticket machine?", "Wo ist der Fahrkartenautomat?", "自动售票机在哪里？"),
    "change_q": ("Do I have to change?", "Muss ich umsteigen?", "我需要换车吗？"),
    "cancelled": ("Our flight has been cancelled.", "Unser Flug wurde gestrichen.", "我们的航班被取消了。"),
    "missed": ("I have missed my train.", "Ich habe meinen Zug verpasst.", "我错过了火车。"),
    "where_change": ("Where do I have to change?", "Wo muss ich umsteigen?", "我要在哪里换车？"),
    "timetable": ("Do you have a timetable?", "Haben Sie einen Fahrplan?", "你们有时刻表吗？"),
    "stop_here": ("Please stop here.", "Bitte halten Sie hier.", "请在这里停车。"),
    "address": ("Please take me to this address.", "Bitte bringen Sie mich zu dieser Adresse.", "请送我去这个地址。"),
    "next_stop": ("What is the next stop?", "Wie heißt die nächste Haltestelle?", "下一站是哪里？"),
    "luggage": ("Where can I leave my luggage?", "Wo kann ich mein Gepäck lassen?", "我可以把行李放在哪里？"),
    "check_in": ("Where is the check-in desk?", "Wo ist der Check-in-Schalter?", "值机柜台在哪里？"),
    "gate": ("Which gate does my flight leave from?", "Von welchem Gate geht mein Flug?", "我的航班在几号登机口登机？"),
})


# ================================================================================================
# Hotel
# ================================================================================================
@template("ho.reservation_nights", "hotel", nights=list(range(1, 15)))
def _(s):
    n = s["nights"]
    return (f"I have a reservation for {en_duration(n, 'night')}.", f"Ich habe eine Reservierung für {de_duration(n, 'night')}.",
            f"我预订了{zh_duration(n, 'night')}。")


@template("ho.reservation_name", "hotel", frame=["i", "we"], surname=keys(L.SURNAMES))
def _(s):
    _, name, zh = L.SURNAME[s["surname"]]
    if s["frame"] == "i":
        return (f"I have a reservation under the name {name}.", f"Ich habe eine Reservierung auf den Namen {name}.",
                f"我用{zh}这个名字预订了房间。")
    return (f"We have a reservation under the name {name}.", f"Wir haben eine Reservierung auf den Namen {name}.",
            f"我们用{zh}这个名字预订了房间。")


@template("ho.room_nights", "hotel", room=keys(L.ROOMS), nights=list(range(1, 11)))
def _(s):
    r, n = L.ROOM[s["room"]], s["nights"]
    return (f"I would like {a_an(r.en)} for {en_duration(n, 'night')}.",
            f"Ich hätte gern {de_np(r, 'indef', 'acc')} für {de_duration(n, 'night')}.",
            f"我想要{zh_count(1, r)}，住{zh_duration(n, 'night')}。")


@template("ho.room_adjective", "hotel", frame=["want", "have_q"], adjective=keys(L.ROOM_ADJECTIVES), room=keys(L.ROOMS))
def _(s):
    r = L.ROOM[s["room"]]
    _, en, de, zh = L.ROOM_ADJECTIVE[s["adjective"]]
    if s["frame"] == "want":
        return (f"I would like {a_an(en + ' ' + r.en)}.", f"Ich hätte gern {de_np(r, 'indef', 'acc', adj=de)}.",
                f"我想要{zh_count(1, r, zh)}。")
    return (f"Do you have {a_an(en + ' ' + r.en)}?", f"Haben Sie {de_np(r, 'indef', 'acc', adj=de)}?",
            f"你们有{zh}{r.zh}吗？")


@template("ho.room_feature", "hotel", room=keys(L.ROOMS), feature=keys(L.ROOM_FEATURES))
def _(s):
    r = L.ROOM[s["room"]]
    _, en, de, zh = L.ROOM_FEATURE[s["feature"]]
    return f"Do you have {a_an(r.en)} with {en}?", f"Haben Sie {de_np(r, 'indef', 'acc')} mit {de}?", f"你们有带{zh}的{r.zh}吗？"


@template("ho.book_date", "hotel", limit=400, room=keys(L.ROOMS), date=DATE_VALUES)
def _(s):
    r = L.ROOM[s["room"]]
    d_en, d_de, d_zh = date_forms(s["date"])
    return (f"I would like to book {a_an(r.en)} for {d_en}.", f"Ich möchte für den {d_de} {de_np(r, 'indef', 'acc')} buchen.",
            f"我想预订一间{d_zh}的{r.zh}。")


@template("ho.room_price", "hotel", limit=400, frame=["q", "costs"], room=keys(L.ROOMS), price=[p for p in PRICE_VALUES] + ["180.00", "220.00", "250.00"])
def _(s):
    r = L.ROOM[s["room"]]
    if s["frame"] == "q":
        if s["price"] != PRICE_VALUES[0]:
            return None  # the question has no price; keep one filling of it
        return f"How much is {a_an(r.en)} per night?", f"Was kostet {de_np(r, 'indef', 'nom')} pro Nacht?", f"{r.zh}一晚多少钱？"
    if float(s["price"]) < 40:
        return None
    p_en, p_de, p_zh = price_forms(s["price"])
    return (f"{capitalize(a_an(r.en))} costs {p_en} per night.", f"{de_capitalize(de_np(r, 'indef', 'nom'))} kostet {p_de} pro Nacht.",
            f"{r.zh}每晚{p_zh}。")


@template("ho.breakfast_hours", "hotel", start=[6, 7, 8], end=[9, 10, 11])
def _(s):
    a, b = s["start"], s["end"]
    return (f"Breakfast is served from {EN_ONES[a]} to {EN_ONES[b]}.", f"Frühstück gibt es von {DE_WORDS[a]} bis {DE_WORDS[b]} Uhr.",
            f"早餐供应时间是{zh_number(a)}点到{zh_number(b)}点。")


BROKEN_ZH = {"internet": "连不上", "key_card": "不能用了", "light": "不亮了"}


@template("ho.broken", "hotel", frame=["in_room", "plain", "repair_q"], thing=keys(L.ROOM_THINGS))
def _(s):
    t = L.ROOM_THING[s["thing"]]
    nom = de_np(t, "def", "nom")
    broken = BROKEN_ZH.get(t.key, "坏了")
    if s["frame"] == "in_room":
        return (f"The {t.en} in my room does not work.", f"{de_capitalize(nom)} in meinem Zimmer funktioniert nicht.",
                f"我房间里的{t.zh}{broken}。")
    if s["frame"] == "plain":
        return f"The {t.en} does not work.", f"{de_capitalize(nom)} funktioniert nicht.", f"{t.zh}{broken}。"
    if t.key in ("internet", "key_card", "light"):
        return None
    return (f"Could you repair the {t.en}, please?", f"Könnten Sie bitte {de_np(t, 'def', 'acc')} reparieren?",
            f"您能修一下{t.zh}吗？")


@template("ho.equipment", "hotel", thing=L.ROOM_EQUIPMENT)
def _(s):
    t = L.ROOM_THING[s["thing"]]
    return f"Is there {a_an(t.en)} in the room?", f"Gibt es im Zimmer {de_np(t, 'indef', 'acc')}?", f"房间里有{t.zh}吗？"


@template("ho.amenity", "hotel", frame=["another", "we_need"], amenity=keys(L.AMENITIES), count=[1, 2, 3])
def _(s):
    a, n = L.AMENITY[s["amenity"]], s["count"]
    if s["frame"] == "another":
        en = f"another {a.en}" if n == 1 else f"{en_number(n)} more {a.en_pl}"
        return (f"Could I have {en}, please?", f"Könnte ich bitte noch {de_np(a, 'count', 'acc', count=n)} bekommen?",
                f"能再给我{zh_count(n, a)}吗？")
    return f"We need {en_count(n, a)}.", f"Wir brauchen {de_np(a, 'count', 'acc', count=n)}.", f"我们需要{zh_count(n, a)}。"


@timed("ho.wake", "hotel", minutes=(0, 15, 30, 45), time_hours=range(6, 11), clock_hours=range(5, 10))
def _(s):
    en, de, zh, _ = clock_or_time(s)
    return f"Please wake me at {en}.", f"Bitte wecken Sie mich um {de}.", f"请在{zh}叫醒我。"


@timed("ho.luggage_until", "hotel", time_hours=range(13, 23), clock_hours=range(1, 8))
def _(s):
    en, de, zh, _ = clock_or_time(s)
    return (f"Can I leave my luggage here until {en}?", f"Kann ich mein Gepäck bis {de} hier lassen?",
            f"我可以把行李放在这里到{zh}吗？")


@timed("ho.checkout_at", "hotel", time_hours=range(10, 12), clock_hours=range(10, 12), minutes=(0, 30))
def _(s):
    en, de, zh, _ = clock_or_time(s)
    return f"Check-out is at {en}.", f"Der Check-out ist um {de}.", f"退房时间是{zh}。"


ROOM_NUMBERS = [f * 100 + r for f in range(1, 7) for r in range(1, 21)]


def en_room_number(n: int) -> str:
    floor, room = divmod(n, 100)
    digits = " ".join(EN_ONES[int(d)] for d in str(n))
    if room < 10:
        return choose(f"{en_number(floor)} oh {en_number(room)}", digits, en_number(n))
    return choose(f"{en_number(floor)} {en_number(room)}", digits, en_number(n))


@template("ho.room_number", "hotel", frame=["my_number", "in_room", "key_for"], number=ROOM_NUMBERS)
def _(s):
    n = s["number"]
    en = en_room_number(n)
    return {
        "my_number": (f"My room number is {en}.", f"Meine Zimmernummer ist {n}.", f"我的房间号是{n}。"),
        "in_room": (f"I am in room {en}.", f"Ich bin in Zimmer {n}.", f"我住在{n}号房间。"),
        "key_for": (f"The key for room {en}, please.", f"Den Schlüssel für Zimmer {n}, bitte.", f"请给我{n}号房间的钥匙。"),
    }[s["frame"]]


fixed("ho.fixed", "hotel", {
    "breakfast_included": ("Is breakfast included?", "Ist das Frühstück inbegriffen?", "含早餐吗？"),
    "breakfast_where": ("Where is breakfast served?", "Wo gibt es Frühstück?", "在哪里吃早餐？"),
    "check_in": ("I would like to check in.", "Ich möchte einchecken.", "我要办理入住。"),
    "check_out": ("I would like to check out.", "Ich möchte auschecken.", "我要退房。"),
    "late_checkout": ("Could I check out later?", "Könnte ich später auschecken?", "我可以晚一点退房吗？"),
    "checkout_when": ("What time is check-out?", "Wann ist der Check-out?", "几点退房？"),
    "password": ("What is the password for the internet?", "Wie lautet das Passwort für das Internet?", "网络密码是多少？"),
    "available": ("Do you have a room available?", "Haben Sie ein Zimmer frei?", "你们还有空房间吗？"),
    "full": ("Sorry, we are fully booked.", "Leider sind wir ausgebucht.", "抱歉，我们已经客满了。"),
    "passport": ("May I see your passport, please?", "Darf ich bitte Ihren Pass sehen?", "请出示一下您的护照。"),
    "clean": ("Could you clean my room, please?", "Könnten Sie bitte mein Zimmer reinigen?", "您能打扫一下我的房间吗？"),
    "noisy": ("My room is too noisy.", "Mein Zimmer ist zu laut.", "我的房间太吵了。"),
    "lift_where": ("Where is the lift?", "Wo ist der Aufzug?", "电梯在哪里？"),
    "parking": ("Is there a car park?", "Gibt es einen Parkplatz?", "有停车场吗？"),
})


# ================================================================================================
# Restaurant and food
# ================================================================================================
def orderables():
    """Every orderable filling: (key, Noun, count, German adjective)."""
    out = []
    for d in L.DISHES:
        out += [(f"{d.key}:{n}", d, n, "") for n in range(1, d.get("max") + 1)]
    for d in L.DRINKS:
        out += [(f"{d.key}:{n}", d, n, d.get("adj", "")) for n in range(1, d.get("max") + 1)]
        for c in d.get("cont"):
            noun = L.drink_in(d, c)
            out += [(f"{noun.key}:{n}", noun, n, "") for n in range(1, 5)]
    return out


ORDERABLE = {k: (noun, n, adj) for k, noun, n, adj in orderables()}


def order_forms(key):
    noun, n, adj = ORDERABLE[key]
    return en_count(n, noun), de_np(noun, "count", "acc", adj=adj, count=n), zh_count(n, noun)


@template("re.order", "restaurant", frame=["want", "we_want", "could", "please", "take", "bring"], item=list(ORDERABLE))
def _(s):
    en, de, zh = order_forms(s["item"])
    return {
        "want": (f"I would like {en}.", f"Ich möchte {de}.", f"我想要{zh}。"),
        "we_want": (f"We would like {en}.", f"Wir möchten {de}.", f"我们想要{zh}。"),
        "could": (f"Could I have {en}, please?", f"Könnte ich bitte {de} haben?", f"可以给我{zh}吗？"),
        "please": (f"{capitalize(en)}, please.", f"{de_capitalize(de)}, bitte.", f"请给我{zh}。"),
        "take": (f"I will have {en}.", f"Ich nehme {de}.", f"我要{zh}。"),
        "bring": (f"Could you bring us {en}, please?", f"Könnten Sie uns bitte {de} bringen?", f"可以给我们{zh}吗？"),
    }[s["frame"]]


@template("re.another", "restaurant", item=[k for k, (noun, n, _) in ORDERABLE.items() if n == 1])
def _(s):
    noun, _, adj = ORDERABLE[s["item"]]
    return (f"Another {noun.en}, please.", f"Noch {de_np(noun, 'count', 'acc', adj=adj, count=1)}, bitte.",
            f"请再来{zh_count(1, noun)}。")


MAINS = ["steak", "schnitzel", "sausage", "hamburger", "omelette"]


@template("re.with_side", "restaurant", dish=MAINS, side=keys(L.SIDES))
def _(s):
    d = L.DISH[s["dish"]]
    _, en, de, zh = L.SIDE[s["side"]]
    if d.key == "hamburger" and s["side"] in ("rice", "potatoes"):
        return None
    return (f"I would like {a_an(d.en)} with {en}.", f"Ich möchte {de_np(d, 'indef', 'acc')} mit {de}.",
            f"我想要{zh_count(1, d)}配{zh}。")


NO_INGREDIENT_DISHES = ["soup", "salad", "sandwich", "pizza", "hamburger", "omelette"]


@template("re.without", "restaurant", dish=NO_INGREDIENT_DISHES + [None], ingredient=keys(L.INGREDIENTS))
def _(s):
    _, en, de, zh = L.INGREDIENT[s["ingredient"]]
    drink_extra = s["ingredient"] in ("ice", "sugar")  # added to drinks (加), not cooked into dishes (放)
    if s["dish"] is None:
        return f"Without {en}, please.", f"Ohne {de}, bitte.", f"请不要{'加' if drink_extra else '放'}{zh}。"
    if drink_extra:
        return None
    d = L.DISH[s["dish"]]
    return (f"I would like the {d.en} without {en}.", f"Ich möchte {de_np(d, 'def', 'acc')} ohne {de}.",
            f"我要{d.zh}，不要放{zh}。")


DRINK_EXTRAS = {"sugar": ("sugar", "Zucker", "糖"), "milk": ("milk", "Milch", "奶"), "ice": ("ice", "Eis", "冰")}
HOT_DRINKS = ["coffee", "tea", "espresso", "cappuccino"]
COLD_DRINKS = ["cola", "orange_juice", "apple_juice", "lemonade"]


@template("re.drink_extra", "restaurant", drink=HOT_DRINKS + COLD_DRINKS, with_=["with", "without"], extra=list(DRINK_EXTRAS))
def _(s):
    d = L.DRINK[s["drink"]]
    hot = d.key in HOT_DRINKS
    if hot == (s["extra"] == "ice") or (d.key == "cappuccino" and s["extra"] == "milk"):
        return None
    en, de, zh = DRINK_EXTRAS[s["extra"]]
    de_prep, zh_verb = ("mit", "加") if s["with_"] == "with" else ("ohne", "不加")
    return (f"{capitalize(a_an(d.en))} {s['with_']} {en}, please.",
            f"{de_capitalize(de_np(d, 'count', 'acc', count=1))} {de_prep} {de}, bitte.",
            f"请给我一{d.mw}{zh_verb}{zh}的{d.zh}。")


@template("re.dont_eat", "restaurant", who=["i", "we"] + keys(L.RELATIVES), food=keys(L.AVOIDED_FOODS))
def _(s):
    f = L.AVOIDED[s["food"]]
    kein = de_np(f, "kein", "acc")
    if s["who"] == "i":
        return f"I don't eat {f.en}.", f"Ich esse {kein}.", f"我不吃{f.zh}。"
    if s["who"] == "we":
        return f"We don't eat {f.en}.", f"Wir essen {kein}.", f"我们不吃{f.zh}。"
    r = L.RELATIVE[s["who"]]
    return f"My {r.en} doesn't eat {f.en}.", f"{de_capitalize(de_np(r, 'mein', 'nom'))} isst {kein}.", f"我{r.zh}不吃{f.zh}。"


@template("re.contains", "restaurant", allergen=L.FOOD_ALLERGENS)
def _(s):
    _, en, de, zh = L.ALLERGEN[s["allergen"]]
    return f"Does this contain {en}?", f"Enthält das {de}?", f"这个含有{zh}吗？"


IN_DISHES = ["soup", "salad", "sandwich", "pizza", "hamburger", "omelette", "sausage"]


@template("re.is_there_in", "restaurant", food=keys(L.AVOIDED_FOODS), dish=IN_DISHES)
def _(s):
    f, d = L.AVOIDED[s["food"]], L.DISH[s["dish"]]
    verb = "Sind" if f.gender == "pl" else "Ist"
    en_verb = "Are there" if f.en.endswith("s") else "Is there"
    return f"{en_verb} {f.en} in the {d.en}?", f"{verb} {f.de} {de_pp('in', d, 'def', 'dat')}?", f"{d.zh}里有{f.zh}吗？"


@template("re.table", "restaurant", people=list(range(2, 11)))
def _(s):
    n = s["people"]
    return (f"A table for {en_number(n)} people, please.", f"Einen Tisch für {de_count(n)} Personen, bitte.",
            f"请给我们一张{zh_number(n, True)}人桌。")


@timed("re.reserve_at", "restaurant", limit=400, time_hours=range(18, 22), clock_hours=range(6, 10), people=list(range(2, 9)))
def _(s):
    n = s["people"]
    en, de, zh, _ = clock_or_time(s)
    # Modal verb second, infinitive last.
    return (f"I would like to book a table for {en_number(n)} at {en}.",
            f"Ich möchte einen Tisch für {de_count(n)} Personen um {de} reservieren.",
            f"我想预订一张{zh}的{zh_number(n, True)}人桌。")


@template("re.reserve_for", "restaurant", people=list(range(2, 9)),
          when=["this_evening", "tomorrow", "tomorrow_evening", "day_after_tomorrow", "weekend"] + [d[0] for d in L.DAYS])
def _(s):
    n, w = s["people"], s["when"]
    return (f"I would like to reserve a table for {en_number(n)} people {en_when_for(w)}.",
            f"Ich möchte {de_when_for(w)} einen Tisch für {de_count(n)} Personen reservieren.",
            f"我想预订一张{L.WHEN[w][3]}的{zh_number(n, True)}人桌。")


@template("re.pay", "restaurant", frame=["can_i"], method=keys(L.PAYMENTS))
def _(s):
    _, en, de, zh = L.PAYMENT[s["method"]]
    return f"Can I pay {en}?", f"Kann ich {de} bezahlen?", zh


# Which dishes can be too salty, too spicy or too sweet.
TASTE_FOODS = {
    "too_salty": ["soup", "salad", "steak", "schnitzel", "sausage", "pizza", "hamburger", "omelette", "sandwich"],
    "too_spicy": ["soup", "pizza", "hamburger", "sausage", "salad", "sandwich"],
    "too_sweet": ["ice_cream", "croissant"],
    "too_hot": ["soup", "pizza", "steak", "schnitzel", "omelette", "sausage"],
    "cold": ["soup", "pizza", "steak", "schnitzel", "omelette", "sausage", "hamburger", "croissant", "roll"],
}
HOT_DRINK_KEYS = ["coffee", "tea", "green_tea", "hot_chocolate", "cappuccino"]
TASTE_DRINKS = {
    "cold": HOT_DRINK_KEYS, "too_hot": HOT_DRINK_KEYS, "too_strong": ["coffee", "tea", "green_tea", "cappuccino"],
    "too_sweet": ["coffee", "tea", "cola", "orange_juice", "red_wine", "white_wine", "hot_chocolate", "cappuccino"],
}


def taste_subjects():
    out = [d.key for d in L.DISHES if d.get("taste")]
    return out + ["coffee", "tea", "beer", "red_wine", "white_wine", "orange_juice", "cola", "hot_chocolate", "green_tea", "cappuccino"]


@template("re.taste", "restaurant", subject=taste_subjects(), taste=list(L.TASTES))
def _(s):
    is_drink = s["subject"] in L.DRINK
    noun = L.DRINK[s["subject"]] if is_drink else L.DISH[s["subject"]]
    en, de, zh, fits = L.TASTES[s["taste"]]
    if fits not in ("both", "drink" if is_drink else "food"):
        return None
    allowed = (TASTE_DRINKS if is_drink else TASTE_FOODS).get(s["taste"])
    if allowed is not None and noun.key not in allowed:
        return None
    subject = de_np(noun, "def", "nom", adj=noun.get("adj", ""))
    return f"The {noun.en} is {en}.", f"{de_capitalize(subject)} ist {de}.", f"{noun.zh}{zh}。"


@template("re.menu_language", "restaurant", language=keys(L.LANGUAGES))
def _(s):
    _, en, de, zh = L.LANGUAGE[s["language"]]
    written = zh if zh == "中文" else zh[:-1] + "文"  # written language: 英文, 德文
    return f"Do you have a menu in {en}?", f"Haben Sie eine Speisekarte auf {de}?", f"有{written}菜单吗？"


fixed("re.fixed", "restaurant", {
    "bill": ("The bill, please.", "Die Rechnung, bitte.", "请结账。"),
    "separately": ("Can we pay separately?", "Können wir getrennt bezahlen?", "我们可以分开付吗？"),
    "recommend": ("What do you recommend?", "Was empfehlen Sie?", "您推荐什么？"),
    "vegetarian": ("Do you have vegetarian dishes?", "Haben Sie vegetarische Gerichte?", "你们有素菜吗？"),
    "menu": ("Could I see the menu, please?", "Könnte ich bitte die Speisekarte sehen?", "可以给我看一下菜单吗？"),
    "table_free": ("Is this table free?", "Ist dieser Tisch frei?", "这张桌子有人吗？"),
    "excellent": ("The food was excellent.", "Das Essen war ausgezeichnet.", "饭菜非常好吃。"),
    "change": ("Keep the change.", "Stimmt so.", "不用找了。"),
    "reservation": ("We have a reservation.", "Wir haben reserviert.", "我们预订了位子。"),
    "service": ("Is service included?", "Ist die Bedienung inbegriffen?", "含服务费吗？"),
    "bread": ("Could we have some more bread?", "Könnten wir noch etwas Brot bekommen?", "可以再给我们一些面包吗？"),
    "hungry": ("I am hungry.", "Ich habe Hunger.", "我饿了。"),
    "thirsty": ("I am thirsty.", "Ich habe Durst.", "我渴了。"),
    "tap_water": ("Could we have some tap water?", "Könnten wir etwas Leitungswasser bekommen?", "可以给我们一些自来水吗？"),
    "specialty": ("What is the speciality of the house?", "Was ist die Spezialität des Hauses?", "你们的招牌菜是什么？"),
    "spicy_q": ("Is this dish spicy?", "Ist dieses Gericht scharf?", "这道菜辣吗？"),
    "not_ordered": ("I did not order this.", "Das habe ich nicht bestellt.", "这不是我点的。"),
    "wait_long": ("How long do we have to wait?", "Wie lange müssen wir warten?", "我们要等多久？"),
})


# ================================================================================================
# Shopping and prices
# ================================================================================================
COLOUR_ITEMS = keys(L.ITEMS, "colour")
WEAR_ITEMS = keys(L.ITEMS, "wear")
SIZE_ITEMS = keys(L.ITEMS, "size")
LENGTH_ITEMS = ["trousers", "dress", "skirt", "coat", "jacket", "shirt", "sweater", "scarf"]
SMALL_ITEMS = ["postcard", "stamp", "battery"]


def en_item_a(item, adj: str = "") -> str:
    """'a red scarf', or for a plural-only noun just 'red shoes'."""
    words = (adj + " " if adj else "") + item.en
    return words if item.en_plural_only else a_an(words)


def zh_item_a(item, modifier: str = "") -> str:
    """'一条红色的围巾'; a German plural (shoes, socks) has no count in English, so none in Chinese."""
    return modifier + item.zh if item.gender == "pl" else zh_count(1, item, modifier)


@template("sh.looking", "shopping", item=keys(L.ITEMS), colour=[None] + keys(L.COLOURS))
def _(s):
    item = L.ITEM[s["item"]]
    if s["colour"] is None:
        return (f"I am looking for {en_item_a(item)}.", f"Ich suche {de_np(item, 'indef', 'acc')}.",
                f"我在找{zh_item_a(item)}。")
    if item.key not in COLOUR_ITEMS:
        return None
    _, en, de, _, zh = L.COLOUR[s["colour"]]
    return (f"I am looking for {en_item_a(item, en)}.", f"Ich suche {de_np(item, 'indef', 'acc', adj=de)}.",
            f"我在找{zh_item_a(item, zh + '的')}。")


@template("sh.buy", "shopping", item=keys(L.ITEMS), count=list(range(1, 11)))
def _(s):
    item, n = pair_noun(L.ITEM[s["item"]]), s["count"]
    if n > (10 if item.key in SMALL_ITEMS else 3):
        return None
    return (f"I would like to buy {en_count(n, item)}.", f"Ich möchte {de_np(item, 'count', 'acc', count=n)} kaufen.",
            f"我想买{zh_count(n, item)}。")


@template("sh.this_item", "shopping", frame=["price_q", "try_on", "take_it"], item=keys(L.ITEMS))
def _(s):
    item = L.ITEM[s["item"]]
    this_zh = "这" + item.mw + item.zh
    if s["frame"] == "price_q":
        return (f"How much {en_be(item)} {en_this(item)}?", f"Was {de_verb(item, 'kostet', 'kosten')} {de_np(item, 'dies', 'nom')}?",
                f"{this_zh}多少钱？")
    if s["frame"] == "try_on":
        if item.key not in WEAR_ITEMS:
            return None
        return (f"Can I try on {en_this(item)}?", f"Kann ich {de_np(item, 'dies', 'acc')} anprobieren?",
                f"我可以{item.get('try_zh')}一下{this_zh}吗？")
    return (f"I will take {en_this(item)}.", f"Ich nehme {de_np(item, 'dies', 'acc')}.", f"我买{this_zh}。")


@template("sh.item_price", "shopping", limit=600, item=keys(L.ITEMS), price=PRICE_VALUES)
def _(s):
    item = L.ITEM[s["item"]]
    p_en, p_de, p_zh = price_forms(s["price"])
    cost = "cost" if item.en_plural_only else "costs"
    return (f"{capitalize(en_this(item))} {cost} {p_en}.", f"{de_capitalize(de_np(item, 'dies', 'nom'))} {de_verb(item, 'kostet', 'kosten')} {p_de}.",
            f"这{item.mw}{item.zh}{p_zh}。")


@template("sh.count_price", "shopping", limit=400, item=SMALL_ITEMS, count=list(range(2, 11)), price=[p for p in PRICE_VALUES if float(p) <= 20])
def _(s):
    item, n = L.ITEM[s["item"]], s["count"]
    p_en, p_de, p_zh = price_forms(s["price"])
    return (f"{capitalize(en_count(n, item))} cost {p_en}.", f"{de_capitalize(de_np(item, 'count', 'nom', count=n))} kosten {p_de}.",
            f"{zh_count(n, item)}{p_zh}。")


@template("sh.total", "shopping", frame=["comes_to", "that_is"], price=PRICE_VALUES)
def _(s):
    p_en, p_de, p_zh = price_forms(s["price"])
    if s["frame"] == "comes_to":
        return f"That comes to {p_en}.", f"Das macht {p_de}.", f"一共{p_zh}。"
    return f"I can give you {p_en}.", f"Ich kann Ihnen {p_de} geben.", f"我可以给您{p_zh}。"


@template("sh.colour_q", "shopping", item=COLOUR_ITEMS, colour=keys(L.COLOURS))
def _(s):
    item = L.ITEM[s["item"]]
    _, en, _, de_noun, zh = L.COLOUR[s["colour"]]
    return (f"Do you have {en_this(item)} in {en}?", f"Haben Sie {de_np(item, 'dies', 'acc')} in {de_noun}?",
            f"这{item.mw}{item.zh}有{zh}的吗？")


@template("sh.size_q", "shopping", item=SIZE_ITEMS, size=["larger", "smaller"])
def _(s):
    item = L.ITEM[s["item"]]
    de, zh = ("größer", "大") if s["size"] == "larger" else ("kleiner", "小")
    return (f"Do you have {en_this(item)} in a {s['size']} size?", f"Haben Sie {de_np(item, 'dies', 'acc')} eine Nummer {de}?",
            f"这{item.mw}{item.zh}有{zh}一号的吗？")


@template("sh.colour_size", "shopping", item=[i for i in COLOUR_ITEMS if i in SIZE_ITEMS or i in LENGTH_ITEMS],
          colour=keys(L.COLOURS), size=keys(L.SIZES))
def _(s):
    item = L.ITEM[s["item"]]
    _, c_en, c_de, _, c_zh = L.COLOUR[s["colour"]]
    _, en, de, zh = L.SIZE[s["size"]]
    if s["size"] in ("too_long", "too_short") and item.key not in LENGTH_ITEMS:
        return None
    if s["size"] in ("too_big", "too_small") and item.key not in SIZE_ITEMS:
        return None
    subject = de_np(item, "def", "nom", adj=c_de)
    return (f"The {c_en} {item.en} {en_be(item)} {en}.", f"{de_capitalize(subject)} {de_verb(item, 'ist', 'sind')} {de}.",
            f"{c_zh}的{item.zh}{zh}。")


@template("sh.take_colour", "shopping", item=COLOUR_ITEMS, colour=keys(L.COLOURS))
def _(s):
    item = L.ITEM[s["item"]]
    _, en, de, _, zh = L.COLOUR[s["colour"]]
    return (f"I will take the {en} {item.en}.", f"Ich nehme {de_np(item, 'def', 'acc', adj=de)}.",
            f"我要那{item.mw}{zh}的{item.zh}。")


@template("sh.produce", "shopping", frame=["want", "price_q"], weight=keys(L.WEIGHTS), produce=keys(L.PRODUCE))
def _(s):
    _, w_en, w_de, w_zh, number = L.WEIGHT[s["weight"]]
    _, en, de, zh = L.PRODUCE_BY_KEY[s["produce"]]
    if s["frame"] == "want":
        return f"I would like {w_en} of {en}.", f"Ich hätte gern {w_de} {de}.", f"我要{w_zh}{zh}。"
    verb = "kostet" if number == "sg" else "kosten"
    return f"How much is {w_en} of {en}?", f"Was {verb} {w_de} {de}?", f"{w_zh}{zh}多少钱？"


@template("sh.produce_price", "shopping", limit=500, weight=keys(L.WEIGHTS), produce=keys(L.PRODUCE),
          price=[p for p in PRICE_VALUES if float(p) <= 20])
def _(s):
    _, w_en, w_de, w_zh, number = L.WEIGHT[s["weight"]]
    _, en, de, zh = L.PRODUCE_BY_KEY[s["produce"]]
    p_en, p_de, p_zh = price_forms(s["price"])
    # An amount takes a singular verb in English; German agrees with the number ("200 Gramm kosten").
    de_verb_ = "kostet" if number == "sg" else "kosten"
    return (f"{capitalize(w_en)} of {en} costs {p_en}.", f"{de_capitalize(w_de)} {de} {de_verb_} {p_de}.",
            f"{w_zh}{zh}{p_zh}。")


fixed("sh.fixed", "shopping", {
    "checkout": ("Where is the checkout?", "Wo ist die Kasse?", "收银台在哪里？"),
    "receipt": ("Could I have a receipt, please?", "Könnte ich bitte eine Quittung bekommen?", "可以给我一张收据吗？"),
    "bag_q": ("Do you need a bag?", "Brauchen Sie eine Tüte?", "您需要袋子吗？"),
    "looking": ("I am just looking.", "Ich schaue mich nur um.", "我只是随便看看。"),
    "expensive": ("That is too expensive.", "Das ist zu teuer.", "太贵了。"),
    "cheaper": ("Do you have anything cheaper?", "Haben Sie etwas Günstigeres?", "有便宜一点的吗？"),
    "discount": ("Can you give me a discount?", "Können Sie mir einen Rabatt geben?", "能给我打个折吗？"),
    "take_it": ("I will take it.", "Ich nehme es.", "我买了。"),
    "close_q": ("When do you close?", "Wann schließen Sie?", "你们几点关门？"),
    "fitting": ("Where are the fitting rooms?", "Wo sind die Umkleidekabinen?", "试衣间在哪里？"),
    "how_much": ("How much does this cost?", "Was kostet das?", "这个多少钱？"),
    "cards_q": ("Do you accept credit cards?", "Nehmen Sie Kreditkarten?", "你们收信用卡吗？"),
    "gift": ("Could you wrap it as a gift?", "Könnten Sie es als Geschenk einpacken?", "能帮我包装成礼物吗？"),
    "exchange": ("Can I exchange this?", "Kann ich das umtauschen?", "这个可以换吗？"),
    "size_q": ("What size is this?", "Welche Größe ist das?", "这是多大号的？"),
})


# ================================================================================================
# Numbers, times, days and dates
# ================================================================================================
@timed("ti.it_is", "time")
def _(s):
    en, de, zh, _ = clock_or_time(s)
    return f"It is {en}.", f"Es ist {de}.", f"现在{zh}。"


@timed("ti.event_at", "time", limit=500, event=keys(L.EVENTS), verb=["starts", "ends"])
def _(s):
    e = L.EVENT[s["event"]]
    en, de, zh, _ = clock_or_time(s)
    de_verb_, zh_verb = ("beginnt", "开始") if s["verb"] == "starts" else ("endet", "结束")
    return f"The {e.en} {s['verb']} at {en}.", f"{de_capitalize(de_np(e, 'def', 'nom'))} {de_verb_} um {de}.", f"{e.zh}{zh}{zh_verb}。"


DAY_WHENS = ["today", "tomorrow", "day_after_tomorrow"] + [d[0] for d in L.DAYS]


@timed("ti.event_when_at", "time", limit=700, event=keys(L.EVENTS), when=DAY_WHENS)
def _(s):
    e = L.EVENT[s["event"]]
    en, de, zh, _ = clock_or_time(s)
    _, w_en, w_de, w_zh, _ = L.WHEN[s["when"]]
    return (f"The {e.en} starts {w_en} at {en}.", f"{de_capitalize(de_np(e, 'def', 'nom'))} beginnt {w_de} um {de}.",
            f"{e.zh}{w_zh}{zh}开始。")


MEET_PLACES = [k for k in GOALS if k not in ("toilet", "police", "hospital", "cash_machine", "pharmacy", "bank")] + ["exit", "entrance"]


@timed("ti.meet_at", "time", limit=700, place=MEET_PLACES)
def _(s):
    p = L.PLACE[s["place"]]
    en, de, zh, _ = clock_or_time(s)
    # German: time before place (temporal, modal, local).
    return f"Let's meet at the {p.en} at {en}.", f"Treffen wir uns um {de} {loc_pp(p)}.", f"我们{zh}在{p.zh}见吧。"


DAY_PARTS = [f"{d[0]}_{part[0]}" for d in L.DAYS for part in L.PARTS_OF_DAY]


def day_part(key):
    day, part = key.split("_")
    _, d_en, d_de, d_zh = L.DAY[day]
    _, p_en, p_de, p_zh = next(p for p in L.PARTS_OF_DAY if p[0] == part)
    return f"on {d_en} {p_en}", f"am {d_de}{p_de}", d_zh + p_zh


@template("ti.meet_when", "time", when=[w[0] for w in L.WHENS] + DAY_PARTS)
def _(s):
    if s["when"] in L.WHEN:
        _, en, de, zh, _ = L.WHEN[s["when"]]
    else:
        en, de, zh = day_part(s["when"])
    return f"Can we meet {en}?", f"Können wir uns {de} treffen?", f"我们{zh}可以见面吗？"


@template("ti.appointment", "time", when=DAY_PARTS)
def _(s):
    en, de, zh = day_part(s["when"])
    return f"I have an appointment {en}.", f"Ich habe {de} einen Termin.", f"我{zh}有个预约。"


@template("ti.event_on", "time", event=keys(L.EVENTS), when=DAY_PARTS)
def _(s):
    e = L.EVENT[s["event"]]
    en, de, zh = day_part(s["when"])
    return f"The {e.en} is {en}.", f"{de_capitalize(de_np(e, 'def', 'nom'))} ist {de}.", f"{e.zh}在{zh}。"


@template("ti.weekday", "time", frame=["today", "tomorrow", "arrive", "leave"], day=keys(L.DAYS))
def _(s):
    _, en, de, zh = L.DAY[s["day"]]
    return {
        "today": (f"Today is {en}.", f"Heute ist {de}.", f"今天是{zh}。"),
        "tomorrow": (f"Tomorrow is {en}.", f"Morgen ist {de}.", f"明天是{zh}。"),
        # Separable verbs split in main clauses: "Ich komme am Montag an."
        "arrive": (f"I arrive on {en}.", f"Ich komme am {de} an.", f"我{zh}到。"),
        "leave": (f"We are leaving on {en}.", f"Wir reisen am {de} ab.", f"我们{zh}离开。"),
    }[s["frame"]]


@template("ti.date", "time", limit=1100, frame=["today", "birthday", "arrive", "leave", "until"], date=DATE_VALUES)
def _(s):
    en, de, zh = date_forms(s["date"])
    return {
        "today": (f"Today is {en}.", f"Heute ist der {de}.", f"今天是{zh}。"),
        "birthday": (f"My birthday is on {en}.", f"Mein Geburtstag ist am {de}.", f"我的生日是{zh}。"),
        "arrive": (f"I arrive on {en}.", f"Ich komme am {de} an.", f"我{zh}到。"),
        "leave": (f"We are leaving on {en}.", f"Wir reisen am {de} ab.", f"我们{zh}离开。"),
        "until": (f"We are staying until {en}.", f"Wir bleiben bis zum {de}.", f"我们待到{zh}。"),
    }[s["frame"]]


@template("ti.month", "time", frame=["holiday", "birthday"], month=list(range(1, 13)))
def _(s):
    en, de, _ = MONTHS[s["month"] - 1]
    m = s["month"]
    if s["frame"] == "holiday":
        return f"My holiday is in {en}.", f"Mein Urlaub ist im {de}.", f"我的假期在{m}月。"
    return f"My birthday is in {en}.", f"Ich habe im {de} Geburtstag.", f"我的生日在{m}月。"


@template("ti.waiting", "time", unit=["minute", "hour"], n=list(range(1, 51)))
def _(s):
    n, unit = s["n"], s["unit"]
    if (unit == "minute" and (n < 5 or n % 5)) or (unit == "hour" and n > 3):
        return None
    return (f"I have been waiting for {en_duration(n, unit)}.", f"Ich warte seit {de_duration(n, unit, 'dat')}.",
            f"我已经等了{zh_duration(n, unit)}了。")


@template("ti.lasts", "time", event=keys(L.EVENTS), hours=[1, 2, 3, 4])
def _(s):
    e, n = L.EVENT[s["event"]], s["hours"]
    return (f"The {e.en} lasts {en_duration(n, 'hour')}.", f"{de_capitalize(de_np(e, 'def', 'nom'))} dauert {de_duration(n, 'hour')}.",
            f"{e.zh}持续{zh_duration(n, 'hour')}。")


def de_years(n: int) -> str:
    return "ein Jahr" if n == 1 else f"{de_count(n)} Jahre"


@template("ti.age", "time", who=["i"] + keys(L.RELATIVES), age=list(range(1, 81)))
def _(s):
    n = s["age"]
    en = f"{en_number(n)} {'year' if n == 1 else 'years'} old"
    zh = f"{zh_number(n, measure=True)}岁"  # 两岁, 二十二岁
    if s["who"] == "i":
        if n < 18:
            return None
        return f"I am {en}.", f"Ich bin {de_years(n)} alt.", f"我{zh}。"
    r = L.RELATIVE[s["who"]]
    young = r.key in ("son", "daughter", "child")
    if (young and n > 17) or (not young and (n < 25 or n % 5)):
        return None
    return f"My {r.en} is {en}.", f"{de_capitalize(de_np(r, 'mein', 'nom'))} ist {de_years(n)} alt.", f"我{r.zh}{zh}。"


@template("ti.people", "time", n=list(range(2, 13)))
def _(s):
    n = s["n"]
    return f"We are {en_number(n)} people.", f"Wir sind {de_count(n)} Personen.", f"我们一共{zh_number(n, True)}个人。"


KILOMETRES = [2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50]
CITY_KILOMETRES = [15, 20, 30, 50, 80, 100, 120, 150, 200, 250, 300, 400, 500, 600]


@template("ti.distance", "time", limit=400, place=TRAVEL_GOALS, km=KILOMETRES)
def _(s):
    p, n = L.PLACE[s["place"]], s["km"]
    return (f"The {p.en} is {en_number(n)} kilometres away.", f"{de_capitalize(de_np(p, 'def', 'nom'))} ist {de_count(n)} Kilometer entfernt.",
            f"{p.zh}离这里{zh_number(n, True)}公里。")


@template("ti.city_distance", "time", city=keys(L.CITIES), km=CITY_KILOMETRES)
def _(s):
    _, en, de, zh = L.CITY[s["city"]]
    n = s["km"]
    return (f"It is {en_number(n)} kilometres to {en}.", f"Bis {de} sind es {de_count(n)} Kilometer.",
            f"到{zh}有{zh_number(n, True)}公里。")


fixed("ti.fixed", "time", {
    "what_time": ("What time is it?", "Wie spät ist es?", "现在几点？"),
    "what_day": ("What day is it today?", "Welcher Tag ist heute?", "今天星期几？"),
    "what_date": ("What is the date today?", "Welches Datum haben wir heute?", "今天几月几号？"),
    "late": ("Sorry, I am late.", "Entschuldigung, ich bin zu spät.", "对不起，我来晚了。"),
    "early": ("We are too early.", "Wir sind zu früh.", "我们来得太早了。"),
    "when_q": ("When shall we meet?", "Wann treffen wir uns?", "我们什么时候见面？"),
    "how_long": ("How long does it take?", "Wie lange dauert das?", "需要多长时间？"),
    "hurry": ("I am in a hurry.", "Ich habe es eilig.", "我赶时间。"),
    "time_q": ("Do you have time tomorrow?", "Haben Sie morgen Zeit?", "您明天有时间吗？"),
})


# ================================================================================================
# Health and emergencies
# ================================================================================================
SYMPTOM_NOW_ZH = {
    "fever": "我发烧了。", "cough": "我咳嗽。", "cold": "我感冒了。", "diarrhoea": "我拉肚子了。", "headache": "我头疼。",
    "sore_throat": "我嗓子疼。", "stomach_ache": "我肚子疼。", "toothache": "我牙疼。", "earache": "我耳朵疼。",
    "backache": "我背疼。", "rash": "我起疹子了。", "sunburn": "我晒伤了。",
}


@template("he.symptom", "health", symptom=keys(L.SYMPTOMS))
def _(s):
    _, en, de, _, _ = L.SYMPTOM[s["symptom"]]
    return f"I have {en}.", f"Ich habe {de}.", SYMPTOM_NOW_ZH[s["symptom"]]


@template("he.symptom_for", "health", symptom=[k for k in keys(L.SYMPTOMS) if k != "sunburn"], n=list(range(1, 8)), unit=["day", "week", "hour"])
def _(s):
    _, en, de, zh, _ = L.SYMPTOM[s["symptom"]]
    n, unit = s["n"], s["unit"]
    if unit == "week" and n > 3:
        return None
    # German puts the time phrase before the object: "Ich habe seit zwei Tagen Fieber."
    return (f"I have had {en} for {en_duration(n, unit)}.", f"Ich habe seit {de_duration(n, unit, 'dat')} {de}.",
            f"我{zh}{zh_duration(n, unit)}了。")


SINCE = {
    "yesterday": ("since yesterday", "seit gestern", "从昨天开始"),
    "this_morning": ("since this morning", "seit heute Morgen", "从今天早上开始"),
    "last_night": ("since last night", "seit gestern Abend", "从昨天晚上开始"),
    "monday": ("since Monday", "seit Montag", "从星期一开始"),
}


@template("he.symptom_since", "health", symptom=[k for k in keys(L.SYMPTOMS) if k != "sunburn"], since=list(SINCE))
def _(s):
    _, en, de, zh, _ = L.SYMPTOM[s["symptom"]]
    s_en, s_de, s_zh = SINCE[s["since"]]
    return f"I have had {en} {s_en}.", f"Ich habe {s_de} {de}.", f"我{s_zh}{zh}。"


@template("he.relative_symptom", "health", relative=keys(L.RELATIVES), symptom=["fever", "cough", "cold", "diarrhoea", "headache", "rash", "sore_throat", "stomach_ache"])
def _(s):
    r = L.RELATIVE[s["relative"]]
    _, en, de, zh, _ = L.SYMPTOM[s["symptom"]]
    return f"My {r.en} has {en}.", f"{de_capitalize(de_np(r, 'mein', 'nom'))} hat {de}.", f"我{r.zh}{zh}了。"


@template("he.hurts", "health", part=keys(L.BODY_PARTS), plural=[False, True])
def _(s):
    b = L.BODY_PART[s["part"]]
    if s["plural"] and b.key not in L.PAIRED_BODY_PARTS:
        return None
    if s["plural"]:
        return f"My {b.en_pl} hurt.", f"{de_capitalize(de_np(b, 'mein', 'nom', plural=True))} tun weh.", f"我{b.zh}疼。"
    return f"My {b.en} hurts.", f"{de_capitalize(de_np(b, 'mein', 'nom'))} tut weh.", f"我{b.zh}疼。"


@template("he.hurts_since", "health", part=keys(L.BODY_PARTS), n=list(range(1, 8)), unit=["day", "week"])
def _(s):
    b, n, unit = L.BODY_PART[s["part"]], s["n"], s["unit"]
    if unit == "week" and n > 3:
        return None
    # "weh tun" brackets the clause: the time phrase sits inside it.
    return (f"My {b.en} has been hurting for {en_duration(n, unit)}.",
            f"{de_capitalize(de_np(b, 'mein', 'nom'))} tut seit {de_duration(n, unit, 'dat')} weh.",
            f"我{b.zh}疼了{zh_duration(n, unit)}了。")


@template("he.symptom_q", "health", frame=["have_q", "medicine"], symptom=keys(L.SYMPTOMS))
def _(s):
    _, en, de, _, de_against = L.SYMPTOM[s["symptom"]]
    if s["frame"] == "have_q":
        zh = SYMPTOM_NOW_ZH[s["symptom"]][1:-1]  # "我发烧了。" -> "发烧了"
        return f"Do you have {en}?", f"Haben Sie {de}?", f"您{zh}吗？"
    return (f"I need some medicine for {en}.", f"Ich brauche ein Medikament gegen {de_against}.",
            f"我需要治{L.SYMPTOM_ZH_NOUN[s['symptom']]}的药。")


BREAKABLE = ["arm", "leg", "foot", "hand", "wrist", "ankle", "knee", "shoulder"]


@template("he.injury", "health", frame=["hurt", "broken"], part=keys(L.BODY_PARTS))
def _(s):
    b = L.BODY_PART[s["part"]]
    # German uses a dative reflexive and the definite article for one's own body parts.
    if s["frame"] == "hurt":
        if b.key in ("stomach", "throat", "tooth", "chest"):
            return None
        return f"I have hurt my {b.en}.", f"Ich habe mir {de_np(b, 'def', 'acc')} verletzt.", f"我的{b.zh}受伤了。"
    if b.key not in BREAKABLE:
        return None
    return (f"I think I have broken my {b.en}.", f"Ich glaube, ich habe mir {de_np(b, 'def', 'acc')} gebrochen.",
            f"我觉得我的{b.zh}骨折了。")


HELPER_ZH = {
    # (need, call, find)
    "doctor": ("我需要看医生。", "请叫医生！", "在哪里可以找到医生？"),
    "ambulance": ("我需要一辆救护车。", "请叫救护车！", None),
    "police": (None, "请报警！", None),
    "fire_brigade": (None, "请叫消防队！", None),
    "taxi": ("我需要一辆出租车。", "请帮我叫一辆出租车！", "在哪里可以找到出租车？"),
    "dentist": ("我需要看牙医。", "请叫牙医！", "在哪里可以找到牙医？"),
}


@template("he.helper", "health", frame=["need", "call", "find"], helper=keys(L.HELPERS))
def _(s):
    _, en, de, _ = L.HELPER[s["helper"]]
    need, call, find = HELPER_ZH[s["helper"]]
    if s["frame"] == "need":
        return (f"I need {en}.", f"Ich brauche {de}.", need) if need else None
    if s["frame"] == "call":
        return f"Please call {en}!", f"Bitte rufen Sie {de}!", call
    return (f"Where can I find {en}?", f"Wo finde ich {de}?", find) if find else None


@template("he.remedy", "health", symptom=keys(L.SYMPTOMS))
def _(s):
    _, en, _, _, de_against = L.SYMPTOM[s["symptom"]]
    return (f"Do you have something for {en}?", f"Haben Sie etwas gegen {de_against}?",
            f"有治{L.SYMPTOM_ZH_NOUN[s['symptom']]}的药吗？")


FREQUENCIES = {1: ("once a day", "einmal täglich"), 2: ("twice a day", "zweimal täglich"),
               3: ("three times a day", "dreimal täglich"), 4: ("four times a day", "viermal täglich")}
MEALS = {"": ("", "", ""), "after": (" after meals", "nach dem Essen ", "，饭后服用"),
         "before": (" before meals", "vor dem Essen ", "，饭前服用")}


@template("he.dosage", "health", tablets=[1, 2, 3], times=[1, 2, 3, 4], meal=list(MEALS))
def _(s):
    n, t = s["tablets"], s["times"]
    f_en, f_de = FREQUENCIES[t]
    m_en, m_de, m_zh = MEALS[s["meal"]]
    tablets_en = "one tablet" if n == 1 else f"{en_number(n)} tablets"
    tablets_de = "eine Tablette" if n == 1 else f"{de_count(n)} Tabletten"
    return (f"Take {tablets_en} {f_en}{m_en}.", f"Nehmen Sie {f_de} {m_de}{tablets_de}.",
            f"每天{zh_number(t, True)}次，每次{zh_number(n, True)}片{m_zh}。")


@template("he.allergic", "health", who=["i"] + keys(L.RELATIVES), allergen=keys(L.ALLERGENS))
def _(s):
    _, en, de, zh = L.ALLERGEN[s["allergen"]]
    if s["who"] == "i":
        return f"I am allergic to {en}.", f"Ich bin allergisch gegen {de}.", f"我对{zh}过敏。"
    r = L.RELATIVE[s["who"]]
    return (f"My {r.en} is allergic to {en}.", f"{de_capitalize(de_np(r, 'mein', 'nom'))} ist allergisch gegen {de}.",
            f"我{r.zh}对{zh}过敏。")


@template("he.belonging", "health", frame=["lost", "stolen", "seen_q", "cant_find"], item=keys(L.BELONGINGS))
def _(s):
    b = L.BELONGING[s["item"]]
    have = "have" if b.en_plural_only else "has"
    return {
        "lost": (f"I have lost my {b.en}.", f"Ich habe {de_np(b, 'mein', 'acc')} verloren.", f"我的{b.zh}丢了。"),
        "stolen": (f"My {b.en} {have} been stolen.",
                   f"{de_capitalize(de_np(b, 'mein', 'nom'))} {de_verb(b, 'wurde', 'wurden')} gestohlen.", f"我的{b.zh}被偷了。"),
        "seen_q": (f"Have you seen my {b.en}?", f"Haben Sie {de_np(b, 'mein', 'acc')} gesehen?", f"您看到我的{b.zh}了吗？"),
        "cant_find": (f"I can't find my {b.en}.", f"Ich finde {de_np(b, 'mein', 'acc')} nicht.", f"我找不到我的{b.zh}了。"),
    }[s["frame"]]


LEFT_IN = {
    "taxi": ("in the taxi", "im Taxi", "出租车上"), "train": ("on the train", "im Zug", "火车上"),
    "bus": ("on the bus", "im Bus", "公交车上"), "hotel": ("at the hotel", "im Hotel", "酒店里"),
    "restaurant": ("in the restaurant", "im Restaurant", "餐厅里"), "room": ("in my room", "in meinem Zimmer", "我的房间里"),
}


@template("he.left_in", "health", item=keys(L.BELONGINGS), where=list(LEFT_IN))
def _(s):
    b = L.BELONGING[s["item"]]
    en, de, zh = LEFT_IN[s["where"]]
    return (f"I have left my {b.en} {en}.", f"Ich habe {de_np(b, 'mein', 'acc')} {de} liegen lassen.",
            f"我把{b.zh}落在{zh}了。")


@template("he.relative_state", "health", relative=keys(L.RELATIVES), state=keys(L.RELATIVE_STATES))
def _(s):
    r = L.RELATIVE[s["relative"]]
    _, en, (verb, rest), zh = L.RELATIVE_STATE[s["state"]]
    return f"My {r.en} {en}.", f"{de_capitalize(de_np(r, 'mein', 'nom'))} {verb} {rest}.", f"我{r.zh}{zh}。"


@timed("he.appointment_at", "health", limit=300, time_hours=range(8, 19), clock_hours=range(1, 13))
def _(s):
    en, de, zh, _ = clock_or_time(s)
    return (f"I have a doctor's appointment at {en}.", f"Ich habe um {de} einen Termin beim Arzt.", f"我约了{zh}看医生。")


fixed("he.fixed", "health", {
    "help": ("Help!", "Hilfe!", "救命！"),
    "emergency": ("It is an emergency.", "Es ist ein Notfall.", "这是紧急情况。"),
    "leave_alone": ("Leave me alone!", "Lassen Sie mich in Ruhe!", "别打扰我！"),
    "accident": ("There has been an accident.", "Es hat einen Unfall gegeben.", "发生了事故。"),
    "sick": ("I feel sick.", "Mir ist schlecht.", "我觉得恶心。"),
    "dizzy": ("I feel dizzy.", "Mir ist schwindelig.", "我头晕。"),
    "fire": ("Fire!", "Feuer!", "着火了！"),
    "lost": ("I am lost.", "Ich habe mich verlaufen.", "我迷路了。"),
    "hurts_here": ("It hurts here.", "Es tut hier weh.", "这里疼。"),
    "often_q": ("How often should I take this medicine?", "Wie oft soll ich dieses Medikament nehmen?", "这个药我应该多久吃一次？"),
    "insurance": ("I have travel insurance.", "Ich habe eine Reiseversicherung.", "我有旅游保险。"),
    "prescription": ("Do I need a prescription?", "Brauche ich ein Rezept?", "需要处方吗？"),
    "blood": ("I am bleeding.", "Ich blute.", "我流血了。"),
    "breathe": ("I can't breathe.", "Ich bekomme keine Luft.", "我喘不过气来。"),
    "allergic_q": ("Are you allergic to anything?", "Sind Sie gegen etwas allergisch?", "您对什么过敏吗？"),
    "better": ("I feel better now.", "Mir geht es jetzt besser.", "我现在感觉好多了。"),
    "thief": ("Stop, thief!", "Haltet den Dieb!", "抓小偷！"),
    "report": ("I would like to report a theft.", "Ich möchte einen Diebstahl melden.", "我要报案，我的东西被偷了。"),
})


# ================================================================================================
# Weather
# ================================================================================================
WEATHER_WHENS = [w[0] for w in L.WHENS] + ["now"]
NOW = ("now", "now", "jetzt", "现在", False)


def when_of(key):
    return NOW if key == "now" else L.WHEN[key]


def weather_clause(key: str, future: bool):
    """(English clause, German (finite verb, rest), Chinese predicate)."""
    _, en_now, en_fut, de_now, de_fut, zh_now, zh_fut = L.WEATHER_BY_KEY[key]
    if future:
        return en_fut, ("wird", de_fut), zh_fut
    verb, _, rest = de_now.partition(" ")  # "ist es sonnig" -> ("ist", "es sonnig"), "regnet es" -> ("regnet", "es")
    rest = "" if rest == "es" else rest.removeprefix("es ")
    return en_now, (verb, rest), zh_now


def de_weather(front: str, verb: str, rest: str, middle: str = "") -> str:
    """Verb second, "es" right after it, adverbials before the predicate: "In Berlin wird es morgen regnen."."""
    words = [front, verb, "es"] + ([middle] if middle else []) + ([rest] if rest else [])
    return de_capitalize(" ".join(words)) + "."


@template("we.when", "weather", weather=[w[0] for w in L.WEATHER], when=WEATHER_WHENS)
def _(s):
    _, w_en, w_de, w_zh, future = when_of(s["when"])
    en, (verb, rest), zh = weather_clause(s["weather"], future)
    return f"{capitalize(en)} {w_en}.", de_weather(w_de, verb, rest), f"{w_zh}{zh}。"


@template("we.city", "weather", limit=900, weather=[w[0] for w in L.WEATHER], city=keys(L.CITIES), when=WEATHER_WHENS)
def _(s):
    _, w_en, w_de, w_zh, future = when_of(s["when"])
    _, c_en, c_de, c_zh = L.CITY[s["city"]]
    en, (verb, rest), zh = weather_clause(s["weather"], future)
    return f"{capitalize(en)} in {c_en} {w_en}.", de_weather(f"In {c_de}", verb, rest, w_de), f"{c_zh}{w_zh}{zh}。"


@template("we.question", "weather", city=[None] + keys(L.CITIES), when=WEATHER_WHENS)
def _(s):
    _, w_en, w_de, w_zh, future = when_of(s["when"])
    en_verb, de_verb_ = ("will the weather be like", "wird") if future else ("is the weather like", "ist")
    if s["city"] is None:
        return f"What {en_verb} {w_en}?", f"Wie {de_verb_} das Wetter {w_de}?", f"{w_zh}天气怎么样？"
    _, c_en, c_de, c_zh = L.CITY[s["city"]]
    return f"What {en_verb} in {c_en} {w_en}?", f"Wie {de_verb_} das Wetter {w_de} in {c_de}?", f"{c_zh}{w_zh}天气怎么样？"


@template("we.will_it", "weather", weather=["rain", "snow"], when=FUTURE_WHENS + ["this_afternoon", "this_evening"])
def _(s):
    _, w_en, w_de, w_zh, _ = L.WHEN[s["when"]]
    verb_en, verb_de, verb_zh = {"rain": ("rain", "regnen", "下雨"), "snow": ("snow", "schneien", "下雪")}[s["weather"]]
    return f"Is it going to {verb_en} {w_en}?", f"Wird es {w_de} {verb_de}?", f"{w_zh}会{verb_zh}吗？"


PRESENT_WHENS = ["now", "today", "this_morning", "this_afternoon", "this_evening"]


@template("we.temperature", "weather", t=TEMPERATURE_VALUES, when=PRESENT_WHENS)
def _(s):
    _, w_en, w_de, w_zh, _ = when_of(s["when"])
    en, de, zh = temperature_forms(s["t"])
    return f"It is {en} {w_en}.", f"{de_capitalize(w_de)} sind es {de}.", f"{w_zh}{zh}。"


@template("we.city_temperature", "weather", limit=300, t=TEMPERATURE_VALUES, city=keys(L.CITIES))
def _(s):
    _, c_en, c_de, c_zh = L.CITY[s["city"]]
    en, de, zh = temperature_forms(s["t"])
    return f"It is {en} in {c_en}.", f"In {c_de} sind es {de}.", f"{c_zh}的气温是{zh}。"


USUAL_ZH = {"sunny": "通常是晴天", "cloudy": "通常多云", "windy": "通常风很大", "foggy": "经常有雾", "hot": "通常很热",
            "cold": "通常很冷", "warm": "通常很暖和", "cool": "通常很凉快", "humid": "通常很闷热"}


@template("we.season", "weather", month=list(range(1, 13)), weather=[w[0] for w in L.WEATHER])
def _(s):
    m, w = s["month"], s["weather"]
    en_month, de_month, _ = MONTHS[m - 1]
    if w not in L.SEASON_WEATHER[L.MONTH_SEASON[m - 1]] or w == "storm":
        return None
    if w in ("rain", "snow"):
        en_v, de_v, zh_v = {"rain": ("rains", "regnet", "下雨"), "snow": ("snows", "schneit", "下雪")}[w]
        return f"It often {en_v} in {en_month}.", f"Im {de_month} {de_v} es oft.", f"{m}月经常{zh_v}。"
    adjective = L.WEATHER_BY_KEY[w][1].split()[-1]  # "it is sunny" -> "sunny"
    de_adj = L.WEATHER_BY_KEY[w][4]
    if w == "foggy":
        return f"In {en_month} it is often foggy.", f"Im {de_month} ist es oft neblig.", f"{m}月{USUAL_ZH[w]}。"
    return f"In {en_month} it is usually {adjective}.", f"Im {de_month} ist es meistens {de_adj}.", f"{m}月{USUAL_ZH[w]}。"


@template("we.gear", "weather", gear=keys(L.WEATHER_GEAR), when=FUTURE_WHENS)
def _(s):
    g = L.WEATHER_GEAR_BY_KEY[s["gear"]]
    _, w_en, w_de, w_zh, _ = L.WHEN[s["when"]]
    en_g = g.en if g.en_plural_only else a_an(g.en)
    de_g = de_np(g, "indef", "acc", adj=g.get("adj", ""))
    zh_g = g.zh if g.en_plural_only and g.gender == "pl" else zh_count(1, g)
    return f"You will need {en_g} {w_en}.", f"{de_capitalize(w_de)} brauchen Sie {de_g}.", f"您{w_zh}需要带{zh_g}。"


GEAR_FOR = {"umbrella": ["rain"], "raincoat": ["rain"], "warm_coat": ["cold", "snow"], "scarf": ["cold", "snow", "windy"],
            "sun_hat": ["sunny", "hot"], "sunglasses": ["sunny"], "jacket": ["cool", "windy", "cold"]}


@template("we.take_gear", "weather", gear=list(GEAR_FOR), weather=[w[0] for w in L.WEATHER],
          when=["this_afternoon", "this_evening", "tomorrow", "tomorrow_morning", "weekend"])
def _(s):
    if s["weather"] not in GEAR_FOR[s["gear"]]:
        return None
    g = L.WEATHER_GEAR_BY_KEY[s["gear"]]
    _, w_en, w_de, w_zh, _ = L.WHEN[s["when"]]
    en, (verb, rest), zh = weather_clause(s["weather"], True)
    en_g = ("your " + g.en) if g.en_plural_only else a_an(g.en)
    de_g = de_np(g, "Ihr" if g.en_plural_only else "indef", "acc", adj=g.get("adj", ""))
    return (f"Take {en_g}, {en} {w_en}.", f"Nehmen Sie {de_g} mit, es {verb} {w_de} {rest}.", f"带上{g.zh}吧，{w_zh}{zh}。")


fixed("we.fixed", "weather", {
    "lovely": ("What lovely weather!", "Was für ein schönes Wetter!", "天气真好！"),
    "terrible": ("What terrible weather!", "Was für ein schreckliches Wetter!", "天气真糟糕！"),
    "forecast": ("What is the weather forecast?", "Wie ist die Wettervorhersage?", "天气预报怎么说？"),
    "umbrella_q": ("Should I take an umbrella?", "Soll ich einen Regenschirm mitnehmen?", "我要带伞吗？"),
    "stopped": ("It has stopped raining.", "Es hat aufgehört zu regnen.", "雨停了。"),
    "how_warm": ("How warm is it today?", "Wie warm ist es heute?", "今天多少度？"),
    "getting_cold": ("It is getting cold.", "Es wird kalt.", "天气变冷了。"),
})


# ================================================================================================
# Polite requests
# ================================================================================================
def de_zu_infinitive(finite: str, prefix: str, infinitive: str) -> str:
    """'helfen' -> 'zu helfen', 'aufschreiben' -> 'aufzuschreiben', 'leiser machen' -> 'leiser zu machen'."""
    if " " in infinitive:
        return f"{prefix} zu {finite}"
    if prefix:
        return f"{prefix}zu{finite}"
    return "zu " + infinitive


def de_request(action, frame: str) -> str:
    pron, rest, finite, prefix, infinitive = action
    if frame == "so_kind":
        return "Wären Sie so freundlich, " + " ".join(p for p in [pron, rest, de_zu_infinitive(finite, prefix, infinitive)] if p) + "?"
    # Pronoun objects come before "bitte", other objects and adverbials after it.
    if frame == "imperative":
        parts = ["Bitte", finite, "Sie", pron, rest, prefix]
        return " ".join(p for p in parts if p) + "."
    modal = {"could": "Könnten Sie", "can": "Können Sie", "excuse": "Entschuldigung, könnten Sie"}[frame]
    bitte = "" if frame == "can" else "bitte"
    parts = [modal, pron, bitte, rest, infinitive]
    return " ".join(p for p in parts if p) + "?"


@template("pr.action", "requests", frame=["could", "can", "imperative", "excuse", "so_kind"], action=keys(L.ACTIONS))
def _(s):
    _, en, de_parts, zh = L.ACTION[s["action"]]
    de = de_request(de_parts, s["frame"])
    return {
        "could": (f"Could you {en}, please?", de, f"您能{zh}吗？"),
        "can": (f"Can you {en}?", de, f"您可以{zh}吗？"),
        "imperative": (f"Please {en}.", de, f"请{zh}。"),
        "excuse": (f"Excuse me, could you {en}?", de, f"打扰一下，您能{zh}吗？"),
        "so_kind": (f"Would you be so kind as to {en}?", de, f"能麻烦您{zh}吗？"),
    }[s["frame"]]


@template("pr.way", "requests", frame=["show_way", "tell_how"], place=TRAVEL_GOALS)
def _(s):
    p = L.PLACE[s["place"]]
    if s["frame"] == "show_way":
        return (f"Could you show me the way to the {p.en}?", f"Könnten Sie mir den Weg {to_pp(p)} zeigen?",
                f"您能告诉我去{p.zh}的路吗？")
    # Indirect question: "wie ich zum Bahnhof komme", the verb last.
    return (f"Could you tell me how to get to the {p.en}?", f"Könnten Sie mir sagen, wie ich {to_pp(p)} komme?",
            f"您能告诉我怎么去{p.zh}吗？")


GIVE_OBJECTS = [("amenity", a.key) for a in L.AMENITIES] + [("item", k) for k in ("map", "stamp", "postcard", "newspaper", "battery", "charger")]


@template("pr.give_me", "requests", frame=["give", "need", "borrow"], thing=[f"{kind}:{key}" for kind, key in GIVE_OBJECTS])
def _(s):
    kind, key = s["thing"].split(":")
    noun = L.AMENITY[key] if kind == "amenity" else L.ITEM[key]
    en, de, zh = a_an(noun.en), de_np(noun, "indef", "acc"), zh_count(1, noun)
    if s["frame"] == "give":
        return f"Could you give me {en}, please?", f"Könnten Sie mir bitte {de} geben?", f"您能给我{zh}吗？"
    if s["frame"] == "need":
        return f"I need {en}.", f"Ich brauche {de}.", f"我需要{zh}。"
    if key in ("stamp", "postcard", "newspaper", "battery", "toilet_paper", "soap", "toothbrush"):
        return None
    return f"Could I borrow {en}?", f"Könnte ich {de} ausleihen?", f"我可以借{zh}吗？"


# "Stört es Sie, wenn ich …": the subordinate clause needs the verb's ich-form last.
MIND_CLAUSES = {
    "sit_here": "hier sitze", "open_window": "das Fenster öffne", "take_photo": "ein Foto mache",
    "use_phone": "Ihr Telefon benutze", "smoke": "hier rauche", "park": "hier parke", "leave_bag": "meine Tasche hier lasse",
    "sit_window": "am Fenster sitze", "charge_phone": "hier mein Handy auflade", "ask_question": "Sie etwas frage",
    "use_toilet": "die Toilette benutze", "pay_later": "später bezahle", "try_it_on": "es anprobiere",
    "bring_dog": "meinen Hund mitbringe", "leave_early": "etwas früher gehe", "look_around": "mich umsehe",
    "pay_cash": "bar bezahle",
}


@template("pr.mind", "requests", action=list(MIND_CLAUSES))
def _(s):
    _, en, _, zh = L.PERMISSION[s["action"]]
    return f"Do you mind if I {en}?", f"Stört es Sie, wenn ich {MIND_CLAUSES[s['action']]}?", f"您介意我{zh}吗？"


@template("pr.permission", "requests", frame=["may", "can", "want_know", "know_q", "would_like"], action=keys(L.PERMISSIONS))
def _(s):
    _, en, de, zh = L.PERMISSION[s["action"]]
    return {
        "may": (f"May I {en}?", f"Darf ich {de}?", f"我可以{zh}吗？"),
        "can": (f"Can I {en}?", f"Kann ich {de}?", f"我能{zh}吗？"),
        # Subordinate clauses with "ob": the finite verb goes last.
        "want_know": (f"I would like to know if I can {en}.", f"Ich möchte wissen, ob ich {de} kann.", f"我想知道我能不能{zh}。"),
        "know_q": (f"Do you know if I am allowed to {en}?", f"Wissen Sie, ob ich {de} darf?", f"您知道我可不可以{zh}吗？"),
        "would_like": (f"I would like to {en}.", f"Ich möchte {de}.", f"我想{zh}。"),
    }[s["frame"]]


def ihr_acc(gender: str) -> str:
    """'Ihren Rat', 'Ihre Hilfe', 'Ihr Verständnis': the formal 'your' in the accusative."""
    return "Ihr" + {"m": "en", "f": "e", "n": ""}[gender]


@template("pr.thanks", "requests", frame=["thanks", "many_thanks"], thing=keys(L.THANKS_FOR))
def _(s):
    _, en, (noun, gender), zh = L.THANKS[s["thing"]]
    ihr = ihr_acc(gender)
    if s["frame"] == "thanks":
        return f"Thank you for your {en}.", f"Danke für {ihr} {noun}.", f"谢谢您的{zh}。"
    return f"Thank you very much for your {en}.", f"Vielen Dank für {ihr} {noun}.", f"非常感谢您的{zh}。"


@template("pr.know_price", "requests", ticket=["ticket", "single", "return", "first_class"], city=keys(L.CITIES))
def _(s):
    t = L.TICKET[s["ticket"]]
    _, en, de, zh = L.CITY[s["city"]]
    return (f"Do you know how much {a_an(t.en)} to {en} costs?",
            f"Wissen Sie, was {de_np(t, 'indef', 'nom', adj=t.get('adj', ''))} nach {de} kostet?",
            f"您知道去{zh}的{t.get('zh_kind')}多少钱吗？")


fixed("pr.fixed", "requests", {
    "dont_understand": ("Sorry, I don't understand.", "Entschuldigung, das verstehe ich nicht.", "对不起，我听不懂。"),
    "moment": ("One moment, please.", "Einen Moment, bitte.", "请稍等。"),
    "of_course": ("Of course.", "Natürlich.", "当然。"),
    "gladly": ("With pleasure.", "Sehr gern.", "乐意效劳。"),
    "kind": ("That is very kind of you.", "Das ist sehr nett von Ihnen.", "您真是太好了。"),
    "dont_know": ("I don't know.", "Ich weiß es nicht.", "我不知道。"),
    "meaning": ("What does this mean?", "Was bedeutet das?", "这是什么意思？"),
    "all_right": ("Is that all right?", "Ist das in Ordnung?", "这样可以吗？"),
    "bother": ("Sorry to bother you.", "Entschuldigen Sie die Störung.", "不好意思，打扰您了。"),
    "favour": ("Could you do me a favour?", "Könnten Sie mir einen Gefallen tun?", "您能帮我一个忙吗？"),
    "ask": ("May I ask you something?", "Darf ich Sie etwas fragen?", "我可以问您一件事吗？"),
    "understand_q": ("Do you understand me?", "Verstehen Sie mich?", "您听得懂我说的话吗？"),
    "not_sure": ("I am not sure.", "Ich bin mir nicht sicher.", "我不太确定。"),
    "no_thanks_fine": ("No, thank you, that is fine.", "Nein, danke, das passt schon.", "不用了，谢谢，这样就行。"),
})


# --- Frames added after the v2 evaluation splits were frozen (frozen/README.md) ---------------------------
# Each brings words and structures the frames above lack, and reuses their fillers, so that a filler is
# learnt in many frames rather than in one.

# Hotel ----------------------------------------------------------------------------------------------------
THING_USE = {
    "how": ["safe", "tv", "air_con", "heating", "shower", "key_card", "kettle"],
    "turn_on": ["tv", "air_con", "heating", "light", "lamp", "kettle"],
    "turn_off": ["tv", "air_con", "heating", "light", "lamp"],
    "noise": ["fridge", "air_con", "heating", "kettle", "hair_dryer", "tv"],
}


@template("ho.thing_use", "hotel", frame=list(THING_USE), thing=keys(L.ROOM_THINGS))
def _(s):
    if s["thing"] not in THING_USE[s["frame"]]:
        return None
    t = L.ROOM_THING[s["thing"]]
    acc = de_np(t, "def", "acc")
    return {
        "how": (f"How does the {t.en} work?", f"Wie funktioniert {de_np(t, 'def', 'nom')}?", f"{t.zh}怎么用？"),
        "turn_on": (f"How do I turn on the {t.en}?", f"Wie schalte ich {acc} ein?", f"{t.zh}怎么开？"),
        "turn_off": (f"How do I turn off the {t.en}?", f"Wie schalte ich {acc} aus?", f"{t.zh}怎么关？"),
        "noise": (f"The {t.en} is making a strange noise.", f"{de_capitalize(de_np(t, 'def', 'nom'))} macht ein komisches Geräusch.",
                  f"{t.zh}发出奇怪的声音。"),
    }[s["frame"]]


# Where a facility can be: a garden is not in the basement, a car park not on the fourth floor.
FACILITY_FLOORS = {"terrace": ["ground"], "garden": ["ground"], "car_park": ["ground", "basement"], "reception": ["ground", "first"]}


@template("ho.facility", "hotel", frame=["is_there", "where", "how_long"], facility=keys(L.FACILITIES))
def _(s):
    f = L.FACILITY[s["facility"]]
    if s["frame"] == "is_there":
        if f.key == "reception":
            return None
        return f"Does the hotel have {a_an(f.en)}?", f"Hat das Hotel {de_np(f, 'indef', 'acc')}?", f"酒店有{f.zh}吗？"
    if s["frame"] == "where":
        return f"Where is the {f.en}?", f"Wo ist {de_np(f, 'def', 'nom')}?", f"{f.zh}在哪里？"
    return (f"How long is the {f.en} open?", f"Wie lange hat {de_np(f, 'def', 'nom')} geöffnet?", f"{f.zh}开到几点？")


@template("ho.facility_floor", "hotel", facility=keys(L.FACILITIES), floor=keys(L.FLOORS))
def _(s):
    f = L.FACILITY[s["facility"]]
    if s["floor"] not in FACILITY_FLOORS.get(f.key, keys(L.FLOORS)):
        return None
    _, en, de, zh = L.FLOOR[s["floor"]]
    return f"The {f.en} is {en}.", f"{de_capitalize(de_np(f, 'def', 'nom'))} ist {de}.", f"{f.zh}{zh}。"


@template("ho.room_floor", "hotel", frame=["my", "your"], floor=keys(L.FLOORS))
def _(s):
    _, en, de, zh = L.FLOOR[s["floor"]]
    if s["floor"] == "basement":
        return None
    if s["frame"] == "my":
        return f"My room is {en}.", f"Mein Zimmer ist {de}.", f"我的房间{zh}。"
    return f"Your room is {en}.", f"Ihr Zimmer ist {de}.", f"您的房间{zh}。"


@template("ho.stay_more", "hotel", frame=["would_like", "can_we", "must"], nights=[1, 2, 3, 4, 5])
def _(s):
    n = s["nights"]
    night = L.DURATION_UNITS["night"]
    en = "one more night" if n == 1 else f"{en_number(n)} more nights"
    de = "noch " + de_np(night, "count", "acc", count=n)
    zh = zh_number(n, measure=True) + "晚"
    return {
        "would_like": (f"I would like to stay {en}.", f"Ich möchte {de} bleiben.", f"我想再住{zh}。"),
        "can_we": (f"Can we stay {en}?", f"Können wir {de} bleiben?", f"我们可以再住{zh}吗？"),
        "must": (f"I have to stay {en}.", f"Ich muss {de} bleiben.", f"我得再住{zh}。"),
    }[s["frame"]]


ROOM_TOO = {"cold": ("kalt", "冷"), "hot": ("warm", "热"), "small": ("klein", "小"), "dark": ("dunkel", "暗")}
ROOM_SUBJECTS = {
    "my_room": ("My room", "Mein Zimmer", "我的房间"), "the_room": ("The room", "Das Zimmer", "房间"),
    "bathroom": ("The bathroom", "Das Badezimmer", "浴室"),
}


@template("ho.room_too", "hotel", subject=list(ROOM_SUBJECTS), adjective=list(ROOM_TOO))
def _(s):
    en, de, zh = ROOM_SUBJECTS[s["subject"]]
    de_adj, zh_adj = ROOM_TOO[s["adjective"]]
    return f"{en} is too {s['adjective']}.", f"{de} ist zu {de_adj}.", f"{zh}太{zh_adj}了。"


# Restaurant -------------------------------------------------------------------------------------------------
@template("re.table_item", "restaurant", frame=["could_we", "dont_have", "pass"], item=keys(L.TABLE_ITEMS))
def _(s):
    t = L.TABLE_ITEM[s["item"]]
    kind = t.get("kind")
    if s["frame"] == "could_we":
        en = {"mass": f"some {t.en}", "plural": f"some {t.en_pl}", "count": a_an(t.en), "def": f"the {t.en}"}[kind]
        de = {"mass": t.de, "plural": t.de_pl, "count": de_np(t, "indef", "acc"), "def": de_np(t, "def", "acc")}[kind]
        zh = {"mass": t.get("zh_some"), "plural": t.get("zh_some"), "count": zh_count(1, t), "def": t.zh}[kind]
        return f"Could we have {en}, please?", f"Könnten wir bitte {de} bekommen?", f"可以给我们{zh}吗？"
    if s["frame"] == "dont_have":
        if kind not in ("count", "plural"):
            return None
        return f"I don't have {a_an(t.en)}.", f"Ich habe {de_np(t, 'kein', 'acc')}.", f"我没有{t.zh}。"
    if kind != "mass":
        return None
    return f"Could you pass me the {t.en}, please?", f"Könnten Sie mir bitte {de_np(t, 'def', 'acc')} geben?", f"您能把{t.zh}递给我吗？"


DISH_QUALITIES = {
    # quality: (German, Chinese predicate, dishes it is asked of)
    "spicy": ("scharf", "辣吗", ["soup", "pizza", "sausage", "salad", "noodles", "dumplings"]),
    "vegetarian": ("vegetarisch", "是素的吗", ["soup", "salad", "sandwich", "pizza", "hamburger", "omelette", "noodles", "dumplings"]),
    "fresh": ("frisch", "新鲜吗", ["salad", "roll", "croissant", "sandwich"]),
    "homemade": ("hausgemacht", "是自制的吗", ["soup", "ice_cream", "sausage", "pizza", "noodles", "dumplings"]),
}


# Dishes ordered by the portion, named as the dish itself: "our noodles", not "our bowl of noodles".
BARE_DISHES = {
    "noodles": L.N("noodles", "noodles", "noodles", "Nudeln", "pl", "Nudeln", "面条"),
    "dumplings": L.N("dumplings", "dumplings", "dumplings", "Teigtaschen", "pl", "Teigtaschen", "饺子"),
    "cake": L.N("cake", "cake", "cakes", "Kuchen", "m", "Kuchen", "蛋糕"),
    "apple_pie": L.N("apple_pie", "apple pie", "apple pies", "Apfelkuchen", "m", "Apfelkuchen", "苹果派"),
    "chips": L.N("chips", "chips", "chips", "Pommes", "pl", "Pommes", "薯条"),
    "rice": L.N("rice", "rice", "rice", "Reis", "m", "Reis", "米饭"),
}


def dish_name(d) -> tuple[str, str, str]:
    """The dish itself, not its portion: 'noodles' / 'die Nudeln' / '面条'."""
    d = BARE_DISHES.get(d.key, d)
    return d.en, de_np(d, "def", "nom"), d.zh


@template("re.dish_quality", "restaurant", quality=list(DISH_QUALITIES), dish=keys(L.DISHES))
def _(s):
    de_q, zh_q, dishes = DISH_QUALITIES[s["quality"]]
    if s["dish"] not in dishes:
        return None
    en, de, zh = dish_name(L.DISH[s["dish"]])
    plural = BARE_DISHES.get(s["dish"], L.DISH[s["dish"]]).gender == "pl"
    verb, de_verb = ("are", "Sind") if plural else ("is", "Ist")
    return f"{verb.capitalize()} the {en} {s['quality']}?", f"{de_verb} {de} {de_q}?", f"{zh}{zh_q}？"


@template("re.recommend", "restaurant", frame=["plain", "near"], place=["restaurant", "cafe", "bakery", "hotel", "bookshop", "supermarket"])
def _(s):
    p = L.PLACE[s["place"]]
    de = de_np(p, "indef", "acc", adj="gut")
    if s["frame"] == "plain":
        return (f"Can you recommend a good {p.en}?", f"Können Sie {de} empfehlen?", f"您能推荐一{p.mw}不错的{p.zh}吗？")
    return (f"Can you recommend a good {p.en} near here?", f"Können Sie hier in der Nähe {de} empfehlen?",
            f"您能推荐一{p.mw}附近不错的{p.zh}吗？")


@template("re.still_waiting", "restaurant", frame=["i", "we"], dish=keys(L.DISHES) + ["coffee", "tea"])
def _(s):
    d = L.DISH.get(s["dish"]) or L.DRINK[s["dish"]]
    en, _, zh = dish_name(d)
    if s["frame"] == "i":
        return f"I am still waiting for my {en}.", f"Ich warte noch auf {de_np_bare(d, 'mein')}.", f"我的{zh}还没上。"
    return f"We are still waiting for our {en}.", f"Wir warten noch auf {de_np_bare(d, 'unser')}.", f"我们的{zh}还没上。"


def de_np_bare(d, det: str) -> str:
    """'meine Suppe', 'unsere Nudeln': a possessive before the dish itself (not its portion)."""
    return de_np(BARE_DISHES.get(d.key, d), det, "acc")


# Transport ----------------------------------------------------------------------------------------------------
NOT_WALKED_TO = ("airport", "toilet")  # nobody takes a bus to the toilet or walks to the airport
# Places one does not ride a bus or tram to: they are everywhere, or not where a line ends.
NOT_RIDDEN_TO = ("toilet", "bus_stop", "taxi_rank", "kiosk", "petrol_station", "cafe", "bridge", "subway",
                 "cash_machine", "bakery", "airport")


@template("tr.how_often", "transport", vehicle=["bus", "tram"], place=[k for k in keys(L.PLACES, "landmark") if k not in NOT_RIDDEN_TO])
def _(s):
    v, p = L.VEHICLE[s["vehicle"]], L.PLACE[s["place"]]
    return (f"How often does the {v.en} to the {p.en} run?", f"Wie oft fährt {de_np(v, 'def', 'nom')} {to_pp(p)}?",
            f"去{p.zh}的{v.zh}多久一{v.get('next_zh')[2:]}？")


COACH_ZH = "长途汽车"  # a bus to another city is a coach: 公交车 is the city bus


@template("tr.how_often_city", "transport", vehicle=["train", "bus"], city=keys(L.CITIES))
def _(s):
    v = L.VEHICLE[s["vehicle"]]
    _, en, de, zh = L.CITY[s["city"]]
    zh_v = COACH_ZH if v.key == "bus" else v.zh
    return (f"How often does the {v.en} to {en} run?", f"Wie oft fährt {de_np(v, 'def', 'nom')} nach {de}?",
            f"去{zh}的{zh_v}多久一{v.get('next_zh')[2:]}？")


@template("tr.cancelled", "transport", frame=["cancelled", "delayed"], vehicle=["train", "bus", "flight"], city=keys(L.CITIES))
def _(s):
    _, en, de, zh = L.CITY[s["city"]]
    name_en, name_de, name_zh = {"train": ("train", "Der Zug", "火车"), "bus": ("bus", "Der Bus", COACH_ZH),
                                 "flight": ("flight", "Der Flug", "航班")}[s["vehicle"]]
    if s["frame"] == "cancelled":
        de_verb = "wurde gestrichen" if s["vehicle"] == "flight" else "fällt aus"
        return (f"The {name_en} to {en} has been cancelled.", f"{name_de} nach {de} {de_verb}.", f"去{zh}的{name_zh}取消了。")
    return f"The {name_en} to {en} is delayed.", f"{name_de} nach {de} hat Verspätung.", f"去{zh}的{name_zh}晚点了。"


@template("tr.get_off", "transport", frame=["where", "tell_me"], place=[k for k in keys(L.PLACES, "goal") if k not in NOT_RIDDEN_TO])
def _(s):
    p = L.PLACE[s["place"]]
    if s["frame"] == "where":
        return (f"Where do I get off for the {p.en}?", f"Wo muss ich aussteigen, um {to_pp(p)} zu kommen?",
                f"去{p.zh}在哪一站下车？")
    return (f"Please tell me when we get to the {p.en}.", f"Sagen Sie mir bitte Bescheid, wenn wir {stop_pp(p)} sind.",
            f"到了{p.zh}请告诉我一声。")


@template("tr.walk", "transport", frame=["how_long", "can_i", "distance"], place=keys(L.PLACES, "goal"))
def _(s):
    p = L.PLACE[s["place"]]
    if p.key in NOT_WALKED_TO:
        return None
    if s["frame"] == "how_long":
        return f"How long does it take to walk to the {p.en}?", f"Wie lange geht man zu Fuß {to_pp(p)}?", f"走路去{p.zh}要多久？"
    if s["frame"] == "can_i":
        return f"Can I walk to the {p.en}?", f"Kann ich zu Fuß {to_pp(p)} gehen?", f"我可以走路去{p.zh}吗？"
    return (f"Is the {p.en} within walking distance?", f"Ist {de_np(p, 'def', 'nom')} zu Fuß erreichbar?",
            f"{p.zh}走路能到吗？")


@template("tr.ticket_for", "transport", vehicle=["bus", "tram", "subway", "train", "ferry"])
def _(s):
    v = L.VEHICLE[s["vehicle"]]
    return (f"Where can I buy a ticket for the {v.en}?", f"Wo kann ich eine Fahrkarte für {de_np(v, 'def', 'acc')} kaufen?",
            f"在哪里可以买{v.zh}票？")


# Directions ---------------------------------------------------------------------------------------------------
@template("dir.right_way", "directions", frame=["this_way", "right", "map"], place=keys(L.PLACES, "goal"))
def _(s):
    p = L.PLACE[s["place"]]
    if s["frame"] == "this_way":
        return f"Is this the way to the {p.en}?", f"Ist das der Weg {to_pp(p)}?", f"这是去{p.zh}的路吗？"
    if s["frame"] == "right":
        return f"Am I going the right way for the {p.en}?", f"Bin ich hier richtig {to_pp(p)}?", f"去{p.zh}是走这条路吗？"
    return (f"Could you show me the {p.en} on the map?", f"Könnten Sie mir {de_np(p, 'def', 'acc')} auf dem Stadtplan zeigen?",
            f"您能在地图上给我指一下{p.zh}吗？")


def zh_turn_point(p) -> str:
    """红绿灯, 下一个路口: the turn point without its 在…处."""
    at = p.get("zh_at")
    return at[1:].removesuffix("处") if at else p.zh


@template("dir.straight_past", "directions", frame=["straight", "past"], direction=["left", "right"],
          point=keys(L.TURN_POINTS) + keys(L.PLACES, "landmark"))
def _(s):
    p = next((t for t in L.TURN_POINTS if t.key == s["point"]), None) or L.PLACE[s["point"]]
    de_dir, zh_dir = {"left": ("links", "左"), "right": ("rechts", "右")}[s["direction"]]
    if s["frame"] == "straight":
        if s["direction"] != "left":
            return None  # no direction in this frame: one filling
        return f"Go straight on until you reach the {p.en}.", f"Gehen Sie geradeaus bis {to_pp(p)}.", f"一直往前走，走到{zh_turn_point(p)}。"
    if p.key in ("crossroads", "traffic_lights", "corner", "roundabout"):  # where one turns, not passes
        return None
    return (f"Go past the {p.en}, then turn {s['direction']}.", f"Gehen Sie {de_pp('an', p, 'def', 'dat')} vorbei und biegen Sie dann {de_dir} ab.",
            f"经过{zh_turn_point(p)}，然后{zh_dir}转。")


# Shopping ------------------------------------------------------------------------------------------------------
@template("sh.where_buy", "shopping", frame=["where", "sell", "how_much"], item=keys(L.ITEMS))
def _(s):
    i = L.ITEM[s["item"]]
    if s["frame"] == "where":
        return f"Where can I buy {i.en_pl}?", f"Wo kann ich {i.de_pl} kaufen?", f"在哪里可以买到{i.zh}？"
    if s["frame"] == "sell":
        return f"Do you sell {i.en_pl}?", f"Verkaufen Sie {i.de_pl}?", f"你们卖{i.zh}吗？"
    if i.en_plural_only:  # the trousers, the shoes: one pair (eine Hose, 一条裤子; die Schuhe, 一双鞋)
        de = f"Was kostet {de_np(i, 'def', 'nom')}?" if i.gender != "pl" else f"Was kosten {de_np(i, 'def', 'nom')}?"
        return f"How much are the {i.en}?", de, f"这{i.mw}{i.zh}多少钱？"
    return f"How much are the {i.en_pl}?", f"Was kosten die {i.de_pl}?", f"这些{i.zh}多少钱？"


@template("sh.present_for", "shopping", relative=keys(L.RELATIVES) + ["parents"])
def _(s):
    if s["relative"] == "parents":
        en, de, zh = "my parents", "meine Eltern", "我父母"
    else:
        r = L.RELATIVE[s["relative"]]
        en, de, zh = f"my {r.en}", de_np(r, "mein", "acc"), "我" + r.zh
    return f"I am looking for a present for {en}.", f"Ich suche ein Geschenk für {de}.", f"我在找送给{zh}的礼物。"


# Time ------------------------------------------------------------------------------------------------------------
@timed("ti.open_until", "time", time_hours=range(12, 24), clock_hours=range(1, 12), minutes=(0, 30),
       place=keys(L.PLACES, "opens"))
def _(s):
    p = L.PLACE[s["place"]]
    en, de, zh, _ = clock_or_time(s)
    return (f"The {p.en} is open until {en}.", f"{de_capitalize(de_np(p, 'def', 'nom'))} hat bis {de} geöffnet.",
            f"{p.zh}开到{zh}。")


@template("ti.open_days", "time", place=keys(L.PLACES, "opens"), first=["monday", "tuesday"], last=["friday", "saturday", "sunday"])
def _(s):
    p = L.PLACE[s["place"]]
    _, f_en, f_de, f_zh = L.DAY[s["first"]]
    _, l_en, l_de, l_zh = L.DAY[s["last"]]
    return (f"The {p.en} is open from {f_en} to {l_en}.", f"{de_capitalize(de_np(p, 'def', 'nom'))} hat von {f_de} bis {l_de} geöffnet.",
            f"{p.zh}{f_zh}到{l_zh}开门。")


# Greetings -------------------------------------------------------------------------------------------------------
@template("greet.never_been", "greetings", city=keys(L.CITIES))
def _(s):
    _, en, de, zh = L.CITY[s["city"]]
    return f"I have never been to {en}.", f"Ich war noch nie in {de}.", f"我从来没去过{zh}。"


# Requests -----------------------------------------------------------------------------------------------------------
@template("pr.help_with", "requests", thing=["suitcase", "bag", "backpack", "luggage"])
def _(s):
    if s["thing"] == "luggage":
        return "Could you help me with my luggage?", "Könnten Sie mir mit meinem Gepäck helfen?", "您能帮我拿一下行李吗？"
    b = L.BELONGING[s["thing"]]
    return (f"Could you help me with my {b.en}?", f"Könnten Sie mir mit {de_np(b, 'mein', 'dat')} helfen?",
            f"您能帮我拿一下{b.zh}吗？")


@template("pr.detail", "requests", frame=["write", "repeat"], detail=keys(L.DETAILS))
def _(s):
    d = L.DETAIL[s["detail"]]
    if s["frame"] == "write":
        return (f"Could you write down the {d.en}, please?", f"Könnten Sie mir bitte {de_np(d, 'def', 'acc')} aufschreiben?",
                f"您能把{d.zh}写下来吗？")
    return (f"Could you repeat the {d.en}, please?", f"Könnten Sie bitte {de_np(d, 'def', 'acc')} wiederholen?",
            f"您能再说一遍{d.zh}吗？")


@template("pr.appreciate", "requests", thing=[k for k in keys(L.THANKS_FOR) if k not in ("time", "email")])
def _(s):
    _, en, (noun, gender), zh = L.THANKS[s["thing"]]
    ihr = ihr_acc(gender)
    return f"I really appreciate your {en}.", f"Ich weiß {ihr} {noun} sehr zu schätzen.", f"我很感激您的{zh}。"


@template("he.stolen", "health", frame=["passive", "someone"], belonging=keys(L.BELONGINGS))
def _(s):
    b = L.BELONGING[s["belonging"]]
    if s["frame"] == "passive":
        en_verb = "have" if b.en_plural_only else "has"
        de_verb = "wurden" if b.gender == "pl" else "wurde"  # die Brille wurde, die Schlüssel wurden
        return (f"My {b.en} {en_verb} been stolen.", f"{de_capitalize(de_np(b, 'mein', 'nom'))} {de_verb} gestohlen.",
                f"我的{b.zh}被偷了。")
    return f"Someone has stolen my {b.en}.", f"Jemand hat {de_np(b, 'mein', 'acc')} gestohlen.", f"有人偷了我的{b.zh}。"


CURRENCIES_TO = {
    # key: (English, German, Chinese)
    "pounds": ("pounds", "Pfund", "英镑"), "dollars": ("dollars", "Dollar", "美元"),
    "francs": ("Swiss francs", "Schweizer Franken", "瑞士法郎"), "yuan": ("yuan", "Yuan", "人民币"),
}


@template("sh.change_money", "shopping", currency=list(CURRENCIES_TO), amount=[50, 100, 200, 300, 500])
def _(s):
    en, de, zh = CURRENCIES_TO[s["currency"]]
    n = s["amount"]
    return (f"I would like to change {en_number(n)} euros into {en}.", f"Ich möchte {n} Euro in {de} wechseln.",
            f"我想把{n}欧元换成{zh}。")


@template("sh.exchange_rate", "shopping", currency=list(CURRENCIES_TO))
def _(s):
    en, de, zh = CURRENCIES_TO[s["currency"]]
    return f"What is the exchange rate for {en}?", f"Wie ist der Wechselkurs für {de}?", f"{zh}的汇率是多少？"


ENTRANCE_PLACES = ["museum", "zoo", "castle", "cathedral", "gallery", "pool"]
VISITORS = {
    # key: (English, German, Chinese)
    "students": ("students", "Studenten", "学生"), "children": ("children", "Kinder", "儿童"),
    "pensioners": ("pensioners", "Rentner", "老年人"), "groups": ("groups", "Gruppen", "团体"),
    "families": ("families", "Familien", "家庭"),
}


@template("ti.entrance_tickets", "time", place=ENTRANCE_PLACES, count=[1, 2, 3, 4])
def _(s):
    p, n = L.PLACE[s["place"]], s["count"]
    en = "One ticket" if n == 1 else f"{capitalize(en_number(n))} tickets"
    de = "Eine Eintrittskarte" if n == 1 else f"{de_capitalize(de_count(n))} Eintrittskarten"
    return (f"{en} for the {p.en}, please.", f"{de} für {de_np(p, 'def', 'acc')}, bitte.",
            f"请给我{zh_number(n, measure=True)}张{p.zh}的门票。")


@template("ti.entrance_fee", "time", place=ENTRANCE_PLACES)
def _(s):
    p = L.PLACE[s["place"]]
    return f"How much is the entrance fee for the {p.en}?", f"Was kostet der Eintritt {de_pp('in', p, 'def', 'acc')}?", f"{p.zh}的门票多少钱？"


@template("ti.discount", "time", place=ENTRANCE_PLACES, visitors=list(VISITORS))
def _(s):
    p = L.PLACE[s["place"]]
    en, de, zh = VISITORS[s["visitors"]]
    return (f"Is there a discount for {en} at the {p.en}?", f"Gibt es {loc_pp(p)} eine Ermäßigung für {de}?",
            f"{p.zh}对{zh}有优惠吗？")


SEATS = {"outside": ("outside", "draußen", "外面"), "inside": ("inside", "drinnen", "里面"),
         "window": ("by the window", "am Fenster", "窗边"), "terrace": ("on the terrace", "auf der Terrasse", "露台上")}


@template("re.sit_where", "restaurant", frame=["would_like", "can_we"], seat=list(SEATS))
def _(s):
    en, de, zh = SEATS[s["seat"]]
    if s["frame"] == "would_like":
        return f"We would like to sit {en}.", f"Wir möchten gern {de} sitzen.", f"我们想坐在{zh}。"
    return f"Can we sit {en}?", f"Können wir {de} sitzen?", f"我们可以坐在{zh}吗？"


# How a thing fits in Chinese: 合身 is for clothes on the body only.
FIT_ZH = {"shoes": "合脚", "sandals": "合脚", "boots": "合脚", "trainers": "合脚", "gloves": "合手"}
SIZE_FIT_ZH = ("ring", "hat")  # 大小合适


@template("sh.fits", "shopping", frame=["not", "well"], item=[k for k in keys(L.ITEMS, "size") if "wear" in L.ITEM[k].tags])
def _(s):
    i = L.ITEM[s["item"]]
    plural = i.gender == "pl" or i.en_plural_only
    en_fit = ("don't fit" if plural else "doesn't fit") if s["frame"] == "not" else ("fit" if plural else "fits") + " well"
    de_fit = ("passen" if i.gender == "pl" else "passt") + (" nicht" if s["frame"] == "not" else " gut")
    if i.key in SIZE_FIT_ZH:
        zh = "大小不合适" if s["frame"] == "not" else "大小正合适"
    else:
        fit = FIT_ZH.get(i.key, "合身")
        zh = ("不" if s["frame"] == "not" else "很") + fit
    this = ("这" + i.mw) if i.mw != "个" else "这个"
    return f"The {i.en} {en_fit}.", f"{de_capitalize(de_np(i, 'def', 'nom'))} {de_fit}.", f"{this}{i.zh}{zh}。"


PHARMACY = {
    # key: (English, German, Chinese)
    "plasters": ("plasters", "Pflaster", "创可贴"), "painkillers": ("painkillers", "Schmerztabletten", "止痛药"),
    "sun_cream": ("sun cream", "Sonnencreme", "防晒霜"), "insect_repellent": ("insect repellent", "Mückenschutz", "驱蚊液"),
    "cough_syrup": ("cough syrup", "Hustensaft", "止咳糖浆"), "eye_drops": ("eye drops", "Augentropfen", "眼药水"),
    "bandage": ("a bandage", "einen Verband", "绷带"),
}


@template("he.pharmacy", "health", frame=["have", "need"], thing=list(PHARMACY))
def _(s):
    en, de, zh = PHARMACY[s["thing"]]
    if s["frame"] == "have":
        return f"Do you have {en}?", f"Haben Sie {de}?", f"你们有{zh}吗？"
    return f"I need {en}.", f"Ich brauche {de}.", f"我需要{zh}。"


fixed("tr.car", "transport", {
    "broken_down": ("My car has broken down.", "Mein Auto ist liegen geblieben.", "我的车抛锚了。"),
    "flat_tyre": ("I have a flat tyre.", "Ich habe einen Platten.", "我的车胎瘪了。"),
    "fill_up": ("Fill it up, please.", "Volltanken, bitte.", "请加满油。"),
    "where_park": ("Where can I park my car?", "Wo kann ich mein Auto parken?", "我可以把车停在哪里？"),
    "parking_free": ("Is parking free here?", "Ist das Parken hier kostenlos?", "这里停车免费吗？"),
    "speed_limit": ("What is the speed limit here?", "Wie hoch ist hier die Geschwindigkeitsbegrenzung?", "这里限速多少？"),
})

fixed("pr.phone", "requests", {
    "wifi": ("Is there Wi-Fi here?", "Gibt es hier WLAN?", "这里有无线网吗？"),
    "battery_empty": ("My phone battery is dead.", "Mein Handyakku ist leer.", "我的手机没电了。"),
    "make_call": ("I need to make a phone call.", "Ich muss telefonieren.", "我需要打个电话。"),
    "your_number": ("What is your phone number?", "Wie ist Ihre Telefonnummer?", "您的电话号码是多少？"),
    "your_email": ("Can I have your email address?", "Kann ich Ihre E-Mail-Adresse haben?", "可以给我您的邮箱地址吗？"),
    "no_signal": ("I have no signal here.", "Ich habe hier keinen Empfang.", "我在这里手机没有信号。"),
})
