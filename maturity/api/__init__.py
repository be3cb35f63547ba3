"""The REST API, version 1 (``/api/v1/``): Django REST framework, described by an OpenAPI
schema (drf-spectacular).

A feature folder like the others rather than an app of its own: the API is one more way
in to the features' reads and writes, as the pages are. Its views fetch through
``dealers.scoping`` (404 for what the caller may not see), ask ``dealers.permissions``
(403 for what they may not do) and call the features' services (the same validation and
the same 409 on a stale answer as the wizard); it never writes a model itself. Nothing in
``maturity`` imports it but ``maturity.urls``.

- ``authentication``: personal access tokens (``Authorization: Bearer dmat_…``)
- ``throttling``: a request budget per token
- ``errors``: the one JSON shape of every error, and the exceptions the views raise
- ``pagination``, ``filters``, ``schema``: lists, their filters, the OpenAPI description
- ``serializers``, ``views``, ``urls``: the resources

URL names (``api_<resource>_<action>``) and paths never change within ``v1``: other
programs, and links sent to them, rely on them.
"""
