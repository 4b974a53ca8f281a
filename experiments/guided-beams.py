"""Beams guided by the transcript during the search, against the shipped rerank-after-search (dev splits only).

Each candidate token that completes a target word no word of the transcript translates to (a "miss" of
rerank.json's "to" table) costs MU nats while the beams are ranked; finished hypotheses keep their plain
log-probability and are reranked as the runtime does. Writes `compress robustness --outputs`-style rows per
μ (μ 0 is the shipped decoding), readable by experiments/compare-outputs.py.

    python experiments/guided-beams.py --model public/models/phrasebook-student --corpus data/corpus-v15 \
        --split dev --mu 1 2 4 --out-dir runs/guide
"""
import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import compress.runtime as runtime  # noqa: E402
from compress.decoding import Beam, BeamSearch, Finished, log_softmax  # noqa: E402
from compress.evaluate import split_features  # noqa: E402
from compress.metrics import normalised  # noqa: E402
from compress.prompt import LANGS  # noqa: E402
from compress.rerank import NULL, WORD, words  # noqa: E402
from compress.robustness import SPEECH_OF, speech_dir  # noqa: E402

GUIDE = {}  # set per decode: "mu", "to" (target word → English partners), "known" (heard words ∪ {""}), "bytes"


def misses(data: bytes, final: bool) -> int:
    """Misses among the complete target words of a hypothesis's bytes (a Latin or digit run still open at the
    end is not complete until something follows it or the hypothesis stops)."""
    text = data.decode("utf-8", errors="ignore").lower()
    found = list(WORD.finditer(text))
    if found and not final and found[-1].end() == len(text) and len(found[-1].group()) and not "\u3400" <= found[-1].group()[0] <= "\u9fff":
        found = found[:-1]
    to, known = GUIDE["to"], GUIDE["known"]
    return sum(not (to.get(m.group(), set()) & known) for m in found)


class Guided(BeamSearch):
    def step(self, rows):
        mu, tb = GUIDE["mu"], GUIDE["bytes"]
        candidates = []
        for b, (beam, logits) in enumerate(zip(self.live, rows)):
            if not hasattr(beam, "data"):
                beam.data, beam.misses = b"", 0
            logprobs = log_softmax(logits)
            masked = beam.chooser.admissible(logprobs)
            ok = np.flatnonzero(np.isfinite(masked))
            best = ok[np.lexsort((ok, -masked[ok]))][: 2 * self.beams]
            for t in best:
                t = int(t)
                stop = t in self.stop_ids
                data = beam.data if stop else beam.data + (tb[t] or b"")
                m = misses(data, stop) if mu else 0
                score = beam.score + float(masked[t])
                candidates.append((score - mu * m, score, b, t, float(logprobs[t]), data, m))
        candidates.sort(key=lambda c: (-c[0], c[2], c[3]))
        going_on, picks = [], []
        for rank, (_, score, b, token, logprob, data, m) in enumerate(candidates):
            parent = self.live[b]
            if token in self.stop_ids:
                if rank < self.beams:
                    done = parent.chooser.branch()
                    done.logprobs.append(logprob)
                    self.finished.append(Finished(Beam(done, score), score / max(len(done.ids), 1), token))
                continue
            chooser = parent.chooser.branch()
            chooser.logprobs.append(logprob)
            chooser.accept(token)
            beam = Beam(chooser, score)
            beam.data, beam.misses = data, m
            going_on.append(beam)
            picks.append((b, token))
            if len(going_on) == self.beams:
                break
        self.live = going_on
        if len(self.finished) >= self.beams or not going_on:
            return []
        if len(going_on[0].chooser.ids) >= self.max_new_tokens:
            self.finished += [Finished(beam, beam.score / len(beam.chooser.ids), None) for beam in going_on]
            return []
        return picks


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--eval-speech", default="data/eval")
    ap.add_argument("--split", required=True)
    ap.add_argument("--mu", type=float, nargs="+", required=True)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--out-dir", required=True)
    args = ap.parse_args()

    runtime.BeamSearch = Guided
    runner = runtime.OnnxSpeechTranslator(args.model)
    GUIDE["bytes"] = [bytes.fromhex(h) if h else None for h in runner.rules.tables["token_bytes"]]
    sentences = SPEECH_OF.get(args.split, (args.split,))[0]
    speech = speech_dir(Path(args.eval_speech), args.split, "clean")
    clips, cache = split_features(args.corpus, speech, sentences, args.model, limit=args.limit)
    mus = [0.0] + [m for m in args.mu if m]
    rows = {mu: [] for mu in mus}
    for c in clips:
        window, frames = cache.window(c.clip_id)
        heard = runner.transcript(window[None], frames)
        for mu in mus:
            row = {"split": args.split, "condition": "clean", "clip": c.clip_id, "sentence": c.sentence_id, "en": c.en,
                   "transcribe": {"text": heard, "right": normalised(heard) == normalised(c.en)}}
            rows[mu].append(row)
        for lang in LANGS:
            prefilled = runner.prefill_window(window[None], frames, lang)
            GUIDE["to"] = runner.reranker.tasks[lang][1]
            GUIDE["known"] = set(words(heard)) | {NULL}
            for mu in mus:
                GUIDE["mu"] = mu
                gen = runner.beam_search(prefilled, runner.beams_for(lang), task=lang, heard=heard)
                text = runner.text(gen, lang)
                rows[mu][-1][lang] = {"text": text, "confidence": gen.confidence, "flagged": False,
                                      "right": normalised(text) == normalised(getattr(c, lang))}
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for mu in mus:
        (out / f"{args.split}-mu{mu:g}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[mu]), encoding="utf-8")
        right = {lang: sum(r[lang]["right"] for r in rows[mu]) for lang in LANGS}
        print(f"{args.split} μ {mu:g}: {len(clips)} clips, right " + ", ".join(f"{k} {v}" for k, v in right.items()), flush=True)


if __name__ == "__main__":
    main()
