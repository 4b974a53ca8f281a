"""How well does a model translate English *text* (the prompt with the sentence's tokens where the audio
tokens go, as `train-teacher --text-share` trains it)? An upper bound for translating from what the model
heard instead of from the audio: given the reference English, or given a robustness run's transcripts.

    python experiments/text-path.py --model runs/v5ztw --sentences compress/phrasebook/frozen/v2-dev.jsonl
    python experiments/text-path.py --model runs/v5ztw --outputs OUT.jsonl --split dev --condition clean \
        --sentences-of data/corpus/dev.jsonl --rules public/models/phrasebook-student --out RESULT.json

With --outputs (a `compress robustness --outputs` file) each clip's English is its `transcribe` output, and
the direct translations of the same file are scored beside it, clip by clip.
"""
import argparse
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from compress.checkpoint import load_checkpoint  # noqa: E402
from compress.dataset import PromptBuilder, read_jsonl  # noqa: E402
from compress.decoding import DecodingRules  # noqa: E402
from compress.metrics import normalised, score, sentence_accuracy  # noqa: E402
from compress.prompt import LANGS  # noqa: E402
from compress.translate import RulesProcessor  # noqa: E402
from transformers import LogitsProcessorList  # noqa: E402


@torch.no_grad()
def translate_texts(model, builder, texts, lang, rules=None, batch_size=32, max_new_tokens=64):
    pad = builder.tokenizer.pad_token_id
    eos = [builder.im_end, pad]
    out_texts = []
    for start in range(0, len(texts), batch_size):
        prompts = [builder.text_prompt(lang, t) for t in texts[start : start + batch_size]]
        width = max(len(p) for p in prompts)
        ids = torch.full((len(prompts), width), pad, dtype=torch.long)
        attention = torch.zeros_like(ids)
        for i, p in enumerate(prompts):
            ids[i, width - len(p) :] = torch.tensor(p)
            attention[i, width - len(p) :] = 1
        processors = LogitsProcessorList([RulesProcessor(rules, lang, prompt_length=width)]) if rules else None
        out = model.language_model.generate(input_ids=ids, attention_mask=attention, max_new_tokens=max_new_tokens,
                                            do_sample=False, num_beams=1, eos_token_id=eos, pad_token_id=pad,
                                            logits_processor=processors)
        for row in out[:, width:].tolist():
            stop = next((k for k, t in enumerate(row) if t in eos), None)
            text = builder.tokenizer.decode(row if stop is None else row[:stop], skip_special_tokens=True).strip()
            out_texts.append(rules.final_text(lang, text) if rules else text)
    return out_texts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, help="a PyTorch checkpoint folder")
    ap.add_argument("--sentences", help="a corpus jsonl (en, de, zh): translate each reference English")
    ap.add_argument("--outputs", help="a robustness --outputs jsonl: translate each clip's transcript")
    ap.add_argument("--sentences-of", help="with --outputs: the split's corpus jsonl (its references)")
    ap.add_argument("--split")
    ap.add_argument("--condition", default="clean")
    ap.add_argument("--rules", help="a model folder whose decoding.json to decode under")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--out")
    args = ap.parse_args()
    torch.set_num_threads(2)
    model, tokenizer, _ = load_checkpoint(Path(args.model))
    builder = PromptBuilder(tokenizer, model.config.audio_token_index)
    rules = DecodingRules.load(args.rules) if args.rules else None
    result = {"model": args.model, "rules": args.rules}
    if args.outputs is None:
        rows = read_jsonl(args.sentences)[: args.limit]
        result["sentences"] = args.sentences
        for lang in LANGS:
            hyps = translate_texts(model, builder, [r["en"] for r in rows], lang, rules)
            refs = [r[lang] for r in rows]
            result[lang] = {"n": len(rows), **score(hyps, refs, lang), "accuracy": sentence_accuracy(hyps, refs)}
            print(lang, result[lang], flush=True)
    else:
        clips = [r for r in read_jsonl(args.outputs) if r["split"] == args.split and r["condition"] == args.condition]
        clips = clips[: args.limit]
        result.update(outputs=args.outputs, split=args.split, condition=args.condition)
        heard = [c["transcribe"]["text"] for c in clips]
        # An outputs row's "de" / "zh" hold what the model wrote; the references come from the split's sentences.
        references = {r["id"]: r for r in read_jsonl(args.sentences_of)}
        for lang in LANGS:
            cascade = translate_texts(model, builder, heard, lang, rules)
            direct = [c[lang]["text"] for c in clips]
            refs = [references[c["sentence"]][lang] for c in clips]
            right = lambda hs: [normalised(h) == normalised(r) for h, r in zip(hs, refs)]  # noqa: E731
            d, k = right(direct), right(cascade)
            result[lang] = {
                "n": len(clips),
                "direct": {**score(direct, refs, lang), "accuracy": sentence_accuracy(direct, refs)},
                "cascade": {**score(cascade, refs, lang), "accuracy": sentence_accuracy(cascade, refs)},
                "right_only_direct": sum(a and not b for a, b in zip(d, k)),
                "right_only_cascade": sum(b and not a for a, b in zip(d, k)),
            }
            print(lang, result[lang], flush=True)
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
