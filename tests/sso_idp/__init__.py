"""A throw-away OpenID Connect identity provider for the single sign-on tests.

django-oauth-toolkit's OIDC provider in its own tiny Django project, run by the tests in
a second server process on loopback (``tests/dealers/test_sso.py``): the product's
allauth client talks to it over real HTTP (discovery, authorisation, token, JWKS,
userinfo), as it would to an organisation's provider.
"""
