"""What people read: the account of one run (``summary``), its figures (``plots``) and the
comparison report for a council (``comparison``, from ``templates/``)."""
