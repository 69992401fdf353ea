"""The core demo stages; importing this package registers them (see minqing.demo.registry)."""

from minqing.demo.stages import cadres, households, links, units, users

__all__ = ["cadres", "households", "links", "units", "users"]
