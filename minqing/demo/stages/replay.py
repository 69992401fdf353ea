"""The demo's own extension stages: the replay of the two seed campaigns (``minqing.demo.replay``)."""

from minqing.demo.replay import ulanhot2019, ulanqab2015

__all__ = ["ulanhot2019", "ulanqab2015"]
