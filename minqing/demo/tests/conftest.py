import dataclasses
import io

import pytest

from minqing.demo.runner import run_demo
from minqing.demo.tiers import MINI

# Ulanhot's real tree (17 township-level, 130 village-level units) with 20 grids and 200 households,
# no problems (the ledger's own tests load mini's problems).
TINY = dataclasses.replace(
    MINI, grids=20, households=200, village_contact_gap=0.2, grid_demonstration_gap=0.2, targets={}
)


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load(tier=TINY, seed=1, **kw):
    out = io.StringIO()
    report = run_demo(tier=tier, seed=seed, out=out, progress=False, **kw)
    return report, out.getvalue()
