"""Helpers shared by the project's apps (``dealers``, ``maturity``): no models, no domain.

Each idea has one helper here, so the two apps never grow two versions of it with
different rules: the request's language, the htmx and safe-redirect checks, e-mails in
the recipient's language, and the guard on every outgoing HTTP request.
"""
