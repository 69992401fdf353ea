"""The three administrator duties (三员分立) are held apart: one duty per account."""

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError

from minqing.orgs.actors import SYSTEM
from minqing.orgs.enums import Duty
from minqing.orgs.models import AdminDuty
from minqing.orgs.policy import has_duty

pytestmark = pytest.mark.django_db


def test_a_duty_is_held_only_by_its_account_and_a_superuser_flag_grants_none() -> None:
    auditor = User.objects.create_user("auditor", is_staff=True)
    AdminDuty.objects.create(user=auditor, duty=Duty.AUDIT)
    root = User.objects.create_superuser("root")
    assert has_duty(auditor, Duty.AUDIT)
    assert not has_duty(auditor, Duty.SECURITY)
    assert not has_duty(auditor, Duty.SYSTEM)
    assert not any(has_duty(root, d) for d in Duty)
    assert not has_duty(AnonymousUser(), Duty.AUDIT)
    assert not has_duty(None, Duty.AUDIT)
    assert all(has_duty(SYSTEM, d) for d in Duty)
    auditor.is_active = False
    assert not has_duty(auditor, Duty.AUDIT)


def test_an_account_cannot_hold_two_duties() -> None:
    user = User.objects.create_user("admin2", is_staff=True)
    AdminDuty.objects.create(user=user, duty=Duty.SYSTEM)
    with pytest.raises(IntegrityError):
        AdminDuty.objects.create(user=user, duty=Duty.SECURITY)
