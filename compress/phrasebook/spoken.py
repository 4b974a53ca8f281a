"""How English says a thing, when there is more than one way: the sampler's hook into the templates.

Templates and number formatters call `choose(canonical, *alternatives)`. Outside `speaking(rng)` it
returns the canonical form, so the enumerated corpus (splits, docs/vocabulary.md) stays as it was;
inside, the sampler's generator picks one form, so "half past six", "half six" and "six thirty" all
reach the model with the same German and Chinese target.
"""
import contextlib
import random

_rng: random.Random | None = None


@contextlib.contextmanager
def speaking(rng: random.Random):
    """Within this block every `choose` draws from `rng`."""
    global _rng
    previous, _rng = _rng, rng
    try:
        yield
    finally:
        _rng = previous


def choose(canonical, *alternatives):
    if _rng is None or not alternatives:
        return canonical
    return _rng.choice((canonical, *alternatives))


def active() -> bool:
    return _rng is not None
