# The shipped student on the old (v1) test split, q4, with and without the decoding rules (decoding.json):
# PYTHONPATH=. .venv/bin/python experiments/decoding-rules-effect.py public/models/phrasebook-student OUT.json
from compress.evaluate import split_features
from compress.runtime import OnnxSpeechTranslator
from compress.metrics import score, broken
model = sys.argv[1]
clips, cache = split_features("data/corpus-v1", "data/speech-v1", "test", model)
runner = OnnxSpeechTranslator(model, "q4")
out = {}
for constrained in (False, True):
    for lang in ("de", "zh"):
        hyps = []
        for c in clips:
            w, f = cache.window(c.clip_id)
            g = runner.generate_window(w[None], f, lang, max_new_tokens=64, constrained=constrained)
            hyps.append(runner.tokenizer.decode(g.token_ids, skip_special_tokens=True).strip())
        s = score(hyps, [getattr(c, lang) for c in clips], lang)
        kinds = {}
        for h in hyps:
            for k in broken(h, lang):
                kinds[k] = kinds.get(k, 0) + 1
        s["broken"] = kinds
        out[f"{'rules' if constrained else 'plain'}-{lang}"] = s
        print(constrained, lang, s, flush=True)
json.dump(out, open(sys.argv[2], "w"), indent=1)
