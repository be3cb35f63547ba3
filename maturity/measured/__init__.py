"""Measured beside declared, the Django side: website measurements and confirmations.

The website check itself is pure (``maturity.measurements.website``); this feature runs
it for a dealership (on request, monthly, after the website address changes), stores the
dated :class:`~maturity.models.Measurement`, hands the facts to the scoring rule
(``maturity.engine.measured``) as plain data, shows declared and measured side by side,
records a consultant's confirmation of a contradicted answer, and gives the portfolio its
website alerts. The rule is documented in ``docs/measurements.md``.
"""
