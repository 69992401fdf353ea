"""``minqing nlp eval --task category FILE [--model PATH]``: accuracy of the category model on a
labelled CSV (``title,label`` or ``detail,label``), printed as one JSON object."""

import json
import zipfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any, TextIO

from minqing.core.errors import DomainError, ErrorCode
from minqing.nlp.category.evaluate import evaluate, read_labelled
from minqing.nlp.category.model import CategoryModel
from minqing.nlp.category.service import model_path

NAME = "eval"
HELP = "评测模型:读取带标签的 CSV,输出 JSON 指标 / evaluate a model on a labelled CSV, print JSON"
TASKS = ("category",)


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--task",
        choices=TASKS,
        required=True,
        help="评测任务 / task (category: 分类建议 category suggestion)",
    )
    parser.add_argument(
        "file",
        metavar="FILE",
        help="UTF-8 CSV,表头 title,label 或 detail,label / header title,label or detail,label",
    )
    parser.add_argument(
        "--model",
        metavar="PATH",
        help="模型文件(默认:当前使用的模型) / model file (default: the model in use)",
    )


def load(path: Path) -> CategoryModel:
    try:
        return CategoryModel.load(path)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise DomainError(ErrorCode.NLP_BAD_MODEL, path=path, reason=exc) from exc


def run(options: dict[str, Any], out: TextIO) -> None:
    model = load(Path(options["model"]) if options.get("model") else model_path())
    data = read_labelled(Path(options["file"]))
    out.write(json.dumps(evaluate(model, data), ensure_ascii=False))
