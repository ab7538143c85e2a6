"""Scoring and skip logic, on the shipped instruments and on instruments drawn at random."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from django.test import SimpleTestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qorgau.screening import scoring
from qorgau.screening.definition import (
    DIMENSIONS,
    Definition,
    DefinitionError,
    Item,
)

FOLDER = Path(__file__).resolve().parent.parent / "instruments"
SHIPPED = {
    path.stem: Definition.parse(yaml.safe_load(path.read_text(encoding="utf-8")))
    for path in sorted(FOLDER.glob("*.yaml"))
}
TEXT = {"kk": "мәтін", "ru": "текст", "en": "text"}


def answer_for(item: Item, *, given: bool = False) -> st.SearchStrategy[Any]:
    """Any valid answer to an item, or (unless `given`) no answer."""
    codes = [o.code for o in item.options]
    by_type: dict[str, st.SearchStrategy[Any]] = {
        "yes_no": st.sampled_from(["yes", "no"]),
        "single": st.sampled_from(codes or ["x"]),
        "scale": st.sampled_from(codes or ["x"]),
        "multiple": st.lists(
            st.sampled_from([o.code for o in item.options if not o.exclusive] or ["x"]),
            unique=True,
            min_size=1 if given else 0,
        ),
        "number": st.integers(
            item.min if item.min is not None else -5,
            item.max if item.max is not None else 500,
        ),
        "date": st.dates().map(lambda d: d.isoformat()),
        "text": st.text(min_size=1, max_size=20).filter(str.strip),
    }
    return by_type[item.type] if given else st.none() | by_type[item.type]


@st.composite
def answers_to(draw: st.DrawFn, definition: Definition) -> dict[str, Any]:
    """Answers to any items, hidden or not, as a careless form could send them."""
    raw = {item.code: draw(answer_for(item)) for item in definition.all_items()}
    return {code: value for code, value in raw.items() if value is not None}


@st.composite
def answer_path(draw: st.DrawFn, definition: Definition) -> dict[str, Any]:
    """A screener's walk: each item shown by the answers so far is answered, in order."""
    answers: dict[str, Any] = {}
    for item in definition.all_items():
        if item in scoring.visible_items(definition, answers):
            answers[item.code] = draw(answer_for(item, given=True))
    return answers


shipped = st.sampled_from(sorted(SHIPPED.values(), key=lambda d: d.code))
RUNS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


class ShippedInstrumentTests(SimpleTestCase):
    def test_the_three_shipped_instruments_parse_and_cover_both_methods(self) -> None:
        self.assertEqual(len(SHIPPED), 3)
        self.assertEqual(
            {d.method for d in SHIPPED.values()}, {"weighted", "ilo_child"}
        )
        for definition in SHIPPED.values():
            for item in definition.all_items():
                for text in (item.text, item.easy_read):
                    self.assertTrue(text.kk and text.ru and text.en, item.code)

    @RUNS
    @given(data=st.data())
    def test_every_reachable_answer_path_is_complete_and_scores(
        self, data: Any
    ) -> None:
        definition = data.draw(shipped)
        answers = data.draw(answer_path(definition))
        cleaned, errors = scoring.clean(definition, answers, complete=True)
        self.assertEqual(errors, {})
        result = scoring.score(definition, cleaned)
        self.assertIn(result.band, ("negative", "positive", "immediate_danger"))
        self.assertGreaterEqual(result.score, 0)

    @RUNS
    @given(data=st.data())
    def test_no_hidden_item_is_ever_counted(self, data: Any) -> None:
        definition = data.draw(shipped)
        answers = data.draw(answers_to(definition))
        cleaned, _errors = scoring.clean(definition, answers, complete=False)
        shown = {i.code for i in scoring.visible_items(definition, cleaned)}
        self.assertLessEqual(set(cleaned), shown)
        self.assertEqual(
            scoring.score(definition, answers), scoring.score(definition, cleaned)
        )
        result = scoring.score(definition, answers)
        for endorsed in (*result.endorsed, *result.danger):
            self.assertIn(endorsed.split(":")[0], shown)

    @RUNS
    @given(data=st.data())
    def test_an_answer_to_a_hidden_item_changes_nothing(self, data: Any) -> None:
        definition = data.draw(shipped)
        answers, _errors = scoring.clean(
            definition, data.draw(answers_to(definition)), complete=False
        )
        shown = {i.code for i in scoring.visible_items(definition, answers)}
        hidden = [i for i in definition.all_items() if i.code not in shown]
        if not hidden:
            return
        item = data.draw(st.sampled_from(hidden))
        value = data.draw(answer_for(item, given=True))
        changed = {**answers, item.code: value}
        self.assertEqual(
            scoring.score(definition, changed), scoring.score(definition, answers)
        )
        self.assertEqual(scoring.clean(definition, changed, complete=False)[0], answers)

    def test_a_yes_to_an_immediate_danger_item_gives_that_band_whatever_else(
        self,
    ) -> None:
        definition = SHIPPED["school-vulnerability-v1"]
        danger = next(i for i in definition.all_items() if i.immediate_danger)
        result = scoring.score(definition, {danger.code: "yes"})
        self.assertEqual(result.band, "immediate_danger")
        self.assertEqual(result.danger, (danger.code,))


class IloRuleTests(SimpleTestCase):
    def test_a_dimension_is_met_exactly_by_the_ilo_combinations(self) -> None:
        for strong in range(4):
            for medium in range(5):
                for weak in range(4):
                    count = Counter(strong=strong, medium=medium, weak=weak)
                    expected = (
                        strong >= 2
                        or (strong == 1 and medium + weak >= 1)
                        or medium >= 3
                        or (medium == 2 and weak >= 1)
                    )
                    with self.subTest(strong=strong, medium=medium, weak=weak):
                        self.assertEqual(scoring.dimension_met(count), expected)

    def test_a_child_is_positive_with_recruitment_and_exploitation_without_coercion(
        self,
    ) -> None:
        definition = Definition.parse(instrument([
            indicator("r1", "deceptive_recruitment", "strong"),
            indicator("r2", "deceptive_recruitment", "weak"),
            indicator("e1", "exploitative_conditions", "medium"),
            indicator("e2", "exploitative_conditions", "medium"),
            indicator("e3", "exploitative_conditions", "weak"),
            indicator("c1", "coercion_at_destination", "strong"),
        ], method="ilo_child"))  # fmt: skip
        yes = dict.fromkeys(("r1", "r2", "e1", "e2", "e3"), "yes")
        result = scoring.score(definition, yes)
        self.assertEqual(result.band, "positive")
        self.assertEqual(
            result.dimensions_met, ("deceptive_recruitment", "exploitative_conditions")
        )
        self.assertEqual(
            scoring.score(definition, {**yes, "e3": "no"}).band, "negative"
        )
        only_recruitment = {"r1": "yes", "r2": "yes", "c1": "yes"}
        self.assertEqual(scoring.score(definition, only_recruitment).band, "negative")


# Instruments drawn at random: the properties hold for any file an editor could write.


def indicator(code: str, dimension: str, strength: str) -> dict[str, Any]:
    return {"code": code, "type": "yes_no", "text": TEXT, "easy_read": TEXT,
            "indicator": {"dimension": dimension, "strength": strength}}  # fmt: skip


def instrument(items: list[dict[str, Any]], method: str = "weighted") -> dict[str, Any]:
    positive: dict[str, Any] = {"action": TEXT}
    if method == "weighted":
        positive["min_score"] = 2
    return {
        "code": "drawn", "version": 1, "title": TEXT, "description": TEXT,
        "scoring": {"method": method, "bands": {
            "negative": {"action": TEXT}, "positive": positive,
            "immediate_danger": {"action": TEXT}}},
        "sections": [{"code": "one", "title": TEXT, "items": items}],
    }  # fmt: skip


@st.composite
def drawn_instruments(draw: st.DrawFn) -> Definition:
    method = draw(st.sampled_from(["weighted", "ilo_child"]))
    items: list[dict[str, Any]] = []
    for n in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["yes_no", "single", "multiple", "number"]))
        item: dict[str, Any] = {
            "code": f"i{n}",
            "type": kind,
            "text": TEXT,
            "easy_read": TEXT,
        }
        if kind == "yes_no":
            if method == "weighted":
                item["weight"] = draw(st.integers(0, 3))
            else:
                item["indicator"] = {"dimension": draw(st.sampled_from(DIMENSIONS)),
                                     "strength": draw(st.sampled_from(["strong", "medium", "weak"]))}  # fmt: skip
            item["immediate_danger"] = n % 4 == 3 and draw(st.booleans())
        elif kind in ("single", "multiple"):
            item["options"] = [
                {"code": f"o{k}", "text": TEXT, "easy_read": TEXT,
                 "weight": draw(st.integers(0, 2)) if method == "weighted" else 0}
                for k in range(draw(st.integers(2, 4)))
            ]  # fmt: skip
        else:
            item["min"], item["max"] = 0, 20
        earlier = [i for i in items if i["type"] in ("yes_no", "number", "multiple")]
        conditional: bool = draw(st.booleans())
        if earlier and conditional:
            target = draw(st.sampled_from(earlier))
            item["show_if"] = {
                "yes_no": {"item": target["code"], "equals": "yes"},
                "number": {"item": target["code"], "at_least": 5},
                "multiple": {"item": target["code"], "includes": "o0"},
            }[target["type"]]
            negated: bool = draw(st.booleans())
            if negated:
                item["show_if"] = {"not": item["show_if"]}
        items.append(item)
    return Definition.parse(instrument(items, method))


class DrawnInstrumentTests(SimpleTestCase):
    @RUNS
    @given(data=st.data())
    def test_any_instrument_scores_only_what_is_shown(self, data: Any) -> None:
        definition = data.draw(drawn_instruments())
        answers = data.draw(answers_to(definition))
        cleaned, _errors = scoring.clean(definition, answers, complete=False)
        self.assertEqual(
            scoring.score(definition, answers), scoring.score(definition, cleaned)
        )
        path = data.draw(answer_path(definition))
        self.assertEqual(scoring.clean(definition, path, complete=True)[1], {})

    @RUNS
    @given(
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=5),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(
                    st.sampled_from(
                        [
                            "code",
                            "version",
                            "sections",
                            "items",
                            "type",
                            "show_if",
                            "item",
                            "equals",
                            "scoring",
                            "bands",
                            "title",
                            "kk",
                            "ru",
                            "en",
                        ]
                    ),
                    inner,
                    max_size=4,
                )
            ),
            max_leaves=12,
        )  # fmt: skip
    )
    def test_a_malformed_file_is_refused_with_problems_never_a_crash(
        self, data: Any
    ) -> None:
        try:
            Definition.parse(data)
        except DefinitionError as exc:
            self.assertTrue(exc.problems)
