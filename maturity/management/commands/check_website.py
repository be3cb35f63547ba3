from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.outgoing import InvalidURL, SchemeNotAllowed
from maturity.measured import services
from maturity.measurements.website import check_website, load_host_lists

MARKS = {True: "yes", False: "no", None: "?"}


class Command(BaseCommand):
    help = (
        "Measure a website as the dealership check does (own domain, HTTPS, mobile, forms, "
        "booking, click-to-call, stock, social links, analytics, freshness) and print each "
        "check with its evidence. Nothing is stored. Exit status 2 when the address cannot "
        "be checked (the reason on stderr). Private addresses are refused unless "
        "OUTGOING_ALLOW_PRIVATE=1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", help="the address to check (https:// is assumed)")
        parser.add_argument(
            "--json",
            action="store_true",
            help="print one JSON object: a key per check with ok (true/false/null) and "
            "evidence, plus url, final_url, fetched_at, error, pages and checks",
        )

    def handle(self, *args: object, url: str, **options: object) -> None:
        try:
            measured = check_website(
                url, policy=services.outgoing_policy(), hosts=load_host_lists()
            )
        except (InvalidURL, SchemeNotAllowed, ValueError) as error:
            raise CommandError(f"{url}: cannot be checked: {error}", returncode=2) from error
        data = measured.to_dict()
        if options["json"]:
            self.stdout.write(json.dumps({**data["checks"], **data}, ensure_ascii=False))
        else:
            width = max(len(key) for key in data["checks"])
            self.stdout.write(f"{data['url']} (read {data['fetched_at']})")
            for key, check in data["checks"].items():
                self.stdout.write(f"{key:<{width}}  {MARKS[check['ok']]:<3}  {check['evidence']}")
        if measured.error:
            raise CommandError(
                f"{url}: cannot be checked: {measured.error.get('reason', '')}", returncode=2
            )
