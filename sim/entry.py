"""The ``kommune`` command's entry point, kept free of heavy imports.

The command line pulls in pandas, matplotlib and Mesa, which takes a second or two; a
Ctrl-C in that time would otherwise end in a traceback of the import machinery.
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from sim.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("kommune: interrupted\n")
        raise SystemExit(130) from None
    run()
