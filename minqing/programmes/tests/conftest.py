"""Fixtures of the programme tests (see ``world``)."""

from minqing.programmes.tests.world import fast_hasher, w

__all__ = ["fast_hasher", "w"]
