"""The personal-data registry (``minqing.core.privacy``) and the ``minqing privacy`` report."""

import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test.utils import isolate_apps

from minqing.core import privacy
from minqing.ledger.services.intake import Reporter, feedback_submit
from minqing.orgs.actors import SYSTEM
from minqing.orgs.tests.factories import small_tree


def test_every_field_that_looks_personal_is_declared():
    assert privacy.undeclared_fields() == [], (
        "declare these in minqing/core/privacy.py: PERSONAL (with kind, display, readers, "
        "retention) or NOT_PERSONAL"
    )


def test_the_registry_names_only_fields_that_exist():
    for label, entry in privacy.PERSONAL.items():
        model = apps.get_model(label)
        for name in entry.fields:
            model._meta.get_field(name)  # FieldDoesNotExist for a stale entry
    for key in privacy.NOT_PERSONAL:
        label, name = key.rsplit(".", 1)
        apps.get_model(label)._meta.get_field(name)


@isolate_apps("minqing.core")
def test_a_new_personal_looking_field_is_caught(monkeypatch):
    class Witness(models.Model):
        mobile = models.CharField(max_length=20)
        contact_email = models.EmailField()
        id_number = models.CharField(max_length=18)
        title = models.CharField(max_length=20)

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return self.title

    monkeypatch.setattr(privacy.apps, "get_models", lambda: [Witness])
    assert privacy.undeclared_fields() == [
        "core.Witness.mobile",
        "core.Witness.contact_email",
        "core.Witness.id_number",
    ]


@pytest.mark.parametrize("name", ["phone", "head_name", "ip", "email", "id_number", "idcard", "caller"])
def test_suspect_names(name):
    assert privacy.is_suspect(name)


@pytest.mark.parametrize("name", ["title", "description", "recipient", "shipping", "number", "path"])
def test_innocent_names(name):
    assert not privacy.is_suspect(name)


def test_report_json_counts_rows_and_says_what_is_encrypted(db):
    u = small_tree()
    feedback_submit(
        actor=SYSTEM,
        channel="online",
        title="路灯不亮",
        content="村口路灯坏了",
        unit=u["village_a"],
        reporter=Reporter(name="王大妈", phone="13900001111"),
    )
    out = io.StringIO()
    call_command("privacy", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    by_column = {f"{r['table']}.{r['column']}": r for r in data["fields"]}
    phone = by_column["ledger_feedbackidentity.phone"]
    assert phone["encrypted"] is True and phone["rows"] == 1
    assert "受理登记员" in phone["readers"] and "领导小组办公室" in phone["readers"]
    assert by_column["orgs_personidentity.id_number"]["encrypted"] is True
    assert by_column["orgs_household.head_name"]["encrypted"] is False
    assert by_column["core_ratelimithit.key"]["retention"]
    assert by_column["auth_user.email"]["readers"] == "系统管理员"
    assert data["keys"]["count"] >= 1
    assert "王大妈" not in out.getvalue() and "13900001111" not in out.getvalue()


def test_report_text(db):
    out = io.StringIO()
    call_command("privacy", stdout=out)
    text = out.getvalue()
    assert "ledger_feedbackidentity.address  [加密]" in text
    assert "orgs_household.address  [明文]" in text
    assert "VAR_DIR" in text
