"""`compress golden`: expected outputs of an exported model for one WAV, for the app's Node and browser tests.

Token ids come from transformers' `generate()` on the source checkpoint and are checked against
onnxruntime on the export before they are written, so the file states what both agree on; both
decode under the folder's decoding rules when it has them (decoding.json), and rerank a task's beams by
the transcript when it has rerank.json (`unranked_ids`: the best-scored hypothesis before that; `misses`: the
answer's, which discount its `confidence`). `text` is
what every runtime shows (the finished text, after rule 5), `raw_text` the decoded ids before it.
"""
import json
from pathlib import Path

import numpy as np

from ..audio import encoder_input, extract_features, mel_frames, read_wav
from ..checkpoint import load_checkpoint
from ..errors import ToolkitError
from ..prompt import TASKS
from ..reference import reference_generate, reference_inputs
from ..runtime import OnnxSpeechTranslator


BEAM_CHECK_WIDTH = 4


def rerank_record(gen) -> dict:
    """For beams reranked by the transcript: how far the answer's reranked score is ahead of the runner-up's,
    and the runner-up's ids. Another runtime whose scores differ by less than that picks the same answer; q8's
    integer kernels differ between onnxruntime releases by a few hundredths per token, so a test may accept
    either of two answers closer than that."""
    if len(gen.reranked) < 2:
        return {}
    (_, first), (runner_up, second) = gen.reranked[:2]
    return {"rerank_margin": first - second, "rerank_runner_up_ids": runner_up}


def write_golden(checkpoint, model_dir, wav, out, max_new_tokens: int = 16) -> Path:
    model, tokenizer, fe = load_checkpoint(checkpoint)
    samples = read_wav(wav)
    feats, _ = extract_features(fe, samples)
    frames = mel_frames(len(samples), fe.hop_length, fe.nb_max_frames)
    manifest = json.loads((Path(model_dir) / "manifest.json").read_text())
    enc_in = encoder_input(feats, frames, manifest["audio"]["context_frames"])
    cases = []
    for variant in manifest["variants"]:
        runner = OnnxSpeechTranslator(model_dir, variant)
        # The transcript that reranks beams, decoded once per variant rather than by each reranked decode.
        heard = runner.transcript(enc_in, frames, max_new_tokens) if runner.reranker is not None else None
        for lang in [task for task in manifest["prompts"] if task in TASKS]:  # not the chained ones: no runtime ships them
            greedy = runner.generate(feats, len(samples), lang, max_new_tokens=max_new_tokens, keep_logits=True)
            margins = [float(np.diff(np.sort(l)[-2:])[0]) for l in greedy.step_logits]
            # What every runtime decodes: the manifest's beam width for the task (greedy where it names none).
            beams = runner.beams_for(lang)
            # Beam search of a fixed width on every case, so that each runtime's is checked against this one's
            # on a real model even where the manifest decodes greedy.
            beam_check = runner.generate_window(enc_in, frames, lang, max_new_tokens, beams=BEAM_CHECK_WIDTH, heard=heard)
            gen = {1: greedy, BEAM_CHECK_WIDTH: beam_check}.get(beams) or runner.generate_window(enc_in, frames, lang, max_new_tokens, heard=heard)
            case = {
                "lang": lang,
                "variant": variant,
                "prompt_ids": gen.prompt_ids,
                "beams": beams,
                "generated_ids": gen.token_ids,
                "stopped_at_eos": gen.stopped,
                "raw_text": runner.raw_text(gen),
                "text": runner.text(gen, lang),
                "confidence": gen.confidence,
                "min_top1_margin": min(margins),
                "greedy_ids": greedy.token_ids,
                "beam_check": {"beams": BEAM_CHECK_WIDTH, "ids": beam_check.token_ids, "text": runner.text(beam_check, lang),
                               **rerank_record(beam_check)},
                **rerank_record(gen),
            }
            if beams > 1 and runner.reranks(lang):
                # The best-scored hypothesis before the transcript reranked them: what the rerank changed.
                case["unranked_ids"] = runner.beam_search(runner.prefill_window(enc_in, frames, lang), beams, max_new_tokens, task=lang).token_ids
                # The answer's misses against the transcript, which its confidence is discounted by.
                case["misses"] = runner.reranker.misses(lang, case["text"], heard)
            if variant == "fp32":
                ref = reference_generate(model, reference_inputs(model, tokenizer, fe, samples, lang), max_new_tokens,
                                         runner.rules, lang)
                ref = [t for t in ref if t not in manifest["tokens"]["eos"]]
                if ref != greedy.token_ids:
                    raise ToolkitError(f"onnxruntime and generate() disagree for {lang}: {greedy.token_ids} vs {ref}")
            cases.append(case)
    golden = {
        "model": str(model_dir),
        "wav": str(wav),
        "samples": int(len(samples)),
        "sampling_rate": fe.sampling_rate,
        "padded_features_shape": list(feats.shape),
        "frames": frames,
        "features_shape": list(enc_in.shape),
        "features_stats": {
            "mean": float(enc_in.mean()),
            "std": float(enc_in.std()),
            "first_frame_head": [float(v) for v in enc_in[0, :8, 0]],
        },
        "n_audio_tokens": cases[0]["prompt_ids"].count(manifest["tokens"]["audio"]),
        "max_new_tokens": max_new_tokens,
        "cases": cases,
    }
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(golden, indent=1, ensure_ascii=False) + "\n")
    return out


def cmd_golden(args):
    path = write_golden(args.checkpoint, args.model, args.wav, args.out, max_new_tokens=args.tokens)
    print(f"wrote {path}")


def add_cli(subparsers):
    p = subparsers.add_parser("golden", help="write golden outputs of an exported model for a WAV file")
    p.add_argument("--checkpoint", required=True, help="the HF checkpoint the export came from")
    p.add_argument("--model", required=True, help="the exported folder")
    p.add_argument("--wav", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--tokens", type=int, default=16)
    p.set_defaults(func=cmd_golden)
