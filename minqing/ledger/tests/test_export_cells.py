"""Issue 16, findings 3 and 7: a public title that looks like a formula or holds control characters
is exported as inert text (xlsx and csv), the export still re-imports unchanged, and the public
form drops control characters at intake."""

import csv
import io

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from openpyxl import load_workbook

from minqing.ledger.exports import export_problems
from minqing.ledger.importers.problems import import_problems
from minqing.ledger.models import Feedback, Problem
from minqing.ledger.views.export import problem_export
from minqing.orgs.actors import SYSTEM

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://x","点我")'


def _evil_problem(lw, title: str) -> Problem:
    problem = lw.submit().problem
    Problem.objects.filter(pk=problem.pk).update(title=title)  # as stored before intake cleaned it
    return problem


def test_xlsx_export_writes_formula_like_title_as_text(lw, tmp_path) -> None:
    _evil_problem(lw, EVIL)
    (tmp_path / "e.xlsx").write_bytes(export_problems(SYSTEM, Problem.objects.all(), "xlsx"))
    ws = load_workbook(tmp_path / "e.xlsx").worksheets[0]
    [cell] = [c for c in ws[2] if "HYPERLINK" in str(c.value)]
    assert cell.data_type == "s" and cell.value == "'" + EVIL


def test_csv_export_quotes_formula_like_title(lw) -> None:
    _evil_problem(lw, "@SUM(1+1)")
    text = export_problems(SYSTEM, Problem.objects.all(), "csv").decode("utf-8-sig")
    assert "'@SUM(1+1)" in [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_xlsx_export_of_control_characters_is_a_download_not_a_500(lw) -> None:
    _evil_problem(lw, "路灯\x01不\x0b亮")
    request = RequestFactory().get("/ledger/export/", {"format": "xlsx"})
    request.user = lw.users["county_office"]
    response = problem_export(request)
    assert response.status_code == 200 and isinstance(response, HttpResponse)
    body = response.content
    ws = load_workbook(io.BytesIO(body)).worksheets[0]
    assert "路灯不亮" in [c.value for c in ws[2]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_like_title_round_trips(lw, tmp_path, fmt) -> None:
    _evil_problem(lw, EVIL)
    path = tmp_path / f"e.{fmt}"
    path.write_bytes(export_problems(SYSTEM, Problem.objects.all(), fmt))
    result = import_problems(path, actor=SYSTEM)
    assert result.unchanged == 1 and Problem.objects.get().title == EVIL


def test_public_form_drops_control_characters(client, lw) -> None:
    data = {
        "title": "路灯\x01不亮\x0b",
        "content": "第一行\r\n第二行\x07\t完",
        "unit_code": lw.u["village_a"].code,
    }
    response = client.post("/public/submit/", data)
    assert response.status_code == 200
    problem = Problem.objects.get()
    assert problem.title == "路灯不亮"
    assert Feedback.objects.get().content == "第一行\n第二行\t完"
