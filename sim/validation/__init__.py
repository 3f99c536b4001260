"""Does the model say what its sources say? Docking of submodels against the literature
(``docking``), the patterns from practice as checkable claims (``patterns``), what each
lever does (``levers``) and the generated validation page (``page``, ``kommune validate``)."""
