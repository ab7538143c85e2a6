"""The pictograms an instrument item may carry: the SVG files shipped with this app."""

from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "static" / "screening" / "pictograms"
PICTOGRAMS = frozenset(p.stem for p in FOLDER.glob("*.svg"))
