"""The product's date, time and number formats, per language (``FORMAT_MODULE_PATH``).

Django's own formats are close but not what French readers expect ("20:02" instead of
"20 h 02") and are ambiguous in English ("12/01/2026"): these override them. The "1er"
of the first day of a month is not a format character: ``common.i18n.format_date`` and
the ``date`` template filter (``common.templatetags``) add it.
"""
