"""The phrasebook's slot vocabularies: every filler with its English, German and Chinese forms.

Place tags: "indef" (one of many: "Is there a pharmacy near here?"), "opens" (has opening hours),
"goal" (somewhere you go to), "landmark" (a place to turn at). `loc` is the German preposition
for being there (am Bahnhof, in der Apotheke, auf der Post).
"""
from .grammar import N

PLACES = [
    N("station", "train station", "train stations", "Bahnhof", "m", "Bahnhöfe", "火车站", tags=("indef", "goal", "landmark"), loc="an"),
    N("airport", "airport", "airports", "Flughafen", "m", "Flughäfen", "机场", tags=("goal",), loc="an"),
    N("bus_stop", "bus stop", "bus stops", "Bushaltestelle", "f", "Bushaltestellen", "公交车站", tags=("indef", "goal", "landmark"), loc="an"),
    N("subway", "subway station", "subway stations", "U-Bahn-Station", "f", "U-Bahn-Stationen", "地铁站", tags=("indef", "goal", "landmark"), loc="an"),
    N("hotel", "hotel", "hotels", "Hotel", "n", "Hotels", "酒店", mw="家", tags=("indef", "goal", "landmark"), loc="in"),
    N("museum", "museum", "museums", "Museum", "n", "Museen", "博物馆", mw="家", tags=("indef", "goal", "opens", "landmark"), loc="in"),
    N("pharmacy", "pharmacy", "pharmacies", "Apotheke", "f", "Apotheken", "药店", mw="家", tags=("indef", "goal", "opens", "landmark"), loc="in"),
    N("hospital", "hospital", "hospitals", "Krankenhaus", "n", "Krankenhäuser", "医院", mw="家", tags=("indef", "goal"), loc="in"),
    N("bank", "bank", "banks", "Bank", "f", "Banken", "银行", mw="家", tags=("indef", "goal", "opens", "landmark"), loc="in"),
    N("post_office", "post office", "post offices", "Post", "f", "Postämter", "邮局", mw="家", tags=("indef", "goal", "opens", "landmark"), loc="auf"),
    N("supermarket", "supermarket", "supermarkets", "Supermarkt", "m", "Supermärkte", "超市", mw="家", tags=("indef", "goal", "opens", "landmark"), loc="in"),
    N("restaurant", "restaurant", "restaurants", "Restaurant", "n", "Restaurants", "餐厅", mw="家", tags=("indef", "goal", "opens", "landmark"), loc="in"),
    N("toilet", "toilet", "toilets", "Toilette", "f", "Toiletten", "洗手间", tags=("indef", "goal"), loc="auf"),
    N("beach", "beach", "beaches", "Strand", "m", "Strände", "海滩", tags=("goal",), loc="an"),
    N("park", "park", "parks", "Park", "m", "Parks", "公园", tags=("indef", "goal", "landmark"), loc="in"),
    N("market", "market", "markets", "Markt", "m", "Märkte", "市场", tags=("indef", "goal", "opens", "landmark"), loc="auf"),
    N("library", "library", "libraries", "Bibliothek", "f", "Bibliotheken", "图书馆", tags=("goal", "opens", "landmark"), loc="in"),
    N("church", "church", "churches", "Kirche", "f", "Kirchen", "教堂", mw="座", tags=("indef", "goal", "landmark"), loc="in"),
    N("cinema", "cinema", "cinemas", "Kino", "n", "Kinos", "电影院", mw="家", tags=("indef", "goal", "opens", "landmark"), loc="in"),
    N("police", "police station", "police stations", "Polizeiwache", "f", "Polizeiwachen", "警察局", tags=("indef", "goal"), loc="auf"),
    N("bakery", "bakery", "bakeries", "Bäckerei", "f", "Bäckereien", "面包店", mw="家", tags=("indef", "goal", "opens", "landmark"), loc="in"),
    N("cafe", "coffee shop", "coffee shops", "Café", "n", "Cafés", "咖啡馆", mw="家", tags=("indef", "goal", "opens", "landmark"), loc="in"),
    N("cash_machine", "cash machine", "cash machines", "Geldautomat", "m", "Geldautomaten", "自动取款机", mw="台", weak=True, tags=("indef", "goal"), loc="an"),
    N("tourist_info", "tourist information office", "tourist information offices", "Touristeninformation", "f", "Touristeninformationen", "游客中心", tags=("goal", "opens"), loc="in"),
    N("city_centre", "city centre", "city centres", "Stadtzentrum", "n", "Stadtzentren", "市中心", tags=("goal",), loc="in"),
    N("old_town", "old town", "old towns", "Altstadt", "f", "Altstädte", "老城区", tags=("goal",), loc="in"),
    N("zoo", "zoo", "zoos", "Zoo", "m", "Zoos", "动物园", tags=("goal", "opens"), loc="in"),
    N("pool", "swimming pool", "swimming pools", "Schwimmbad", "n", "Schwimmbäder", "游泳馆", tags=("indef", "goal", "opens"), loc="in"),
    N("harbour", "harbour", "harbours", "Hafen", "m", "Häfen", "港口", tags=("goal",), loc="an"),
    N("taxi_rank", "taxi rank", "taxi ranks", "Taxistand", "m", "Taxistände", "出租车站", tags=("indef", "goal", "landmark"), loc="an"),
    N("petrol_station", "petrol station", "petrol stations", "Tankstelle", "f", "Tankstellen", "加油站", mw="家", tags=("indef", "goal", "landmark"), loc="an"),
    N("shopping_centre", "shopping centre", "shopping centres", "Einkaufszentrum", "n", "Einkaufszentren", "购物中心", tags=("indef", "goal", "opens", "landmark"), loc="in"),
    N("bookshop", "bookshop", "bookshops", "Buchhandlung", "f", "Buchhandlungen", "书店", mw="家", tags=("indef", "goal", "opens", "landmark"), loc="in"),
    N("castle", "castle", "castles", "Schloss", "n", "Schlösser", "城堡", mw="座", tags=("goal", "opens"), loc="in"),
    N("exit", "exit", "exits", "Ausgang", "m", "Ausgänge", "出口", tags=("indef",), loc="an"),
    N("entrance", "entrance", "entrances", "Eingang", "m", "Eingänge", "入口", tags=("indef",), loc="an"),
    N("lift", "lift", "lifts", "Aufzug", "m", "Aufzüge", "电梯", mw="部", tags=("indef",), loc="in"),
    N("bus_station", "bus station", "bus stations", "Busbahnhof", "m", "Busbahnhöfe", "长途汽车站", tags=("goal", "landmark"), loc="an"),
    N("town_hall", "town hall", "town halls", "Rathaus", "n", "Rathäuser", "市政厅", mw="座", tags=("goal", "opens", "landmark"), loc="in"),
    N("cathedral", "cathedral", "cathedrals", "Dom", "m", "Dome", "大教堂", mw="座", tags=("goal", "opens", "landmark"), loc="in"),
    N("gallery", "art gallery", "art galleries", "Kunstmuseum", "n", "Kunstmuseen", "美术馆", mw="家", tags=("indef", "goal", "opens", "landmark"), loc="in"),
    N("stadium", "stadium", "stadiums", "Stadion", "n", "Stadien", "体育场", mw="座", tags=("goal", "landmark"), loc="in"),
    N("university", "university", "universities", "Universität", "f", "Universitäten", "大学", mw="所", tags=("goal", "landmark"), loc="an"),
    N("launderette", "launderette", "launderettes", "Waschsalon", "m", "Waschsalons", "自助洗衣店", mw="家", tags=("indef", "goal", "opens"), loc="in"),
    N("hair_salon", "hair salon", "hair salons", "Friseursalon", "m", "Friseursalons", "理发店", mw="家", tags=("indef", "goal", "opens"), loc="in"),
    N("embassy", "embassy", "embassies", "Botschaft", "f", "Botschaften", "大使馆", tags=("goal", "opens"), loc="in"),
    N("bridge", "bridge", "bridges", "Brücke", "f", "Brücken", "桥", mw="座", tags=("goal", "landmark"), loc="an"),
    N("main_square", "main square", "main squares", "Hauptplatz", "m", "Hauptplätze", "中心广场", tags=("goal", "landmark"), loc="auf"),
    N("youth_hostel", "youth hostel", "youth hostels", "Jugendherberge", "f", "Jugendherbergen", "青年旅舍", mw="家", tags=("indef", "goal", "landmark"), loc="in"),
    N("kiosk", "kiosk", "kiosks", "Kiosk", "m", "Kioske", "报刊亭", tags=("indef", "goal", "opens", "landmark"), loc="an"),
    N("ferry_terminal", "ferry terminal", "ferry terminals", "Fähranleger", "m", "Fähranleger", "渡轮码头", tags=("goal",), loc="an"),
]
PLACE = {p.key: p for p in PLACES}

# Where to turn: the first four are street features, then any place tagged "landmark".
TURN_POINTS = [
    N("traffic_lights", "traffic lights", "traffic lights", "Ampel", "f", "Ampeln", "红绿灯", zh_at="在红绿灯处"),
    N("corner", "corner", "corners", "Ecke", "f", "Ecken", "拐角", zh_at="在拐角处"),
    N("crossroads", "next crossroads", "next crossroads", "Kreuzung", "f", "Kreuzungen", "路口", adj="nächst", zh_at="在下一个路口"),
    N("roundabout", "roundabout", "roundabouts", "Kreisverkehr", "m", "Kreisverkehre", "环岛", zh_at="在环岛处"),
]

CITIES = [
    # (key, English, German, Chinese)
    ("berlin", "Berlin", "Berlin", "柏林"), ("munich", "Munich", "München", "慕尼黑"),
    ("hamburg", "Hamburg", "Hamburg", "汉堡"), ("cologne", "Cologne", "Köln", "科隆"),
    ("frankfurt", "Frankfurt", "Frankfurt", "法兰克福"), ("vienna", "Vienna", "Wien", "维也纳"),
    ("zurich", "Zurich", "Zürich", "苏黎世"), ("dresden", "Dresden", "Dresden", "德累斯顿"),
    ("leipzig", "Leipzig", "Leipzig", "莱比锡"), ("stuttgart", "Stuttgart", "Stuttgart", "斯图加特"),
    ("salzburg", "Salzburg", "Salzburg", "萨尔茨堡"), ("nuremberg", "Nuremberg", "Nürnberg", "纽伦堡"),
    ("beijing", "Beijing", "Peking", "北京"), ("shanghai", "Shanghai", "Shanghai", "上海"),
    ("paris", "Paris", "Paris", "巴黎"), ("london", "London", "London", "伦敦"),
    ("prague", "Prague", "Prag", "布拉格"), ("amsterdam", "Amsterdam", "Amsterdam", "阿姆斯特丹"),
    ("rome", "Rome", "Rom", "罗马"), ("brussels", "Brussels", "Brüssel", "布鲁塞尔"),
]
CITY = {c[0]: c for c in CITIES}

COUNTRIES = [
    # (key, English, German after "aus", Chinese)
    ("germany", "Germany", "aus Deutschland", "德国"), ("austria", "Austria", "aus Österreich", "奥地利"),
    ("switzerland", "Switzerland", "aus der Schweiz", "瑞士"), ("france", "France", "aus Frankreich", "法国"),
    ("italy", "Italy", "aus Italien", "意大利"), ("spain", "Spain", "aus Spanien", "西班牙"),
    ("china", "China", "aus China", "中国"), ("japan", "Japan", "aus Japan", "日本"),
    ("canada", "Canada", "aus Kanada", "加拿大"), ("australia", "Australia", "aus Australien", "澳大利亚"),
    ("netherlands", "the Netherlands", "aus den Niederlanden", "荷兰"), ("turkey", "Turkey", "aus der Türkei", "土耳其"),
    ("ireland", "Ireland", "aus Irland", "爱尔兰"), ("scotland", "Scotland", "aus Schottland", "苏格兰"),
    ("usa", "the United States", "aus den USA", "美国"), ("poland", "Poland", "aus Polen", "波兰"),
    ("india", "India", "aus Indien", "印度"), ("brazil", "Brazil", "aus Brasilien", "巴西"),
    ("mexico", "Mexico", "aus Mexiko", "墨西哥"), ("korea", "South Korea", "aus Südkorea", "韩国"),
]
COUNTRY = {c[0]: c for c in COUNTRIES}

LANGUAGES = [
    # (key, English, German, Chinese)
    ("english", "English", "Englisch", "英语"), ("german", "German", "Deutsch", "德语"),
    ("chinese", "Chinese", "Chinesisch", "中文"), ("french", "French", "Französisch", "法语"),
    ("spanish", "Spanish", "Spanisch", "西班牙语"), ("italian", "Italian", "Italienisch", "意大利语"),
    ("japanese", "Japanese", "Japanisch", "日语"), ("russian", "Russian", "Russisch", "俄语"),
    ("korean", "Korean", "Koreanisch", "韩语"), ("portuguese", "Portuguese", "Portugiesisch", "葡萄牙语"),
    ("turkish", "Turkish", "Türkisch", "土耳其语"), ("arabic", "Arabic", "Arabisch", "阿拉伯语"),
]
LANGUAGE = {lang[0]: lang for lang in LANGUAGES}

FIRST_NAMES = [
    ("anna", "Anna", "安娜"), ("thomas", "Thomas", "托马斯"), ("maria", "Maria", "玛丽亚"),
    ("peter", "Peter", "彼得"), ("david", "David", "大卫"), ("laura", "Laura", "劳拉"),
    ("michael", "Michael", "迈克尔"), ("sarah", "Sarah", "萨拉"), ("daniel", "Daniel", "丹尼尔"),
    ("julia", "Julia", "朱莉娅"), ("martin", "Martin", "马丁"), ("emma", "Emma", "艾玛"),
    ("paul", "Paul", "保罗"), ("sophie", "Sophie", "索菲"),
]
FIRST_NAME = {n[0]: n for n in FIRST_NAMES}
SURNAMES = [
    ("smith", "Smith", "史密斯"), ("miller", "Miller", "米勒"), ("brown", "Brown", "布朗"),
    ("wagner", "Wagner", "瓦格纳"), ("schmidt", "Schmidt", "施密特"), ("fischer", "Fischer", "菲舍尔"),
    ("taylor", "Taylor", "泰勒"), ("wilson", "Wilson", "威尔逊"), ("johnson", "Johnson", "约翰逊"),
    ("becker", "Becker", "贝克尔"),
]
SURNAME = {n[0]: n for n in SURNAMES}

# Family members whose English word fixes both the German and the Chinese word (no older/younger
# brother ambiguity). Chinese drops 的 before kin terms: 我儿子.
RELATIVES = [
    N("son", "son", "sons", "Sohn", "m", "Söhne", "儿子"),
    N("daughter", "daughter", "daughters", "Tochter", "f", "Töchter", "女儿"),
    N("wife", "wife", "wives", "Frau", "f", "Frauen", "妻子"),
    N("husband", "husband", "husbands", "Mann", "m", "Männer", "丈夫"),
    N("mother", "mother", "mothers", "Mutter", "f", "Mütter", "妈妈"),
    N("father", "father", "fathers", "Vater", "m", "Väter", "爸爸"),
    N("child", "child", "children", "Kind", "n", "Kinder", "孩子"),
]
RELATIVE = {r.key: r for r in RELATIVES}

# --- Time expressions ------------------------------------------------------------------------------
DAYS = [
    ("monday", "Monday", "Montag", "星期一"), ("tuesday", "Tuesday", "Dienstag", "星期二"),
    ("wednesday", "Wednesday", "Mittwoch", "星期三"), ("thursday", "Thursday", "Donnerstag", "星期四"),
    ("friday", "Friday", "Freitag", "星期五"), ("saturday", "Saturday", "Samstag", "星期六"),
    ("sunday", "Sunday", "Sonntag", "星期天"),
]
DAY = {d[0]: d for d in DAYS}

# "when" phrases: (key, English, German adverbial, Chinese, future?). Present-tense English for
# today, future ("will") for later days.
WHENS = [
    ("today", "today", "heute", "今天", False),
    ("this_morning", "this morning", "heute Vormittag", "今天上午", False),
    ("this_afternoon", "this afternoon", "heute Nachmittag", "今天下午", False),
    ("this_evening", "this evening", "heute Abend", "今天晚上", False),
    ("tomorrow", "tomorrow", "morgen", "明天", True),
    ("tomorrow_morning", "tomorrow morning", "morgen früh", "明天早上", True),
    ("tomorrow_afternoon", "tomorrow afternoon", "morgen Nachmittag", "明天下午", True),
    ("tomorrow_evening", "tomorrow evening", "morgen Abend", "明天晚上", True),
    ("day_after_tomorrow", "the day after tomorrow", "übermorgen", "后天", True),
    ("weekend", "at the weekend", "am Wochenende", "周末", True),
    ("next_week", "next week", "nächste Woche", "下个星期", True),
] + [(k, "on " + en, "am " + de, zh, True) for k, en, de, zh in DAYS]
WHEN = {w[0]: w for w in WHENS}

PARTS_OF_DAY = [
    # Monday morning -> Montagvormittag (German writes it as one word) -> 星期一上午
    ("morning", "morning", "vormittag", "上午"), ("afternoon", "afternoon", "nachmittag", "下午"),
    ("evening", "evening", "abend", "晚上"),
]

DURATION_UNITS = {
    # unit: (Noun, Chinese measure word or "" when the unit is itself a measure word)
    "minute": N("minute", "minute", "minutes", "Minute", "f", "Minuten", "分钟", mw=""),
    "hour": N("hour", "hour", "hours", "Stunde", "f", "Stunden", "小时", mw="个"),
    "day": N("day", "day", "days", "Tag", "m", "Tage", "天", mw=""),
    "night": N("night", "night", "nights", "Nacht", "f", "Nächte", "晚", mw=""),
    "week": N("week", "week", "weeks", "Woche", "f", "Wochen", "星期", mw="个"),
}

# --- Food and drink ---------------------------------------------------------------------------------
# Dishes ordered by the piece or portion. max: the largest count that reads naturally.
DISHES = [
    N("soup", "soup", "soups", "Suppe", "f", "Suppen", "汤", mw="碗", max=4, taste="food"),
    N("salad", "salad", "salads", "Salat", "m", "Salate", "沙拉", mw="份", max=4, taste="food"),
    N("sandwich", "sandwich", "sandwiches", "Sandwich", "n", "Sandwiches", "三明治", max=4, taste="food"),
    N("pizza", "pizza", "pizzas", "Pizza", "f", "Pizzas", "披萨", max=4, taste="food"),
    N("steak", "steak", "steaks", "Steak", "n", "Steaks", "牛排", mw="份", max=4, taste="food"),
    N("hamburger", "hamburger", "hamburgers", "Hamburger", "m", "Hamburger", "汉堡包", max=4, taste="food"),
    N("omelette", "omelette", "omelettes", "Omelett", "n", "Omeletts", "煎蛋卷", mw="份", max=3, taste="food"),
    N("schnitzel", "schnitzel", "schnitzels", "Schnitzel", "n", "Schnitzel", "炸肉排", mw="份", max=4, taste="food"),
    N("sausage", "sausage", "sausages", "Würstchen", "n", "Würstchen", "香肠", mw="根", max=4, taste="food"),
    N("roll", "bread roll", "bread rolls", "Brötchen", "n", "Brötchen", "小面包", max=6, taste="food"),
    N("croissant", "croissant", "croissants", "Croissant", "n", "Croissants", "羊角面包", max=4, taste="food"),
    N("cake", "piece of cake", "pieces of cake", "Stück Kuchen", "n", "Stück Kuchen", "蛋糕", mw="块", de_dat_pl="Stück Kuchen", max=4),
    N("apple_pie", "piece of apple pie", "pieces of apple pie", "Stück Apfelkuchen", "n", "Stück Apfelkuchen", "苹果派", mw="块", de_dat_pl="Stück Apfelkuchen", max=3),
    N("chips", "portion of chips", "portions of chips", "Portion Pommes", "f", "Portionen Pommes", "薯条", mw="份", max=3),
    N("rice", "bowl of rice", "bowls of rice", "Schale Reis", "f", "Schalen Reis", "米饭", mw="碗", max=4),
    N("noodles", "bowl of noodles", "bowls of noodles", "Schale Nudeln", "f", "Schalen Nudeln", "面条", mw="碗", max=4),
    N("dumplings", "portion of dumplings", "portions of dumplings", "Portion Teigtaschen", "f", "Portionen Teigtaschen", "饺子", mw="份", max=4),
    N("ice_cream", "ice cream", "ice creams", "Eis", "n", "Eis", "冰淇淋", max=1, taste="food"),
    N("curry", "curry", "curries", "Curry", "n", "Currys", "咖喱", mw="份", max=3, taste="food"),
    N("pancake", "pancake", "pancakes", "Pfannkuchen", "m", "Pfannkuchen", "薄煎饼", mw="张", max=4, taste="food"),
    N("yoghurt", "yoghurt", "yoghurts", "Joghurt", "m", "Joghurts", "酸奶", mw="杯", max=3, taste="food"),
    N("fruit_salad", "fruit salad", "fruit salads", "Obstsalat", "m", "Obstsalate", "水果沙拉", mw="份", max=3, taste="food"),
    N("pretzel", "pretzel", "pretzels", "Brezel", "f", "Brezeln", "椒盐卷饼", max=6, taste="food"),
    N("goulash", "goulash", "goulashes", "Gulasch", "n", "Gulaschs", "红烩牛肉", mw="份", max=3, taste="food"),
]
DISH = {d.key: d for d in DISHES}

# Drinks ordered on their own ("a coffee"); `adj` declines inside the noun phrase (einen grünen Tee).
DRINKS = [
    N("coffee", "coffee", "coffees", "Kaffee", "m", "Kaffee", "咖啡", mw="杯", max=1, cont=("cup", "pot")),
    N("tea", "tea", "teas", "Tee", "m", "Tee", "茶", mw="杯", max=1, cont=("cup", "pot")),
    N("green_tea", "green tea", "green teas", "Tee", "m", "Tee", "绿茶", mw="杯", max=1, adj="grün", cont=()),
    N("hot_chocolate", "hot chocolate", "hot chocolates", "Schokolade", "f", "Schokoladen", "热巧克力", mw="杯", max=1, adj="heiß", cont=()),
    N("espresso", "espresso", "espressos", "Espresso", "m", "Espressos", "浓缩咖啡", mw="杯", max=3, cont=()),
    N("cappuccino", "cappuccino", "cappuccinos", "Cappuccino", "m", "Cappuccinos", "卡布奇诺", mw="杯", max=3, cont=()),
    # Ordering beer, German keeps the singular: "Zwei Bier, bitte."
    N("beer", "beer", "beers", "Bier", "n", "Bier", "啤酒", mw="杯", max=4, cont=("glass", "bottle")),
    N("water", "water", "waters", "Wasser", "n", "Wasser", "水", mw="杯", max=0, cont=("glass", "bottle")),
    N("mineral_water", "mineral water", "mineral waters", "Mineralwasser", "n", "Mineralwasser", "矿泉水", mw="杯", max=0, cont=("glass", "bottle")),
    N("red_wine", "red wine", "red wines", "Rotwein", "m", "Rotweine", "红葡萄酒", mw="杯", max=0, cont=("glass", "bottle")),
    N("white_wine", "white wine", "white wines", "Weißwein", "m", "Weißweine", "白葡萄酒", mw="杯", max=0, cont=("glass", "bottle")),
    N("orange_juice", "orange juice", "orange juices", "Orangensaft", "m", "Orangensäfte", "橙汁", mw="杯", max=1, cont=("glass", "bottle")),
    N("apple_juice", "apple juice", "apple juices", "Apfelsaft", "m", "Apfelsäfte", "苹果汁", mw="杯", max=1, cont=("glass", "bottle")),
    N("milk", "milk", "milks", "Milch", "f", "Milch", "牛奶", mw="杯", max=0, cont=("glass",)),
    N("cola", "cola", "colas", "Cola", "f", "Colas", "可乐", mw="杯", max=1, cont=("glass", "bottle")),
    N("lemonade", "lemonade", "lemonades", "Limonade", "f", "Limonaden", "柠檬水", mw="杯", max=1, cont=("glass",)),
]
DRINK = {d.key: d for d in DRINKS}

CONTAINERS = {
    # container: (English sg, English pl, German noun, gender, German plural, Chinese measure word)
    "cup": ("cup", "cups", "Tasse", "f", "Tassen", "杯"),
    "pot": ("pot", "pots", "Kanne", "f", "Kannen", "壶"),
    "glass": ("glass", "glasses", "Glas", "n", "Gläser", "杯"),
    "bottle": ("bottle", "bottles", "Flasche", "f", "Flaschen", "瓶"),
}


def drink_in(drink, container: str):
    """A measure phrase as one noun: 'cup of tea' / 'Tasse Tee' / 杯 + 茶."""
    en, en_pl, de, gender, de_pl, mw = CONTAINERS[container]
    return N(f"{container}_of_{drink.key}", f"{en} of {drink.en}", f"{en_pl} of {drink.en}",
             f"{de} {drink.de}", gender, f"{de_pl} {drink.de}", drink.zh, mw=mw)


SIDES = [
    # (key, English, German after "mit", Chinese after 配)
    ("rice", "rice", "Reis", "米饭"), ("chips", "chips", "Pommes", "薯条"), ("salad", "salad", "Salat", "沙拉"),
    ("potatoes", "potatoes", "Kartoffeln", "土豆"), ("vegetables", "vegetables", "Gemüse", "蔬菜"),
    ("bread", "bread", "Brot", "面包"),
]
SIDE = {s[0]: s for s in SIDES}

# Things one leaves out of a dish or avoids: (key, English, German plural/mass, Chinese).
INGREDIENTS = [
    ("onions", "onions", "Zwiebeln", "洋葱"), ("garlic", "garlic", "Knoblauch", "大蒜"),
    ("meat", "meat", "Fleisch", "肉"), ("cheese", "cheese", "Käse", "奶酪"), ("sugar", "sugar", "Zucker", "糖"),
    ("ice", "ice", "Eis", "冰"), ("sauce", "sauce", "Soße", "酱汁"), ("mushrooms", "mushrooms", "Pilze", "蘑菇"),
    ("tomatoes", "tomatoes", "Tomaten", "西红柿"), ("salt", "salt", "Salz", "盐"),
]
INGREDIENT = {i[0]: i for i in INGREDIENTS}

# Foods someone does not eat: German takes "kein" in the accusative, by gender.
AVOIDED_FOODS = [
    N("meat", "meat", "meat", "Fleisch", "n", "Fleisch", "肉"),
    N("pork", "pork", "pork", "Schweinefleisch", "n", "Schweinefleisch", "猪肉"),
    N("beef", "beef", "beef", "Rindfleisch", "n", "Rindfleisch", "牛肉"),
    N("chicken", "chicken", "chicken", "Hähnchen", "n", "Hähnchen", "鸡肉"),
    N("fish", "fish", "fish", "Fisch", "m", "Fisch", "鱼"),
    N("cheese", "cheese", "cheese", "Käse", "m", "Käse", "奶酪"),
    N("seafood", "seafood", "seafood", "Meeresfrüchte", "pl", "Meeresfrüchte", "海鲜"),
    N("eggs", "eggs", "eggs", "Eier", "pl", "Eier", "鸡蛋"),
    N("mushrooms", "mushrooms", "mushrooms", "Pilze", "pl", "Pilze", "蘑菇"),
    N("nuts", "nuts", "nuts", "Nüsse", "pl", "Nüsse", "坚果"),
]
AVOIDED = {a.key: a for a in AVOIDED_FOODS}

ALLERGENS = [
    # (key, English, German after "gegen", Chinese)
    ("nuts", "nuts", "Nüsse", "坚果"), ("peanuts", "peanuts", "Erdnüsse", "花生"), ("milk", "milk", "Milch", "牛奶"),
    ("eggs", "eggs", "Eier", "鸡蛋"), ("fish", "fish", "Fisch", "鱼"), ("shellfish", "shellfish", "Schalentiere", "贝类"),
    ("gluten", "gluten", "Gluten", "麸质"), ("wheat", "wheat", "Weizen", "小麦"), ("soy", "soy", "Soja", "大豆"),
    ("sesame", "sesame", "Sesam", "芝麻"), ("penicillin", "penicillin", "Penicillin", "青霉素"),
    ("aspirin", "aspirin", "Aspirin", "阿司匹林"), ("cats", "cats", "Katzen", "猫"), ("pollen", "pollen", "Pollen", "花粉"),
    ("bee_stings", "bee stings", "Bienenstiche", "蜂蜇"),
]
ALLERGEN = {a[0]: a for a in ALLERGENS}
FOOD_ALLERGENS = ["nuts", "peanuts", "milk", "eggs", "fish", "shellfish", "gluten", "wheat", "soy", "sesame"]

TASTES = {
    # taste: (English, German predicate, Chinese after the noun, fits "food"/"drink"/both)
    "cold": ("cold", "kalt", "凉了", "both"),
    "delicious_food": ("delicious", "sehr lecker", "很好吃", "food"),
    "delicious_drink": ("delicious", "sehr lecker", "很好喝", "drink"),
    "too_salty": ("too salty", "zu salzig", "太咸了", "food"),
    "too_spicy": ("too spicy", "zu scharf", "太辣了", "food"),
    "too_sweet": ("too sweet", "zu süß", "太甜了", "both"),
    "too_hot": ("too hot", "zu heiß", "太烫了", "both"),
    "too_strong": ("too strong", "zu stark", "太浓了", "drink"),
}

PRODUCE = [
    # (key, English plural/mass, German, Chinese); sold by weight at a market
    ("apples", "apples", "Äpfel", "苹果"), ("tomatoes", "tomatoes", "Tomaten", "西红柿"),
    ("potatoes", "potatoes", "Kartoffeln", "土豆"), ("bananas", "bananas", "Bananen", "香蕉"),
    ("oranges", "oranges", "Orangen", "橙子"), ("strawberries", "strawberries", "Erdbeeren", "草莓"),
    ("grapes", "grapes", "Weintrauben", "葡萄"), ("cherries", "cherries", "Kirschen", "樱桃"),
    ("onions", "onions", "Zwiebeln", "洋葱"), ("carrots", "carrots", "Karotten", "胡萝卜"),
    ("cheese", "cheese", "Käse", "奶酪"), ("ham", "ham", "Schinken", "火腿"), ("rice", "rice", "Reis", "大米"),
    ("mushrooms", "mushrooms", "Pilze", "蘑菇"), ("lemons", "lemons", "Zitronen", "柠檬"),
    ("peaches", "peaches", "Pfirsiche", "桃子"),
]
PRODUCE_BY_KEY = {p[0]: p for p in PRODUCE}

WEIGHTS = [
    # (key, English "… of", German, Chinese, German verb number: a singular subject takes "kostet")
    ("1kg", "a kilo", "ein Kilo", "一公斤", "sg"), ("half_kg", "half a kilo", "ein halbes Kilo", "半公斤", "sg"),
    ("2kg", "two kilos", "zwei Kilo", "两公斤", "pl"), ("3kg", "three kilos", "drei Kilo", "三公斤", "pl"),
    ("100g", "one hundred grams", "100 Gramm", "一百克", "pl"), ("200g", "two hundred grams", "200 Gramm", "两百克", "pl"),
    ("250g", "two hundred and fifty grams", "250 Gramm", "两百五十克", "pl"),
    ("500g", "five hundred grams", "500 Gramm", "五百克", "pl"),
]
WEIGHT = {w[0]: w for w in WEIGHTS}

# --- Shopping --------------------------------------------------------------------------------------
# tags: "colour" (comes in colours), "wear" (try on; zh verb in `try`), "size" (too big/small).
ITEMS = [
    N("shirt", "shirt", "shirts", "Hemd", "n", "Hemden", "衬衫", mw="件", tags=("colour", "wear", "size"), try_zh="试穿"),
    N("jacket", "jacket", "jackets", "Jacke", "f", "Jacken", "夹克", mw="件", tags=("colour", "wear", "size"), try_zh="试穿"),
    N("coat", "coat", "coats", "Mantel", "m", "Mäntel", "大衣", mw="件", tags=("colour", "wear", "size"), try_zh="试穿"),
    N("sweater", "sweater", "sweaters", "Pullover", "m", "Pullover", "毛衣", mw="件", tags=("colour", "wear", "size"), try_zh="试穿"),
    N("dress", "dress", "dresses", "Kleid", "n", "Kleider", "连衣裙", mw="条", tags=("colour", "wear", "size"), try_zh="试穿"),
    N("skirt", "skirt", "skirts", "Rock", "m", "Röcke", "裙子", mw="条", tags=("colour", "wear", "size"), try_zh="试穿"),
    N("trousers", "trousers", "trousers", "Hose", "f", "Hosen", "裤子", mw="条", en_plural_only=True, tags=("colour", "wear", "size"), try_zh="试穿", en_pair="pair of trousers"),
    N("shoes", "shoes", "shoes", "Schuhe", "pl", "Schuhe", "鞋", mw="双", en_plural_only=True, tags=("colour", "wear", "size"), try_zh="试穿", en_pair="pair of shoes", de_pair="Paar Schuhe"),
    N("socks", "socks", "socks", "Socken", "pl", "Socken", "袜子", mw="双", en_plural_only=True, tags=("colour",), en_pair="pair of socks", de_pair="Paar Socken"),
    N("gloves", "gloves", "gloves", "Handschuhe", "pl", "Handschuhe", "手套", mw="副", en_plural_only=True, tags=("colour", "wear", "size"), try_zh="试戴", en_pair="pair of gloves", de_pair="Paar Handschuhe"),
    N("sunglasses", "sunglasses", "sunglasses", "Sonnenbrille", "f", "Sonnenbrillen", "太阳镜", mw="副", en_plural_only=True, tags=("wear",), try_zh="试戴", en_pair="pair of sunglasses"),
    N("hat", "hat", "hats", "Hut", "m", "Hüte", "帽子", mw="顶", tags=("colour", "wear", "size"), try_zh="试戴"),
    N("scarf", "scarf", "scarves", "Schal", "m", "Schals", "围巾", mw="条", tags=("colour", "wear"), try_zh="试戴"),
    N("umbrella", "umbrella", "umbrellas", "Regenschirm", "m", "Regenschirme", "雨伞", mw="把", tags=("colour",)),
    N("bag", "bag", "bags", "Tasche", "f", "Taschen", "包", tags=("colour",)),
    N("backpack", "backpack", "backpacks", "Rucksack", "m", "Rucksäcke", "背包", tags=("colour", "size")),
    N("watch", "watch", "watches", "Uhr", "f", "Uhren", "手表", mw="块", tags=("wear",), try_zh="试戴"),
    N("belt", "belt", "belts", "Gürtel", "m", "Gürtel", "腰带", mw="条", tags=("colour",)),
    N("book", "book", "books", "Buch", "n", "Bücher", "书", mw="本", tags=()),
    N("map", "map", "maps", "Stadtplan", "m", "Stadtpläne", "地图", mw="张", tags=()),
    N("postcard", "postcard", "postcards", "Postkarte", "f", "Postkarten", "明信片", mw="张", tags=()),
    N("stamp", "stamp", "stamps", "Briefmarke", "f", "Briefmarken", "邮票", mw="张", tags=()),
    N("newspaper", "newspaper", "newspapers", "Zeitung", "f", "Zeitungen", "报纸", mw="份", tags=()),
    N("battery", "battery", "batteries", "Batterie", "f", "Batterien", "电池", mw="节", tags=()),
    N("charger", "phone charger", "phone chargers", "Ladegerät", "n", "Ladegeräte", "充电器", tags=()),
    N("souvenir", "souvenir", "souvenirs", "Souvenir", "n", "Souvenirs", "纪念品", mw="件", tags=()),
    N("mug", "mug", "mugs", "Becher", "m", "Becher", "马克杯", tags=("colour",)),
    N("toothbrush", "toothbrush", "toothbrushes", "Zahnbürste", "f", "Zahnbürsten", "牙刷", mw="把", tags=()),
    N("swimsuit", "swimsuit", "swimsuits", "Badeanzug", "m", "Badeanzüge", "泳衣", mw="件", tags=("colour", "wear", "size"), try_zh="试穿"),
    N("blouse", "blouse", "blouses", "Bluse", "f", "Blusen", "女式衬衫", mw="件", tags=("colour", "wear", "size"), try_zh="试穿"),
    N("sandals", "sandals", "sandals", "Sandalen", "pl", "Sandalen", "凉鞋", mw="双", en_plural_only=True, tags=("colour", "wear", "size"), try_zh="试穿", en_pair="pair of sandals", de_pair="Paar Sandalen"),
    N("boots", "boots", "boots", "Stiefel", "pl", "Stiefel", "靴子", mw="双", en_plural_only=True, tags=("colour", "wear", "size"), try_zh="试穿", en_pair="pair of boots", de_pair="Paar Stiefel"),
    N("trainers", "trainers", "trainers", "Turnschuhe", "pl", "Turnschuhe", "运动鞋", mw="双", en_plural_only=True, tags=("colour", "wear", "size"), try_zh="试穿", en_pair="pair of trainers", de_pair="Paar Turnschuhe"),
    N("tie", "tie", "ties", "Krawatte", "f", "Krawatten", "领带", mw="条", tags=("colour", "wear"), try_zh="试戴"),
    N("necklace", "necklace", "necklaces", "Halskette", "f", "Halsketten", "项链", mw="条", tags=("wear",), try_zh="试戴"),
    N("earrings", "earrings", "earrings", "Ohrringe", "pl", "Ohrringe", "耳环", mw="对", en_plural_only=True, tags=("wear",), try_zh="试戴", en_pair="pair of earrings", de_pair="Paar Ohrringe"),
    N("ring", "ring", "rings", "Ring", "m", "Ringe", "戒指", mw="枚", tags=("wear", "size"), try_zh="试戴"),
    N("wallet", "wallet", "wallets", "Geldbeutel", "m", "Geldbeutel", "钱包", tags=("colour",)),
    N("suitcase", "suitcase", "suitcases", "Koffer", "m", "Koffer", "行李箱", tags=("colour", "size")),
    N("guidebook", "guidebook", "guidebooks", "Reiseführer", "m", "Reiseführer", "旅游指南", mw="本", tags=()),
    N("pen", "pen", "pens", "Stift", "m", "Stifte", "笔", mw="支", tags=("colour",)),
    N("lighter", "lighter", "lighters", "Feuerzeug", "n", "Feuerzeuge", "打火机", tags=("colour",)),
    N("sim_card", "SIM card", "SIM cards", "SIM-Karte", "f", "SIM-Karten", "手机卡", mw="张", tags=()),
]
ITEM = {i.key: i for i in ITEMS}

COLOURS = [
    # (key, English, German adjective stem, German colour noun for "in Blau", Chinese)
    ("red", "red", "rot", "Rot", "红色"), ("blue", "blue", "blau", "Blau", "蓝色"), ("black", "black", "schwarz", "Schwarz", "黑色"),
    ("white", "white", "weiß", "Weiß", "白色"), ("green", "green", "grün", "Grün", "绿色"), ("grey", "grey", "grau", "Grau", "灰色"),
    ("brown", "brown", "braun", "Braun", "棕色"), ("yellow", "yellow", "gelb", "Gelb", "黄色"),
]
COLOUR = {c[0]: c for c in COLOURS}

SIZES = [
    # (key, English, German predicate, Chinese)
    ("too_big", "too big", "zu groß", "太大了"), ("too_small", "too small", "zu klein", "太小了"),
    ("too_expensive", "too expensive", "zu teuer", "太贵了"), ("too_long", "too long", "zu lang", "太长了"),
    ("too_short", "too short", "zu kurz", "太短了"),
]
SIZE = {s[0]: s for s in SIZES}

PAYMENTS = [
    # (key, English "pay …", German "… bezahlen", Chinese question)
    ("card", "by card", "mit Karte", "我可以刷卡吗？"),
    ("cash", "in cash", "bar", "我可以付现金吗？"),
    ("credit_card", "by credit card", "mit Kreditkarte", "我可以用信用卡付款吗？"),
    ("phone", "with my phone", "mit dem Handy", "我可以用手机付款吗？"),
]
PAYMENT = {p[0]: p for p in PAYMENTS}

# --- Transport -----------------------------------------------------------------------------------
VEHICLES = [
    # German with "mit dem …"; zh verb phrase for travelling by it; which-word for scheduled lines.
    N("bus", "bus", "buses", "Bus", "m", "Busse", "公交车", mw="辆", by_zh="坐公交车", which_zh="哪路公交车", next_zh="下一班", tags=("line",)),
    N("train", "train", "trains", "Zug", "m", "Züge", "火车", mw="列", by_zh="坐火车", which_zh="哪趟火车", next_zh="下一趟", tags=("line", "long")),
    N("tram", "tram", "trams", "Straßenbahn", "f", "Straßenbahnen", "有轨电车", mw="辆", by_zh="坐有轨电车", which_zh="哪路有轨电车", next_zh="下一班", tags=("line",)),
    N("subway", "subway", "subways", "U-Bahn", "f", "U-Bahnen", "地铁", mw="趟", by_zh="坐地铁", which_zh="哪条地铁线", next_zh="下一班", tags=()),
    N("taxi", "taxi", "taxis", "Taxi", "n", "Taxis", "出租车", mw="辆", by_zh="坐出租车", tags=()),
    N("ferry", "ferry", "ferries", "Fähre", "f", "Fähren", "渡轮", mw="艘", by_zh="坐渡轮", next_zh="下一班", tags=("long",)),
    N("car", "car", "cars", "Auto", "n", "Autos", "汽车", mw="辆", by_zh="开车", tags=()),
    N("bike", "bike", "bikes", "Fahrrad", "n", "Fahrräder", "自行车", mw="辆", by_zh="骑自行车", tags=()),
    N("plane", "plane", "planes", "Flugzeug", "n", "Flugzeuge", "飞机", mw="架", by_zh="坐飞机", tags=("long",)),
]
VEHICLE = {v.key: v for v in VEHICLES}

TICKETS = [
    N("ticket", "ticket", "tickets", "Fahrkarte", "f", "Fahrkarten", "票", mw="张", zh_kind="票"),
    N("single", "single ticket", "single tickets", "Fahrkarte", "f", "Fahrkarten", "单程票", mw="张", adj="einfach", zh_kind="单程票"),
    N("return", "return ticket", "return tickets", "Rückfahrkarte", "f", "Rückfahrkarten", "往返票", mw="张", zh_kind="往返票"),
    N("first_class", "first class ticket", "first class tickets", "Fahrkarte erster Klasse", "f", "Fahrkarten erster Klasse", "一等座票", mw="张", zh_kind="一等座票"),
    N("seat_reservation", "seat reservation", "seat reservations", "Platzreservierung", "f", "Platzreservierungen", "座位预订", mw="个", zh_kind="座位"),
]
TICKET = {t.key: t for t in TICKETS}

RENTALS = [
    N("car", "car", "cars", "Auto", "n", "Autos", "汽车", mw="辆"),
    N("bike", "bike", "bikes", "Fahrrad", "n", "Fahrräder", "自行车", mw="辆"),
    N("scooter", "scooter", "scooters", "Motorroller", "m", "Motorroller", "摩托车", mw="辆"),
    N("boat", "boat", "boats", "Boot", "n", "Boote", "船", mw="条"),
    N("e_bike", "electric bike", "electric bikes", "E-Bike", "n", "E-Bikes", "电动自行车", mw="辆"),
]
RENTAL = {r.key: r for r in RENTALS}

# --- Hotel ---------------------------------------------------------------------------------------------
ROOMS = [
    N("single", "single room", "single rooms", "Einzelzimmer", "n", "Einzelzimmer", "单人间", mw="间"),
    N("double", "double room", "double rooms", "Doppelzimmer", "n", "Doppelzimmer", "双人间", mw="间"),
    N("twin", "twin room", "twin rooms", "Zweibettzimmer", "n", "Zweibettzimmer", "双床房", mw="间"),
    N("family", "family room", "family rooms", "Familienzimmer", "n", "Familienzimmer", "家庭房", mw="间"),
    N("room", "room", "rooms", "Zimmer", "n", "Zimmer", "房间", mw="间"),
    N("suite", "suite", "suites", "Suite", "f", "Suiten", "套房", mw="间"),
]
ROOM = {r.key: r for r in ROOMS}

ROOM_ADJECTIVES = [
    # (key, English, German adjective stem, Chinese with 的)
    ("quiet", "quiet", "ruhig", "安静的"), ("cheaper", "cheaper", "günstiger", "便宜一点的"),
    ("bigger", "bigger", "größer", "大一点的"), ("smaller", "smaller", "kleiner", "小一点的"),
]
ROOM_ADJECTIVE = {a[0]: a for a in ROOM_ADJECTIVES}

ROOM_FEATURES = [
    # (key, English "with …", German "mit …", Chinese "带…的")
    ("balcony", "a balcony", "Balkon", "阳台"), ("sea_view", "a sea view", "Meerblick", "海景"),
    ("shower", "a shower", "Dusche", "淋浴"), ("bath", "a bath", "Badewanne", "浴缸"),
    ("double_bed", "a double bed", "Doppelbett", "双人床"), ("air_con", "air conditioning", "Klimaanlage", "空调"),
    ("kitchen", "a kitchen", "Küche", "厨房"), ("desk", "a desk", "Schreibtisch", "书桌"),
]
ROOM_FEATURE = {f[0]: f for f in ROOM_FEATURES}

ROOM_THINGS = [
    N("heating", "heating", "heating", "Heizung", "f", "Heizungen", "暖气"),
    N("air_con", "air conditioning", "air conditioning", "Klimaanlage", "f", "Klimaanlagen", "空调", mw="台"),
    N("shower", "shower", "showers", "Dusche", "f", "Duschen", "淋浴"),
    N("light", "light", "lights", "Licht", "n", "Lichter", "灯", mw="盏"),
    N("tv", "television", "televisions", "Fernseher", "m", "Fernseher", "电视", mw="台"),
    N("internet", "internet", "internet", "Internet", "n", "Internet", "网络"),
    N("key_card", "key card", "key cards", "Schlüsselkarte", "f", "Schlüsselkarten", "房卡", mw="张"),
    N("toilet", "toilet", "toilets", "Toilette", "f", "Toiletten", "马桶"),
    N("safe", "safe", "safes", "Safe", "m", "Safes", "保险箱"),
    N("fridge", "fridge", "fridges", "Kühlschrank", "m", "Kühlschränke", "冰箱", mw="台"),
    N("hair_dryer", "hair dryer", "hair dryers", "Föhn", "m", "Föhne", "吹风机"),
    N("kettle", "kettle", "kettles", "Wasserkocher", "m", "Wasserkocher", "烧水壶"),
    N("lamp", "lamp", "lamps", "Lampe", "f", "Lampen", "台灯", mw="盏"),
]
ROOM_THING = {t.key: t for t in ROOM_THINGS}
# Things a room may or may not have ("Is there a hair dryer in the room?").
ROOM_EQUIPMENT = ["tv", "safe", "fridge", "hair_dryer", "kettle", "lamp"]

AMENITIES = [
    N("towel", "towel", "towels", "Handtuch", "n", "Handtücher", "毛巾", mw="条"),
    N("pillow", "pillow", "pillows", "Kopfkissen", "n", "Kopfkissen", "枕头"),
    N("blanket", "blanket", "blankets", "Decke", "f", "Decken", "毯子", mw="条"),
    N("toothbrush", "toothbrush", "toothbrushes", "Zahnbürste", "f", "Zahnbürsten", "牙刷", mw="把"),
    N("key", "key", "keys", "Schlüssel", "m", "Schlüssel", "钥匙", mw="把"),
    N("hanger", "coat hanger", "coat hangers", "Kleiderbügel", "m", "Kleiderbügel", "衣架"),
    N("toilet_paper", "roll of toilet paper", "rolls of toilet paper", "Rolle Toilettenpapier", "f", "Rollen Toilettenpapier", "卫生纸", mw="卷"),
    N("soap", "bar of soap", "bars of soap", "Stück Seife", "n", "Stück Seife", "香皂", mw="块", de_dat_pl="Stück Seife"),
    N("glass", "glass", "glasses", "Glas", "n", "Gläser", "杯子"),
    N("adapter", "adapter", "adapters", "Adapter", "m", "Adapter", "转换插头"),
]
AMENITY = {a.key: a for a in AMENITIES}

# --- Health and emergencies ------------------------------------------------------------------------
BODY_PARTS = [
    N("head", "head", "heads", "Kopf", "m", "Köpfe", "头"),
    N("arm", "arm", "arms", "Arm", "m", "Arme", "胳膊"),
    N("leg", "leg", "legs", "Bein", "n", "Beine", "腿"),
    N("foot", "foot", "feet", "Fuß", "m", "Füße", "脚"),
    N("hand", "hand", "hands", "Hand", "f", "Hände", "手"),
    N("knee", "knee", "knees", "Knie", "n", "Knie", "膝盖"),
    N("back", "back", "backs", "Rücken", "m", "Rücken", "背"),
    N("stomach", "stomach", "stomachs", "Bauch", "m", "Bäuche", "肚子"),
    N("throat", "throat", "throats", "Hals", "m", "Hälse", "嗓子"),
    N("ear", "ear", "ears", "Ohr", "n", "Ohren", "耳朵"),
    N("eye", "eye", "eyes", "Auge", "n", "Augen", "眼睛"),
    N("tooth", "tooth", "teeth", "Zahn", "m", "Zähne", "牙"),
    N("shoulder", "shoulder", "shoulders", "Schulter", "f", "Schultern", "肩膀"),
    N("chest", "chest", "chests", "Brust", "f", "Brüste", "胸口"),
    N("neck", "neck", "necks", "Nacken", "m", "Nacken", "脖子"),
    N("wrist", "wrist", "wrists", "Handgelenk", "n", "Handgelenke", "手腕"),
    N("ankle", "ankle", "ankles", "Knöchel", "m", "Knöchel", "脚踝"),
]
BODY_PART = {b.key: b for b in BODY_PARTS}
PAIRED_BODY_PARTS = ["arm", "leg", "foot", "hand", "knee", "ear", "eye", "shoulder", "wrist", "ankle"]

SYMPTOMS = [
    # (key, English "I have …", German object of "haben", Chinese predicate, German after "gegen")
    ("fever", "a fever", "Fieber", "发烧", "Fieber"),
    ("cough", "a cough", "Husten", "咳嗽", "Husten"),
    ("cold", "a cold", "eine Erkältung", "感冒", "Erkältung"),
    ("diarrhoea", "diarrhoea", "Durchfall", "拉肚子", "Durchfall"),
    ("headache", "a headache", "Kopfschmerzen", "头疼", "Kopfschmerzen"),
    ("sore_throat", "a sore throat", "Halsschmerzen", "嗓子疼", "Halsschmerzen"),
    ("stomach_ache", "a stomach ache", "Bauchschmerzen", "肚子疼", "Bauchschmerzen"),
    ("toothache", "toothache", "Zahnschmerzen", "牙疼", "Zahnschmerzen"),
    ("earache", "earache", "Ohrenschmerzen", "耳朵疼", "Ohrenschmerzen"),
    ("backache", "backache", "Rückenschmerzen", "背疼", "Rückenschmerzen"),
    ("rash", "a rash", "einen Ausschlag", "起疹子", "Ausschlag"),
    ("sunburn", "sunburn", "einen Sonnenbrand", "晒伤", "Sonnenbrand"),
]
SYMPTOM = {s[0]: s for s in SYMPTOMS}
# Chinese for "something for …": the ailment as a noun phrase (治…的药).
SYMPTOM_ZH_NOUN = {
    "fever": "发烧", "cough": "咳嗽", "cold": "感冒", "diarrhoea": "拉肚子", "headache": "头疼",
    "sore_throat": "嗓子疼", "stomach_ache": "肚子疼", "toothache": "牙疼", "earache": "耳朵疼",
    "backache": "背疼", "rash": "皮疹", "sunburn": "晒伤",
}

HELPERS = [
    # Whom to call: (key, English, German accusative, Chinese "请叫…！")
    ("doctor", "a doctor", "einen Arzt", "医生"), ("ambulance", "an ambulance", "einen Krankenwagen", "救护车"),
    ("police", "the police", "die Polizei", "警察"), ("fire_brigade", "the fire brigade", "die Feuerwehr", "消防队"),
    ("taxi", "a taxi", "ein Taxi", "出租车"), ("dentist", "a dentist", "einen Zahnarzt", "牙医"),
]
HELPER = {h[0]: h for h in HELPERS}

BELONGINGS = [
    N("passport", "passport", "passports", "Pass", "m", "Pässe", "护照", mw="本"),
    N("wallet", "wallet", "wallets", "Geldbeutel", "m", "Geldbeutel", "钱包"),
    N("phone", "phone", "phones", "Handy", "n", "Handys", "手机", mw="部"),
    N("bag", "bag", "bags", "Tasche", "f", "Taschen", "包"),
    N("handbag", "handbag", "handbags", "Handtasche", "f", "Handtaschen", "手提包"),
    N("keys", "keys", "keys", "Schlüssel", "pl", "Schlüssel", "钥匙", en_plural_only=True),
    N("suitcase", "suitcase", "suitcases", "Koffer", "m", "Koffer", "行李箱"),
    N("camera", "camera", "cameras", "Kamera", "f", "Kameras", "相机", mw="台"),
    N("glasses", "glasses", "glasses", "Brille", "f", "Brillen", "眼镜", mw="副", en_plural_only=True),
    N("credit_card", "credit card", "credit cards", "Kreditkarte", "f", "Kreditkarten", "信用卡", mw="张"),
    N("ticket", "ticket", "tickets", "Fahrkarte", "f", "Fahrkarten", "票", mw="张"),
    N("laptop", "laptop", "laptops", "Laptop", "m", "Laptops", "笔记本电脑", mw="台"),
    N("jacket", "jacket", "jackets", "Jacke", "f", "Jacken", "夹克", mw="件"),
    N("umbrella", "umbrella", "umbrellas", "Regenschirm", "m", "Regenschirme", "雨伞", mw="把"),
    N("backpack", "backpack", "backpacks", "Rucksack", "m", "Rucksäcke", "背包"),
    N("id_card", "identity card", "identity cards", "Personalausweis", "m", "Personalausweise", "身份证", mw="张"),
    N("watch", "watch", "watches", "Uhr", "f", "Uhren", "手表", mw="块"),
    N("charger", "phone charger", "phone chargers", "Ladegerät", "n", "Ladegeräte", "充电器"),
    N("scarf", "scarf", "scarves", "Schal", "m", "Schals", "围巾", mw="条"),
]
BELONGING = {b.key: b for b in BELONGINGS}

RELATIVE_STATES = [
    # (key, English predicate, German predicate (verb, rest), Chinese)
    ("ill", "is ill", ("ist", "krank"), "病了"),
    ("injured", "is injured", ("ist", "verletzt"), "受伤了"),
    ("fever", "has a fever", ("hat", "Fieber"), "发烧了"),
    ("fell", "has fallen", ("ist", "gestürzt"), "摔倒了"),
    ("allergic_reaction", "is having an allergic reaction", ("hat", "eine allergische Reaktion"), "出现了过敏反应"),
    ("missing", "is missing", ("ist", "verschwunden"), "不见了"),
]
RELATIVE_STATE = {s[0]: s for s in RELATIVE_STATES}

# --- Weather -----------------------------------------------------------------------------------------
# (key, English present, English future, German present (after verb-first inversion: "ist es sonnig"),
#  German future rest ("sonnig" / "regnen"), Chinese present, Chinese future, German verb kind)
WEATHER = [
    ("sunny", "it is sunny", "it will be sunny", "ist es sonnig", "sonnig", "是晴天", "是晴天"),
    ("cloudy", "it is cloudy", "it will be cloudy", "ist es bewölkt", "bewölkt", "多云", "多云"),
    ("windy", "it is windy", "it will be windy", "ist es windig", "windig", "风很大", "会刮大风"),
    ("foggy", "it is foggy", "it will be foggy", "ist es neblig", "neblig", "有雾", "会有雾"),
    ("hot", "it is hot", "it will be hot", "ist es heiß", "heiß", "很热", "会很热"),
    ("cold", "it is cold", "it will be cold", "ist es kalt", "kalt", "很冷", "会很冷"),
    ("warm", "it is warm", "it will be warm", "ist es warm", "warm", "很暖和", "会很暖和"),
    ("cool", "it is cool", "it will be cool", "ist es kühl", "kühl", "很凉快", "会很凉快"),
    ("humid", "it is humid", "it will be humid", "ist es schwül", "schwül", "很闷热", "会很闷热"),
    ("rain", "it is raining", "it will rain", "regnet es", "regnen", "在下雨", "会下雨"),
    ("snow", "it is snowing", "it will snow", "schneit es", "schneien", "在下雪", "会下雪"),
    ("storm", "there is a thunderstorm", "there will be a thunderstorm", "gibt es ein Gewitter", "ein Gewitter geben", "有雷雨", "会有雷雨"),
]
WEATHER_BY_KEY = {w[0]: w for w in WEATHER}
# Weather a month can plausibly have (northern hemisphere, central Europe).
SEASON_WEATHER = {
    "winter": ["cold", "snow", "foggy", "windy", "cloudy"],
    "spring": ["warm", "rain", "sunny", "windy", "cool", "cloudy"],
    "summer": ["hot", "sunny", "warm", "humid", "storm"],
    "autumn": ["cool", "rain", "foggy", "windy", "cloudy"],
}
MONTH_SEASON = ["winter", "winter", "spring", "spring", "spring", "summer", "summer", "summer", "autumn", "autumn", "autumn", "winter"]

WEATHER_GEAR = [
    N("umbrella", "umbrella", "umbrellas", "Regenschirm", "m", "Regenschirme", "雨伞", mw="把"),
    N("jacket", "jacket", "jackets", "Jacke", "f", "Jacken", "外套", mw="件"),
    N("warm_coat", "warm coat", "warm coats", "Mantel", "m", "Mäntel", "厚大衣", mw="件", adj="warm"),
    N("sun_hat", "sun hat", "sun hats", "Sonnenhut", "m", "Sonnenhüte", "遮阳帽", mw="顶"),
    N("scarf", "scarf", "scarves", "Schal", "m", "Schals", "围巾", mw="条"),
    N("raincoat", "raincoat", "raincoats", "Regenmantel", "m", "Regenmäntel", "雨衣", mw="件"),
    N("sunglasses", "sunglasses", "sunglasses", "Sonnenbrille", "f", "Sonnenbrillen", "太阳镜", mw="副", en_plural_only=True),
]
WEATHER_GEAR_BY_KEY = {g.key: g for g in WEATHER_GEAR}

# --- Polite requests ----------------------------------------------------------------------------------
# An action a listener is asked to do. German parts: pronoun objects (before "bitte"), the rest of the
# middle field, the finite verb for "Sie"-imperatives, the separable prefix, the infinitive.
# zh: the verb phrase after 您能…吗 / 请….
ACTIONS = [
    # (key, English verb phrase, (pronouns, rest, finite verb, prefix, infinitive), Chinese)
    ("speak_slowly", "speak more slowly", ("", "langsamer", "sprechen", "", "sprechen"), "说慢一点"),
    ("repeat", "repeat that", ("das", "", "wiederholen", "", "wiederholen"), "再说一遍"),
    ("help", "help me", ("mir", "", "helfen", "", "helfen"), "帮帮我"),
    ("write_down", "write that down", ("das", "", "schreiben", "auf", "aufschreiben"), "把它写下来"),
    ("photo", "take a photo of us", ("", "ein Foto von uns", "machen", "", "machen"), "给我们拍张照"),
    ("call_taxi", "call a taxi for me", ("mir", "ein Taxi", "rufen", "", "rufen"), "帮我叫一辆出租车"),
    ("open_window", "open the window", ("", "das Fenster", "öffnen", "", "öffnen"), "打开窗户"),
    ("close_door", "close the door", ("", "die Tür", "schließen", "", "schließen"), "关上门"),
    ("show_map", "show me on the map", ("es mir", "auf der Karte", "zeigen", "", "zeigen"), "在地图上指给我看"),
    ("wait", "wait a moment", ("", "einen Moment", "warten", "", "warten"), "等一下"),
    ("carry_suitcase", "carry my suitcase", ("", "meinen Koffer", "tragen", "", "tragen"), "帮我拿一下行李箱"),
    ("music_down", "turn the music down", ("", "die Musik", "machen", "leiser", "leiser machen"), "把音乐调小一点"),
    ("explain", "explain that to me", ("mir das", "", "erklären", "", "erklären"), "给我解释一下"),
    ("recommend", "recommend a restaurant", ("mir", "ein Restaurant", "empfehlen", "", "empfehlen"), "给我推荐一家餐厅"),
    ("lend_pen", "lend me a pen", ("mir", "einen Stift", "leihen", "", "leihen"), "借我一支笔"),
    ("spell", "spell that", ("das", "", "buchstabieren", "", "buchstabieren"), "拼一下"),
    ("switch_off_light", "switch off the light", ("", "das Licht", "schalten", "aus", "ausschalten"), "把灯关掉"),
    ("switch_on_heating", "switch on the heating", ("", "die Heizung", "schalten", "ein", "einschalten"), "把暖气打开"),
    ("call_back", "call me back", ("mich", "", "rufen", "zurück", "zurückrufen"), "给我回个电话"),
    ("keep_luggage", "keep my luggage", ("", "mein Gepäck", "aufbewahren", "", "aufbewahren"), "帮我保管一下行李"),
    ("order_taxi", "order a taxi for tomorrow morning", ("mir", "für morgen früh ein Taxi", "bestellen", "", "bestellen"), "帮我预订明天早上的出租车"),
    ("speak_louder", "speak a little louder", ("", "etwas lauter", "sprechen", "", "sprechen"), "说大声一点"),
    ("wake_me", "wake me up at seven", ("mich", "um sieben Uhr", "wecken", "", "wecken"), "七点叫醒我"),
    ("check_bill", "go through the bill again", ("", "die Rechnung noch einmal", "gehen", "durch", "durchgehen"), "再核对一下账单"),
    ("fill_form", "help me fill in this form", ("mir", "beim Ausfüllen dieses Formulars", "helfen", "", "helfen"), "帮我填一下这张表"),
    ("charge_my_phone", "charge my phone", ("", "mein Handy", "laden", "auf", "aufladen"), "帮我给手机充一下电"),
    ("ac_down", "turn the air conditioning down a bit", ("", "die Klimaanlage etwas schwächer", "stellen", "", "stellen"), "把空调开小一点"),
    ("move_car", "move your car", ("", "Ihr Auto", "fahren", "weg", "wegfahren"), "把您的车挪一下"),
    ("send_details", "send me the details by email", ("mir", "die Details per E-Mail", "schicken", "", "schicken"), "把详细信息发邮件给我"),
    ("book_table", "book a table for us", ("", "einen Tisch für uns", "reservieren", "", "reservieren"), "帮我们订一张桌子"),
    ("pick_up", "pick us up at the hotel", ("uns", "am Hotel", "holen", "ab", "abholen"), "到酒店来接我们"),
    ("close_window", "close the window", ("", "das Fenster", "schließen", "", "schließen"), "关上窗户"),
]
ACTION = {a[0]: a for a in ACTIONS}

# Things the speaker asks permission for: (key, English after "May I", German middle field + infinitive, Chinese)
PERMISSIONS = [
    ("sit_here", "sit here", "hier sitzen", "坐这里"),
    ("open_window", "open the window", "das Fenster öffnen", "打开窗户"),
    ("take_photo", "take a photo", "ein Foto machen", "拍张照片"),
    ("come_in", "come in", "hereinkommen", "进来"),
    ("use_phone", "use your phone", "Ihr Telefon benutzen", "用一下您的电话"),
    ("ask_question", "ask you a question", "Sie etwas fragen", "问您一个问题"),
    ("smoke", "smoke here", "hier rauchen", "在这里抽烟"),
    ("park", "park here", "hier parken", "在这里停车"),
    ("leave_bag", "leave my bag here", "meine Tasche hier lassen", "把包放在这里"),
    ("pay_card", "pay by card", "mit Karte bezahlen", "刷卡"),
    ("try_this", "try this", "das probieren", "尝一下这个"),
    ("sit_window", "sit by the window", "am Fenster sitzen", "坐在窗边"),
    ("charge_phone", "charge my phone here", "hier mein Handy aufladen", "在这里给手机充电"),
    ("see_room", "see the room", "das Zimmer sehen", "看一下房间"),
    ("use_toilet", "use the toilet", "die Toilette benutzen", "用一下洗手间"),
    ("pay_later", "pay later", "später bezahlen", "晚点付钱"),
    ("try_it_on", "try it on", "es anprobieren", "试一下"),
    ("bring_dog", "bring my dog", "meinen Hund mitbringen", "带我的狗来"),
    ("leave_early", "leave a little earlier", "etwas früher gehen", "早一点走"),
    ("borrow_umbrella", "borrow an umbrella", "mir einen Regenschirm leihen", "借一把雨伞"),
    ("look_around", "have a look around", "mich umsehen", "四处看看"),
    ("pay_cash", "pay in cash", "bar bezahlen", "付现金"),
]
PERMISSION = {p[0]: p for p in PERMISSIONS}

THANKS_FOR = [
    # (key, English "your …", German "Ihr-" + noun (gender), Chinese)
    ("help", "help", ("Hilfe", "f"), "帮助"), ("patience", "patience", ("Geduld", "f"), "耐心"),
    ("advice", "advice", ("Rat", "m"), "建议"), ("time", "time", ("Zeit", "f"), "时间"),
    ("hospitality", "hospitality", ("Gastfreundschaft", "f"), "热情款待"), ("understanding", "understanding", ("Verständnis", "n"), "理解"),
    ("email", "email", ("E-Mail", "f"), "邮件"), ("invitation", "invitation", ("Einladung", "f"), "邀请"),
]
THANKS = {t[0]: t for t in THANKS_FOR}

EVENTS = [
    N("concert", "concert", "concerts", "Konzert", "n", "Konzerte", "音乐会", mw="场"),
    N("film", "film", "films", "Film", "m", "Filme", "电影", mw="部"),
    N("tour", "guided tour", "guided tours", "Führung", "f", "Führungen", "导览", mw="次"),
    N("meeting", "meeting", "meetings", "Besprechung", "f", "Besprechungen", "会议", mw="次"),
    N("match", "match", "matches", "Spiel", "n", "Spiele", "比赛", mw="场"),
    N("show", "show", "shows", "Vorstellung", "f", "Vorstellungen", "演出", mw="场"),
    N("class", "class", "classes", "Kurs", "m", "Kurse", "课", mw="节"),
    N("party", "party", "parties", "Party", "f", "Partys", "聚会", mw="个"),
]
EVENT = {e.key: e for e in EVENTS}

# --- Added with the frames at the end of templates.py ------------------------------------------------
# Hotel facilities; "car park" as the hotel.fixed sentence has it.
FACILITIES = [
    N("gym", "gym", "gyms", "Fitnessraum", "m", "Fitnessräume", "健身房", mw="间"),
    N("sauna", "sauna", "saunas", "Sauna", "f", "Saunen", "桑拿房", mw="间"),
    N("bar", "bar", "bars", "Bar", "f", "Bars", "酒吧", mw="家"),
    N("laundry", "laundry room", "laundry rooms", "Waschküche", "f", "Waschküchen", "洗衣房", mw="间"),
    N("terrace", "terrace", "terraces", "Terrasse", "f", "Terrassen", "露台"),
    N("garden", "garden", "gardens", "Garten", "m", "Gärten", "花园", mw="座"),
    N("breakfast_room", "breakfast room", "breakfast rooms", "Frühstücksraum", "m", "Frühstücksräume", "早餐厅", mw="间"),
    N("car_park", "car park", "car parks", "Parkplatz", "m", "Parkplätze", "停车场"),
    N("reception", "reception", "receptions", "Rezeption", "f", "Rezeptionen", "前台"),
]
FACILITY = {f.key: f for f in FACILITIES}

# Floors: British English counts from the ground floor, German from the Erdgeschoss, Chinese from 一楼.
FLOORS = [
    # (key, English, German "im …", Chinese)
    ("ground", "on the ground floor", "im Erdgeschoss", "在一楼"), ("first", "on the first floor", "im ersten Stock", "在二楼"),
    ("second", "on the second floor", "im zweiten Stock", "在三楼"), ("third", "on the third floor", "im dritten Stock", "在四楼"),
    ("fourth", "on the fourth floor", "im vierten Stock", "在五楼"), ("fifth", "on the fifth floor", "im fünften Stock", "在六楼"),
    ("basement", "in the basement", "im Untergeschoss", "在地下一层"),
]
FLOOR = {f[0]: f for f in FLOORS}

# What a table lacks. kind: "mass" (some salt: no article), "count" (a knife), "plural" (some napkins),
# "def" (the wine list: one per restaurant).
TABLE_ITEMS = [
    N("salt", "salt", "salt", "Salz", "n", "Salz", "盐", kind="mass", zh_some="一些盐"),
    N("pepper", "pepper", "pepper", "Pfeffer", "m", "Pfeffer", "胡椒", kind="mass", zh_some="一些胡椒"),
    N("ketchup", "ketchup", "ketchup", "Ketchup", "m", "Ketchup", "番茄酱", kind="mass", zh_some="一些番茄酱"),
    N("mustard", "mustard", "mustard", "Senf", "m", "Senf", "黄芥末酱", kind="mass", zh_some="一些黄芥末酱"),
    N("napkin", "napkin", "napkins", "Serviette", "f", "Servietten", "餐巾纸", mw="张", kind="plural", zh_some="一些餐巾纸"),
    N("knife", "knife", "knives", "Messer", "n", "Messer", "餐刀", mw="把", kind="count"),
    N("fork", "fork", "forks", "Gabel", "f", "Gabeln", "叉子", mw="把", kind="count"),
    N("spoon", "spoon", "spoons", "Löffel", "m", "Löffel", "勺子", mw="把", kind="count"),
    N("high_chair", "high chair", "high chairs", "Kinderstuhl", "m", "Kinderstühle", "儿童椅", mw="把", kind="count"),
    N("wine_list", "wine list", "wine lists", "Weinkarte", "f", "Weinkarten", "酒单", mw="份", kind="def"),
]
TABLE_ITEM = {t.key: t for t in TABLE_ITEMS}

# What a traveller asks someone to write down or repeat.
DETAILS = [
    N("address", "address", "addresses", "Adresse", "f", "Adressen", "地址"),
    N("price", "price", "prices", "Preis", "m", "Preise", "价格"),
    N("phone_number", "phone number", "phone numbers", "Telefonnummer", "f", "Telefonnummern", "电话号码"),
    N("name", "name", "names", "Name", "m", "Namen", "名字", weak=True),
    N("street", "name of the street", "street names", "Straßenname", "m", "Straßennamen", "街名", weak=True),
]
DETAIL = {d.key: d for d in DETAILS}
