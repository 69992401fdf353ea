"""The two seed campaigns replayed as raw records (``shared/SEED_FIGURES.md``).

``ulanhot2019``: Ulanhot's second batch of the “不忘初心、牢记使命” campaign (2019-09-01 to
2020-01-31, the article as of 2019-12-20); ``ulanqab2015``: Ulanqab's “三严三实” special education
(from 2015-05-11, the article as of 2015-06-30). Each is a demo stage (``seed_ulanhot2019``,
``seed_ulanqab2015``) of the seed, city and region tiers that runs after the tree, the cadres,
their assignments and the demo users are loaded, and before the stages that reuse its campaign
(programmes, supervision, catalogues) and the activity rollups. ``figures`` holds the articles'
values, ``notes`` what differs from them and why.
"""
