from django.urls import reverse

from qorgau.test import BaseTestCase


class PagesRenderTests(BaseTestCase):
    def test_it_renders_every_page_of_a_case_for_its_owner(self) -> None:
        self.login(self.alice)
        n = self.alice_case.number
        for name, args in [
            ("home", []),
            ("list", []),
            ("create", []),
            ("detail", [n]),
            ("edit", [n]),
            ("child_edit", [n]),
            ("person_link", [n]),
            ("access_log", [n]),
            ("oversight", [n]),
            ("break_glass", []),
            ("help", []),
        ]:
            response = self.client.get(reverse(f"cases:{name}", args=args))
            self.assertEqual(response.status_code, 200, name)
