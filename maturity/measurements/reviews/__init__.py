"""Customer reviews imported from an export: reading the file and the figures (pure:
``parsing``, ``figures``), and their Django side (``services`` writes, ``selectors`` reads,
``views``, ``forms``, ``urls``)."""
