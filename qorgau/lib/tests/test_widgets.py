from django import forms
from django.test import SimpleTestCase

from qorgau.lib.widgets import FastSelect

CHOICES = [
    ("", "Any"),
    ("a", "Alpha & <b>"),
    ("b", 'Quote "b"'),
    (3, "Three"),
    ("Group <g>", [("x", "X"), ("y", "Y & Z")]),
]


class ChoiceForm(forms.Form):
    pick = forms.ChoiceField(choices=CHOICES, required=True)


def rendered(widget: type[forms.Select], data: dict[str, str] | None) -> str:
    form = ChoiceForm(data)
    form.fields["pick"].widget = widget(choices=CHOICES)
    form.is_valid()
    html = str(form["pick"])
    return "".join(line.strip() for line in html.splitlines())


class FastSelectTests(SimpleTestCase):
    def test_it_renders_what_djangos_select_renders(self) -> None:
        for data in (
            None,
            {"pick": "a"},
            {"pick": "3"},
            {"pick": "y"},
            {"pick": "?"},
            {},
        ):
            with self.subTest(data=data):
                self.assertHTMLEqual(
                    rendered(FastSelect, data), rendered(forms.Select, data)
                )

    def test_it_escapes_labels_and_keeps_attribute_order(self) -> None:
        html = rendered(FastSelect, {"pick": "a"})
        self.assertIn("Alpha &amp; &lt;b&gt;", html)
        self.assertIn('<option value="a" selected>', html)
        self.assertTrue(html.startswith('<select name="pick" required'), html)
