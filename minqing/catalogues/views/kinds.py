"""What a catalogue is to its pages: a ``CatalogueKind`` names the catalogue's reads, counts,
export, form, services and words; the generic pages (``common``) do the rest."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.paginator import Page
from django.db.models import QuerySet
from django.utils.functional import Promise

from minqing.catalogues.formats import ExportFormat, FileFormat
from minqing.catalogues.forms import RecordForm
from minqing.catalogues.models import Commendation, PowerItem, ReformMeasure
from minqing.orgs.actors import Actor

R = TypeVar("R", bound=PowerItem | ReformMeasure | Commendation)  # a catalogue's record
F = TypeVar("F")  # its list's filters
Text = str | Promise  # a lazy translation is translated when shown


@dataclass(frozen=True)
class Reads(Generic[R, F]):
    """What a catalogue's list and export read (``selectors``)."""

    filters: Callable[[Actor, Mapping[str, Any]], F]  # the list's filters, from the query string
    rows: Callable[[Actor, F], QuerySet[R]]  # what the actor sees through them (counted, exported)
    page: Callable[[Actor, F, Any], Page[Any]]  # a page of those rows, in the list's order
    summary: Callable[[QuerySet[R]], object]  # their counts (``counting``)


@dataclass(frozen=True)
class Writes(Generic[R]):
    """The form of a record and the services that create and update one with its ``arguments``."""

    form: type[RecordForm]
    create: Callable[..., R]
    update: Callable[..., object]
    record: str  # the name of the record to update among ``update``'s arguments


@dataclass(frozen=True)
class Words:
    """The words of the pages (``gettext_lazy``: translated when shown)."""

    new: Text  # the title of the new record's page
    created: Text  # the message once it is created
    upload: Text  # the title of the upload page


@dataclass(frozen=True)
class CatalogueKind(Generic[R, F]):
    """One catalogue, as its pages see it.

    ``name`` names its URLs (``catalogues:<name>``, ``<name>_new``; the list, ``<name>s``, which
    is also its importer's name) and its templates (``catalogues/<name>_list.html`` and
    ``_detail.html``).
    """

    name: str
    fmt: FileFormat
    export: Callable[[QuerySet[R], ExportFormat], bytes]  # rows in ``fmt``
    reads: Reads[R, F]
    choices: Callable[[Actor], dict[str, object]]  # the options of the list's filters, by context key
    writes: Writes[R]
    words: Words
    upload_help: Text  # how the upload page's file is applied
    datalist: tuple[str, ...] = ()  # suggestions for the form (<datalist id="common-titles">)

    @property
    def plural(self) -> str:
        return f"{self.name}s"

    def form_context(self, **ctx: object) -> dict[str, object]:
        """A form page's context, with the kind's suggestions where it has some."""
        return {**ctx, "datalist": self.datalist} if self.datalist else ctx
