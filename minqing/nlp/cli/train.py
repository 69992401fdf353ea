"""``minqing nlp train [--data ledger|shipped|both] [--out PATH]``: train the category model.

``ledger`` (the default): the ledger's problems, labelled with their final category's first-level
name; ``shipped``: the training side of the shipped messages (this rebuilds the default model:
``--data shipped --out minqing/nlp/category/default_model.npz``); ``both``: the two together.
Without ``--out`` the model goes to ``var/nlp/category_model.npz``, which the service then uses.
"""

import datetime as dt
import json
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any, TextIO

from django.utils.translation import gettext as _

from minqing.core.errors import DomainError, ErrorCode
from minqing.nlp.category.data import Examples, ledger_examples, shipped_examples
from minqing.nlp.category.service import trained_model_path
from minqing.nlp.category.train import fit

NAME = "train"
HELP = "训练分类建议模型(默认用台账) / train the category model (default: from the ledger)"
SOURCES = ("ledger", "shipped", "both")


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        choices=SOURCES,
        default="ledger",
        help="训练数据:ledger 台账(默认),shipped 随附数据,both 两者 / data: ledger (default), shipped, both",
    )
    parser.add_argument(
        "--out", metavar="PATH", help="模型输出路径 / output path (default var/nlp/category_model.npz)"
    )
    parser.add_argument("--json", action="store_true", help="输出 JSON / print JSON")


def train(source: str, out: Path) -> dict[str, Any]:
    examples = Examples()
    if source in ("shipped", "both"):
        examples.extend(shipped_examples())
    if source in ("ledger", "both"):
        examples.extend(ledger_examples())
    classes = len(set(examples.labels))
    if classes < 2:
        raise DomainError(ErrorCode.NLP_TOO_FEW_CATEGORIES, count=len(examples.texts), classes=classes)
    info: dict[str, object] = {"data": source}
    if source != "shipped":  # the shipped model stays reproducible: the same arrays from the same files
        info["trained_at"] = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    t0 = time.perf_counter()
    model = fit(examples.texts, examples.labels, groups=examples.groups, info=info)
    seconds = time.perf_counter() - t0
    model.save(out)
    return {
        "out": str(out),
        "n": len(examples.texts),
        "classes": model.classes,
        "seconds": round(seconds, 1),
        "temperature": round(model.temperature, 4),
        "capped_fits": model.info.get("capped_fits", 0),  # fits stopped at the solver's cap
    }


def run(options: dict[str, Any], out: TextIO) -> None:
    path = Path(options["out"]) if options.get("out") else trained_model_path()
    report = train(options["data"], path)
    if options.get("json"):
        out.write(json.dumps(report, ensure_ascii=False))
        return
    out.write(
        _("已训练分类模型:{n} 条,{classes} 个分类,用时 {seconds} 秒,保存到 {out}").format(
            n=report["n"], classes=len(report["classes"]), seconds=report["seconds"], out=report["out"]
        )
    )
