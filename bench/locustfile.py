"""The clients of ``bench/load.py``, as a Locust file (run headless by it, CSV statistics).

    .venv/bin/python bench/load.py          # seeds, starts the servers, runs this file

Not meant to be run alone: ``bench/load.py`` writes the run's configuration (who logs in,
what they open) and points ``BENCH_LOAD_CONFIG`` at it, starts gunicorn and the Celery
worker, then runs ``locust -f bench/locustfile.py --headless --csv ...`` against
127.0.0.1 only. The users:

- **dealers** answer their questionnaire as the wizard does: one htmx autosave per answer
  with the revision the page showed, with think times, then "Next" posts the step with
  every answer and its revision; at the review page they start again from the first step;
- **consultants** browse: their portfolio (sorts, filters, pages), a dealership page, a
  results page, with think times;
- **a campaign of PDFs**: one consultant asks for ``pdfs`` reports (one per assessment of
  their portfolio), then polls the status of each as its page does, oldest first, and
  downloads each once ready;
- **the floor**: the cheapest authenticated page (login check, session, middleware, a
  template) at a steady pace, in the same run: what the others' latency is compared to.

Everybody logs in first (at most ``login_concurrency`` at once: PBKDF2 is slow on
purpose); the statistics are reset when the last one is in, and the run stops
``duration`` seconds later, so the CSV holds the measured window only. Paths are built
from ``PATHS``, keyed by the Django URL names they must match (checked by
``tests/test_bench_locustfile.py``).
"""

from __future__ import annotations

import http.cookiejar
import json
import math
import os
import random
import re
import time
from pathlib import Path
from urllib.parse import urlencode

import gevent
from gevent.event import Event
from gevent.lock import BoundedSemaphore
from locust import HttpUser, between, constant, events, task

HOST = "127.0.0.1"
AUTOSAVE = "dealer: autosave (htmx POST)"
FLOOR = "floor: authenticated page (GET)"

# Django URL name -> the path the clients request (placeholders filled per request).
PATHS = {
    "login": "/accounts/login/",
    "password_change_done": "/accounts/password_change/done/",
    "dealership_detail": "/dealerships/{pk}/",
    "assessment_detail": "/dealerships/{pk}/assessments/{assessment_pk}/",
    "assessment_step": "/dealerships/{pk}/assessments/{assessment_pk}/steps/{area}/",
    "answer_save": "/dealerships/{pk}/assessments/{assessment_pk}/answers/{question_key}/",
    "assessment_review": "/dealerships/{pk}/assessments/{assessment_pk}/review/",
    "portfolio": "/portfolio/",
    "assessment_results": "/assessments/{pk}/results/",
    "report_create": "/dealerships/{pk}/assessments/{assessment_pk}/report/",
    "report_detail": "/dealerships/{pk}/reports/{report_pk}/",
    "report_status": "/dealerships/{pk}/reports/{report_pk}/status/",
    "report_download": "/dealerships/{pk}/reports/{report_pk}/download/",
}


def path(name: str, **kwargs: object) -> str:
    return PATHS[name].format(**kwargs)


def _config() -> dict:
    """The run's configuration written by ``bench/load.py`` (empty when only imported)."""
    where = os.environ.get("BENCH_LOAD_CONFIG")
    return json.loads(Path(where).read_text()) if where else {}


CONFIG = _config()
MANIFEST = CONFIG.get("manifest", {})
PASSWORD = MANIFEST.get("password", "")
EXPECTED = CONFIG.get("dealers", 0) + CONFIG.get("consultants", 0) + 2  # + PDFs + floor
LOGINS = BoundedSemaphore(max(1, CONFIG.get("login_concurrency", 2)))
STARTED = Event()  # set when everybody is logged in: the measured window begins
STATE: dict[str, object] = {"logged_in": 0, "login_failures": 0, "pdf": {}, "checks": []}

TOKEN_IN_PAGE = re.compile(r'"X-CSRFToken": "([^"]+)"')
TOKEN_IN_FORM = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REVISION = re.compile(r'name="rev-([^"]+)" value="(\d+)"')


def _send_secure_cookies_over_loopback() -> None:
    """Send ``Secure`` cookies over plain http: there is no TLS proxy on loopback.

    Production settings mark the session and CSRF cookies ``Secure``; a browser behind
    the TLS proxy sends them, and so must the bench, which only talks to 127.0.0.1
    (asserted). ``requests`` copies the session's jar into a fresh one with the default
    policy for every request, so the policy is changed for this process (the load
    generator's, nothing else runs in it).
    """
    http.cookiejar.DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True


if CONFIG:
    _send_secure_cookies_over_loopback()


def check_failed(label: str, detail: str) -> None:
    """A reply passed its status check but not a content check: an error of the run."""
    events.request.fire(
        request_type="CHECK",
        name=label,
        response_time=0,
        response_length=0,
        exception=AssertionError(detail),
        context={},
    )


class Person(HttpUser):
    """One person's browser: cookies (``Secure`` ones too), the page's CSRF token."""

    abstract = True
    email = ""

    def on_start(self) -> None:
        assert self.host.startswith(f"http://{HOST}:"), self.host  # loopback only
        self.client.headers.update({"User-Agent": "bench-load", "Accept-Language": "fr"})
        self.token = ""
        self.login()
        STARTED.wait()

    def request(
        self,
        label: str,
        url: str,
        *,
        data: list[tuple[str, str]] | dict | None = None,
        headers: dict | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> tuple[int, str, str]:
        """GET (or POST with ``data``) without following redirects; (status, text, Location)."""
        method = "POST" if data is not None else "GET"
        extra = {"Origin": self.host} if data is not None else {}
        with self.client.request(
            method,
            url,
            name=label,
            data=urlencode(data, doseq=True) if data is not None else None,
            headers={
                **extra,
                **(headers or {}),
                **(
                    {"Content-Type": "application/x-www-form-urlencoded"}
                    if data is not None
                    else {}
                ),
            },
            allow_redirects=False,
            catch_response=True,
            timeout=30,
        ) as response:
            text = "%PDF" if response.content[:4] == b"%PDF" else response.text
            if response.status_code in expect:
                response.success()
            else:
                body = re.sub(r"\s+", " ", text)[:160]
                response.failure(f"{response.status_code} on {url}: {body}")
            if token := TOKEN_IN_PAGE.search(text):
                self.token = token.group(1)
            return response.status_code, text, response.headers.get("Location", "")

    def csrf(self) -> str:
        return self.token or self.client.cookies.get("csrftoken", "")

    def login(self) -> None:
        """Through the form; a timed-out or failed (5xx) attempt is tried twice more, a
        refused password is not (django-axes locks after 5 failures)."""
        with LOGINS:
            for _attempt in range(3):
                _status, text, _ = self.request("login form (GET)", path("login"))
                form_token = TOKEN_IN_FORM.search(text)
                if form_token is None:
                    continue
                status, _text, location = self.request(
                    "login (POST)",
                    path("login"),
                    data={
                        "username": self.email,
                        "password": PASSWORD,
                        "csrfmiddlewaretoken": form_token.group(1),
                    },
                    expect=(302,),
                )
                if status == 302 and "/accounts/login" not in location:
                    break
                if status == 200:
                    STATE["login_failures"] += 1
                    break
            else:
                STATE["login_failures"] += 1
        STATE["logged_in"] += 1
        if STATE["logged_in"] >= EXPECTED:
            STARTED.set()


def _people(kind: str) -> list[dict]:
    return list(MANIFEST.get(kind, [])[: CONFIG.get(kind, 0)])


class Dealer(Person):
    """Answers the questionnaire step by step, one autosave per answer, then "Next"."""

    fixed_count = len(_people("dealers"))
    wait_time = between(*CONFIG.get("dealer_think", (1.0, 3.0)))
    queue = _people("dealers")
    definitions: dict[str, object] = {}

    def on_start(self) -> None:
        from maturity.engine.loader import parse_questionnaire

        me = self.queue.pop(0)
        self.email = me["email"]
        self.ids = {"pk": me["dealership"], "assessment_pk": me["assessment"]}
        if me["version"] not in self.definitions:
            self.definitions[me["version"]] = parse_questionnaire(
                MANIFEST["versions"][me["version"]]
            )
        self.definition = self.definitions[me["version"]]
        self.rng = random.Random(CONFIG.get("seed", 7) * 1000 + len(self.queue))
        self.areas = [a.key for a in self.definition.areas]
        self.values: dict[str, object] = {}
        super().on_start()
        _status, _text, location = self.request(
            "dealer: resume draft (302)", path("assessment_detail", **self.ids), expect=(302,)
        )
        where = re.search(r"/steps/([^/]+)/", location)
        self.index = (
            self.areas.index(where.group(1)) if where and where.group(1) in self.areas else 0
        )

    def think(self) -> None:
        gevent.sleep(self.rng.uniform(*CONFIG.get("dealer_think", (1.0, 3.0))))

    @task
    def answer_a_step(self) -> None:
        from maturity.assessments.progress import visible_keys
        from maturity.engine.answers import random_answer

        area = self.definition.area(self.areas[self.index])
        step = path("assessment_step", area=area.key, **self.ids)
        status, text, _ = self.request("dealer: step page (GET)", step)
        if status != 200:
            return
        revisions = {k: int(v) for k, v in REVISION.findall(text)}
        posted: list[tuple[str, str]] = []
        for question in area.questions:
            if question.key not in visible_keys(self.definition, self.values):
                continue
            self.think()
            value = random_answer(question, self.rng, dont_know_rate=0.05)
            values = value if isinstance(value, list) else [value]
            fields = [(f"q-{question.key}", str(v)) for v in values]
            status, reply, _ = self.request(
                AUTOSAVE,
                path("answer_save", question_key=question.key, **self.ids),
                data=[*fields, (f"rev-{question.key}", str(revisions.get(question.key, 0)))],
                headers={
                    "HX-Request": "true",
                    "HX-Current-URL": self.host + step,
                    "X-CSRFToken": self.csrf(),
                },
            )
            if status != 200:
                continue
            saved = dict(REVISION.findall(reply))
            revisions.update({k: int(v) for k, v in saved.items()})
            if question.key not in saved:
                check_failed(AUTOSAVE, f"no revision in the reply on {step}")
            self.values[question.key] = value
            posted += fields
        self.think()
        # "Next": the step form posts every answer shown, with its revision.
        shown = {key for key, _value in posted}
        _status, _text, location = self.request(
            "dealer: step save + next (POST)",
            step,
            data=[
                ("csrfmiddlewaretoken", self.csrf()),
                *posted,
                *[
                    (f"rev-{q.key}", str(revisions.get(q.key, 0)))
                    for q in area.questions
                    if f"q-{q.key}" in shown
                ],
                ("go", "next"),
            ],
            expect=(302,),
        )
        where = re.search(r"/steps/([^/]+)/", location)
        if location.endswith("/review/"):
            self.request("dealer: review page (GET)", path("assessment_review", **self.ids))
            self.index = 0  # and round again: a dealer revising their answers
        elif where and where.group(1) in self.areas:
            self.index = self.areas.index(where.group(1))


class Consultant(Person):
    """Portfolio (sorts, filters, pages), a dealership page, a results page; again."""

    fixed_count = len(_people("consultants"))
    wait_time = between(*CONFIG.get("consultant_think", (1.0, 4.0)))
    queue = _people("consultants")

    def on_start(self) -> None:
        self.me = self.queue.pop(0)
        self.email = self.me["email"]
        self.rng = random.Random(CONFIG.get("seed", 7) * 1000 + 500 + len(self.queue))
        self.pages = max(1, math.ceil(len(self.me["dealerships"]) / MANIFEST["page_size"]))
        super().on_start()

    def portfolio_query(self) -> str:
        rng = self.rng
        key = rng.choice(MANIFEST["sort_keys"])
        params: dict[str, object] = {"sort": key if rng.random() < 0.5 else f"-{key}"}
        roll = rng.random()
        if roll < 0.15:
            params["region"] = rng.choice(MANIFEST["regions"])
        elif roll < 0.30:
            params["status"] = rng.choice(["none", "draft", "submitted", "reviewed"])
        elif roll < 0.40:
            params["rung"] = rng.choice(["1", "2", "3", "4", "5"])
        elif roll < 0.50:
            params["alert"] = rng.choice(["dropped", "overdue", "stalled"])
        elif roll < 0.55:
            params["q"] = rng.choice(["Ville 01", "Concession", "Load 02"])
        else:
            params["page"] = rng.randint(1, self.pages)  # only unfiltered lists go deep
        return path("portfolio") + "?" + urlencode(params)

    def think(self) -> None:
        gevent.sleep(self.rng.uniform(*CONFIG.get("consultant_think", (1.0, 4.0))))

    @task
    def browse(self) -> None:
        self.request("consultant: portfolio (GET)", self.portfolio_query())
        self.think()
        dealership, assessment = self.rng.choice(self.me["results"])
        if self.rng.random() < 0.3:  # one of the dealers' own (draft in progress)
            dealership = self.rng.choice(self.me["dealerships"])
        self.request("consultant: dealership page (GET)", path("dealership_detail", pk=dealership))
        self.think()
        self.request("consultant: results page (GET)", path("assessment_results", pk=assessment))


class PdfCampaign(Person):
    """Asks for one PDF per target, then follows each to ready and downloads it."""

    fixed_count = 1 if CONFIG else 0
    wait_time = constant(0)

    def on_start(self) -> None:
        self.campaign = MANIFEST.get("pdf", {})
        self.email = self.campaign.get("email", "")
        super().on_start()
        first = self.campaign["targets"][0][0]
        # The page with the button, for its CSRF token.
        self.request("pdf: dealership page (GET)", path("dealership_detail", pk=first))

    @task
    def campaign(self) -> None:
        note: dict[str, object] = STATE["pdf"]  # type: ignore[assignment]
        targets = self.campaign["targets"][: CONFIG.get("pdfs", 100)]
        asked: list[tuple[str, str, float]] = []  # (status URL, download URL, asked at)
        note.update(requested=len(targets), queued=0, ready=0, failed=0, seconds=[])
        started = time.monotonic()
        for dealership, assessment in targets:
            _status, _text, location = self.request(
                "pdf: generate (POST)",
                path("report_create", pk=dealership, assessment_pk=assessment),
                data={"csrfmiddlewaretoken": self.csrf(), "language": "fr"},
                expect=(302,),
            )
            found = re.search(r"/reports/(\d+)/$", location)
            if found:
                ids = {"pk": dealership, "report_pk": int(found.group(1))}
                asked.append(
                    (
                        path("report_status", **ids),
                        path("report_download", **ids),
                        time.monotonic(),
                    )
                )
            gevent.sleep(CONFIG.get("pdf_interval", 0.3))
        note["queued"] = len(asked)
        note["requests_seconds"] = round(time.monotonic() - started, 1)
        limit = started + CONFIG.get("pdf_timeout", 600)
        # The status page polls every 2 s; the worker takes them oldest first.
        for status_url, download_url, at in asked:
            while time.monotonic() < limit:
                _status, text, _ = self.request(
                    "pdf: status poll (htmx GET)", status_url, headers={"HX-Request": "true"}
                )
                if "/download/" in text or "report-stage-failed" in text:
                    break
                gevent.sleep(2.0)
            else:
                break
            if "report-stage-failed" in text:
                note["failed"] += 1
                check_failed("pdf: status poll (htmx GET)", f"the report failed: {status_url}")
                continue
            note["seconds"].append(round(time.monotonic() - at, 1))
            note["ready"] += 1
            _status, body, _ = self.request("pdf: download (GET)", download_url)
            if body != "%PDF":
                check_failed("pdf: download (GET)", f"not a PDF: {download_url}")
        note["done_after"] = round(time.monotonic() - started, 1)
        while True:  # the campaign is over: nothing more to ask
            gevent.sleep(60)


class Floor(Person):
    """The cheapest authenticated page, at a steady pace."""

    fixed_count = 1 if CONFIG else 0
    wait_time = constant(CONFIG.get("floor_interval", 0.25))

    def on_start(self) -> None:
        self.email = MANIFEST.get("floor", "")
        super().on_start()

    @task
    def floor(self) -> None:
        self.request(FLOOR, path("password_change_done"))


@events.test_start.add_listener
def _window(environment, **_kwargs) -> None:
    """Reset the statistics when everybody is in, stop ``duration`` seconds later, and
    note the CPU counters at both ends (``bench/load.py`` reads them)."""
    if not CONFIG:
        return

    def clock() -> None:
        from bench.load import cpu_snapshot

        groups = {name: int(pgid) for name, pgid in CONFIG["groups"].items()}
        ramp_started = time.monotonic()
        in_time = STARTED.wait(timeout=CONFIG.get("ramp_up", 60) + 120)
        notes = {"ramp_up": round(time.monotonic() - ramp_started, 1)}
        if not in_time:
            notes["aborted"] = f"only {STATE['logged_in']} of {EXPECTED} users logged in"
            STARTED.set()
        environment.runner.stats.reset_all()
        begin, t0 = cpu_snapshot(groups), time.monotonic()
        gevent.sleep(CONFIG["duration"])
        notes["window"] = round(time.monotonic() - t0, 2)
        notes["cpu"] = {"start": begin, "end": cpu_snapshot(groups)}
        notes["login_failures"] = STATE["login_failures"]
        Path(CONFIG["results"]).write_text(json.dumps({"notes": notes, "pdf": STATE["pdf"]}))
        environment.runner.quit()

    gevent.spawn(clock)
