from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maturity.results.assess import AnswersFileError, assess_file


class Command(BaseCommand):
    help = (
        "Score an answers file (the format of maturity/content/personas/*.yaml) against the "
        "current questionnaire: rung, area scores, confidence, the way to the next rung and "
        "the roadmap by horizon. A bad file stops with status 2 and names the key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("answers", help="YAML answers file")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--lang", choices=("fr", "en"), default="fr", help="language")

    def handle(self, *args: object, answers: str, **options: object) -> None:
        try:
            assessed = assess_file(answers, language=str(options["lang"]))
        except AnswersFileError as error:
            raise CommandError(
                f"The answers file was not scored.\n{error}", returncode=2
            ) from error
        if options["json"]:
            self.stdout.write(json.dumps(assessed.to_json(), ensure_ascii=False))
            return
        self.stdout.write("\n".join(assessed.lines()))
