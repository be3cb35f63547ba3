"""Score an answers file against the current questionnaire: what ``manage.py assess``
prints (consultants enter paper questionnaires with it; tests use it too).

No database: the questionnaire and the catalogue are the files on disk. :func:`assess_file`
returns an :class:`Assessed` value; :meth:`Assessed.to_json` is the command's ``--json``
object, :meth:`Assessed.lines` its text, in French or English.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from common.i18n import normalise_language
from maturity.engine.definition import Questionnaire
from maturity.engine.roadmap import HORIZONS, Roadmap, build_roadmap
from maturity.engine.scoring import Result, display, score, whole
from maturity.questionnaire.answers_file import (
    AnswersFileError,
    checked_answers,
    read_answers_file,
)
from maturity.questionnaire.catalogues import catalogue_for
from maturity.questionnaire.files import current_definition
from maturity.results.presenters import (
    ConfidenceInfo,
    RoadmapPlan,
    confidence_info,
    roadmap_plan,
)

__all__ = ["AnswersFileError", "Assessed", "assess_file"]


@dataclass(frozen=True)
class Assessed:
    """One answers file, scored, with its roadmap (``roadmap`` is ``None`` when no
    catalogue fits the questionnaire)."""

    definition: Questionnaire  # as asked of the file's dealer profile
    result: Result
    confidence: ConfidenceInfo
    roadmap: Roadmap | None
    plan: RoadmapPlan | None
    language: str

    def to_json(self) -> dict[str, Any]:
        """``rung``, ``rung_key``, ``provisional``, ``areas`` (area key -> score, one
        decimal), ``suggestion`` (action keys), ``horizons`` (action keys per horizon),
        ``backlog`` (action keys)."""
        roadmap = self.roadmap
        return {
            "rung": self.result.rung,
            "rung_key": self.result.rung_check.key,
            "provisional": self.confidence.provisional,
            "areas": {a.key: display(a.score) for a in self.result.areas},
            "suggestion": list(roadmap.suggestion) if roadmap else [],
            "horizons": [[i.key for i in roadmap.horizon(h)] for h in HORIZONS] if roadmap else [],
            "backlog": list(roadmap.backlog_keys) if roadmap else [],
        }

    def lines(self) -> list[str]:
        """The result in words, for a terminal."""
        language, definition, result = self.language, self.definition, self.result
        with translation.override(language):
            rung = definition.rung(result.rung)
            title = rung.title.get(language) if rung else ""
            out = [
                _("Rung %(number)s of %(total)s: %(title)s (%(key)s)")
                % {
                    "number": result.rung,
                    "total": len(definition.rungs),
                    "title": title,
                    "key": result.rung_check.key,
                }
            ]
            if self.confidence.provisional:
                out.append(
                    _("Provisional: find out first: %(questions)s")
                    % {"questions": "; ".join(self.confidence.find_out_first)}
                )
            out.append(_("Overall score: %(score)s / 100") % {"score": whole(result.overall_score)})
            out.append(self.confidence.sentence)
            out.append("")
            out.append(_("Scores by area:"))
            for area in result.areas:
                name = definition.area(area.key).title.get(language)
                out.append(f"  {area.key:<15} {whole(area.score):>3}  {name}")
            plan, roadmap = self.plan, self.roadmap
            if plan is None or roadmap is None:
                out += ["", _("No action catalogue fits this questionnaire.")]
                return out
            out.append("")
            if result.next_rung is not None:
                out.append(_("To reach the next rung, in the first three months:"))
                for step in plan.suggestion:
                    out.append(f"  - {step.action.key}: {step.action.title}")
                    for change in step.changes:
                        before = f"{change.before} -> " if change.before else ""
                        out.append(f"      {change.text}: {before}{change.after}")
                if plan.way_rest:
                    out.append(
                        "  "
                        + _("(and %(count)s more actions after that)") % {"count": plan.way_rest}
                    )
            else:
                out.append(_("Staying at the top:"))
                for advice in plan.maintenance:
                    detail = f" {advice.detail}" if advice.detail else ""
                    out.append(f"  - {advice.title}.{detail}")
            for block in plan.horizons:
                if block.actions:
                    out += ["", f"{block.title} ({block.key}):"]
                    out += [f"  {a.number:>2}. {a.key}: {a.title}" for a in block.actions]
            if plan.backlog:
                out += ["", _("Later:") + " " + ", ".join(a.key for a in plan.backlog)]
        return out


def assess_file(path: str | Path, *, language: str = "fr") -> Assessed:
    """Read, check and score an answers file against the questionnaire on disk.

    Raises :class:`AnswersFileError` (naming the key) for a file that cannot be read or
    whose answers do not fit the questionnaire.
    """
    language = normalise_language(language)
    answers_file = read_answers_file(path)
    definition, answers = checked_answers(answers_file, current_definition())
    result = score(definition, answers)
    catalogue = catalogue_for(definition)
    roadmap = (
        build_roadmap(definition, answers, result, catalogue) if catalogue is not None else None
    )
    return Assessed(
        definition=definition,
        result=result,
        confidence=confidence_info(definition, result, language=language),
        roadmap=roadmap,
        plan=roadmap_plan(definition, result, language=language, catalogue=catalogue),
        language=language,
    )
