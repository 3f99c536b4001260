"""What both pages of ``kommune dashboard`` start from: the language and scenario the
command was given (through the environment of the server it starts), and the built-in
scenarios' titles."""

from __future__ import annotations

import functools
import os

from sim.files.scenario import builtin_names, load

DEFAULT_LANG = os.environ.get("KOMMUNE_LANG", "de")
DEFAULT_SCENARIO = os.environ.get("KOMMUNE_SCENARIO", "default")


@functools.cache
def scenario_titles(lang: str) -> dict[str, str]:
    """Built-in scenario name -> title in ``lang`` (the files do not change while we run)."""
    return {name: load(name).title(lang) for name in builtin_names()}
