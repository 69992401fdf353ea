"""A bulletin as the renderers see it: generated now, or published and frozen."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language, gettext, override

from minqing.reports.bulletins.formatting import format_date, format_value, json_number
from minqing.reports.metrics.registry import MetricContext


@dataclass(frozen=True)
class FigureRow:
    id: str
    label: str
    word: str
    kind: str
    value: int | float
    definition: str = ""

    @property
    def group(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def text(self) -> str:
        """The value as the bulletin prints it, with its counting word (79.6%, 59282 人次)."""
        shown = format_value(self.value, self.kind, word=self.word)
        return shown if self.kind == "share" or not self.word else f"{shown} {self.word}"

    # the label, word and definition are frozen in Chinese (the bulletin's language); a page or a
    # workbook shows them in the active language: the registered metric's own (lazy) words, else
    # the frozen Chinese through the catalogue (a metric since removed)

    def _shown(self, part: str) -> str:
        from minqing.reports.metrics.registry import METRICS, load_all

        frozen = str(getattr(self, part))
        if not frozen or (get_language() or "").startswith("zh"):
            return frozen  # a Chinese page shows the frozen words as they are
        load_all()
        metric = METRICS.get(self.id)
        live = str(getattr(metric, part)) if metric is not None else ""
        with override("zh-hans"):
            same = metric is not None and str(getattr(metric, part)) == frozen
        if same:
            return live
        return gettext(frozen) if frozen else ""

    @property
    def label_shown(self) -> str:
        return self._shown("label")

    @property
    def word_shown(self) -> str:
        return self._shown("word")

    @property
    def definition_shown(self) -> str:
        return self._shown("definition")

    @property
    def text_shown(self) -> str:
        """``text`` with the counting word in the active language (59282 person-times)."""
        shown = format_value(self.value, self.kind, word=self.word)
        return shown if self.kind == "share" or not self.word else f"{shown} {self.word_shown}"

    def as_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "label": self.label,
            "word": self.word,
            "kind": self.kind,
            "definition": self.definition,
        }

    @classmethod
    def from_json(cls, id: str, data: dict[str, Any]) -> "FigureRow":
        return cls(
            id=id,
            label=str(data.get("label", "")),
            word=str(data.get("word", "")),
            kind=str(data.get("kind", "count")),
            value=json_number(data.get("value", 0), str(data.get("kind", "count"))),
            definition=str(data.get("definition", "")),
        )


@dataclass
class BulletinDoc:
    unit_name: str
    unit_code: str
    as_of: dt.date
    campaign_name: str
    campaign_kind: str
    title: str
    paragraphs: list[str]
    figures: list[FigureRow]  # every metric computed, in registry order
    printed: list[str] = field(default_factory=list)  # the metric ids the text prints
    number: int | None = None  # the issue number once published
    published_at: dt.datetime | None = None
    context: MetricContext | None = None  # set when generated now (the xlsx tables need it)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def as_of_text(self) -> str:
        """The date as the (Chinese) document prints it: 2019年12月20日."""
        return format_date(self.as_of, "zh-hans")

    @property
    def as_of_display(self) -> str:
        """The date in the page's language: 2019年12月20日, or December 20, 2019."""
        return format_date(self.as_of)

    def figure(self, id: str) -> FigureRow | None:
        return next((f for f in self.figures if f.id == id), None)

    def figures_json(self) -> dict[str, dict[str, Any]]:
        return {f.id: f.as_json() for f in self.figures}

    def groups(self) -> dict[str, list[FigureRow]]:
        out: dict[str, list[FigureRow]] = {}
        for f in self.figures:
            out.setdefault(f.group, []).append(f)
        return out
