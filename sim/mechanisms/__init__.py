"""The model's mechanisms, one module each, every equation as docs/ODD.md §7 gives it:
ties and trust (``ties``), goal alignment (``goals``), conditional cooperation
(``cooperation``), need and coverage (``needs``), bodies and their meetings (``bodies``),
joint work (``joint_work``), the coordinator's tasks (``coordination``), governance modes
(``governance``), funding (``funding``), decisions (``decisions``) and events (``events``).
``sim.model`` puts them together into the month; their parameters are ``sim.params``."""
