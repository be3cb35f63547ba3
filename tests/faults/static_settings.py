"""Settings for ``collectstatic`` only, in the fault tests: production settings, with
WhiteNoise's manifest but without its compressed copies (gzip and Brotli of every file
took half a minute on a busy machine). The web server runs with ``config.settings``
and reads the same ``staticfiles.json`` manifest.
"""

from config.settings import *  # noqa: F403
from config.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
