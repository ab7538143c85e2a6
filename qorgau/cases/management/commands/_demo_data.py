"""Static data of the demo country of `seed_demo`: places, organisations, names, texts.

Every person is invented. Organisation and district names follow real Kazakh patterns,
so the demo reads as production would; NGO and company names are made up.
"""

from typing import NamedTuple


class RegionInfo(NamedTuple):
    code: str
    slug: str  # used in demo usernames: caseworker.almaty1
    # Департамент полиции Карагандинской области; for a region also "по …" (same form).
    genitive_ru: str
    phone_code: str
    weight: float  # population in millions: where the demo children live
    districts: tuple[tuple[str, str, str], ...]  # (kk, ru, en)


# The three cities first: their organisations and users get the lowest ids, so `demo_logins`
# shows city accounts, which have the busiest caseloads.
REGIONS: tuple[RegionInfo, ...] = (
    RegionInfo("KZ-75", "almaty", "города Алматы", "727", 2.3, (
        ("Алмалы ауданы", "Алмалинский район", "Almaly District"),
        ("Әуезов ауданы", "Ауэзовский район", "Auezov District"),
        ("Бостандық ауданы", "Бостандыкский район", "Bostandyk District"),
        ("Медеу ауданы", "Медеуский район", "Medeu District"),
    )),
    RegionInfo("KZ-71", "astana", "города Астаны", "7172", 1.4, (
        ("Алматы ауданы", "район Алматы", "Almaty District"),
        ("Есіл ауданы", "район Есиль", "Yesil District"),
        ("Сарыарқа ауданы", "район Сарыарка", "Saryarka District"),
        ("Байқоңыр ауданы", "район Байконыр", "Baikonyr District"),
    )),
    RegionInfo("KZ-79", "shymkent", "города Шымкента", "7252", 1.2, (
        ("Абай ауданы", "Абайский район", "Abay District"),
        ("Әл-Фараби ауданы", "Аль-Фарабийский район", "Al-Farabi District"),
        ("Еңбекші ауданы", "Енбекшинский район", "Yenbekshi District"),
        ("Қаратау ауданы", "Каратауский район", "Karatau District"),
    )),
    RegionInfo("KZ-10", "abai", "Абайской области", "7222", 0.6, (
        ("Семей қаласы", "г. Семей", "Semey City"),
        ("Аягөз ауданы", "Аягозский район", "Ayagoz District"),
        ("Бесқарағай ауданы", "Бескарагайский район", "Beskaragay District"),
    )),
    RegionInfo("KZ-11", "akmola", "Акмолинской области", "7162", 0.8, (
        ("Көкшетау қаласы", "г. Кокшетау", "Kokshetau City"),
        ("Бурабай ауданы", "Бурабайский район", "Burabay District"),
        ("Целиноград ауданы", "Целиноградский район", "Tselinograd District"),
    )),
    RegionInfo("KZ-15", "aktobe", "Актюбинской области", "7132", 0.9, (
        ("Ақтөбе қаласы", "г. Актобе", "Aktobe City"),
        ("Мұғалжар ауданы", "Мугалжарский район", "Mugalzhar District"),
        ("Хромтау ауданы", "Хромтауский район", "Khromtau District"),
    )),
    RegionInfo("KZ-19", "almaty_region", "Алматинской области", "72772", 1.5, (
        ("Қонаев қаласы", "г. Конаев", "Konayev City"),
        ("Қарасай ауданы", "Карасайский район", "Karasay District"),
        ("Еңбекшіқазақ ауданы", "Енбекшиказахский район", "Enbekshikazakh District"),
        ("Талғар ауданы", "Талгарский район", "Talgar District"),
    )),
    RegionInfo("KZ-23", "atyrau", "Атырауской области", "7122", 0.7, (
        ("Атырау қаласы", "г. Атырау", "Atyrau City"),
        ("Жылыой ауданы", "Жылыойский район", "Zhylyoi District"),
    )),
    RegionInfo("KZ-27", "west_kazakhstan", "Западно-Казахстанской области", "7112", 0.7, (
        ("Орал қаласы", "г. Уральск", "Oral City"),
        ("Бөрлі ауданы", "Бурлинский район", "Burli District"),
    )),
    RegionInfo("KZ-31", "jambyl", "Жамбылской области", "7262", 1.2, (
        ("Тараз қаласы", "г. Тараз", "Taraz City"),
        ("Қордай ауданы", "Кордайский район", "Korday District"),
        ("Шу ауданы", "Шуский район", "Shu District"),
    )),
    RegionInfo("KZ-33", "jetisu", "Жетысуской области", "7282", 0.7, (
        ("Талдықорған қаласы", "г. Талдыкорган", "Taldykorgan City"),
        ("Алакөл ауданы", "Алакольский район", "Alakol District"),
        ("Сарқан ауданы", "Сарканский район", "Sarkand District"),
    )),
    RegionInfo("KZ-35", "karaganda", "Карагандинской области", "7212", 1.1, (
        ("Қарағанды қаласы", "г. Караганда", "Karaganda City"),
        ("Теміртау қаласы", "г. Темиртау", "Temirtau City"),
        ("Бұқар жырау ауданы", "Бухар-Жырауский район", "Bukhar-Zhyrau District"),
    )),
    RegionInfo("KZ-39", "kostanay", "Костанайской области", "7142", 0.8, (
        ("Қостанай қаласы", "г. Костанай", "Kostanay City"),
        ("Рудный қаласы", "г. Рудный", "Rudny City"),
        ("Қостанай ауданы", "Костанайский район", "Kostanay District"),
    )),
    RegionInfo("KZ-43", "kyzylorda", "Кызылординской области", "7242", 0.8, (
        ("Қызылорда қаласы", "г. Кызылорда", "Kyzylorda City"),
        ("Қазалы ауданы", "Казалинский район", "Kazaly District"),
        ("Шиелі ауданы", "Шиелийский район", "Shieli District"),
    )),
    RegionInfo("KZ-47", "mangystau", "Мангистауской области", "7292", 0.8, (
        ("Ақтау қаласы", "г. Актау", "Aktau City"),
        ("Жаңаөзен қаласы", "г. Жанаозен", "Zhanaozen City"),
        ("Мұнайлы ауданы", "Мунайлинский район", "Munaily District"),
    )),
    RegionInfo("KZ-55", "pavlodar", "Павлодарской области", "7182", 0.75, (
        ("Павлодар қаласы", "г. Павлодар", "Pavlodar City"),
        ("Екібастұз қаласы", "г. Экибастуз", "Ekibastuz City"),
    )),
    RegionInfo("KZ-59", "north_kazakhstan", "Северо-Казахстанской области", "7152", 0.5, (
        ("Петропавл қаласы", "г. Петропавловск", "Petropavl City"),
        ("Қызылжар ауданы", "Кызылжарский район", "Kyzylzhar District"),
    )),
    RegionInfo("KZ-61", "turkistan", "Туркестанской области", "72533", 2.1, (
        ("Түркістан қаласы", "г. Туркестан", "Turkistan City"),
        ("Сарыағаш ауданы", "Сарыагашский район", "Saryagash District"),
        ("Мақтаарал ауданы", "Мактааральский район", "Maktaaral District"),
        ("Сайрам ауданы", "Сайрамский район", "Sairam District"),
    )),
    RegionInfo("KZ-62", "ulytau", "Улытауской области", "7102", 0.2, (
        ("Жезқазған қаласы", "г. Жезказган", "Zhezkazgan City"),
        ("Сәтбаев қаласы", "г. Сатпаев", "Satbayev City"),
    )),
    RegionInfo("KZ-63", "east_kazakhstan", "Восточно-Казахстанской области", "7232", 0.7, (
        ("Өскемен қаласы", "г. Усть-Каменогорск", "Oskemen City"),
        ("Риддер қаласы", "г. Риддер", "Ridder City"),
        ("Глубокое ауданы", "Глубоковский район", "Glubokoye District"),
    )),
)  # fmt: skip


class OrgKind(NamedTuple):
    type_code: str  # a Term of vocabulary org_Type
    ministry: str
    names: tuple[
        str, str, str
    ]  # kk, ru, en; {kk}/{ru}/{en} name the region, {n} a number
    first_responder: bool
    provider: bool
    services: tuple[str, ...]
    accessibility: tuple[
        str, ...
    ]  # what this kind of place usually offers; each gets a random part
    capacity: tuple[int, int] | None  # shelter places
    staff: tuple[
        tuple[str, int], ...
    ]  # (platform role, head count); the first is the main role


ORG_KINDS: dict[str, OrgKind] = {
    "police": OrgKind(
        "LawEnforcement", "internal_affairs",
        ("{kk} Полиция департаменті", "Департамент полиции {ru}", "Police Department of {en}"),
        True, False, ("law_enforcement",), ("wheelchair", "interpreter"), None,
        (("police_investigator", 1),),
    ),
    "migration": OrgKind(
        "ImmigrationService", "internal_affairs",
        ("{kk} Полиция департаментінің көші-қон қызметі басқармасы",
         "Управление миграционной службы Департамента полиции {ru}", "Migration Service, Police Department of {en}"),
        True, False, ("law_enforcement",), ("interpreter",), None, (("police_investigator", 1),),
    ),
    "social_protection": OrgKind(
        "SocialProtection", "labour_social_protection",
        ("{kk} жұмыспен қамтуды үйлестіру және әлеуметтік бағдарламалар басқармасы",
         "Управление координации занятости и социальных программ {ru}",
         "Department of Employment and Social Programmes of {en}"),
        True, True, ("special_social_services", "psychological", "guardianship"),
        ("wheelchair", "sign_language", "easy_read"), None,
        (("caseworker", 2), ("supervisor", 1), ("regional_coordinator", 1)),
    ),
    "guardianship": OrgKind(
        "GuardianshipAuthority", "education",
        ("{kk} Білім басқармасының қорғаншылық және қамқоршылық бөлімі",
         "Отдел опеки и попечительства Управления образования {ru}",
         "Guardianship and Trusteeship Office, Education Department of {en}"),
        False, True, ("guardianship",), ("wheelchair",), None, (("caseworker", 1), ("supervisor", 1)),
    ),
    "akimat": OrgKind(
        "Akimat", "local_executive", ("{kk} әкімдігі", "Акимат {ru}", "Akimat of {en}"),
        False, False, (), ("wheelchair",), None, (),
    ),
    "school": OrgKind(
        "SchoolOrCollege", "education",
        ("{kk} № {n} мектеп-гимназиясы", "Школа-гимназия № {n} {ru}", "School-Gymnasium No. {n}, {en}"),
        True, False, ("education",), ("wheelchair", "easy_read"), None, (("screener", 1),),
    ),
    "special_school": OrgKind(
        "SchoolSpecial", "education",
        ("{kk} № {n} арнайы мектеп-интернаты", "Специальная школа-интернат № {n} {ru}",
         "Special Boarding School No. {n}, {en}"),
        True, True, ("education", "psychological"),
        ("wheelchair", "sign_language", "easy_read", "braille", "hearing_loop"), None, (("screener", 1),),
    ),
    "clinic": OrgKind(
        "HealthServiceOrganisation", "health",
        ("{kk} № {n} балалар ауруханасы", "Детская больница № {n} {ru}", "Children's Hospital No. {n}, {en}"),
        True, True, ("medical", "psychological"), ("wheelchair", "sign_language", "interpreter"), None,
        (("screener", 1),),
    ),
    "pmpk": OrgKind(
        "PMPK", "education",
        ("{kk} № {n} психологиялық-медициналық-педагогикалық консультациясы",
         "Психолого-медико-педагогическая консультация № {n} {ru}",
         "Psychological, Medical and Pedagogical Consultation No. {n}, {en}"),
        False, True, ("psychological", "education"), ("wheelchair", "sign_language", "easy_read", "braille"), None,
        (("screener", 1),),
    ),
    "shelter": OrgKind(
        "Shelter", "none",
        ("«{name_kk}» дағдарыс орталығы", "Кризисный центр «{name_ru}»", "{name_en} Crisis Centre"),
        False, True, ("shelter", "psychological", "legal_aid", "special_social_services"),
        ("wheelchair", "sign_language", "easy_read", "interpreter"), (12, 40),
        (("caseworker", 2), ("supervisor", 1)),
    ),
    "ngo": OrgKind(
        "NGO", "none",
        ("«{name_kk}» қоғамдық қоры", "Общественный фонд «{name_ru}»", "{name_en} Public Foundation"),
        True, True, ("psychological", "special_social_services", "education"), ("easy_read", "interpreter"), None,
        (("caseworker", 1), ("supervisor", 1)),
    ),
    "hotline": OrgKind(
        "Hotline", "none",
        ("Балалар мен жастарға арналған 150 сенім телефоны", "Телефон доверия 150 для детей и молодёжи",
         "Child and Youth Helpline 150"),
        True, False, ("hotline", "psychological"), ("sign_language", "interpreter"), None,
        (("caseworker", 2), ("supervisor", 1)),
    ),
    "legal_aid": OrgKind(
        "LegalService", "none",
        ("«Балаларға құқықтық көмек» қоғамдық бірлестігі", "Общественное объединение «Правовая помощь детям»",
         "Legal Aid for Children"),
        False, True, ("legal_aid",), ("wheelchair", "easy_read"), None, (("caseworker", 1), ("supervisor", 1)),
    ),
    "ministry": OrgKind(
        "CentralGovernmentOrganisation", "labour_social_protection",
        ("Қазақстан Республикасының Еңбек және халықты әлеуметтік қорғау министрлігі",
         "Министерство труда и социальной защиты населения Республики Казахстан",
         "Ministry of Labour and Social Protection of the Population"),
        False, False, (), ("wheelchair",), None,
        (("national_coordinator", 2), ("analyst", 2), ("editor", 2), ("trainer", 1), ("administrator", 1)),
    ),
    "prosecutor_general": OrgKind(
        "Prosecutor", "prosecutor_general",
        ("Қазақстан Республикасының Бас прокуратурасы", "Генеральная прокуратура Республики Казахстан",
         "General Prosecutor's Office of the Republic of Kazakhstan"),
        False, False, (), ("wheelchair",), None, (("prosecutor", 2), ("analyst", 1)),
    ),
    "prosecutor": OrgKind(
        "Prosecutor", "prosecutor_general", ("{kk} прокуратурасы", "Прокуратура {ru}", "Prosecutor's Office of {en}"),
        False, False, (), ("wheelchair",), None, (("prosecutor", 2),),
    ),
    "ombudsman": OrgKind(
        "Ombudsman", "ombudsman",
        ("Қазақстан Республикасындағы Бала құқықтары жөніндегі уәкілдің аппараты",
         "Аппарат Уполномоченного по правам ребёнка в Республике Казахстан",
         "Office of the Children's Rights Commissioner"),
        False, False, (), ("wheelchair", "easy_read", "sign_language"), None, (("ombudsman", 2),),
    ),
    "border": OrgKind(
        "BorderService", "national_security",
        ("ҰҚК Шекара қызметінің {kk_name} бойынша шекара басқармасы", "Пограничное управление ПС КНБ по {ru}",
         "Border Department of the NSC Border Service, {en}"),
        True, False, ("law_enforcement",), ("interpreter",), None, (("screener", 1),),
    ),
    "embassy": OrgKind(
        "Embassy", "foreign_affairs",
        ("Өзбекстан Республикасының Алматы қаласындағы Бас консулдығы",
         "Генеральное консульство Республики Узбекистан в г. Алматы",
         "Consulate General of the Republic of Uzbekistan in Almaty"),
        True, False, ("repatriation",), ("interpreter",), None, (),
    ),
    "labour_agency": OrgKind(
        "LabourMediationAgency", "none",
        ("«Жұмыс Плюс» кадр агенттігі ЖШС", "ТОО «Кадровое агентство «Жумыс Плюс»", "Zhumys Plus Recruitment LLP"),
        False, False, (), (), None, (),
    ),
    "tourism": OrgKind(
        "TourismOperator", "none",
        ("«Алтын Сапар» туроператоры ЖШС", "ТОО «Туроператор «Алтын Сапар»", "Altyn Sapar Tour Operator LLP"),
        False, False, (), (), None, (),
    ),
}  # fmt: skip


class Placement(NamedTuple):
    region: str
    kind: str
    headcount: int | None = None  # overrides the head count of the kind's main role
    extra: tuple[tuple[str, int], ...] = ()  # more staff, in other roles


ORGANISATIONS: tuple[Placement, ...] = (
    Placement("KZ-75", "social_protection", 3),
    Placement("KZ-75", "police", 2),
    Placement("KZ-75", "shelter", extra=(("trainer", 1),)),
    Placement("KZ-75", "ngo"),
    Placement("KZ-75", "guardianship"),
    Placement("KZ-75", "school"),
    Placement("KZ-75", "special_school", 2),
    Placement("KZ-75", "clinic", 2),
    Placement("KZ-75", "pmpk"),
    Placement("KZ-75", "akimat"),
    Placement("KZ-75", "prosecutor"),
    Placement("KZ-75", "migration"),
    Placement("KZ-75", "legal_aid"),
    Placement("KZ-75", "embassy"),
    Placement("KZ-75", "labour_agency"),
    Placement("KZ-71", "social_protection", 3),
    Placement("KZ-71", "police", 2),
    Placement("KZ-71", "shelter", extra=(("trainer", 1),)),
    Placement("KZ-71", "hotline"),
    Placement("KZ-71", "guardianship"),
    Placement("KZ-71", "school"),
    Placement("KZ-71", "special_school"),
    Placement("KZ-71", "clinic", 2),
    Placement("KZ-71", "pmpk"),
    Placement("KZ-71", "akimat"),
    Placement("KZ-71", "ministry"),
    Placement("KZ-71", "prosecutor_general"),
    Placement("KZ-71", "ombudsman"),
    Placement("KZ-71", "tourism"),
    Placement("KZ-79", "social_protection", 3),
    Placement("KZ-79", "police", 2),
    Placement("KZ-79", "shelter"),
    Placement("KZ-79", "guardianship"),
    Placement("KZ-79", "school"),
    Placement("KZ-79", "clinic"),
    Placement("KZ-79", "akimat"),
    *(Placement(r.code, "social_protection") for r in REGIONS[3:]),
    Placement("KZ-61", "police"),
    Placement("KZ-61", "border"),
    Placement("KZ-61", "ngo"),
    Placement("KZ-61", "clinic"),
    Placement("KZ-19", "police"),
    Placement("KZ-19", "school"),
    Placement("KZ-35", "police"),
    Placement("KZ-35", "clinic"),
    Placement("KZ-47", "police"),
    Placement("KZ-47", "shelter"),
    Placement("KZ-63", "police"),
    Placement("KZ-63", "school"),
)

# Made-up NGO names (kk, ru, en) for shelters and public foundations, used in turn.
NGO_NAMES: tuple[tuple[str, str, str], ...] = (
    ("Үміт", "Умит", "Umit"), ("Мейірім", "Мейирим", "Meyirim"), ("Шаңырақ", "Шанырак", "Shanyrak"),
    ("Жарық жол", "Жарык жол", "Zharyk Zhol"), ("Қамқор", "Камкор", "Kamkor"), ("Ақ ниет", "Ак ниет", "Ak Niyet"),
    ("Бәйтерек", "Байтерек", "Baiterek"), ("Сәуле", "Сауле", "Saule"),
)  # fmt: skip

# (Kazakh Cyrillic, Russian rendering): the Russian rendering folds Kazakh letters and softens
# front-vowel names with ь, so it is written out rather than derived.
KAZAKH_BOYS: tuple[tuple[str, str], ...] = (
    ("Әділ", "Адиль"), ("Әсет", "Асет"), ("Нұрсұлтан", "Нурсултан"), ("Ерлан", "Ерлан"), ("Данияр", "Данияр"),
    ("Арман", "Арман"), ("Ерасыл", "Ерасыл"), ("Темірлан", "Темирлан"), ("Алдияр", "Алдияр"),
    ("Нұрислам", "Нурислам"), ("Бекзат", "Бекзат"), ("Айбек", "Айбек"), ("Диас", "Диас"), ("Ислам", "Ислам"),
    ("Санжар", "Санжар"), ("Мирас", "Мирас"), ("Әлихан", "Алихан"), ("Ахмет", "Ахмет"), ("Дәулет", "Даулет"),
    ("Жандос", "Жандос"), ("Қуаныш", "Куаныш"), ("Ернұр", "Ернур"), ("Бауыржан", "Бауржан"), ("Рахат", "Рахат"),
    ("Тимур", "Тимур"), ("Ақжол", "Акжол"), ("Ғалым", "Галым"), ("Шыңғыс", "Чингиз"),
)  # fmt: skip
KAZAKH_GIRLS: tuple[tuple[str, str], ...] = (
    ("Іңкәр", "Инкар"), ("Жанар", "Жанар"), ("Айгерім", "Айгерим"), ("Аружан", "Аружан"), ("Әсел", "Асель"),
    ("Жансая", "Жансая"), ("Мөлдір", "Мольдир"), ("Ұлжан", "Улжан"), ("Үміт", "Умит"), ("Томирис", "Томирис"),
    ("Аяулым", "Аяулым"), ("Гүлназ", "Гульназ"), ("Назерке", "Назерке"), ("Ақбота", "Акбота"),
    ("Салтанат", "Салтанат"), ("Жұлдыз", "Жулдыз"), ("Балнұр", "Балнур"), ("Мадина", "Мадина"), ("Әмина", "Амина"),
    ("Ажар", "Ажар"), ("Зере", "Зере"), ("Айша", "Айша"), ("Дана", "Дана"), ("Нұрай", "Нурай"),
    ("Көркем", "Коркем"), ("Шұғыла", "Шугыла"),
)  # fmt: skip
KAZAKH_FATHERS: tuple[tuple[str, str], ...] = (
    ("Ғалымжан", "Галымжан"), ("Серік", "Серик"), ("Нұрлан", "Нурлан"), ("Ерлан", "Ерлан"), ("Бақыт", "Бахыт"),
    ("Асқар", "Аскар"), ("Мұрат", "Мурат"), ("Қайрат", "Кайрат"), ("Берік", "Берик"), ("Болат", "Болат"),
    ("Дәурен", "Даурен"), ("Ержан", "Ержан"), ("Нұрлыбай", "Нурлыбай"), ("Сәкен", "Сакен"), ("Талғат", "Талгат"),
    ("Жомарт", "Жомарт"), ("Өмірзақ", "Омирзак"), ("Мақсат", "Максат"), ("Ғани", "Гани"), ("Әділбек", "Адильбек"),
)  # fmt: skip
KAZAKH_WOMEN: tuple[tuple[str, str], ...] = (
    ("Гүлнар", "Гульнар"), ("Сәуле", "Сауле"), ("Айгүл", "Айгуль"), ("Жібек", "Жибек"), ("Роза", "Роза"),
    ("Динара", "Динара"), ("Ләззат", "Ляззат"), ("Гүлмира", "Гульмира"), ("Баян", "Баян"), ("Шолпан", "Шолпан"),
    ("Раушан", "Раушан"), ("Бибігүл", "Бибигуль"),
)  # fmt: skip
# Masculine forms; feminine ones add -а.
KAZAKH_SURNAMES: tuple[tuple[str, str], ...] = (
    ("Қайырбеков", "Кайырбеков"), ("Ахметов", "Ахметов"), ("Оспанов", "Оспанов"), ("Серікбаев", "Серикбаев"),
    ("Жақсылықов", "Жаксылыков"), ("Нұрланов", "Нурланов"), ("Төлеуов", "Толеуов"), ("Сейітов", "Сеитов"),
    ("Байжанов", "Байжанов"), ("Ермеков", "Ермеков"), ("Әбілов", "Абилов"), ("Мұқанов", "Муканов"),
    ("Бекмұхамбетов", "Бекмухамбетов"), ("Исаев", "Исаев"), ("Құрманов", "Курманов"), ("Садықов", "Садыков"),
    ("Әлиев", "Алиев"), ("Омаров", "Омаров"), ("Жұмабаев", "Жумабаев"), ("Ибраев", "Ибраев"),
    ("Қасымов", "Касымов"), ("Тоқтаров", "Токтаров"), ("Есенов", "Есенов"), ("Сәрсенбаев", "Сарсенбаев"),
    ("Ғабдуллин", "Габдуллин"), ("Шәріпов", "Шарипов"), ("Мұратов", "Муратов"), ("Қалиев", "Калиев"),
)  # fmt: skip

RUSSIAN_BOYS = ("Иван", "Дмитрий", "Артём", "Максим", "Александр", "Никита", "Кирилл", "Егор", "Михаил",
                "Даниил", "Андрей", "Илья", "Роман", "Денис")  # fmt: skip
RUSSIAN_GIRLS = ("Анастасия", "Мария", "Дарья", "Полина", "Виктория", "Алина", "Екатерина", "Софья", "Анна",
                 "Ксения", "Елизавета", "Вероника", "Юлия", "Ульяна")  # fmt: skip
# (father's name, patronymic of a son, patronymic of a daughter)
RUSSIAN_FATHERS: tuple[tuple[str, str, str], ...] = (
    ("Сергей", "Сергеевич", "Сергеевна"), ("Александр", "Александрович", "Александровна"),
    ("Андрей", "Андреевич", "Андреевна"), ("Николай", "Николаевич", "Николаевна"),
    ("Виктор", "Викторович", "Викторовна"), ("Олег", "Олегович", "Олеговна"), ("Игорь", "Игоревич", "Игоревна"),
    ("Юрий", "Юрьевич", "Юрьевна"), ("Михаил", "Михайлович", "Михайловна"),
    ("Владимир", "Владимирович", "Владимировна"), ("Павел", "Павлович", "Павловна"),
    ("Евгений", "Евгеньевич", "Евгеньевна"),
)  # fmt: skip
RUSSIAN_WOMEN = (
    "Елена",
    "Ольга",
    "Наталья",
    "Татьяна",
    "Светлана",
    "Ирина",
    "Людмила",
    "Оксана",
)
# Masculine forms; feminine ones add -а, except the invariable ones (-ко, Korean names).
RUSSIAN_SURNAMES = ("Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Морозов",
                    "Волков", "Щукин", "Козлов", "Лебедев", "Шевченко", "Бондаренко", "Ким", "Пак", "Цой")  # fmt: skip

# Children from neighbouring countries, as Kazakh police and border records write them.
UZBEK_BOYS = ("Азиз", "Шерзод", "Бехруз", "Жасур", "Фаррух", "Отабек")
UZBEK_GIRLS = ("Дилноза", "Мохинур", "Нигора", "Шахзода", "Гулноза", "Малика")
UZBEK_SURNAMES = ("Каримов", "Юсупов", "Рахимов", "Турсунов", "Назаров", "Холматов")

# Transliteration of Cyrillic, letter by letter, into the Latin systems of record_linkage.md.
ICAO_9303 = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o",
    "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "kh",
    "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "і": "i", "ь": "", "э": "e",
    "ю": "iu", "я": "ia",
}  # fmt: skip
KAZAKH_LATIN_2021 = {
    **ICAO_9303,
    "ә": "ä", "ғ": "ğ", "ж": "j", "қ": "q", "ң": "ñ", "ө": "ö", "ұ": "ū", "ү": "ü", "х": "h", "ш": "ş",
    "щ": "şş", "ъ": "", "ё": "io",
}  # fmt: skip
INFORMAL = {
    **ICAO_9303,
    "ж": "j", "х": "h", "й": "y", "ю": "yu", "я": "ya", "щ": "sh", "ъ": "", "ё": "yo",
}  # fmt: skip

STREETS: tuple[tuple[str, str], ...] = (
    ("Абай көшесі", "ул. Абая"), ("Достық даңғылы", "пр. Достык"), ("Төле би көшесі", "ул. Толе би"),
    ("Самал шағынауданы", "мкр. Самал"), ("Желтоқсан көшесі", "ул. Желтоксан"),
    ("Сейфуллин көшесі", "ул. Сейфуллина"), ("Бейбітшілік көшесі", "ул. Мира"), ("Ақсай шағынауданы", "мкр. Аксай"),
)  # fmt: skip

# Case notes by sensitivity tier (1 identity … 4 criminal intelligence), in Russian and Kazakh.
NOTES: dict[int, dict[str, tuple[str, ...]]] = {
    1: {
        "ru": ("Личность установлена по свидетельству о рождении.",
               "Документов при себе нет, возраст указан со слов ребёнка.",
               "Получена копия удостоверения личности матери."),
        "kk": ("Баланың туу туралы куәлігінің көшірмесі алынды.",
               "Құжаттары жоқ, жасы баланың айтуы бойынша көрсетілді."),
    },
    2: {
        "ru": ("Ребёнок рассказал, что его привезли в город на заработки на рынке.",
               "Беседа с классным руководителем: ребёнок часто пропускает занятия, говорит о работе по ночам.",
               "Семья согласилась на посещение социального работника на дому.",
               "Ребёнок размещён в кризисном центре, адаптация проходит спокойно.",
               "Проведена встреча с родителями, составлен план безопасности.",
               "Сигнал поступил на телефон доверия 150 от соседки."),
        "kk": ("Бала қалаға базарда жұмыс істеу үшін әкелінгенін айтты.",
               "Сынып жетекшісімен әңгіме: бала сабақты жиі босатады.",
               "Отбасы әлеуметтік қызметкердің үйге келуіне келісті.",
               "Бала дағдарыс орталығына орналастырылды."),
    },
    3: {
        "ru": ("Осмотр педиатра: признаки истощения, назначено лечение.",
               "Психолог отмечает выраженную тревожность, нужны еженедельные встречи.",
               "Ребёнок сообщил о насилии со стороны работодателя; назначено освидетельствование.",
               "Нужен сурдопереводчик на всех встречах с ребёнком."),
        "kk": ("Психологпен кездесу өтті, бала ұйқысыздыққа шағымданады.",
               "Дәрігер баланы тексерді, ем тағайындалды."),
    },
    4: {
        "ru": ("Возбуждено уголовное дело по ст. 135 УК РК, материалы у следователя.",
               "Установлен автомобиль, на котором перевозили детей; данные переданы в ДП.",
               "Предполагаемый вербовщик связывался с ребёнком через мессенджер."),
        "kk": ("Күдікті туралы мәліметтер тергеушіге берілді.",),
    },
}  # fmt: skip

# Why closed demo cases closed: a code of `reviews.models.ClosureReason` and its detail.
CLOSURE_REASONS: dict[str, tuple[tuple[str, str], ...]] = {
    "closed": (("reintegrated", "Ребёнок вернулся в семью, риск устранён."),
               ("goals_achieved", "Помощь оказана в полном объёме, ребёнок в безопасности."),
               ("reintegrated", "Бала отбасына оралды, қауіп жойылды.")),
    "closed_referred": (("transferred", "Дело передано в организацию по месту жительства ребёнка."),
                        ("transferred", "Іс баланың тұрғылықты жеріндегі ұйымға берілді.")),
    "closed_not_victim": (("not_a_victim", "Признаки торговли людьми не подтвердились."),
                          ("not_a_victim", "Адам саудасының белгілері расталмады.")),
}  # fmt: skip

SUPPORT_NEEDS: dict[str, tuple[str, ...]] = {
    "physical": ("Нужен пандус и сопровождение.", "Передвигается на коляске."),
    "visual": ("Материалы шрифтом Брайля или крупным шрифтом.",),
    "hearing": ("Нужен сурдопереводчик.", "Ымдау тілінің аудармашысы қажет."),
    "intellectual": ("Простые слова, материалы в лёгком чтении.",),
    "psychosocial": ("Встречи в спокойной обстановке, с психологом.",),
    "speech": ("Общается с помощью карточек (АДК).",),
    "multiple": ("Нужно сопровождение и помощь в общении.",),
}  # fmt: skip

OVERSIGHT_REASONS = ("Проверка законности по обращению законного представителя.",
                     "Надзор за расследованием по ст. 135 УК РК.", "Мониторинг соблюдения прав ребёнка.")  # fmt: skip
BREAK_GLASS_STORIES: dict[str, str] = {
    "immediate_danger": "Ребёнок позвонил ночью, сообщил об угрозе; нужен адрес и контакты семьи.",
    "missing_child": "Ребёнок ушёл из кризисного центра, ведём поиск вместе с полицией.",
    "emergency_care": "Срочная госпитализация, врачам нужны сведения о здоровье ребёнка.",
    "owner_unreachable": "Ведущий специалист в отпуске, а семья просит срочную консультацию.",
}  # fmt: skip
