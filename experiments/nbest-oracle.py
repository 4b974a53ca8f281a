"""How often is the right translation among a beam search's finished hypotheses when the best one is wrong?
The headroom of any reranking of the n-best list (e.g. by the model's own transcript).

    python experiments/nbest-oracle.py --model public/models/phrasebook-student --corpus data/corpus-v15 \
        --split dev --beams 4 --out OUT.jsonl

Writes per clip: the English, the transcript, and per language the reference and every finished hypothesis
(text, score per token, stop token, the confidence of its tokens) best first.
"""
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import compress.runtime as runtime  # noqa: E402
from compress.decoding import BeamSearch  # noqa: E402
from compress.evaluate import split_features  # noqa: E402
from compress.metrics import normalised  # noqa: E402
from compress.prompt import LANGS, TRANSCRIBE  # noqa: E402
from compress.robustness import SPEECH_OF, speech_dir  # noqa: E402


class Recording(BeamSearch):
    last = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        Recording.last = self


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--eval-speech", default="data/eval")
    ap.add_argument("--split", required=True)
    ap.add_argument("--beams", type=int, default=4)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    runtime.BeamSearch = Recording
    runner = runtime.OnnxSpeechTranslator(args.model)
    sentences = SPEECH_OF.get(args.split, (args.split,))[0]
    speech = speech_dir(Path(args.eval_speech), args.split, "clean")
    clips, cache = split_features(args.corpus, speech, sentences, args.model, limit=args.limit)
    rows = []
    for c in clips:
        window, frames = cache.window(c.clip_id)
        heard = runner.text(runner.generate_window(window[None], frames, TRANSCRIBE), TRANSCRIBE)
        row = {"clip": c.clip_id, "en": c.en, "heard": heard}
        for lang in LANGS:
            prefilled = runner.prefill_window(window[None], frames, lang)
            runner.beam_search(prefilled, args.beams, task=lang)
            search = Recording.last
            hyps = sorted(search.finished, key=lambda f: -f.score)
            greedy = runner.text(runner.generate_window(window[None], frames, lang, beams=1), lang)
            row[lang] = {"ref": getattr(c, lang), "greedy": greedy, "hyps": [
                {"text": runner.final_text(lang, runner.tokenizer.decode(f.beam.chooser.complete_ids(), skip_special_tokens=True).strip(" ")),
                 "score": f.score, "stop": f.stop, "confidence": f.beam.chooser.confidence()} for f in hyps]}
        rows.append(row)
    Path(args.out).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")

    heard_right = [normalised(r["heard"]) == normalised(r["en"]) for r in rows]
    print(f"{args.split}: {len(rows)} clips, heard right {sum(heard_right)}")
    for lang in LANGS:
        top = [bool(r[lang]["hyps"]) and normalised(r[lang]["hyps"][0]["text"]) == normalised(r[lang]["ref"]) for r in rows]
        anyk = [any(normalised(h["text"]) == normalised(r[lang]["ref"]) for h in r[lang]["hyps"]) for r in rows]
        wrong_heard = [t for t, h in zip(zip(top, anyk), heard_right) if h and not t[0]]
        print(f"  {lang}: top right {sum(top)}, right among {args.beams} finished {sum(anyk)}; "
              f"wrong but heard right {len(wrong_heard)}, of which right in the list {sum(a for _, a in wrong_heard)}")


if __name__ == "__main__":
    main()
