"""Name skeletons: one key for the spellings of a name across Kazakh, Russian and Latin systems.

Жанар, ZHANAR, Janar, Žanar and Dzhanar all reach "janar"; Әділ, Адиль and Ädil reach "adil".
Cyrillic is folded to Russian letters and then to one Latin string per letter; Latin input has
Kazakh-Latin (2017, 2018, 2021), ICAO and ISO 9 marks removed; digraphs and doubled letters are
merged last (docs: record_linkage.md).
"""

import re
import unicodedata

KAZAKH_TO_RUSSIAN = str.maketrans("әғқңөұүһі", "агкноуухи")

CYRILLIC_TO_LATIN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "j",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "c",
    "ч": "ch",
    "ш": "sh",
    "щ": "sh",
    "ъ": "",
    "ы": "i",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}

LATIN_MARKS = {
    "ä": "a",
    "á": "a",
    "ǵ": "g",
    "ğ": "g",
    "ı": "i",
    "ñ": "n",
    "ń": "n",
    "ö": "o",
    "ó": "o",
    "ş": "sh",
    "š": "sh",
    "ŝ": "sh",
    "ç": "ch",
    "č": "ch",
    "ĉ": "ch",
    "ū": "u",
    "ü": "u",
    "ú": "u",
    "ý": "i",
    "ž": "j",
    "ë": "e",
    "é": "e",
    "è": "e",
    "ʹ": "",
    "ʺ": "",
}

# The 2017 Kazakh Latin alphabet wrote Ш, Ч and Ғ with an apostrophe: S'ahar, C'ingis, G'alym.
APOSTROPHE_LETTERS = (
    ("s'", "sh"),
    ("c'", "ch"),
    ("g'", "g"),
    ("n'", "n"),
    ("a'", "a"),
    ("o'", "o"),
    ("u'", "u"),
)

DIGRAPHS = (
    ("shch", "sh"),
    ("sch", "sh"),
    ("dzh", "j"),
    ("zh", "j"),
    ("dj", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("tsh", "ch"),
    ("ts", "c"),
    ("tc", "c"),
    ("ye", "e"),
    ("yo", "e"),
    ("q", "k"),
    ("x", "ks"),
    ("w", "v"),
    ("y", "i"),
    ("ng", "n"),
)

PATRONYMIC_SUFFIXES = ("ovich", "evich", "ovna", "evna", "ichna", "ich", "uli", "kizi")

APOSTROPHES = "'’ʼ`´"


def _lower(text: str) -> str:
    # Turkic dotted capital İ lowers to two code points in Python; treat it as a plain i.
    return (
        unicodedata.normalize("NFC", text).replace("İ", "i").replace("I", "i").lower()
    )


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def skeleton(word: str) -> str:
    """The matching key of one name token."""
    return _collapse(_latin(word))


def _collapse(text: str) -> str:
    return re.sub(r"(.)\1+", r"\1", text)


def _latin(word: str) -> str:
    text = _lower(word)
    for apostrophe in APOSTROPHES:
        text = text.replace(apostrophe, "'")
    out = []
    for ch in text.translate(KAZAKH_TO_RUSSIAN):
        if _is_cyrillic(ch):
            out.append(CYRILLIC_TO_LATIN.get(ch, ""))
        else:
            out.append(ch)
    text = "".join(out)
    for pair, letter in APOSTROPHE_LETTERS:
        text = text.replace(pair, letter)
    text = "".join(LATIN_MARKS.get(ch, ch) for ch in text)
    text = "".join(
        ch
        for ch in unicodedata.normalize("NFKD", text)
        if not unicodedata.combining(ch)
    )
    text = re.sub(r"[^a-z]", "", text)
    for digraph, letter in DIGRAPHS:
        text = text.replace(digraph, letter)
    return text


def name_tokens(text: str) -> list[str]:
    """Skeletons of every part of a name: double surnames and hyphenated names give several tokens."""
    parts = re.split(r"[\s\-‐–,.]+", text)
    return [s for s in (skeleton(p) for p in parts) if s]


def patronymic_root(text: str) -> str:
    """Reduces Ғалымжанұлы, Галымжанович and Galymzhanuly to the father's name."""
    key = _latin(text)
    for suffix in PATRONYMIC_SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= 2:
            return _collapse(key[: -len(suffix)])
    return _collapse(key)
