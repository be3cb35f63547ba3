"""E-mails in the recipient's language, rendered from ``templates/emails/<name>.txt``.

Every e-mail of the product goes through :func:`send_email`, so that each one is written
in its reader's language (not the process default: a Celery worker has none) and is
plain text throughout: e-mails are not HTML, so nothing is HTML-escaped, neither the body
nor the subject ("Martin & Fils" stays "Martin & Fils").

A message is two templates: ``emails/<name>_subject.txt`` (one line) and
``emails/<name>.txt`` (the body).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template import Context
from django.template.loader import get_template
from django.utils import translation

from common.i18n import normalise_language


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    subject: str
    body: str

    def send(self, to: str | Sequence[str]) -> None:
        """Send it (SMTP errors are the caller's to handle)."""
        recipients = [to] if isinstance(to, str) else list(to)
        send_mail(self.subject, self.body, settings.DEFAULT_FROM_EMAIL, recipients)


def _plain(name: str, context: Mapping[str, Any]) -> str:
    # The backend's template renders with the engine's autoescaping (HTML); e-mails are
    # plain text, so render the underlying template with escaping off.
    template = get_template(name).template
    return template.render(Context(dict(context), autoescape=False))


def render_email(*, name: str, context: Mapping[str, Any], language: str) -> RenderedEmail:
    """The subject and body of e-mail ``name`` in ``language`` (``"fr"`` or ``"en"``)."""
    with translation.override(normalise_language(language)):
        subject = " ".join(_plain(f"emails/{name}_subject.txt", context).split())
        body = _plain(f"emails/{name}.txt", context)
    return RenderedEmail(subject=subject, body=body)


def send_email(
    *,
    name: str,
    to: str | Sequence[str],
    context: Mapping[str, Any],
    language: str,
) -> None:
    """Render e-mail ``name`` in ``language`` and send it (SMTP errors are the caller's)."""
    render_email(name=name, context=context, language=language).send(to)
