"""Hot topics: messages about the same matter grouped and ranked by a heat index (docs/nlp.md)."""
