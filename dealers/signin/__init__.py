"""Two-factor sign-in and single sign-on, through django-allauth.

The login page stays the product's (``/accounts/login/``, Django's form, django-axes in
front); after the password, allauth's login stages take over, so a person with TOTP
turned on types a code (or a recovery code) before the session opens. Staff and
consultants must turn it on (``MFA_REQUIRED_FOR_STAFF_AND_CONSULTANTS``): until they do,
every page sends them to its setup. Organisations with an identity provider log in
through OpenID Connect: staff add an allauth "social application" per organisation with
the e-mail domains it vouches for; a verified address of one of those domains opens the
existing account that has it, and nothing else (no account is ever created this way).
"""
