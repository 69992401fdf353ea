"""The shared catalogue pages (``views.common``, ``views.kinds``): a kind's name leads to its URLs,
templates and importer; a record form gives the services their arguments and an edit form the
values of its record."""

import datetime as dt
from types import ModuleType
from typing import Any

import pytest
from django.template.loader import get_template
from django.urls import resolve, reverse

from minqing.catalogues.forms import CommendationForm, PowerItemForm
from minqing.catalogues.services.commendations import commendation_create
from minqing.catalogues.services.powers import power_item_create
from minqing.catalogues.views import commendations, powers, reforms
from minqing.catalogues.views.kinds import CatalogueKind
from minqing.core.importing import get_importer

KINDS: dict[str, tuple[ModuleType, CatalogueKind[Any, Any]]] = {
    "power": (powers, powers.POWER),
    "reform": (reforms, reforms.REFORM),
    "commendation": (commendations, commendations.COMMENDATION),
}


@pytest.mark.parametrize("name", list(KINDS))
def test_a_kind_names_its_urls_templates_and_importer(name) -> None:
    module, kind = KINDS[name]
    assert (kind.name, kind.plural) == (name, f"{name}s")
    assert get_importer(kind.plural) is not None
    get_template(f"catalogues/{name}_list.html")
    get_template(f"catalogues/{name}_detail.html")
    pages = {
        kind.plural: "list",
        f"{name}_new": "new",
        f"{name}_export": "export",
        f"{name}_import": "upload",
    }
    for url_name, page in pages.items():
        func = resolve(reverse(f"catalogues:{url_name}")).func
        assert func is getattr(module, f"{name}_{page}") and func.__name__ == f"{name}_{page}"
    assert resolve(reverse(f"catalogues:{name}", args=[1])).func is getattr(module, f"{name}_detail")


@pytest.mark.django_db
def test_record_forms_give_the_services_arguments_and_the_edit_form_its_values(cw) -> None:
    actor = cw.users["city_office"]
    data = {
        "unit_code": "150900-D001",
        "category": "licensing",
        "name": "许可",
        "code": "X1",
        "is_active": "on",
    }
    form = PowerItemForm(data, actor=actor)
    assert form.is_valid(), form.errors
    args = form.arguments()
    assert args == {
        "unit": cw.u["city_police"],
        "category": "licensing",
        "name": "许可",
        "code": "X1",
        "legal_basis": "",
        "published_on": None,
        "is_active": True,
    }
    item = power_item_create(actor=actor, **args)
    initial = PowerItemForm.initial_for(item)
    assert initial == {k: v for k, v in args.items() if k != "unit"}
    edit = PowerItemForm(initial, actor=actor, editing=True)
    assert edit.is_valid() and edit.arguments() == initial  # an edit keeps the unit
    data = {
        "person_number": "PA001",
        "unit_code": "150902001001",
        "title": "优秀共产党员",
        "date": "2016-07-01",
    }
    honour = CommendationForm({**data, "campaign": cw.campaign.pk}, actor=actor)
    assert honour.is_valid(), honour.errors
    assert honour.arguments()["person"] == cw.people["zhang"] and "person_number" not in honour.arguments()
    row = commendation_create(actor=actor, **honour.arguments())
    initial = CommendationForm.initial_for(row)
    assert initial == {
        "person_number": "PA001",
        "name": "张三",
        "title": "优秀共产党员",
        "date": dt.date(2016, 7, 1),
        "decided_on": None,
        "awarded_by": "",
        "campaign": cw.campaign.pk,
    }
