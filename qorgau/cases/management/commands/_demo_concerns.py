"""Demo concern reports: what people write into the public form, through the services.

Most go to the national helpline (the demo's only hotline) or a region's coordinator; a few say
a child is in danger now, some come through the easy-read form, some get information added by
the reporter later, and the helpline has triaged or closed a few.
"""

from __future__ import annotations

import random

from qorgau.concerns import services
from qorgau.concerns.models import ConcernReport
from qorgau.reference.models import Region

# (language, easy read, who, danger now, what worries them, about the child, where, contact)
REPORTS = (
    ("ru", False, "adult", "no",
     "Каждый день после обеда девочка лет двенадцати продаёт пакеты у рынка до темноты. "
     "Взрослый мужчина забирает у неё деньги.", "Девочка, около 12 лет, в синей куртке",
     "Рынок у автовокзала", ""),
    ("kk", True, "child_self", "yes",
     "Мені басқа қалаға жұмысқа апарғысы келеді. Анам келісті. Мен барғым келмейді.",
     "", "Үйде", "8 777 000 11 22"),
    ("en", False, "professional", "unknown",
     "A pupil with a hearing impairment has missed school for three weeks; neighbours say "
     "he was seen working at a car wash on the highway.", "Boy, 14, deaf, uses sign language",
     "Car wash on the ring road", "School psychologist, phone at school"),
    ("ru", True, "child_other", "no",
     "Моей подруге в интернете обещают работу моделью за границей. Просят прислать фото.",
     "Подруга, 15 лет", "", ""),
    ("kk", False, "adult", "no",
     "Көршінің үйінде құжаттары жоқ үш жасөспірім тұрады, олар мектепке бармайды.",
     "Үш ұл, 13–16 жас", "Көршінің үйі", ""),
    ("ru", False, "adult", "yes",
     "Мальчика лет десяти держат в гараже и заставляют попрошайничать. Сейчас он там.",
     "Мальчик около 10 лет", "Гаражный кооператив за школой", "+7 705 123 45 67"),
    ("en", True, "child_self", "no",
     "A man online says he will pay me if I meet him. I am scared.", "", "", ""),
    ("ru", False, "professional", "no",
     "Девочка с нарушением интеллекта живёт у дальних родственников, на приёме у врача "
     "выглядела истощённой, родственники не дают ей говорить.", "Девочка, 13 лет",
     "Поликлиника", "Участковый педиатр"),
)  # fmt: skip


DEMO_REGION = "KZ-75"


def add_concern_reports(rng: random.Random) -> int:
    regions = list(Region.objects.all())
    # Most where the demo's logins work (Almaty), so that their inbox shows them; one from
    # elsewhere, and one whose sender did not know the region.
    where = [DEMO_REGION] * 6 + [rng.choice(regions).code, None]
    made = []
    for (language, easy, who, danger, concern, child, place, contact), code in zip(
        REPORTS, where, strict=True
    ):
        made.append(
            services.submit_report(
                region=next((r for r in regions if r.code == code), None),
                reporter=who,
                danger_now=danger,
                concern=concern,
                child_details=child,
                place=place,
                contact=contact,
                language=language,
                easy_read=easy,
            )
        )
    services.add_information(made[3], "Она уже отправила им фото паспорта.")
    _work_some(made)
    return len(made)


def _work_some(reports: list[ConcernReport]) -> None:
    """The inbox staff triage one report and close another."""
    for report in reports[4:6]:
        if report.organisation is None:
            continue
        staff = services.triage_staff(report.organisation)
        operator = next((u for u in staff if u.capability.screens), None)
        if operator is None:
            continue
        if report is reports[4]:
            services.close_report(
                report, by=operator, closure="passed_on",
                note="Передано участковому инспектору по делам несовершеннолетних.",
            )  # fmt: skip
        else:
            services.start_triage(report, by=operator)
