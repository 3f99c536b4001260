"""Start Solara's server exactly as ``solara run`` does, minus its start-up line.

``solara run --host 0.0.0.0`` ends its start-up with "Solara server is starting at
http://0.0.0.0:PORT", an address nobody in the room can open, printed after ``kommune
dashboard`` has listed the real ones; trainers read the last line. This launcher runs
Solara's own command line (``python -m sim.dashboard.serve run ...`` takes the arguments
of ``solara run``) with that one line left out; everything else Solara prints stays.
"""

from __future__ import annotations

import rich
import solara.__main__ as solara_cli

_print = rich.print


def _without_start_line(*objects, **options) -> None:
    if objects and str(objects[0]).startswith("Solara server is starting at"):
        return
    _print(*objects, **options)


def main() -> None:
    rich.print = _without_start_line  # solara's command line prints through rich.print
    solara_cli.main()


if __name__ == "__main__":
    main()
