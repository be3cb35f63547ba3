from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from maturity.models import Assessment
from maturity.results.services import ResultDifference, result_differences


class Command(BaseCommand):
    help = (
        "Rescore every submitted assessment with the current engine and the questionnaire "
        "version it is pinned to, and report how the results would change. Nothing is "
        "written unless --apply is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--apply",
            action="store_true",
            help="Replace the stored results that differ (and create missing ones).",
        )

    def handle(self, *args: object, apply: bool, **options: object) -> None:
        total = Assessment.objects.submitted().count()
        changed = errors = 0
        for difference in result_differences(apply=apply):
            if difference.error:
                errors += 1
                self.stdout.write(self.style.ERROR(self._line(difference)))
            else:
                changed += 1
                self.stdout.write(self._line(difference))
        summary = f"{changed} of {total} submitted assessment(s) differ"
        if errors:
            summary += f"; {errors} cannot be scored any more (left as they are)"
        self.stdout.write(summary + ".")
        if apply:
            self.stdout.write(self.style.SUCCESS(f"Applied: {changed} result(s) written."))
        elif changed:
            self.stdout.write(
                self.style.NOTICE("Nothing written. Run again with --apply to store them.")
            )

    @staticmethod
    def _line(d: ResultDifference) -> str:
        when = f" submitted {d.submitted_at:%Y-%m-%d}" if d.submitted_at else ""
        head = f"Assessment {d.assessment_id} · {d.dealership}{when}: "
        if d.error:
            return head + f"cannot be scored: {d.error}"
        if d.old_rung is None:
            return head + f"no stored result; new rung {d.new_rung} (engine {d.new_engine})"
        parts = [f"rung {d.old_rung} -> {d.new_rung}"]
        if d.old_engine != d.new_engine:
            parts.append(f"engine {d.old_engine} -> {d.new_engine}")
        for key, (old, new) in d.area_changes.items():
            parts.append(f"{key} {old:.1f} -> {new:.1f} ({new - old:+.1f})")
        if d.overall is not None:
            old, new = d.overall
            parts.append(f"overall {old:.1f} -> {new:.1f} ({new - old:+.1f})")
        if not d.scores_changed and d.old_engine == d.new_engine:
            parts.append("explanations only")
        return head + "; ".join(parts)
