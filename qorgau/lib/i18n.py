from django.utils.translation import get_language


def pick_label(obj: object, prefix: str = "label") -> str:
    """The kk, ru or en variant of a three-language label held as data, by the active language."""
    lang = (get_language() or "ru")[:2]
    if lang not in ("kk", "ru", "en"):
        lang = "ru"
    value = (
        getattr(obj, f"{prefix}_{lang}", "")
        or getattr(obj, f"{prefix}_ru", "")
        or getattr(obj, f"{prefix}_en", "")
    )
    return str(value)
