"""A screening instrument as data: parsed and checked from its file (FORMAT.md), never from code.

Pure Python, no database: `Definition.parse` turns the mapping read from an instrument file into
frozen objects, or raises `DefinitionError` with every problem found, each naming where it is.
Skip logic and scoring are in `scoring.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

LANGUAGES = ("kk", "ru", "en")
CODE = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
ITEM_TYPES = ("yes_no", "scale", "single", "multiple", "number", "date", "text")
CHOICE_TYPES = ("scale", "single", "multiple")
METHODS = ("weighted", "ilo_child")
BANDS = ("negative", "positive", "immediate_danger")
SETTINGS = (
    "school",
    "clinic",
    "social_services",
    "police",
    "hotline",
    "shelter",
    "ngo",
)
STRENGTHS = ("strong", "medium", "weak")
RECRUITMENT = (
    "deceptive_recruitment",
    "coercive_recruitment",
    "recruitment_abuse_of_vulnerability",
)
EXPLOITATION = ("exploitative_conditions",)
DIMENSIONS = (
    *RECRUITMENT,
    *EXPLOITATION,
    "coercion_at_destination",
    "abuse_of_vulnerability_at_destination",
)
YES, NO = "yes", "no"


class DefinitionError(ValueError):
    """Everything wrong with an instrument file, one message per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Text:
    """One text in the three languages; str() gives the active language's."""

    kk: str
    ru: str
    en: str

    def __str__(self) -> str:
        return self.get(get_language() or "ru")

    def get(self, language: str) -> str:
        return str(getattr(self, language[:2], "") or self.ru)


@dataclass(frozen=True)
class Condition:
    """A show_if: one test of an earlier item's answer, or any / all / not of conditions."""

    op: str  # equals, in, includes, at_least, any, all, not
    item: str = ""
    value: Any = None
    parts: tuple[Condition, ...] = ()

    def holds(self, answers: dict[str, Any]) -> bool:
        """Against the answers of visible items only: an unanswered item meets no test."""
        if self.op == "any":
            return any(p.holds(answers) for p in self.parts)
        if self.op == "all":
            return all(p.holds(answers) for p in self.parts)
        if self.op == "not":
            return not self.parts[0].holds(answers)
        answer = answers.get(self.item)
        if answer is None:
            return False
        if self.op == "equals":
            return bool(answer == self.value)
        if self.op == "in":
            return answer in self.value
        if self.op == "includes":
            return isinstance(answer, list) and self.value in answer
        return isinstance(answer, int) and answer >= self.value  # at_least

    def items(self) -> set[str]:
        """The items this condition reads."""
        if self.parts:
            return set().union(*(p.items() for p in self.parts))
        return {self.item}


@dataclass(frozen=True)
class Option:
    code: str
    text: Text
    easy_read: Text
    weight: int = 0
    immediate_danger: bool = False
    exclusive: bool = False  # "none of these": chosen alone


@dataclass(frozen=True)
class Indicator:
    dimension: str
    strength: str


@dataclass(frozen=True)
class Item:
    code: str
    type: str
    text: Text
    easy_read: Text
    help: Text | None = None
    pictogram: str = ""
    required: bool = True
    weight: int = 0
    immediate_danger: bool = False
    indicator: Indicator | None = None
    options: tuple[Option, ...] = ()
    min: int | None = None
    max: int | None = None
    show_if: Condition | None = None

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)


@dataclass(frozen=True)
class Section:
    code: str
    title: Text
    items: tuple[Item, ...]
    help: Text | None = None
    show_if: Condition | None = None


@dataclass(frozen=True)
class Band:
    code: str
    action: Text
    min_score: int | None = None


@dataclass(frozen=True)
class Definition:
    code: str
    version: int
    title: Text
    description: Text
    method: str
    bands: tuple[Band, ...]
    sections: tuple[Section, ...]
    sources: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    administered_by: tuple[str, ...] = ()
    about_the_child: bool = True
    items_by_code: dict[str, Item] = field(default_factory=dict, compare=False)

    @classmethod
    def parse(cls, data: Any) -> Definition:
        return _Parser().definition(data)

    def item(self, code: str) -> Item:
        return self.items_by_code[code]

    def band(self, code: str) -> Band:
        return next(b for b in self.bands if b.code == code)

    def all_items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]


class _Parser:
    """Reads a mapping into a Definition, collecting every problem instead of stopping."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.seen: dict[str, Item] = {}
        self.sections: set[str] = set()

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def definition(self, data: Any) -> Definition:
        if not isinstance(data, dict):
            raise DefinitionError([_("An instrument file holds a mapping.")])
        code = self.code(data.get("code"), "code")
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            self.fail("version", _("a whole number from 1"))
            version = 1
        raw_scoring = data.get("scoring")
        scoring: dict[str, Any] = raw_scoring if isinstance(raw_scoring, dict) else {}
        self.mapping(raw_scoring, "scoring")
        method = scoring.get("method")
        if method not in METHODS:
            self.fail("scoring.method", _("one of: %s") % ", ".join(METHODS))
        sections = tuple(
            self.section(s, f"sections[{n}]", method)
            for n, s in enumerate(self.listed(data.get("sections"), "sections"))
        )
        if not sections:
            self.fail("sections", _("at least one section"))
        bands = self.bands(scoring, method)
        settings = self.choices(data.get("settings", []), "settings", SETTINGS)
        result = Definition(
            code=code,
            version=version,
            title=self.text(data.get("title"), "title"),
            description=self.text(data.get("description"), "description"),
            method=str(method),
            bands=bands,
            sections=sections,
            sources=tuple(
                str(s) for s in self.listed(data.get("sources", []), "sources")
            ),
            settings=settings,
            administered_by=tuple(
                str(r)
                for r in self.listed(data.get("administered_by", []), "administered_by")
            ),
            about_the_child=bool(data.get("about_the_child", True)),
            items_by_code=dict(self.seen),
        )
        if self.problems:
            raise DefinitionError(self.problems)
        return result

    # Pieces

    def mapping(self, value: Any, where: str) -> bool:
        if not isinstance(value, dict):
            self.fail(where, _("a mapping"))
            return False
        return True

    def listed(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(where, _("a list"))
            return []
        return value

    def code(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not CODE.match(value):
            self.fail(where, _("a code of lowercase letters, digits, - and _"))
            return "invalid"
        return value

    def text(self, value: Any, where: str, *, optional: bool = False) -> Text:
        if value is None and optional:
            return Text("", "", "")
        if not isinstance(value, dict):
            self.fail(where, _("a text in kk, ru and en"))
            return Text("", "", "")
        missing = [lang for lang in LANGUAGES if not str(value.get(lang) or "").strip()]
        if missing:
            self.fail(where, _("missing in %s") % ", ".join(missing))
        return Text(*(str(value.get(lang) or "").strip() for lang in LANGUAGES))

    def choices(
        self, value: Any, where: str, allowed: tuple[str, ...]
    ) -> tuple[str, ...]:
        chosen = [str(v) for v in self.listed(value, where)]
        for v in chosen:
            if v not in allowed:
                self.fail(where, _("“%(value)s” is not one of: %(allowed)s")
                          % {"value": v, "allowed": ", ".join(allowed)})  # fmt: skip
        return tuple(chosen)

    def whole(self, value: Any, where: str, default: int | None = 0) -> int | None:
        if value is None:
            return default
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(where, _("a whole number"))
            return default
        return value

    def flag(self, value: Any, where: str, default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(where, _("true or false"))
            return default
        return value

    def bands(self, scoring: dict[str, Any], method: Any) -> tuple[Band, ...]:
        raw = scoring.get("bands")
        if not isinstance(raw, dict) or list(raw) != list(BANDS):
            self.fail(
                "scoring.bands", _("the bands %s, in this order") % ", ".join(BANDS)
            )
            return ()
        bands = []
        for code in BANDS:
            spec = raw[code] if isinstance(raw[code], dict) else {}
            where = f"scoring.bands.{code}"
            min_score = self.whole(spec.get("min_score"), f"{where}.min_score", None)
            if code == "positive" and method == "weighted" and (min_score or 0) < 1:
                self.fail(where, _("min_score from 1 for the weighted method"))
            bands.append(
                Band(code, self.text(spec.get("action"), f"{where}.action"), min_score)
            )
        return tuple(bands)

    def section(self, data: Any, where: str, method: Any) -> Section:
        if not self.mapping(data, where):
            return Section("invalid", Text("", "", ""), ())
        code = self.code(data.get("code"), f"{where}.code")
        if code in self.sections:
            self.fail(f"{where}.code", _("“%s” is used twice") % code)
        self.sections.add(code)
        show_if = self.condition(data.get("show_if"), f"{where}.show_if")
        items = tuple(
            self.item(i, f"{where}.items[{n}]", method)
            for n, i in enumerate(self.listed(data.get("items"), f"{where}.items"))
        )
        if not items:
            self.fail(f"{where}.items", _("at least one item"))
        help_text = self.text(data.get("help"), f"{where}.help", optional=True)
        return Section(
            code=code,
            title=self.text(data.get("title"), f"{where}.title"),
            help=help_text if help_text.en else None,
            show_if=show_if,
            items=items,
        )

    def item(self, data: Any, where: str, method: Any) -> Item:
        if not self.mapping(data, where):
            return Item("invalid", "text", Text("", "", ""), Text("", "", ""))
        code = self.code(data.get("code"), f"{where}.code")
        kind = data.get("type")
        if kind not in ITEM_TYPES:
            self.fail(f"{where}.type", _("one of: %s") % ", ".join(ITEM_TYPES))
            kind = "text"
        show_if = self.condition(data.get("show_if"), f"{where}.show_if")
        options = self.options(data.get("options"), f"{where}.options", kind)
        indicator = self.indicator(data.get("indicator"), f"{where}.indicator", kind)
        if method == "ilo_child" and data.get("weight"):
            self.fail(
                f"{where}.weight",
                _("the ilo_child method counts indicators, not weights"),
            )
        if data.get("weight") and kind != "yes_no":
            self.fail(
                f"{where}.weight",
                _("only yes/no items carry a weight; options carry theirs"),
            )
        if data.get("immediate_danger") and kind != "yes_no":
            self.fail(
                f"{where}.immediate_danger",
                _("only for yes/no items; options carry their own"),
            )
        help_text = self.text(data.get("help"), f"{where}.help", optional=True)
        item = Item(
            code=code,
            type=kind,
            text=self.text(data.get("text"), f"{where}.text"),
            easy_read=self.text(data.get("easy_read"), f"{where}.easy_read"),
            help=help_text if help_text.en else None,
            pictogram=self.pictogram(data.get("pictogram"), f"{where}.pictogram"),
            required=self.flag(
                data.get("required"), f"{where}.required", kind != "text"
            ),
            weight=self.whole(data.get("weight"), f"{where}.weight") or 0,
            immediate_danger=self.flag(
                data.get("immediate_danger"), f"{where}.immediate_danger", False
            ),
            indicator=indicator,
            options=options,
            min=self.whole(data.get("min"), f"{where}.min", None),
            max=self.whole(data.get("max"), f"{where}.max", None),
            show_if=show_if,
        )
        if item.min is not None and item.max is not None and item.min > item.max:
            self.fail(where, _("min is above max"))
        if code in self.seen:
            self.fail(f"{where}.code", _("“%s” is used twice") % code)
        self.seen[code] = item
        return item

    def pictogram(self, value: Any, where: str) -> str:
        if value is None:
            return ""
        from qorgau.screening.pictograms import PICTOGRAMS

        if value not in PICTOGRAMS:
            self.fail(where, _("no pictogram is called “%s”") % value)
            return ""
        return str(value)

    def options(self, value: Any, where: str, kind: str) -> tuple[Option, ...]:
        if kind not in CHOICE_TYPES:
            if value is not None:
                self.fail(where, _("only choice and scale items have options"))
            return ()
        raw = self.listed(value, where)
        if len(raw) < 2:
            self.fail(where, _("at least two options"))
        options, codes = [], set()
        for n, spec in enumerate(raw):
            at = f"{where}[{n}]"
            if not self.mapping(spec, at):
                continue
            code = self.code(spec.get("code"), f"{at}.code")
            if code in codes:
                self.fail(f"{at}.code", _("“%s” is used twice") % code)
            codes.add(code)
            exclusive = self.flag(spec.get("exclusive"), f"{at}.exclusive", False)
            if exclusive and kind != "multiple":
                self.fail(
                    f"{at}.exclusive",
                    _("only options of a multiple choice are exclusive"),
                )
            options.append(
                Option(
                    code=code,
                    text=self.text(spec.get("text"), f"{at}.text"),
                    easy_read=self.text(spec.get("easy_read"), f"{at}.easy_read"),
                    weight=self.whole(spec.get("weight"), f"{at}.weight") or 0,
                    immediate_danger=self.flag(
                        spec.get("immediate_danger"), f"{at}.immediate_danger", False
                    ),
                    exclusive=exclusive,
                )
            )
        return tuple(options)

    def indicator(self, value: Any, where: str, kind: str) -> Indicator | None:
        if value is None:
            return None
        if kind != "yes_no" or not self.mapping(value, where):
            self.fail(where, _("only yes/no items count as indicators"))
            return None
        dimension, strength = value.get("dimension"), value.get("strength")
        if dimension not in DIMENSIONS:
            self.fail(f"{where}.dimension", _("one of: %s") % ", ".join(DIMENSIONS))
        if strength not in STRENGTHS:
            self.fail(f"{where}.strength", _("one of: %s") % ", ".join(STRENGTHS))
        return Indicator(str(dimension), str(strength))

    def condition(self, value: Any, where: str) -> Condition | None:
        """A condition reads only items already seen: those before it in the file."""
        if value is None:
            return None
        if not isinstance(value, dict) or len(value) not in (1, 2):
            self.fail(where, _('a condition such as {item: code, equals: "yes"}'))
            return None
        for op in ("any", "all"):
            if op in value:
                parts = [
                    self.condition(p, f"{where}.{op}[{n}]")
                    for n, p in enumerate(self.listed(value[op], f"{where}.{op}"))
                ]
                if not parts:
                    self.fail(where, _("at least one condition"))
                return Condition(op, parts=tuple(p for p in parts if p))
        if "not" in value:
            inner = self.condition(value["not"], f"{where}.not")
            return Condition("not", parts=(inner,)) if inner else None
        code = value.get("item")
        ops = [op for op in ("equals", "in", "includes", "at_least") if op in value]
        if len(ops) != 1:
            self.fail(where, _("one test: equals, in, includes or at_least"))
            return None
        op, expected = ops[0], value[ops[0]]
        target = self.seen.get(code) if isinstance(code, str) else None
        if target is None:
            self.fail(where, _("“%s” is not an item before this one") % code)
            return None
        self.check_test(target, op, expected, where)
        if op == "in":
            expected = tuple(expected) if isinstance(expected, list) else ()
        return Condition(op, item=str(code), value=expected)

    def check_test(self, target: Item, op: str, expected: Any, where: str) -> None:
        codes = {o.code for o in target.options}
        valid = {
            "equals": (target.type == "yes_no" and expected in (YES, NO))
            or (target.type in ("single", "scale") and expected in codes),
            "in": target.type in ("single", "scale")
            and isinstance(expected, list)
            and bool(expected)
            and set(expected) <= codes,
            "includes": target.type == "multiple" and expected in codes,
            "at_least": target.type == "number"
            and isinstance(expected, int)
            and not isinstance(expected, bool),
        }[op]
        if not valid:
            self.fail(where, _("“%(op)s” cannot test the %(type)s item “%(item)s” that way")
                      % {"op": op, "type": target.type, "item": target.code})  # fmt: skip
