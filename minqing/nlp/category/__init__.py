"""Category suggestion: the first-level category of a message, from its Chinese text."""

from minqing.nlp.category.service import Suggestion, load_model, model_path, suggest

__all__ = ["Suggestion", "load_model", "model_path", "suggest"]
