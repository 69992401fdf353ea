"""``minqing bulletin``: formats, default campaign, publishing, and the bilingual errors."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from minqing.campaigns.services import campaign_create
from minqing.orgs.actors import SYSTEM
from minqing.reports.models import Bulletin
from minqing.reports.tests.test_bulletin_world import isolated_metrics, make_bulletin_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _metrics(monkeypatch):
    yield from isolated_metrics(monkeypatch)


@pytest.fixture
def bw():
    return make_bulletin_world()


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("bulletin", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_txt_prints_the_sentences(bw):
    text = run("--unit", "150902", "--as-of", "2019-12-20")
    assert text.splitlines() == [
        "集宁区第二批主题教育简报",
        "",
        "截至2019年12月20日，集宁区共举办活动2次，占计划的50%。",
        "投入资金17.75亿元，联系群众56万户。",
    ]


def test_json_lists_every_metric_with_numbers(bw):
    data = json.loads(run("--unit", "150902000000", "--as-of", "2019-12-20", "--format", "json"))
    assert data["test.sessions"] == 2
    assert data["test.share"] == 0.5  # a share as a fraction
    assert data["test.funds"] == 17.75
    assert data["test.households"] == 560000
    assert data["as_of"] == "2019-12-20"
    assert data["unit"] == {"code": "150902000000", "name": "集宁区"}
    assert data["campaign"]["name"] == "第二批主题教育"
    assert data["labels"]["test.funds"]["word"] == "亿元"
    metric_keys = [k for k in data if "." in k]
    assert metric_keys == ["test.sessions", "test.share", "test.funds", "test.households"]


def test_named_campaign_and_a_sub_unit(bw):
    data = json.loads(
        run(
            "--unit",
            "150902001000",
            "--as-of",
            "2019-12-20",
            "--campaign",
            "第二批主题教育",
            "--format",
            "json",
        )
    )
    assert data["test.sessions"] == 1


def test_binary_formats_are_written_to_a_file(bw, tmp_path):
    for fmt in ("docx", "pdf", "xlsx"):
        path = tmp_path / f"b.{fmt}"
        out = run("--unit", "150902", "--as-of", "2019-12-20", "--format", fmt, "--output", str(path))
        assert str(path) in out
        assert path.stat().st_size > 1000
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF")
    txt = tmp_path / "b.txt"
    run("--unit", "150902", "--as-of", "2019-12-20", "--output", str(txt))
    assert "2次" in txt.read_text(encoding="utf-8")


def test_publish(bw):
    err = io.StringIO()
    call_command(
        "bulletin", "--unit", "150902", "--as-of", "2019-12-20", "--publish", stdout=io.StringIO(), stderr=err
    )
    b = Bulletin.objects.get()
    assert b.number == 1 and b.published_by is None and "issue 1" in err.getvalue()


@pytest.mark.parametrize(
    ("args", "chinese", "english"),
    [
        (
            ("--unit", "999999", "--as-of", "2019-12-20"),
            "找不到单位代码 999999",
            "Unit code 999999 not found",
        ),
        (("--unit", "150902", "--as-of", "2019-13-40"), "日期“2019-13-40”不正确", "bad date"),
        (("--unit", "150902", "--as-of", "20191220x"), "YYYY-MM-DD", "YYYY-MM-DD"),
        (
            ("--unit", "150902", "--as-of", "2019-12-20", "--campaign", "没有这个专题"),
            "专题“没有这个专题”不存在",
            "does not exist",
        ),
        (
            ("--unit", "150902", "--as-of", "2019-06-01"),
            "没有覆盖单位“集宁区”的正在开展的专题",
            "no campaign",
        ),
    ],
)
def test_clear_bilingual_errors(bw, args, chinese, english):
    with pytest.raises(CommandError) as e:
        run(*args)
    assert chinese in str(e.value)
    assert english.lower() in str(e.value).lower()


def test_default_campaign_prefers_the_nearest_scope(bw):
    campaign_create(
        actor=SYSTEM,
        name="街道专题",
        scope=bw.u["town_a"],
        start_date=dt.date(2019, 12, 1),
        end_date=dt.date(2019, 12, 31),
        kind="themed",
    )
    data = json.loads(run("--unit", "150902001000", "--as-of", "2019-12-20", "--format", "json"))
    assert data["campaign"]["name"] == "街道专题"
    data = json.loads(run("--unit", "150902", "--as-of", "2019-12-20", "--format", "json"))
    assert data["campaign"]["name"] == "第二批主题教育"
    # above every campaign's scope: the highest campaign below
    data = json.loads(run("--unit", "150900", "--as-of", "2019-12-20", "--format", "json"))
    assert data["campaign"]["name"] == "第二批主题教育"


def test_pdf_without_the_system_libraries_is_a_clear_error(bw, monkeypatch, tmp_path):
    import minqing.reports.bulletins.renderers.pdf as pdf

    def missing(doc):
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(pdf, "render_pdf", missing)
    out = tmp_path / "b.pdf"
    with pytest.raises(CommandError) as err:
        run("--unit", "150902", "--as-of", "2019-12-20", "--format", "pdf", "--output", str(out))
    assert "无法生成 PDF" in str(err.value) and "pango" in str(err.value)
    assert not out.exists()  # nothing half-written
