from django.test import SimpleTestCase

from qorgau.lib.names import name_tokens, patronymic_root, skeleton

SAME_NAME = [
    ("Жанар", "ZHANAR", "Janar", "Žanar", "Dzhanar"),
    ("Әділ", "Адиль", "Ädil", "ADIL"),
    ("Қайырбеков", "Кайырбеков", "Qaiyrbekov", "KAIYRBEKOV"),
    ("Іңкәр", "Инкар", "Iñkär", "INKAR"),
    ("Шаһар", "S'ahar", "Şahar", "Шахар"),
    ("Щукина", "SHCHUKINA", "Shchukina"),
    ("Ұлжан", "Улжан", "Ūljan", "ULZHAN"),
    ("Өмірзақ", "Омирзак", "Ömirzaq", "OMIRZAK"),
    ("Юлия", "IULIIA", "Yuliya"),
    ("Цой", "Tsoy", "TSOI"),
    ("Елена", "Yelena", "ELENA"),
]
DIFFERENT_NAMES = [
    ("Жанар", "Жанат"),
    ("Әділ", "Әділет"),
    ("Асель", "Асем"),
    ("Марат", "Мурат"),
]


class SkeletonTests(SimpleTestCase):
    def test_it_gives_every_spelling_of_a_name_one_skeleton(self) -> None:
        for spellings in SAME_NAME:
            with self.subTest(spellings=spellings):
                self.assertEqual(
                    {skeleton(s) for s in spellings}, {skeleton(spellings[0])}
                )

    def test_it_keeps_different_names_apart(self) -> None:
        for a, b in DIFFERENT_NAMES:
            with self.subTest(a=a, b=b):
                self.assertNotEqual(skeleton(a), skeleton(b))

    def test_it_lowers_the_turkic_dotted_capital_i_to_one_letter(self) -> None:
        self.assertEqual(skeleton("İnkar"), skeleton("Инкар"))

    def test_it_reduces_kazakh_and_russian_patronymics_to_the_fathers_name(
        self,
    ) -> None:
        roots = {
            patronymic_root(p)
            for p in ("Ғалымжанұлы", "Галымжанович", "Galymzhanuly", "Ğalymjanūly")
        }
        self.assertEqual(roots, {skeleton("Ғалымжан")})
        self.assertEqual(patronymic_root("Серікқызы"), skeleton("Серік"))

    def test_it_splits_double_and_hyphenated_names(self) -> None:
        self.assertEqual(
            name_tokens("Анна-Мария Ким Цой"), ["ana", "maria", "kim", "coi"]
        )
