"""The demo-loaded marker: written by ``run_demo`` once every stage has run, read by the guard."""

from minqing.demo.models import DemoLoad


def demo_mark_loaded(*, tier: str, seed: int) -> DemoLoad:
    return DemoLoad.objects.create(tier=tier, seed=seed)


def demo_loaded() -> bool:
    return DemoLoad.objects.exists()
