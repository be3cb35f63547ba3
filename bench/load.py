#!/usr/bin/env python
"""Load test: gunicorn workers on PostgreSQL and a Celery worker, driven over loopback.

    .venv/bin/python bench/load.py [--dealers 50] [--consultants 5] [--duration 60]

In one run:

1. creates the database of ``--database-url`` if it does not exist (default
   ``postgres://postgres@127.0.0.1:5432/bench_load``), migrates it, collects the static
   files and seeds it (a second run reuses the data; ``--reseed`` starts again): one
   dealer account per dealership, each with a draft assessment; consultants whose
   portfolios hold those dealerships and a few hundred more with two submitted
   assessments each (answers, results from the real engine, reviews, roadmap statuses);
2. starts gunicorn (``--workers`` sync workers by default) with production settings
   (``DEBUG=0``) and one Celery worker for the PDF, on 127.0.0.1 only;
3. in a *separate client process* (threads, urllib, stdlib only), measures the floor
   idle, then logs everyone in through the login form (ramp-up, not measured), then for
   ``--duration`` seconds: dealers answer their questionnaire as the wizard does (one
   htmx autosave per answer, with the revision the page showed, then "Next" posts the
   step), consultants browse their portfolio (filters, sorting, pages), dealership pages
   and results pages, one PDF is requested at the start and its status polled, and a
   "floor" user requests the cheapest authenticated page of the product
   (``/accounts/password_change/done/``: login check, session, middleware, a template);
4. prints requests per second, median and 95th percentile per endpoint as the clients
   saw them, the errors, the PDF's time to ready, where the machine's CPU went, and per
   endpoint what each request cost inside gunicorn (CPU time of its thread, SQL queries
   and their time, from gunicorn hooks written to the run folder); stops gunicorn and
   the worker on exit, Ctrl-C included.

Every loop is bounded by ``--duration`` and by ``--max-requests`` per simulated user.
The machine's cores are shared by the load generator, gunicorn, PostgreSQL and the
Celery worker, and by whatever else runs: the report shows how busy the machine was, and
the CPU time per request does not depend on it (latencies do). ``--wait-quiet 300``
waits up to 5 minutes for the machine to calm down before starting. Logs of the run go
to ``var/bench-load/run-*/``.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import math
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench-load"
PYTHON = sys.executable

PREFIX = "Load "
DOMAIN = "@load.invalid"
PASSWORD = "load-bench-password-not-secret"  # noqa: S105 - local benchmark accounts
HOST = "127.0.0.1"  # the only address the clients ever talk to
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bench_load"
DEFAULT_BROKER = "redis://127.0.0.1:6379/3"
FLOOR_PATH = "/accounts/password_change/done/"
AUTOSAVE = "dealer: autosave (htmx POST)"
BRANDS = ["Peugeot", "Renault", "Citroën", "Toyota", "Kia", "Volkswagen", "DS", "Dacia"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--dealers", type=int, default=50, help="simulated dealers (one dealership each)")
    add("--consultants", type=int, default=5, help="simulated consultants")
    add("--extra", type=int, default=400, help="more dealerships, with submitted results")
    add("--duration", type=float, default=60, help="measured seconds (at most 900)")
    add("--ramp-up", type=float, default=20, help="seconds to log everyone in (not measured)")
    add("--login-concurrency", type=int, default=2, help="logins in flight at once")
    add("--wait-quiet", type=float, default=0, help="wait up to this long for an idle machine")
    add("--max-requests", type=int, default=3000, help="cap per simulated user")
    add("--dealer-think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"))
    add("--consultant-think", type=float, nargs=2, default=(1.0, 4.0), metavar=("MIN", "MAX"))
    add("--floor-interval", type=float, default=0.25, help="seconds between floor requests")
    add("--floor-idle", type=int, default=60, help="floor requests before the load")
    add("--pdf-timeout", type=float, default=180, help="give up waiting for the PDF after")
    add("--workers", type=int, default=4, help="gunicorn workers")
    add("--worker-class", default="sync", choices=["sync", "gthread"])
    add("--threads", type=int, default=1, help="threads per gunicorn worker (gthread)")
    add("--port", type=int, default=0, help="gunicorn port on 127.0.0.1 (0: a free one)")
    add("--database-url", default=DEFAULT_DATABASE)
    add("--broker", default=DEFAULT_BROKER, help="a redis:// URL, or 'filesystem'")
    add("--reseed", action="store_true", help="delete the bench data and seed again")
    add("--force", action="store_true", help="run even if the database holds other data")
    add("--seed", type=int, default=7, help="random seed")
    add("--internal-setup", metavar="MANIFEST", help=argparse.SUPPRESS)
    add("--internal-clients", metavar="CONFIG", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.duration = min(max(args.duration, 1.0), 900.0)
    args.ramp_up = min(max(args.ramp_up, 0.0), 300.0)
    if args.dealers < 1 or args.consultants < 1:
        parser.error("at least one dealer and one consultant")
    return args


# =========================================================================================
# Setup: runs in a child process with the server's environment (Django, the bench database)
# =========================================================================================


def answer_pool(definition, rng: random.Random, size: int) -> list[tuple[dict, dict]]:
    """``size`` complete answer sets (visible questions only) and their engine results."""
    from maturity.assessments.progress import visible_keys
    from maturity.engine.answers import random_answers
    from maturity.results.services import result_snapshot

    pool = []
    for _ in range(size):
        answers = random_answers(definition, rng, optional_rate=0.5)
        visible = visible_keys(definition, answers)
        answers = {k: v for k, v in answers.items() if k in visible}
        pool.append((answers, result_snapshot(definition, answers)))
    return pool


def seed(args: argparse.Namespace) -> None:
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from dealers.models import (
        Assignment,
        Brand,
        DealerGroup,
        Dealership,
        Membership,
        Region,
        SizeBand,
        User,
    )
    from maturity.models import (
        Answer,
        Assessment,
        AssessmentResult,
        AssessmentReview,
        RoadmapActionStatus,
    )
    from maturity.questionnaire.services import questionnaire_current

    started = time.perf_counter()
    rng = random.Random(args.seed)
    version = questionnaire_current()
    pool = answer_pool(version.definition, rng, 40)
    now = timezone.now()
    regions = [r.value for r in Region]
    sizes = [s.value for s in SizeBand]
    hashed = make_password(PASSWORD)  # one hash for all: PBKDF2 is slow on purpose

    def shop(name: str, n: int) -> Dealership:
        return Dealership(
            name=name,
            city=f"Ville {n % 150:03}",
            region=regions[n % len(regions)],
            size_band=sizes[n % len(sizes)],
            profile="brand_dealer",  # the answers pool is the brand dealer's
            group=groups[n % len(groups)] if n % 8 == 0 else None,
        )

    with transaction.atomic():
        brands = [Brand.objects.get_or_create(name=name)[0] for name in BRANDS]
        groups = DealerGroup.objects.bulk_create(
            DealerGroup(name=f"{PREFIX}Groupe {n:02}") for n in range(12)
        )
        dealer_shops = Dealership.objects.bulk_create(
            shop(f"{PREFIX}Concession {n:03}", n) for n in range(args.dealers)
        )
        extra_shops = Dealership.objects.bulk_create(
            (shop(f"{PREFIX}{n:04}", n + args.dealers) for n in range(args.extra)),
            batch_size=1000,
        )
        through = Dealership.brands.through
        through.objects.bulk_create(
            (
                through(dealership_id=s.pk, brand_id=b.pk)
                for s in dealer_shops + extra_shops
                for b in rng.sample(brands, rng.choice((1, 1, 2)))
            ),
            batch_size=5000,
        )

        dealers = User.objects.bulk_create(
            User(email=f"dealer{n:03}{DOMAIN}", full_name=f"Dealer {n:03}", password=hashed)
            for n in range(args.dealers)
        )
        consultants = User.objects.bulk_create(
            User(
                email=f"consultant{n}{DOMAIN}",
                full_name=f"Consultant {n}",
                password=hashed,
                is_consultant=True,
            )
            for n in range(args.consultants)
        )
        User.objects.create(email=f"floor{DOMAIN}", full_name="Floor", password=hashed)
        Membership.objects.bulk_create(
            Membership(user=u, dealership=s, role=Membership.Role.OWNER)
            for u, s in zip(dealers, dealer_shops, strict=True)
        )
        # Each consultant: their share of the dealers' dealerships, and half of the others
        # (overlapping, as consultants of neighbouring areas share some dealerships).
        assignments = []
        for n, consultant in enumerate(consultants):
            mine = [s for i, s in enumerate(dealer_shops) if i % args.consultants == n]
            mine += rng.sample(extra_shops, k=len(extra_shops) // 2)
            assignments += [Assignment(consultant=consultant, dealership=s) for s in mine]
        Assignment.objects.bulk_create(assignments, batch_size=5000)

        author = consultants[0]
        older, latest = [], []
        for shop_ in extra_shops:
            age = rng.randint(5, 420)  # some are overdue for their yearly re-assessment
            for bucket, days in ((older, age + 365 + rng.randint(-20, 20)), (latest, age)):
                bucket.append(
                    Assessment(
                        dealership=shop_,
                        version=version,
                        status=Assessment.Status.SUBMITTED,
                        created_by=author,
                        submitted_by=author,
                        submitted_at=now - timedelta(days=days),
                    )
                )
        Assessment.objects.bulk_create(older, batch_size=2000)
        for before, after in zip(older, latest, strict=True):
            after.previous = before
        Assessment.objects.bulk_create(latest, batch_size=2000)

        answers, results = [], []
        for assessment in older + latest:
            values, snapshot = rng.choice(pool)
            answers += [
                Answer(assessment=assessment, question_key=k, value=v, updated_by=author)
                for k, v in values.items()
            ]
            results.append(
                AssessmentResult(
                    assessment=assessment,
                    engine_version=snapshot["engine_version"],
                    rung=snapshot["rung"],
                    overall_score=snapshot["overall_score"],
                    area_scores={a["key"]: a["score"] for a in snapshot["areas"]},
                    snapshot=snapshot,
                )
            )
        Answer.objects.bulk_create(answers, batch_size=5000)
        AssessmentResult.objects.bulk_create(results, batch_size=1000)
        AssessmentReview.objects.bulk_create(
            AssessmentReview(assessment=a, reviewed_by=author, reviewed_at=now) for a in latest[::3]
        )
        RoadmapActionStatus.objects.bulk_create(
            RoadmapActionStatus(dealership=s, action_key=key, status="planned")
            for s in extra_shops[::2]
            for key in ("website_mobile", "social_reply_routine", "crm_log_web_leads")
        )
        # The dealers' drafts (empty: the clients answer them), and a few more drafts.
        Assessment.objects.bulk_create(
            Assessment(dealership=s, version=version, created_by=u)
            for u, s in zip(dealers, dealer_shops, strict=True)
        )
        Assessment.objects.bulk_create(
            Assessment(dealership=s, version=version, created_by=author) for s in extra_shops[::5]
        )
    print(
        f"seeded {len(dealer_shops) + len(extra_shops)} dealerships, "
        f"{len(older) * 2} submitted assessments, {len(answers)} answers "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


def manifest(args: argparse.Namespace) -> dict:
    """Who logs in and what they open: written for the client process."""
    from django.db.models import Max

    from dealers.models import Assignment, Dealership, Membership, Region
    from maturity.models import Assessment
    from maturity.portfolio.selectors import PAGE_SIZE, SORT_KEYS

    drafts = Assessment.objects.filter(status=Assessment.Status.DRAFT)
    dealers = []
    versions: dict[str, object] = {}
    for m in (
        Membership.objects.filter(user__email__endswith=DOMAIN)
        .select_related("user")
        .order_by("user__email")
    ):
        draft = drafts.select_related("version").get(dealership_id=m.dealership_id)
        versions.setdefault(str(draft.version_id), draft.version.content)
        dealers.append(
            {
                "email": m.user.email,
                "dealership": m.dealership_id,
                "assessment": draft.pk,
                "version": str(draft.version_id),
            }
        )
    latest = dict(
        Assessment.objects.filter(
            status=Assessment.Status.SUBMITTED, dealership__name__startswith=PREFIX
        )
        .values("dealership")
        .annotate(last=Max("pk"))
        .values_list("dealership", "last")
    )
    consultants = []
    for email in sorted(
        Assignment.objects.filter(consultant__email__endswith=DOMAIN)
        .values_list("consultant__email", flat=True)
        .distinct()
    ):
        ids = list(
            Assignment.objects.filter(consultant__email=email)
            .order_by("dealership_id")
            .values_list("dealership_id", flat=True)
        )
        consultants.append(
            {
                "email": email,
                "dealerships": ids,
                "results": [[d, latest[d]] for d in ids if d in latest],
            }
        )
    first = consultants[0]
    target_dealership, target_assessment = first["results"][0]
    return {
        "password": PASSWORD,
        "dealers": dealers,
        "consultants": consultants,
        "floor": f"floor{DOMAIN}",
        "pdf": {
            "email": first["email"],
            "dealership": target_dealership,
            "assessment": target_assessment,
            "name": Dealership.objects.get(pk=target_dealership).name,
        },
        "versions": versions,
        "regions": [r.value for r in Region],
        "sort_keys": list(SORT_KEYS),
        "page_size": PAGE_SIZE,
    }


def run_setup(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from axes.models import AccessAttempt
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.db import connection

    from bench.benchdata import BenchData
    from dealers.models import Dealership, User

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    bench = BenchData(prefix=PREFIX, domain=DOMAIN)
    if not args.force and (problems := bench.foreign_data()):
        raise SystemExit(
            "Refusing to seed a database with other data: "
            + "; ".join(problems)
            + ". Use a database of its own (the default bench_load) or --force."
        )
    shops = Dealership.objects.filter(name__startswith=PREFIX)
    have = (
        shops.filter(name__startswith=f"{PREFIX}Concession ").count(),
        User.objects.filter(email__endswith=DOMAIN, is_consultant=True).count(),
        shops.exclude(name__startswith=f"{PREFIX}Concession ").count(),
    )
    want = (args.dealers, args.consultants, args.extra)
    if args.reseed or have != want:
        if any(have):
            print(f"bench data {have} != wanted {want} (or --reseed): seeding again", flush=True)
        bench.delete()
        seed(args)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        print(
            f"reusing the bench data: {want[0]} dealers' dealerships, {want[1]} consultants, "
            f"{want[2]} other dealerships",
            flush=True,
        )
    # A clean start: no lockout left by an interrupted run, no sessions of earlier runs.
    AccessAttempt.objects.filter(username__endswith=DOMAIN).delete()
    Session.objects.all().delete()
    Path(args.internal_setup).write_text(json.dumps(manifest(args)))


# =========================================================================================
# Clients: run in their own process; stdlib HTTP over loopback only
# =========================================================================================


class LoopbackCookies(http.cookiejar.DefaultCookiePolicy):
    """Send ``Secure`` cookies over plain http: there is no TLS proxy on loopback.

    Production settings mark the session and CSRF cookies ``Secure``; a browser behind
    the TLS proxy sends them, and so must the bench (which only talks to 127.0.0.1).
    """

    def return_ok_secure(self, cookie, request) -> bool:
        return True


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are answers to measure, not to follow blindly."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Reply:
    __slots__ = ("location", "status", "text")

    def __init__(self, status: int, text: str, location: str):
        self.status = status
        self.text = text
        self.location = location


class Run:
    """What the client threads share: timing, caps, the records."""

    def __init__(self, config: dict):
        self.config = config
        self.base = config["base"]
        self.stop = threading.Event()
        self.t0 = math.inf  # start of the measured window (monotonic)
        self.deadline = math.inf
        self.records: list[tuple[str, float, float, bool]] = []
        self.errors: list[dict] = []
        self.notes: dict[str, object] = {}
        self.lock = threading.Lock()
        self.logins = threading.BoundedSemaphore(config["login_concurrency"])

    def record(self, label: str, start: float, seconds: float, ok: bool, detail: dict) -> None:
        self.records.append((label, start, seconds, ok))
        if not ok:
            with self.lock:
                if len(self.errors) < 30:
                    self.errors.append(
                        {"endpoint": label, "t": round(start - self.t0, 2), **detail}
                    )

    def sleep(self, seconds: float) -> bool:
        """Think for ``seconds`` unless the run ends first; ``False`` if it ended."""
        end = time.monotonic() + seconds
        if end > self.deadline:
            self.stop.wait(max(0.0, self.deadline - time.monotonic()))
            return False
        return not self.stop.wait(seconds)

    def going(self, browser: Browser) -> bool:
        return (
            not self.stop.is_set()
            and time.monotonic() < self.deadline
            and browser.count < self.config["max_requests"]
        )


class Browser:
    """One person's session: cookies, the CSRF token of the last page, a request count."""

    TOKEN_IN_PAGE = re.compile(r'"X-CSRFToken": "([^"]+)"')
    TOKEN_IN_FORM = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    def __init__(self, run: Run):
        self.run = run
        self.jar = http.cookiejar.CookieJar(policy=LoopbackCookies())
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        self.count = 0
        self.token = ""

    def cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.jar if c.name == name), "")

    def request(
        self,
        label: str,
        path: str,
        *,
        data: list[tuple[str, str]] | dict | None = None,
        headers: dict | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> Reply:
        url = self.run.base + path
        assert url.startswith(f"http://{HOST}:"), url  # loopback only
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only (asserted)
            url,
            data=body,
            method="POST" if body is not None else "GET",
            headers={"User-Agent": "bench-load", "Accept-Language": "fr", **(headers or {})},
        )
        if body is not None:
            request.add_header("Origin", self.run.base)
        self.count += 1
        status, text, location, problem = 0, "", "", ""
        start = time.monotonic()
        try:
            with self.opener.open(request, timeout=30) as response:
                status, raw = response.status, response.read()
                location = response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
            location = error.headers.get("Location", "")
        except (OSError, http.client.HTTPException) as error:
            raw, problem = b"", repr(error)
        seconds = time.monotonic() - start
        text = raw.decode("utf-8", "replace") if not raw.startswith(b"%PDF") else "%PDF"
        ok = status in expect
        detail = {"path": path, "status": status}
        if problem:
            detail["error"] = problem
        elif not ok:
            detail["body"] = re.sub(r"\s+", " ", text)[:200]
        self.run.record(label, start, seconds, ok, detail)
        if token := self.TOKEN_IN_PAGE.search(text):
            self.token = token.group(1)
        return Reply(status, text, location)

    def csrf(self) -> str:
        return self.token or self.cookie("csrftoken")

    def login(self, email: str, password: str) -> bool:
        """Log in through the form; at most ``login_concurrency`` at once (PBKDF2 is slow).

        A timed-out or failed (5xx) attempt is tried again, twice at most; a refused
        password (the form again, 200) is not: django-axes locks after 5 failures.
        """
        with self.run.logins:
            for _attempt in range(3):
                page = self.request("login form (GET)", "/accounts/login/")
                form_token = self.TOKEN_IN_FORM.search(page.text)
                if form_token is None:
                    continue
                reply = self.request(
                    "login (POST)",
                    "/accounts/login/",
                    data={
                        "username": email,
                        "password": password,
                        "csrfmiddlewaretoken": form_token.group(1),
                    },
                    expect=(302,),
                )
                if reply.status == 302:
                    return "/accounts/login" not in reply.location
                if reply.status == 200 or self.run.stop.is_set():
                    return False
        return False


def fail(run: Run, label: str, detail: dict) -> None:
    """A check on a reply failed (the request itself was counted as a success)."""
    run.record(label + " [check]", time.monotonic(), 0.0, False, detail)


def wait_start(run: Run, barrier: threading.Barrier) -> bool:
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        return False
    return not run.stop.is_set()


REVISION = re.compile(r'name="rev-([^"]+)" value="(\d+)"')


def answer_fields(key: str, value: object) -> list[tuple[str, str]]:
    if isinstance(value, list):
        return [(f"q-{key}", str(v)) for v in value]
    return [(f"q-{key}", str(value))]


def dealer(run: Run, barrier: threading.Barrier, person: dict, n: int) -> None:
    """Answer the questionnaire step by step as the wizard does, until the run ends."""
    from maturity.assessments.progress import visible_keys
    from maturity.engine.answers import random_answer
    from maturity.engine.loader import parse_questionnaire

    config = run.config
    rng = random.Random(config["seed"] * 1000 + n)
    think_min, think_max = config["dealer_think"]
    definition = parse_questionnaire(config["manifest"]["versions"][person["version"]])
    browser = Browser(run)
    run.stop.wait(rng.uniform(0, config["ramp_up"]))
    logged_in = browser.login(person["email"], config["manifest"]["password"])
    if not wait_start(run, barrier) or not logged_in:
        return
    run.sleep(rng.uniform(0, think_max))
    draft = f"/dealerships/{person['dealership']}/assessments/{person['assessment']}/"
    reply = browser.request("dealer: resume draft (302)", draft, expect=(302,))
    areas = [a.key for a in definition.areas]
    where = re.search(r"/steps/([^/]+)/", reply.location)
    index = areas.index(where.group(1)) if where and where.group(1) in areas else 0
    values: dict[str, object] = {}
    while run.going(browser):
        area = definition.area(areas[index])
        step = f"{draft}steps/{area.key}/"
        page = browser.request("dealer: step page (GET)", step)
        if page.status != 200:
            run.sleep(think_max)
            continue
        revisions = {k: int(v) for k, v in REVISION.findall(page.text)}
        posted: list[tuple[str, str]] = []
        for question in area.questions:
            if question.key not in visible_keys(definition, values):
                continue
            if not run.sleep(rng.uniform(think_min, think_max)) or not run.going(browser):
                return
            value = random_answer(question, rng, dont_know_rate=0.05)
            fields = answer_fields(question.key, value)
            revision = revisions.get(question.key, 0)
            reply = browser.request(
                AUTOSAVE,
                f"{draft}answers/{question.key}/",
                data=[*fields, (f"rev-{question.key}", str(revision))],
                headers={
                    "HX-Request": "true",
                    "HX-Current-URL": run.base + step,
                    "X-CSRFToken": browser.csrf(),
                },
            )
            if reply.status != 200:
                continue
            revisions.update({k: int(v) for k, v in REVISION.findall(reply.text)})
            if question.key not in dict(REVISION.findall(reply.text)):
                fail(run, AUTOSAVE, {"path": step, "error": "no revision in the reply"})
            values[question.key] = value
            posted += fields
        # "Next": the step form posts every answer shown, with its revision.
        if not run.sleep(rng.uniform(think_min, think_max)) or not run.going(browser):
            return
        shown = {key for key, _value in posted}
        revision_fields = [
            (f"rev-{k}", str(revisions.get(k, 0)))
            for k in (q.key for q in area.questions)
            if f"q-{k}" in shown
        ]
        reply = browser.request(
            "dealer: step save + next (POST)",
            step,
            data=[
                ("csrfmiddlewaretoken", browser.csrf()),
                *posted,
                *revision_fields,
                ("go", "next"),
            ],
            expect=(302,),
        )
        where = re.search(r"/steps/([^/]+)/", reply.location)
        if reply.location.endswith("/review/"):
            browser.request("dealer: review page (GET)", f"{draft}review/")
            index = 0  # and round again: a dealer revising their answers
        elif where and where.group(1) in areas:
            index = areas.index(where.group(1))


def portfolio_query(rng: random.Random, manifest: dict, pages: int) -> str:
    params: dict[str, object] = {}
    key = rng.choice(manifest["sort_keys"])
    params["sort"] = key if rng.random() < 0.5 else f"-{key}"
    roll = rng.random()
    if roll < 0.15:
        params["region"] = rng.choice(manifest["regions"])
    elif roll < 0.30:
        params["status"] = rng.choice(["none", "draft", "submitted", "reviewed"])
    elif roll < 0.40:
        params["rung"] = rng.choice(["1", "2", "3", "4", "5"])
    elif roll < 0.50:
        params["alert"] = rng.choice(["dropped", "overdue", "stalled"])
    elif roll < 0.55:
        params["q"] = rng.choice(["Ville 01", "Concession", "Load 02"])
    else:
        params["page"] = rng.randint(1, pages)  # only unfiltered lists go deep
    return "/portfolio/?" + urllib.parse.urlencode(params)


def consultant(run: Run, barrier: threading.Barrier, person: dict, n: int) -> None:
    """Portfolio (sorts, filters, pages), a dealership page, a results page; again."""
    config = run.config
    rng = random.Random(config["seed"] * 1000 + 500 + n)
    think_min, think_max = config["consultant_think"]
    pages = max(1, math.ceil(len(person["dealerships"]) / config["manifest"]["page_size"]))
    browser = Browser(run)
    run.stop.wait(rng.uniform(0, config["ramp_up"]))
    logged_in = browser.login(person["email"], config["manifest"]["password"])
    if not wait_start(run, barrier) or not logged_in:
        return
    run.sleep(rng.uniform(0, think_max))
    while run.going(browser):
        browser.request(
            "consultant: portfolio (GET)", portfolio_query(rng, config["manifest"], pages)
        )
        if not run.sleep(rng.uniform(think_min, think_max)) or not run.going(browser):
            return
        dealership, assessment = rng.choice(person["results"])
        if rng.random() < 0.3:  # one of the dealers' own (draft in progress)
            dealership = rng.choice(person["dealerships"])
        browser.request("consultant: dealership page (GET)", f"/dealerships/{dealership}/")
        if not run.sleep(rng.uniform(think_min, think_max)) or not run.going(browser):
            return
        browser.request("consultant: results page (GET)", f"/assessments/{assessment}/results/")
        if not run.sleep(rng.uniform(think_min, think_max)):
            return


def pdf(run: Run, barrier: threading.Barrier) -> None:
    """One PDF, asked for at the start of the window; poll its status as the page does."""
    config = run.config
    target = config["manifest"]["pdf"]
    browser = Browser(run)
    run.stop.wait(random.Random(config["seed"]).uniform(0, config["ramp_up"]))
    logged_in = browser.login(target["email"], config["manifest"]["password"])
    if logged_in:  # the page with the button, for its CSRF token
        browser.request("pdf: dealership page (GET)", f"/dealerships/{target['dealership']}/")
    if not wait_start(run, barrier) or not logged_in:
        return
    asked = time.monotonic()
    base = f"/dealerships/{target['dealership']}/"
    reply = browser.request(
        "pdf: generate (POST)",
        f"{base}assessments/{target['assessment']}/report/",
        data={"csrfmiddlewaretoken": browser.csrf(), "language": "fr"},
        expect=(302,),
    )
    found = re.search(r"/reports/(\d+)/$", reply.location)
    if not found:
        run.notes["pdf"] = {"state": "not queued", "status": reply.status}
        return
    report = f"{base}reports/{found.group(1)}/"
    browser.request("pdf: status page (GET)", report)
    state, limit = "timeout", asked + config["pdf_timeout"]
    while time.monotonic() < limit and not run.stop.is_set():
        run.stop.wait(2.0)  # the status page polls every 2 s
        poll = browser.request(
            "pdf: status poll (htmx GET)", f"{report}status/", headers={"HX-Request": "true"}
        )
        if "/download/" in poll.text:
            state = "ready"
            break
        if "report-stage-failed" in poll.text:
            state = "failed"
            break
    ready = time.monotonic() - asked
    note: dict[str, object] = {"state": state, "seconds": round(ready, 1), "report": report}
    if state == "ready":
        download = browser.request("pdf: download (GET)", f"{report}download/")
        note["pdf"] = download.text == "%PDF"
        if download.status == 200 and download.text != "%PDF":
            fail(run, "pdf: download (GET)", {"path": report, "error": "not a PDF"})
    run.notes["pdf"] = note


def floor(run: Run, barrier: threading.Barrier, browser: Browser) -> None:
    """The cheapest authenticated page, at a steady pace, during the window."""
    if not wait_start(run, barrier):
        return
    while run.going(browser):
        browser.request("floor: authenticated page (GET)", FLOOR_PATH)
        if not run.sleep(run.config["floor_interval"]):
            return


def cpu_snapshot(groups: dict[str, int]) -> dict[str, float]:
    """CPU seconds so far: the machine (busy), each process group, PostgreSQL, us."""
    ticks = os.sysconf("SC_CLK_TCK")
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [int(v) for v in fields]
    idle = values[3] + values[4]
    out = {"machine busy": (sum(values) - idle) / ticks, "machine total": sum(values) / ticks}
    by_group = {pgid: name for name, pgid in groups.items()}
    for name in [*groups, "postgres (all databases)"]:
        out[name] = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        rest = stat[stat.rindex(")") + 2 :].split()
        seconds = (int(rest[11]) + int(rest[12])) / ticks
        pgrp = int(rest[2])
        if pgrp in by_group:
            out[by_group[pgrp]] += seconds
        elif comm == "postgres":
            out["postgres (all databases)"] += seconds
    out["load generator (client process)"] = time.process_time()
    return out


def run_clients(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text())
    manifest = config["manifest"]
    run = Run(config)
    groups = {name: int(pgid) for name, pgid in config["groups"].items()}

    # The floor with nothing else running (the server is warm: a few requests first).
    browser = Browser(run)
    if not browser.login(manifest["floor"], manifest["password"]):
        raise SystemExit("the floor user could not log in")
    for _ in range(5):
        browser.request("warm-up", FLOOR_PATH)
    idle_started = time.monotonic()
    for _ in range(config["floor_idle"]):
        browser.request("floor, idle (before the load)", FLOOR_PATH)
    run.notes["idle_window"] = time.monotonic() - idle_started

    snapshots: dict[str, dict] = {}

    def begin() -> None:  # runs once, when everybody is logged in
        run.t0 = time.monotonic()
        run.deadline = run.t0 + config["duration"]
        snapshots["start"] = cpu_snapshot(groups)

    people = [
        (dealer, (person, n)) for n, person in enumerate(manifest["dealers"][: config["dealers"]])
    ] + [
        (consultant, (person, n))
        for n, person in enumerate(manifest["consultants"][: config["consultants"]])
    ]
    barrier = threading.Barrier(len(people) + 3, action=begin)
    threads = [
        threading.Thread(target=target, args=(run, barrier, *extra), daemon=True)
        for target, extra in people
    ]
    threads.append(threading.Thread(target=pdf, args=(run, barrier), daemon=True))
    threads.append(threading.Thread(target=floor, args=(run, barrier, browser), daemon=True))
    ramp_started = time.monotonic()
    for thread in threads:
        thread.start()
    try:
        barrier.wait(timeout=config["ramp_up"] + 120)
        run.notes["ramp_up"] = time.monotonic() - ramp_started
        time.sleep(max(0.0, run.deadline - time.monotonic()))
        snapshots["end"] = cpu_snapshot(groups)
        run.notes["window"] = time.monotonic() - run.t0
        # The PDF may still be rendering: give it until its own limit.
        limit = run.t0 + config["pdf_timeout"] + 5
        for thread in threads:
            thread.join(timeout=max(1.0, limit - time.monotonic()))
    except threading.BrokenBarrierError:
        run.notes["aborted"] = "the clients did not all start in time"
    except KeyboardInterrupt:
        run.notes["aborted"] = "interrupted"
    finally:
        run.stop.set()
        barrier.abort()
        for thread in threads:
            thread.join(timeout=5)
    if "start" in snapshots and "end" not in snapshots:
        snapshots["end"] = cpu_snapshot(groups)
    logins = [r for r in run.records if r[0].startswith("login")]
    result = {
        "records": [
            (label, start - run.t0, seconds, ok)
            for label, start, seconds, ok in run.records
            if not label.startswith("login")
        ],
        "logins": logins and [(label, 0.0, seconds, ok) for label, _s, seconds, ok in logins],
        "errors": run.errors,
        "notes": run.notes,
        "cpu": snapshots,
        "pid": os.getpid(),
    }
    Path(config["results"]).write_text(json.dumps(result))


# =========================================================================================
# Orchestration: the database, the servers, the client process, the report
# =========================================================================================


def ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not parts.scheme.startswith("postgres") or not name:
        raise SystemExit(f"--database-url must be a PostgreSQL URL with a database: {url}")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def broker_url(requested: str, run_dir: Path) -> tuple[str, dict[str, str]]:
    """The broker to use, and extra environment; Redis if it answers, else the filesystem."""
    if requested.startswith("redis://"):
        parts = urllib.parse.urlsplit(requested)
        try:
            with socket.create_connection((parts.hostname, parts.port or 6379), timeout=2) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return requested, {}
        except OSError:
            pass
        print(f"Redis at {parts.hostname}:{parts.port} does not answer: filesystem broker")
    folder = run_dir / "broker"
    return "filesystem://", {
        "CELERY_BROKER_DIR": str(folder),
        "CELERY_RESULT_BACKEND_DIR": str(run_dir / "results"),
    }


def machine_busy(seconds: float) -> float:
    """Share of all cores busy over ``seconds`` (from /proc/stat), 0..1."""

    def sample() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        return sum(values), values[3] + values[4]

    total, idle = sample()
    time.sleep(seconds)
    total2, idle2 = sample()
    return 1 - (idle2 - idle) / max(1, total2 - total)


def wait_quiet(limit: float) -> float:
    """Wait up to ``limit`` seconds for the machine to be under 30 % busy; the last figure."""
    end = time.monotonic() + limit
    busy = machine_busy(3)
    while busy > 0.3 and time.monotonic() < end:
        print(f"machine {busy:.0%} busy with other work: waiting (--wait-quiet)", flush=True)
        time.sleep(10)
        busy = machine_busy(3)
    return busy


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    """A server in its own process group (stopped as a group, by its id, on exit)."""
    with log.open("ab") as out:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


def stop(process: subprocess.Popen, name: str, grace: float) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        print(f"{name} did not stop in {grace:.0f} s: killing it")
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


def wait_ready(url: str, processes: dict[str, subprocess.Popen], logs: Path) -> None:
    limit = time.monotonic() + 60
    while time.monotonic() < limit:
        for name, process in processes.items():
            if process.poll() is not None:
                raise SystemExit(f"{name} exited ({process.returncode}): see {logs}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} not ready after 60 s: see {logs}")


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


ORDER = [
    "dealer: resume draft (302)",
    "dealer: step page (GET)",
    AUTOSAVE,
    "dealer: step save + next (POST)",
    "dealer: review page (GET)",
    "consultant: portfolio (GET)",
    "consultant: dealership page (GET)",
    "consultant: results page (GET)",
    "pdf: generate (POST)",
    "pdf: status page (GET)",
    "pdf: status poll (htmx GET)",
    "pdf: download (GET)",
    "floor: authenticated page (GET)",
]


def table(rows: list[tuple[str, float, float, bool]], window: float, *, header: bool) -> int:
    """Print one line per endpoint; return the error count."""
    if header:
        print(
            f"{'endpoint':<40} {'count':>6} {'req/s':>7} {'median':>8} {'p95':>8} "
            f"{'max':>8} {'errors':>6}"
        )
    labels = sorted({r[0] for r in rows}, key=lambda x: [*ORDER, x].index(x))
    errors = 0
    for label in labels:
        mine = [r for r in rows if r[0] == label]
        times = [r[2] * 1000 for r in mine if r[2] > 0]
        bad = sum(1 for r in mine if not r[3])
        errors += bad
        if not times:
            print(f"{label:<40} {'':>6} {'':>7} {'':>8} {'':>8} {'':>8} {bad:>6}")
            continue
        print(
            f"{label:<40} {len(times):>6} {len(times) / window:>7.1f} "
            f"{statistics.median(times):>6.0f}ms {percentile(times, 95):>6.0f}ms "
            f"{max(times):>6.0f}ms {bad:>6}"
        )
    return errors


def report(results: dict, args: argparse.Namespace, logs: Path) -> int:
    notes = results["notes"]
    window = notes.get("window") or args.duration
    in_window = [r for r in results["records"] if 0 <= r[1] <= window]
    idle = [r for r in results["records"] if r[0].startswith("floor, idle")]
    print(
        f"\n=== measured window: {window:.1f} s, after a {notes.get('ramp_up', 0):.1f} s "
        f"ramp-up (logins) ==="
    )
    errors = table(in_window, window, header=True)
    requests = [r for r in in_window if r[2] > 0]
    print(f"{'all requests':<40} {len(requests):>6} {len(requests) / window:>7.1f}")
    print("\n--- outside the window ---")
    table(idle, notes.get("idle_window") or 1.0, header=False)
    logins = results["logins"] or []
    login_errors = table(logins, max(notes.get("ramp_up", 1.0), 1.0), header=False)
    late = [r for r in results["records"] if r[1] > window and not r[3]]

    pdf_note = notes.get("pdf", {})
    pdf_failed = 0
    if pdf_note.get("state") == "ready":
        print(
            f"\nPDF: ready {pdf_note['seconds']:.1f} s after the request "
            f"(status polled every 2 s, so to within 2 s); download is a PDF: {pdf_note['pdf']}"
        )
    else:
        print(f"\nPDF: NOT READY ({pdf_note or 'not requested'})")
        pdf_failed = 1
        if pdf_note.get("state") == "failed":
            print(f"  the worker's error is in {logs / 'celery.log'}")

    autosave = [r[2] * 1000 for r in in_window if r[0] == AUTOSAVE and r[2] > 0]
    floor_times = [r[2] * 1000 for r in in_window if r[0].startswith("floor:")]
    total_errors = errors + login_errors + len(late) + pdf_failed
    print(
        f"errors: {total_errors} (in the window {errors}, logins {login_errors}, "
        f"after the window {len(late)}, PDF not ready {pdf_failed})"
    )
    for sample in results["errors"][:10]:
        print(f"  {sample}")
    if autosave:
        p95 = percentile(autosave, 95)
        verdict = "OK" if p95 < 150 else "ABOVE the 150 ms aim"
        floor_p95 = percentile(floor_times, 95) if floor_times else float("nan")
        print(f"autosave p95: {p95:.0f} ms ({verdict}); floor p95 under load: {floor_p95:.0f} ms")

    cpu = results.get("cpu", {})
    if "start" in cpu and "end" in cpu:
        start, end = cpu["start"], cpu["end"]
        wall = end["machine total"] - start["machine total"]
        cores = os.cpu_count() or 1
        busy = (end["machine busy"] - start["machine busy"]) / wall * 100 if wall else 0
        print(f"\nCPU over the window ({cores} cores; 100 % = one core): machine busy {busy:.0f} %")
        ours = 0.0
        for name in start:
            if name.startswith("machine"):
                continue
            used = (end[name] - start[name]) / window * 100
            ours += used
            print(f"  {name:<36} {used:>5.0f} %")
        # /proc/stat counts per core: busy share of the whole machine, in "one core" units.
        other = max(0.0, busy * cores - ours)
        print(f"  {'everything else on the machine':<36} {other:>5.0f} %")
        web = end["gunicorn (master + workers)"] - start["gunicorn (master + workers)"]
        if requests and web > 0:
            print(
                f"gunicorn CPU per request (mix of the window): {web / len(requests) * 1000:.0f} ms"
                f" -> at most ~{len(requests) / web * cores:.0f} req/s on {cores} free cores"
            )
    print(
        f"\nThe clients ran in a separate process (pid {results['pid']}) on the same "
        f"{os.cpu_count()}-core machine: they compete with gunicorn, PostgreSQL and the "
        "Celery worker for CPU, so the figures are pessimistic for the server alone. "
        f"Server logs: {logs}"
    )
    return total_errors


# Gunicorn hooks (written to the run folder, loaded with --config): the CPU time of the
# thread serving each request, its SQL queries and their time, one line per request. CPU
# time does not grow when other programs take the cores: it is what a request costs.
GUNICORN_HOOKS = """
import os
import threading
import time

_files = {}
_lock = threading.Lock()


class _Queries:
    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


def pre_request(worker, req):
    from django.db import connection

    queries = _Queries()
    connection.execute_wrappers.append(queries)
    req.bench = (time.thread_time(), time.perf_counter(), queries)


def post_request(worker, req, environ, resp):
    from django.db import connection

    cpu, wall, queries = req.bench
    if queries in connection.execute_wrappers:
        connection.execute_wrappers.remove(queries)
    out = _files.get(os.getpid())
    if out is None:
        path = os.path.join(os.environ["BENCH_LOAD_DIR"], f"server-{os.getpid()}.tsv")
        out = _files[os.getpid()] = open(path, "a", buffering=1)
    status = str(getattr(resp, "status", "0")).split()[0]
    with _lock:
        out.write(
            f"{time.time():.3f}\\t{req.method}\\t{req.path}\\t{status}\\t"
            f"{(time.thread_time() - cpu) * 1000:.2f}\\t"
            f"{(time.perf_counter() - wall) * 1000:.2f}\\t"
            f"{queries.count}\\t{queries.seconds * 1000:.2f}\\n"
        )
"""

SERVER_LABELS = [
    ("POST", r"/answers/[^/]+/$", AUTOSAVE),
    ("GET", r"/assessments/\d+/steps/[^/]+/$", "dealer: step page (GET)"),
    ("POST", r"/assessments/\d+/steps/[^/]+/$", "dealer: step save + next (POST)"),
    ("GET", r"^/dealerships/\d+/assessments/\d+/$", "dealer: resume draft (302)"),
    ("GET", r"/review/$", "dealer: review page (GET)"),
    ("GET", r"^/portfolio/$", "consultant: portfolio (GET)"),
    ("GET", r"^/dealerships/\d+/$", "consultant: dealership page (GET)"),
    ("GET", r"^/assessments/\d+/results/$", "consultant: results page (GET)"),
    ("POST", r"/report/$", "pdf: generate (POST)"),
    ("GET", r"/reports/\d+/$", "pdf: status page (GET)"),
    ("GET", r"/reports/\d+/status/$", "pdf: status poll (htmx GET)"),
    ("GET", r"/reports/\d+/download/$", "pdf: download (GET)"),
    ("GET", "^" + re.escape(FLOOR_PATH) + "$", "floor: authenticated page (GET)"),
    ("GET", r"^/accounts/login/$", "login form (GET)"),
    ("POST", r"^/accounts/login/$", "login (POST)"),
]


def server_side(logs: Path) -> None:
    """Per endpoint, from the gunicorn hooks: CPU, queries and SQL time of each request."""
    rows: dict[str, list[tuple[float, float, int, float]]] = {}
    for path in logs.glob("server-*.tsv"):
        for line in path.read_text().splitlines():
            _t, method, url, _status, cpu, wall, queries, sql_ms = line.split("\t")
            label = next(
                (
                    name
                    for m, pattern, name in SERVER_LABELS
                    if m == method and re.search(pattern, url)
                ),
                None,
            )
            if label is not None:
                rows.setdefault(label, []).append(
                    (float(cpu), float(wall), int(queries), float(sql_ms))
                )
    if not rows:
        return
    print(
        f"\n--- server side, every request of the run (gunicorn hooks) ---\n"
        f"{'endpoint':<40} {'count':>6} {'CPU med':>8} {'CPU p95':>8} {'queries':>8} "
        f"{'SQL med':>8} {'wall med':>9}"
    )
    for label in sorted(rows, key=lambda x: [*ORDER, x].index(x)):
        mine = rows[label]
        cpu = [r[0] for r in mine]
        print(
            f"{label:<40} {len(mine):>6} {statistics.median(cpu):>6.1f}ms "
            f"{percentile(cpu, 95):>6.1f}ms {statistics.median(r[2] for r in mine):>8.0f} "
            f"{statistics.median(r[3] for r in mine):>6.1f}ms "
            f"{statistics.median(r[1] for r in mine):>7.0f}ms"
        )
    print(
        "CPU: time on the CPU of the thread serving the request (what it costs, whatever "
        "else runs);\nSQL: time spent in the database calls; wall: inside gunicorn, "
        "queueing at the socket excluded."
    )


def server_errors(logs: Path) -> int:
    count = 0
    for log in logs.glob("*.log"):
        text = log.read_text(errors="replace")
        count += text.count("Traceback (most recent call last)")
    return count


def orchestrate(args: argparse.Namespace) -> int:
    run_dir = BENCH_DIR / f"run-{datetime.now():%Y%m%d-%H%M%S}"
    run_dir.mkdir(parents=True, exist_ok=True)
    ensure_database(args.database_url)
    broker, broker_env = broker_url(args.broker, run_dir)
    port = args.port or free_port()
    base = f"http://{HOST}:{port}"
    env = {
        **os.environ,
        **broker_env,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SITE_URL": base,
        "DATABASE_URL": args.database_url,
        "CELERY_BROKER_URL": broker,
        "VAR_DIR": str(run_dir),
        "MEDIA_ROOT": str(run_dir / "media"),  # a fresh one: the PDF is rendered every run
        "STATIC_ROOT": str(BENCH_DIR / "static"),
        "REPORTS_EMAIL_WHEN_READY": "0",
        # The simulated consultants log in with a password only (no authenticator app).
        "MFA_REQUIRED_FOR_STAFF_AND_CONSULTANTS": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        "BENCH_LOAD_DIR": str(run_dir),
    }
    env.pop("CELERY_RESULT_BACKEND", None)
    print(
        f"database {args.database_url}; broker {broker}; gunicorn {args.workers} "
        f"{args.worker_class} worker(s) x {args.threads} thread(s) on {base}; "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} before the start"
    )
    manifest_path = run_dir / "manifest.json"
    setup = [PYTHON, str(Path(__file__).resolve()), "--internal-setup", str(manifest_path)]
    setup += [f"--dealers={args.dealers}", f"--consultants={args.consultants}"]
    setup += [f"--extra={args.extra}", f"--seed={args.seed}"]
    setup += ["--reseed"] * args.reseed + ["--force"] * args.force
    started = time.monotonic()
    subprocess.run(setup, cwd=ROOT, env=env, check=True, timeout=1800)
    print(f"database ready in {time.monotonic() - started:.0f} s")
    manifest_data = json.loads(manifest_path.read_text())

    servers: dict[str, subprocess.Popen] = {}
    clients: subprocess.Popen | None = None
    try:
        servers["celery worker"] = start(
            [
                str(Path(PYTHON).parent / "celery"),
                "-A",
                "config",
                "worker",
                "--concurrency=1",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                f"--hostname=bench-load-{os.getpid()}@%h",
            ],
            env,
            run_dir / "celery.log",
        )
        hooks_file = run_dir / "gunicorn_bench_hooks.py"
        hooks_file.write_text(GUNICORN_HOOKS)
        servers["gunicorn"] = start(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "config.wsgi:application",
                f"--bind={HOST}:{port}",
                f"--workers={args.workers}",
                f"--worker-class={args.worker_class}",
                f"--threads={args.threads}",
                "--timeout=60",
                "--graceful-timeout=10",
                "--worker-tmp-dir=/dev/shm",
                "--log-level=warning",
                f"--config={hooks_file}",
            ],
            env,
            run_dir / "gunicorn.log",
        )
        wait_ready(f"{base}/healthz", servers, run_dir)
        busy = wait_quiet(args.wait_quiet)
        print(f"machine {busy:.0%} busy with other work just before the clients start")
        config = {
            "base": base,
            "manifest": manifest_data,
            "dealers": args.dealers,
            "consultants": args.consultants,
            "duration": args.duration,
            "ramp_up": args.ramp_up,
            "login_concurrency": max(1, args.login_concurrency),
            "max_requests": args.max_requests,
            "dealer_think": args.dealer_think,
            "consultant_think": args.consultant_think,
            "floor_interval": args.floor_interval,
            "floor_idle": args.floor_idle,
            "pdf_timeout": args.pdf_timeout,
            "seed": args.seed,
            "results": str(run_dir / "results.json"),
            "groups": {
                "gunicorn (master + workers)": servers["gunicorn"].pid,
                "celery worker (PDF)": servers["celery worker"].pid,
            },
        }
        config_path = run_dir / "clients.json"
        config_path.write_text(json.dumps(config))
        print(
            f"clients: {args.dealers} dealers, {args.consultants} consultants, 1 PDF, 1 floor "
            f"user, in a separate process; ramp-up {args.ramp_up:.0f} s, "
            f"window {args.duration:.0f} s ..."
        )
        clients = subprocess.Popen(
            [PYTHON, str(Path(__file__).resolve()), "--internal-clients", str(config_path)],
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        clients.wait(timeout=args.ramp_up + max(args.duration, args.pdf_timeout) + 240)
        if clients.returncode != 0:
            raise SystemExit(f"the client process failed ({clients.returncode})")
        results = json.loads((run_dir / "results.json").read_text())
    except KeyboardInterrupt:
        print("\ninterrupted: stopping the servers")
        return 130
    finally:
        # A second Ctrl-C must not cut the clean-up short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if clients is not None and clients.poll() is None:
            clients.terminate()
            try:
                clients.wait(timeout=10)
            except subprocess.TimeoutExpired:
                clients.kill()
        for name, process in reversed(servers.items()):
            stop(process, name, grace=30)
    errors = report(results, args, run_dir)
    server_side(run_dir)
    if crashes := server_errors(run_dir):
        print(f"server logs hold {crashes} traceback(s): see {run_dir}")
    if notes := results["notes"].get("aborted"):
        print(f"run aborted: {notes}")
    return 1 if errors or crashes else 0


def interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    args = parse_args()
    # Ctrl-C and SIGTERM both end the run through the ``finally`` blocks that stop the
    # servers, even when SIGINT was inherited as ignored (a job started with ``&``).
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    if args.internal_setup:
        run_setup(args)
    elif args.internal_clients:
        run_clients(args.internal_clients)
    else:
        sys.exit(orchestrate(args))


if __name__ == "__main__":
    main()
