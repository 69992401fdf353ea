"""``minqing nlp train``: a model from the ledger's own problems and their final categories."""

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from minqing.ledger.enums import Channel
from minqing.ledger.models import Category, Problem
from minqing.ledger.services.intake import Reporter, feedback_submit
from minqing.nlp.category import load_model, model_path, suggest
from minqing.nlp.category.data import ledger_examples
from minqing.orgs.actors import SYSTEM
from minqing.orgs.tests.factories import small_tree

pytestmark = pytest.mark.django_db

ROWS = [
    ("村里的路灯坏了", "村口三盏路灯坏了三个月没人修", "城乡建设/城市建设和市政管理/城市公共设施"),
    ("小区路面塌陷", "小区门口道路塌陷,雨天积水", "城乡建设"),
    ("低保评定不公", "村里低保名额给了亲戚,困难户没评上", "民政"),
    ("低保金没有发放", "今年的低保金三个月没有发", "民政"),
    ("耕地被占", "耕地被违规占用建厂房,庄稼被毁", "农村农业"),
    ("种粮补贴没到账", "今年的种粮补贴一直没有发到农户手里", "农村农业"),
]


def _problems(u: dict) -> list[Problem]:
    made = []
    for title, content, category in ROWS * 3:
        fb = feedback_submit(
            actor=SYSTEM,
            channel=Channel.ONLINE,
            title=title,
            content=content,
            unit=u["village_a"],
            reporter=Reporter(name="王大妈", phone="13900001111"),
            category=Category.objects.get(full_name=category),
        )
        assert fb.problem is not None
        made.append(fb.problem)
    return made


def test_ledger_examples_use_the_first_level_of_the_final_category() -> None:
    u = small_tree()
    made = _problems(u)
    Problem.objects.filter(pk=made[0].pk).update(category=Category.objects.get(full_name="民政"))
    Problem.objects.filter(pk=made[1].pk).update(merged_into=made[2])  # a merged duplicate: left out
    ex = ledger_examples()
    assert len(ex.texts) == len(made) - 1
    assert ex.labels[0] == "民政"  # the final category, not the one at registration
    assert ex.texts[0] == "村里的路灯坏了\n村口三盏路灯坏了三个月没人修"
    assert set(ex.labels) == {"城乡建设", "民政", "农村农业"}


def test_train_from_the_ledger_and_the_service_uses_it(tmp_path: Path, settings: Any) -> None:
    _problems(small_tree())
    out = StringIO()
    call_command("nlp", "train", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["n"] == len(ROWS) * 3
    assert report["classes"] == ["农村农业", "城乡建设", "民政"]
    assert model_path() == settings.VAR_DIR / "nlp" / "category_model.npz"
    assert load_model().classes == ["农村农业", "城乡建设", "民政"]
    top = suggest("低保金发放", k=3)
    assert top[0].label == "民政"  # a label the shipped data has not
    assert top[0].category_id == Category.objects.get(full_name="民政").pk


def test_train_on_both_keeps_the_shipped_labels(tmp_path: Path) -> None:
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    _problems(small_tree())
    out = StringIO()
    with warnings.catch_warnings():
        # the ledger's two-problem categories among 9,723 shipped texts stop some fits at the cap:
        # counted in the report and the model's info, not printed as scikit-learn's warnings
        warnings.simplefilter("error", ConvergenceWarning)
        call_command("nlp", "train", "--data", "both", "--out", str(tmp_path / "m.npz"), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert set(report["classes"]) >= {"民政", "农村农业", "交通运输", "教育文体"}
    from minqing.nlp.category.model import CategoryModel

    assert CategoryModel.load(tmp_path / "m.npz").info.get("capped_fits", 0) == report["capped_fits"]


def test_an_empty_ledger_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("nlp", "train", "--out", str(tmp_path / "m.npz"))
    assert "至少需要 2 个分类" in str(exc.value)
    assert not (tmp_path / "m.npz").exists()


@pytest.mark.db_free
def test_the_shipped_model_is_what_training_on_the_shipped_data_gives(tmp_path: Path) -> None:
    """The rebuild command documented in docs/nlp.md reproduces the shipped default model."""
    import numpy as np

    from minqing.nlp.category.model import CategoryModel
    from minqing.nlp.category.service import SHIPPED_MODEL

    call_command("nlp", "train", "--data", "shipped", "--out", str(tmp_path / "m.npz"), stdout=StringIO())
    shipped = CategoryModel.load(SHIPPED_MODEL)
    rebuilt = CategoryModel.load(tmp_path / "m.npz")
    # equal up to float rounding (numpy's SIMD log/exp may differ in the last bit between CPUs)
    assert rebuilt.classes == shipped.classes
    assert rebuilt.info == shipped.info
    assert len(rebuilt.parts) == len(shipped.parts) == 2
    for r, s in zip(rebuilt.parts, shipped.parts, strict=True):
        assert r.hasher == s.hasher
        assert np.array_equal(np.flatnonzero(r.idf), np.flatnonzero(s.idf))
        assert np.allclose(r.idf, s.idf, atol=1e-5)
        assert np.allclose(r.weights, s.weights, atol=2e-3)
        assert np.allclose(r.intercept, s.intercept, atol=1e-3)
    assert rebuilt.temperature == pytest.approx(shipped.temperature, rel=1e-3)
