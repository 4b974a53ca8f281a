"""How well Whisper tiny.en, trained on real speech only, hears each engine's clean clips: a measure of how
close an engine's voices are to people (a model that hears them as it hears people gets a low WER).

Reads spoken folders (`compress speak --clean`), takes the first N clips of each engine in each, and
prints and writes Whisper tiny.en's English WER (jiwer, compress.metrics) per folder and engine.
Whisper is the benchmark's peer, built by `python -m compress peer-whisper` (data/peer/whisper-tiny.en).

    python experiments/whisper-hears-engines.py data/eval/dev data/eval/dev-kokoro --clips 100 --out bench/results/X.json
"""
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from compress.audio import read_wav  # noqa: E402
from compress.metrics import word_error_rate  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+", help="clean spoken folders (manifest.jsonl)")
    ap.add_argument("--clips", type=int, default=100, help="clips per engine and folder (the first in the manifest)")
    ap.add_argument("--whisper", default="data/peer/whisper-tiny.en", help="the peer's transformers folder")
    ap.add_argument("--out", help="write the figures as JSON")
    args = ap.parse_args()
    if not (Path(args.whisper) / "config.json").is_file():
        raise SystemExit(f"{args.whisper} not found: build it with `python -m compress peer-whisper`")
    import torch
    from transformers import WhisperForConditionalGeneration, WhisperProcessor

    torch.set_num_threads(1)
    processor = WhisperProcessor.from_pretrained(args.whisper)
    model = WhisperForConditionalGeneration.from_pretrained(args.whisper).eval()
    results = []
    for folder in map(Path, args.folders):
        rows = [json.loads(line) for line in open(folder / "manifest.jsonl", encoding="utf-8")]
        if any(r["augment"].get("noise") or r["augment"].get("reverb") for r in rows):
            raise SystemExit(f"{folder} is augmented: this compares clean voices")
        for engine in sorted({r["engine"] for r in rows}):
            picked = [r for r in rows if r["engine"] == engine][: args.clips]
            hyps = []
            for r in picked:
                features = processor(read_wav(folder / r["path"]), sampling_rate=16000, return_tensors="pt").input_features
                with torch.no_grad():
                    ids = model.generate(features, max_new_tokens=96)
                hyps.append(processor.batch_decode(ids, skip_special_tokens=True)[0].strip())
            # the words said: the spoken form where symbols were spelled out ("85 euros" for "€85")
            refs = [r.get("spoken", r["text"]) for r in picked]
            wer = word_error_rate(hyps, refs)
            results.append({"folder": str(folder), "engine": engine, "clips": len(picked),
                            "speakers": len({r["speaker"] for r in picked}), "wer": wer,
                            "examples": [[ref, hyp] for ref, hyp in zip(refs, hyps)][:5]})
            print(f"{folder} {engine}: {len(picked)} clips, {results[-1]['speakers']} speakers, WER {wer:.2f}%", flush=True)
    if args.out:
        record = {"command": "python " + " ".join(sys.argv), "whisper": args.whisper, "results": results}
        Path(args.out).write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
