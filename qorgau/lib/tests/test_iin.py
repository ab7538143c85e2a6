from django.test import SimpleTestCase

from qorgau.lib.iin import iin_check_digit, iin_is_valid


class IinTests(SimpleTestCase):
    def test_it_accepts_the_published_test_vectors(self) -> None:
        self.assertIs(iin_is_valid("791028302728"), True)
        self.assertIs(iin_is_valid("061211600012"), True)

    def test_it_refuses_a_wrong_check_digit(self) -> None:
        self.assertIs(iin_is_valid("061211600013"), False)

    def test_it_refuses_wrong_length_and_non_digits(self) -> None:
        for value in (
            "",
            "06121160001",
            "0612116000123",
            "06121160001a",
            "٠٦١٢١١٦٠٠٠١٢",
        ):
            with self.subTest(value=value):
                self.assertIs(iin_is_valid(value), False)

    def test_it_computes_the_check_digit_with_the_second_weights_when_needed(
        self,
    ) -> None:
        for first in ("79102830272", "06121160001"):
            self.assertEqual(
                iin_check_digit(first),
                int(("791028302728" if first[0] == "7" else "061211600012")[-1]),
            )
