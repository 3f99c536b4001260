"""The room's workshop guides (docs/raum-leitfaden.md, docs/room-guide.md) say what the
room does: every label they quote is on the pages, and the sizes of the differences they
promise come out of the model (recomputed here, rounded as the guides write them)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from sim.files.scenario import builtin_names, load
from sim.i18n import TEXT
from sim.indicators import INDICATORS
from sim.room.room import Room

DOCS = Path(__file__).resolve().parent.parent / "docs"
GUIDES = {"de": DOCS / "raum-leitfaden.md", "en": DOCS / "room-guide.md"}
QUOTES = {"de": r"„([^“]+)“", "en": r'"([^"]+)"'}
PLAYERS, MONTHS, SEEDS = 20, 12, range(6)


def _labels(lang: str) -> list[str]:
    k = 1 if lang == "de" else 0
    return [
        TEXT["switch_language"][1],  # "English": the German page's button to English
        *(pair[k] for pair in TEXT.values()),
        *(load(name).title(lang) for name in builtin_names()),
        *(spec.label(lang) for spec in INDICATORS.values()),
    ]


def _said(quote: str) -> bool:
    """What the trainer says aloud (a sentence or a question), not a label to find."""
    return quote.rstrip().endswith((".", "?", "!", "…")) or len(quote) > 80


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_label_the_guide_quotes_is_on_the_pages(lang):
    labels = _labels(lang)
    text = GUIDES[lang].read_text()
    quoted = [" ".join(q.split()) for q in re.findall(QUOTES[lang], text) if not _said(q)]
    assert len(quoted) >= 15
    missing = [q for q in quoted if not any(q in label for label in labels)]
    assert missing == []


def _gap(share: float, attend: bool) -> float:
    """Effectiveness of the room minus the model alone after MONTHS, all PLAYERS giving
    ``share`` of their free hours, mean over SEEDS."""
    gaps = []
    for seed in SEEDS:
        room = Room("GUID", "default", seed)
        tokens = [room.join(f"P{k}") for k in range(PLAYERS)]
        for token, member in zip(tokens, room.free_roles(), strict=False):
            room.take(token, member.unique_id)
        for _ in range(MONTHS):
            for token in tokens:
                if room.member_of(token).active:
                    room.decide(token, share, attend=attend)
            room.advance()
        a, b = (side.rows[-1]["effectiveness"] for side in room.session.sides)
        gaps.append(a - b)
    return float(np.mean(gaps))


def test_the_differences_the_guides_promise():
    nothing, everything = _gap(0.0, False), _gap(1.0, True)
    assert nothing < -0.03 and everything > 0.1  # in the direction the guides say
    below, above = round(-100 * nothing), round(100 * everything)
    de, en = GUIDES["de"].read_text(), GUIDES["en"].read_text()
    assert f"rund {below} Punkte unter" in " ".join(de.split())
    assert f"rund {above} Punkte\ndarüber".replace("\n", " ") in " ".join(de.split())
    assert f"about {below} points below" in " ".join(en.split())
    assert f"about {above} points above" in " ".join(en.split())
