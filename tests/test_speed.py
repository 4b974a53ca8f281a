"""`compress speed`: forced-step decode timing with models taking turns, on the committed fixture."""
from types import SimpleNamespace

from compress.audio import encoder_input, mel_frames
from compress.runtime import OnnxSpeechTranslator
from compress.speed import compare_decode_speed

from .conftest import FIXTURE_MODEL


class OneClipCache:
    """The FeatureCache interface (window(clip_id) → (encoder window, real frames)) over one WAV."""

    def __init__(self, samples, feats):
        self.frames = mel_frames(len(samples))
        self.window_ = encoder_input(feats, self.frames, 2)[0]

    def window(self, clip_id):
        return self.window_, self.frames


def test_every_model_decodes_the_same_forced_steps_in_turn(speech, fixture_features, monkeypatch):
    calls = []
    step = OnnxSpeechTranslator.step

    def counting_step(self, token, position, past):
        calls.append(self.variant_name)
        return step(self, token, position, past)

    init = OnnxSpeechTranslator.__init__

    def named_init(self, model_dir, variant=None, **kw):
        init(self, model_dir, variant, **kw)
        self.variant_name = variant

    monkeypatch.setattr(OnnxSpeechTranslator, "step", counting_step)
    monkeypatch.setattr(OnnxSpeechTranslator, "__init__", named_init)
    clips = [SimpleNamespace(clip_id="a"), SimpleNamespace(clip_id="b")]
    result = compare_decode_speed([(FIXTURE_MODEL, "q4"), (FIXTURE_MODEL, "q4dq")], OneClipCache(speech, fixture_features), clips, tokens=12, rounds=2,
                                  threads=1)

    assert result["threads"] == 1
    assert [m["variant"] for m in result["models"]] == ["q4", "q4dq"]
    assert all(m["decode_tokens_per_s"] > 0 and m["prefill_ms"] > 0 for m in result["models"])
    assert "ratio_to_first" not in result["models"][0] and result["models"][1]["ratio_to_first"] > 0
    # Warm-up (3 steps each), then 2 rounds × 2 clips × 11 steps each, EOS ignored, the models alternating.
    timed = calls[6:]
    assert timed == (["q4"] * 11 + ["q4dq"] * 11) * 4


def test_threads_reach_every_session():
    runner = OnnxSpeechTranslator(FIXTURE_MODEL, "q4", threads=1)
    assert {s.get_session_options().intra_op_num_threads for s in runner.sessions.values()} == {1}
