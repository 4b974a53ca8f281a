"""GPU smoke test of the toolkit's CUDA paths on the two committed fixture clips (train, prune, kd)."""
import json, shutil, sys, time
from pathlib import Path
import os
sys.path.insert(0, os.getcwd())
import torch, transformers
DEV = os.environ.get("SMOKE_DEVICE", "cuda")
print("torch", torch.__version__, "transformers", transformers.__version__, "cuda", torch.cuda.is_available(), flush=True)
root = Path.cwd(); tmp = Path("/tmp/smoke"); shutil.rmtree(tmp, ignore_errors=True)
corpus, speech = tmp / "corpus", tmp / "speech"; corpus.mkdir(parents=True); (speech / "train").mkdir(parents=True)
CLIPS = {"s1": ("golden.wav", "Where is the train station, please?", "Wo ist der Bahnhof, bitte?", "请问火车站在哪里？"),
         "s2": ("good-morning.wav", "Good morning, how are you?", "Guten Morgen, wie geht es Ihnen?", "早上好，你好吗？")}
manifest = []
for split in ("train", "dev"):
    with open(corpus / f"{split}.jsonl", "w") as f:
        for sid, (wav, en, de, zh) in CLIPS.items():
            f.write(json.dumps({"id": f"{split}-{sid}", "topic": "t", "en": en, "de": de, "zh": zh}, ensure_ascii=False) + "\n")
            shutil.copy(root / "fixtures/tiny-random" / wav, speech / "train" / f"{split}-{sid}.wav")
            manifest.append({"path": f"train/{split}-{sid}.wav", "sentence_id": f"{split}-{sid}", "split": split, "voice": "v"})
(speech / "manifest.jsonl").write_text("".join(json.dumps(m) + "\n" for m in manifest))
from compress.train import train_teacher
from compress.prune import prune
from compress.kd import teacher_translations
t0 = time.time()
final = train_teacher(corpus, speech, tmp / "run", preset="tiny", vocab_size=300, batch_tokens=1024, lr=3e-3, warmup=5,
                      max_steps=60, eval_every=30, log_every=10, device=DEV)
t = prune(final, corpus, speech, tmp / "prune", 2, save_depths=[3, 2], device=DEV)
teacher_translations(final, corpus, speech, tmp / "kd.jsonl", features=tmp / "run/features/train", device=DEV)
print(open(tmp / "kd.jsonl").read()[:400])
print("SMOKE OK", round(time.time() - t0, 1), "s", flush=True)
