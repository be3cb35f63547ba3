"""The PDF roadmap: what goes into it (``content``), and how it is laid out (``render``).

``fetcher`` keeps WeasyPrint away from the network and the file system: the only
resources a report may load are the project's own static files.
"""

import logging

# WeasyPrint logs its progress at INFO (and unsupported CSS at WARNING) on every render and
# when it parses its own stylesheets at import: noise in the worker's log. Errors remain.
for _name in ("weasyprint", "weasyprint.progress"):
    logging.getLogger(_name).setLevel(logging.ERROR)
