"""``suggest(text, k)``: the top categories for a message, with calibrated confidences.

The model's labels are first-level category names. Each suggestion also carries the ledger's
``Category`` (level 1) of the same name, through ``LABEL_TO_CATEGORY`` where a label is spelt
differently from the ledger's name (none are today: the seven labels of the shipped data are
seven of the ledger's fifteen first-level names; see docs/nlp.md).
"""

import functools
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from minqing.nlp.category.model import CategoryModel

SHIPPED_MODEL = Path(__file__).resolve().parent / "default_model.npz"
# a model label -> the ledger's first-level category name, where they differ
LABEL_TO_CATEGORY: dict[str, str] = {}


@dataclass(frozen=True)
class Suggestion:
    label: str  # the model's label (a first-level category name)
    confidence: float  # probability in [0, 1]; over all labels they sum to 1
    category_id: int | None  # the ledger's level-1 Category of that name, if there is one


def trained_model_path() -> Path:
    """Where ``minqing nlp train`` writes by default, and where the service looks first."""
    return Path(settings.VAR_DIR) / "nlp" / "category_model.npz"


def model_path() -> Path:
    """The model in use: ``settings.NLP_CATEGORY_MODEL`` if set, else the one trained on this
    install's ledger (``var/nlp/category_model.npz``) if any, else the shipped default."""
    configured = getattr(settings, "NLP_CATEGORY_MODEL", "")
    if configured:
        return Path(configured)
    trained = trained_model_path()
    return trained if trained.exists() else SHIPPED_MODEL


@functools.lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int) -> CategoryModel:
    return CategoryModel.load(path)


def load_model(path: Path | None = None) -> CategoryModel:
    """The model at ``path`` (default: ``model_path()``), loaded once per process and file version."""
    p = path or model_path()
    return _load(p, p.stat().st_mtime_ns)


def category_ids(labels: list[str]) -> dict[str, int]:
    """label -> id of the ledger's level-1 Category with that (mapped) name."""
    from minqing.ledger.models import Category

    names = {LABEL_TO_CATEGORY.get(label, label): label for label in labels}
    rows = Category.objects.filter(level=1, name__in=list(names)).values_list("name", "id")
    return {names[name]: pk for name, pk in rows}


def suggest(text: str, k: int = 3, *, model: CategoryModel | None = None) -> list[Suggestion]:
    """The ``k`` most likely categories of ``text``, most likely first."""
    m = model or load_model()
    probs = m.probabilities([text])[0]
    order = probs.argsort()[::-1][: max(k, 0)]
    labels = [m.classes[i] for i in order]
    ids = category_ids(labels) if labels else {}
    return [
        Suggestion(
            label=m.classes[i], confidence=round(float(probs[i]), 4), category_id=ids.get(m.classes[i])
        )
        for i in order
    ]
