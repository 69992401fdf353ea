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


def test_a_model_scores_the_sum_of_its_parts() -> None:
    texts = ["路灯不亮", "路灯坏了", "道路破损", "学校收费", "学校乱收费", "教师工资"] * 5
    labels = (["城乡建设"] * 3 + ["教育文体"] * 3) * 5
    model = fit(texts, labels)
    assert [(p.hasher.min_n, p.hasher.max_n) for p in model.parts] == [(1, 3), (1, 2)]
    probe = ["路灯", "学校收费", "无关的话"]
    by_part = [p.scores(probe) for p in model.parts]
    assert not np.allclose(by_part[0], by_part[1])  # two different scorers, both counted
    assert np.allclose(model.scores(probe), by_part[0] + by_part[1])


def test_the_nbsvm_folded_into_weights_scores_as_the_svm_on_scaled_features() -> None:
    """NBSVM scales the features by the class's log-count ratio, then fits a binary SVM; the model
    stores ``r * coef``, which must give the same scores as the SVM on the scaled features."""
    from scipy.sparse import diags
    from sklearn.svm import LinearSVC

    from minqing.nlp.category.train import SEED, _nbsvm

    texts = ["路灯不亮", "路灯坏了", "道路破损", "学校收费", "学校乱收费", "教师工资", "公交晚点"] * 3
    labels = np.array((["城乡建设"] * 3 + ["教育文体"] * 3 + ["交通运输"]) * 3)
    counts = Hasher(bits=16).counts(texts)
    x = tfidf(counts, fit_idf(counts, 2))
    classes = sorted(set(labels))
    weights, intercept = _nbsvm(x, labels, None, classes)
    for j, label in enumerate(classes):
        pos = labels == label
        present = (x != 0).astype(np.float64)
        p = 1.0 + np.asarray(present[pos].sum(axis=0)).ravel()
        q = 1.0 + np.asarray(present[~pos].sum(axis=0)).ravel()
        r = np.log((p / p.sum()) / (q / q.sum()))
        clf = LinearSVC(C=1.0, class_weight="balanced", max_iter=5000, random_state=SEED).fit(
            x @ diags(r), pos
        )
        expected = clf.decision_function(x @ diags(r))
        assert np.allclose(x @ weights[:, j] + intercept[j], expected, atol=1e-4)
        assert ((x @ weights[:, j] + intercept[j] > 0) == pos).all()  # each class's own texts score above 0


def test_a_model_file_of_the_first_format_still_loads(tmp_path: Path) -> None:
    """A model trained with ``minqing nlp train`` before the parts (one hashing, arrays unprefixed)."""
    import json

    from minqing.nlp.category.model import CategoryModel

    h = Hasher(bits=16, min_n=1, max_n=2)
    buckets = np.unique(h.counts(["路灯", "学校"]).indices).astype(np.int32)
    idf = np.ones(len(buckets), dtype=np.float32)
    weights = np.zeros((len(buckets), 2), dtype=np.float16)
    lamp = np.isin(buckets, h.counts(["路灯"]).indices)
    weights[lamp, 0], weights[~lamp, 1] = 1.0, 1.0
    meta = {"format": "minqing.nlp.category/1", "bits": 16, "min_n": 1, "max_n": 2}
    meta |= {"classes": ["城乡建设", "教育文体"], "temperature": 0.5, "info": {"data": "ledger"}}
    path = tmp_path / "old.npz"
    np.savez_compressed(
        path,
        meta=np.array(json.dumps(meta, ensure_ascii=False)),
        buckets=buckets,
        idf=idf,
        weights=weights,
        intercept=np.zeros(2, dtype=np.float32),
    )
    model = CategoryModel.load(path)
    assert len(model.parts) == 1 and model.parts[0].hasher == h
    assert model.predict(["路灯坏了", "学校"]) == ["城乡建设", "教育文体"]
    assert model.temperature == 0.5 and model.info == {"data": "ledger"}


def test_the_scoring_path_equals_the_tfidf_matrix_times_the_weights() -> None:
    """``Hasher.tfidf_scores`` (no intermediate matrices; one text takes a shorter path still) gives
    what ``tfidf(counts) @ weights`` gives, for one text, a batch, and a batch with an empty text."""
    from minqing.nlp.category.features import Grams

    h = Hasher(bits=16, min_n=1, max_n=3)
    texts = ["路灯不亮，路灯坏了", "学校乱收费", "", "ＡＢＣ  公交车晚点"]
    idf = fit_idf(h.counts(texts * 2), min_df=1)
    idf[::3] = 0.0  # some buckets pruned
    weights = np.random.default_rng(1).normal(size=(h.size, 5)).astype(np.float32)
    expected = np.asarray(tfidf(h.counts(texts), idf) @ weights)
    assert np.allclose(h.tfidf_scores(Grams(texts, 16), idf, weights), expected, atol=1e-5)
    for i, text in enumerate(texts):
        assert np.allclose(h.tfidf_scores(Grams([text], 16), idf, weights), expected[i], atol=1e-5)
    # the 1-2-grams from a batch whose 1-3-grams were hashed first are the 1-2-grams on their own
    grams = Grams(texts, 16)
    h.counts(grams)
    h12 = Hasher(bits=16, min_n=1, max_n=2)
    assert (h12.counts(grams) != h12.counts(texts)).nnz == 0
