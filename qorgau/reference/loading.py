"""Loads reference data from the files under data/ (called by migrations and by tests)."""

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"
REGIONS_CSV = DATA_DIR / "regions.csv"
VOCABULARY_CSV = DATA_DIR / "htcds" / "vocabulary_labels.csv"


def load_regions(region_model: Any) -> int:
    with REGIONS_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        region_model.objects.update_or_create(
            code=row["iso_code"],
            defaults={
                "name_en": row["name_en"],
                "name_ru": row["name_ru"],
                "name_kk": row["name_kk"],
                "kind": row["type"],
            },
        )
    return len(rows)


def load_vocabularies(term_model: Any) -> int:
    with VOCABULARY_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    order: dict[str, int] = {}
    for row in rows:
        order[row["vocabulary"]] = order.get(row["vocabulary"], 0) + 1
        term_model.objects.update_or_create(
            vocabulary=row["vocabulary"],
            code=row["code"],
            defaults={
                "label_en": row["label_en"],
                "label_ru": row["label_ru"],
                "label_kk": row["label_kk"],
                "source": row["source"],
                "sort_order": order[row["vocabulary"]],
            },
        )
    return len(rows)


CALENDAR_CSV = DATA_DIR / "calendar_kz.csv"


def load_calendar(day_model: Any) -> int:
    with CALENDAR_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        day_model.objects.update_or_create(
            date=row["date"],
            defaults={
                "kind": row["kind"],
                "name_en": row["name_en"],
                "name_ru": row["name_ru"],
                "name_kk": row["name_kk"],
            },
        )
    return len(rows)
