"""Hashed n-gram features and the model file: batch equals one by one, normalisation, round trip."""

from pathlib import Path

import numpy as np

from minqing.nlp.category.features import Hasher, codepoints, fit_idf, tfidf
from minqing.nlp.category.train import fit

TEXTS = ["小区路灯不亮", "学校乱收费", "", "ＡＢＣ  公交车\u3000\u3000晚点"]


def test_codepoints_normalise_width_case_and_spaces() -> None:
    assert "".join(map(chr, codepoints(["ＡＢｃ  d\u3000\u3000e", "x"]))) == "abc d e\0x\0"


def test_counts_are_the_ngrams_of_each_text() -> None:
    h = Hasher(bits=20, min_n=1, max_n=3)
    m = h.counts(["ab", "abc", ""])
    # "ab": a, b, ab; "abc": a, b, c, ab, bc, abc; "": nothing (n-grams never cross texts)
    assert m.sum(axis=1).A.ravel().tolist() == [3, 6, 0]
    assert set(m[0].indices) < set(m[1].indices)


def test_a_batch_gives_the_rows_of_its_texts_one_by_one() -> None:
    h = Hasher(bits=18)
    batch = h.counts(TEXTS).toarray()
    for i, text in enumerate(TEXTS):
        assert np.array_equal(batch[i], h.counts([text]).toarray()[0])


def test_tfidf_rows_are_unit_length_and_rare_buckets_pruned() -> None:
    h = Hasher(bits=18)
    c = h.counts(["路灯不亮", "路灯坏了", "学校收费"])
    idf = fit_idf(c, min_df=2)
    assert set(np.flatnonzero(idf)) == set(h.counts(["路灯"]).indices)  # only 路, 灯, 路灯 in two texts
    before = c.copy()
    x = tfidf(c, idf)
    assert (c != before).nnz == 0  # the counts are left as they were
    norms = np.sqrt(x.multiply(x).sum(axis=1).A.ravel())
    assert np.allclose(norms, [1.0, 1.0, 0.0])


def test_model_file_round_trip(tmp_path: Path) -> None:
    texts = ["路灯不亮", "路灯坏了", "道路破损", "学校收费", "学校乱收费", "教师工资"] * 5
    labels = ["城乡建设"] * 3 + ["教育文体"] * 3
    model = fit(texts, labels * 5, info={"data": "test"})
    path = tmp_path / "m.npz"
    model.save(path)
    loaded = type(model).load(path)
    assert loaded.classes == ["城乡建设", "教育文体"]
    assert loaded.info["data"] == "test"
    probe = ["路灯", "学校"]
    assert np.allclose(loaded.scores(probe), model.scores(probe), atol=1e-2)  # float16 weights
    assert loaded.predict(probe) == ["城乡建设", "教育文体"]
    assert np.allclose(loaded.probabilities(probe).sum(axis=1), 1.0)
