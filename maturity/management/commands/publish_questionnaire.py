from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maturity.questionnaire.files import QUESTIONNAIRE_FILE
from maturity.questionnaire.services import QuestionnaireError, questionnaire_publish


class Command(BaseCommand):
    help = (
        "Check the questionnaire file and publish it as an immutable version "
        "(nothing happens when that exact content is already published)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--path", default=str(QUESTIONNAIRE_FILE), help="YAML file to publish")

    def handle(self, *args: object, path: str, **options: object) -> None:
        try:
            version, created = questionnaire_publish(path=path)
        except QuestionnaireError as error:
            raise CommandError(f"The questionnaire was not published.\n{error}") from error
        what = "Created" if created else "Unchanged"
        style = self.style.SUCCESS if created else self.style.NOTICE
        self.stdout.write(style(f"{what}: questionnaire version {version}"))
