"""Lead-response tests ("mystery" enquiries): the published grid and its figures (pure:
``grid``, ``figures``), and their Django side (``services`` writes, ``selectors`` reads,
``views``, ``forms``, ``urls``, ``alerts`` for the portfolio)."""
