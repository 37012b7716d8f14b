"""Reusable widgets: one module per prompt type, plus small shared pieces.

``widget_for(prompt, ...)`` builds the right prompt widget for a prompt's type.
"""

from __future__ import annotations

from ..model import Couple, Prompt
from .answer_view import AnswerView, format_answer
from .badge import PartnerBadge
from .base import PromptWidget
from .checklist import ChecklistPrompt
from .choice import ChoicePrompt
from .commitment import CommitmentPrompt
from .scale import ScalePrompt
from .template import TemplatePrompt
from .text import TextPrompt
from .turns import TurnsPrompt

WIDGETS: dict[str, type[PromptWidget]] = {
    "text": TextPrompt,
    "scale": ScalePrompt,
    "checklist": ChecklistPrompt,
    "choice": ChoicePrompt,
    "template": TemplatePrompt,
    "commitment": CommitmentPrompt,
    "turns": TurnsPrompt,
}


def widget_for(prompt: Prompt, *, partner: str = "a", couple: Couple | None = None, id: str | None = None) -> PromptWidget:
    cls = WIDGETS.get(prompt.type, TextPrompt)
    return cls(prompt, partner=partner, couple=couple, id=id)


__all__ = [
    "AnswerView",
    "ChecklistPrompt",
    "ChoicePrompt",
    "CommitmentPrompt",
    "PartnerBadge",
    "PromptWidget",
    "ScalePrompt",
    "TemplatePrompt",
    "TextPrompt",
    "TurnsPrompt",
    "WIDGETS",
    "format_answer",
    "widget_for",
]
