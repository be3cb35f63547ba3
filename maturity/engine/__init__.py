"""Framework-free domain logic: questionnaire definition, scoring, suggestions, roadmap.

Nothing in this package may import Django: it is plain Python with plain unit tests,
so the rules can be reasoned about (and property-tested) without a database.
"""
