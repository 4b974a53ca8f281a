"""Reranking a beam search's hypotheses by what the model heard (docs/model-contract.md, "Reranking").

A beam search's finished hypotheses often hold the right translation when the best-scored one names
another thing than the speaker did ("I speak a little Japanese." heard right, 我会说一点意大利语。 first,
我会说一点日语。 second). The model's own English transcript says which: a lexical translation model learnt
from the training corpus (IBM Model 1, the classic n-best reranking feature of statistical MT) tells which
words of a hypothesis no word of the transcript translates to, and which words of the transcript no word of
the hypothesis translates back to. Each is a miss; a hypothesis's score becomes its log-probability per token
minus `weight` per miss (docs/results.md, "Reranking the beams by the transcript").

`compress rerank` trains the two directions per language with NLTK's IBMModel1 on the corpus's train.jsonl
and writes, into an exported folder, rerank.json: per language the weight, and the word pairs whose
translation probability is at least `tau` (only those decide a miss):
  {"version": 1, "tau": τ, "iterations": 5,
   "tasks": {"de": {"weight": λ, "to": {target word: [English words]}, "back": {English word: [target words]}}}}
"" in a list stands for IBM Model 1's empty word: that word needs no partner. src/core/rerank.ts reads the
same file. The misses are counted by hand (a few lines on two sets); the model behind them is NLTK's.
"""
import json
import math
import re
from pathlib import Path

from .arguments import task_values
from .errors import ToolkitError

VERSION = 1
ITERATIONS = 5
NULL = ""  # the empty word's name in rerank.json
# A word: one Han character (Chinese has no spaces), a run of digits, or a run of Latin letters (German's
# umlauts, ß and the accents of its loanwords included), after lower-casing. src/core/rerank.ts: the same.
WORD = re.compile(r"[\u3400-\u9fff]|[0-9]+|[a-zäöüßéèêàâçñ]+")


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def train_tables(corpus_dir, tasks: dict[str, float], tau: float, log=print) -> dict:
    """rerank.json's content from the corpus's train.jsonl (every sentence the grammar makes; none of the
    evaluation splits'). tasks: {language: weight}."""
    from nltk.translate import AlignedSent, IBMModel1

    from .phrasebook.corpus import read_jsonl

    path = Path(corpus_dir) / "train.jsonl"
    if not path.is_file():
        raise ToolkitError(f"{path} not found: run `python -m compress phrasebook --out {corpus_dir}` first")
    if not 0 < tau < 1:
        raise ToolkitError(f"--tau must be between 0 and 1, got {tau}")
    rows = list(read_jsonl(path))
    out = {"version": VERSION, "tau": tau, "iterations": ITERATIONS, "tasks": {}}
    for lang, weight in tasks.items():
        if not rows or lang not in rows[0]:
            raise ToolkitError(f"{path} has no {lang!r} references")
        if weight <= 0:
            raise ToolkitError(f"--weights {lang}={weight}: a weight must be positive")
        pairs = [(words(r[lang]), words(r["en"])) for r in rows]
        # AlignedSent(words, mots) models P(word | mot): "to" is P(target word | English word).
        to = IBMModel1([AlignedSent(t, e) for t, e in pairs], ITERATIONS).translation_table
        back = IBMModel1([AlignedSent(e, t) for t, e in pairs], ITERATIONS).translation_table
        out["tasks"][lang] = {"weight": weight, "to": partners(to, tau), "back": partners(back, tau)}
        log(f"  {lang}: {len(out['tasks'][lang]['to'])} target words, {len(out['tasks'][lang]['back'])} English words "
            f"(IBM Model 1, {ITERATIONS} iterations, {len(rows)} sentences)")
    return out


def partners(table, tau: float) -> dict[str, list[str]]:
    """{word: the sorted words it translates from with probability ≥ tau} (NLTK's None, the empty word, as "")."""
    out = {}
    for word, row in table.items():
        if word is None:
            continue
        found = sorted(NULL if source is None else source for source, p in row.items() if p >= tau)
        if found:
            out[word] = found
    return dict(sorted(out.items()))


class Reranker:
    """rerank.json, loaded: misses of a hypothesis against a transcript, and the choice among hypotheses."""

    def __init__(self, tables: dict):
        if tables.get("version") != VERSION:
            raise ToolkitError(f"rerank.json version {tables.get('version')} is not supported (expected {VERSION})")
        self.tasks = {lang: (float(t["weight"]), {w: set(s) for w, s in t["to"].items()}, {w: set(s) for w, s in t["back"].items()})
                      for lang, t in tables["tasks"].items()}

    @staticmethod
    def load(model_dir) -> "Reranker | None":
        manifest = json.loads((Path(model_dir) / "manifest.json").read_text())
        return Reranker(json.loads((Path(model_dir) / manifest["rerank"]).read_text())) if manifest.get("rerank") else None

    def misses(self, task: str, hypothesis: str, heard: str) -> int:
        _, to, back = self.tasks[task]
        said, written = words(heard), words(hypothesis)
        known, shown = set(said) | {NULL}, set(written) | {NULL}
        return (sum(not (to.get(w, set()) & known) for w in written)
                + sum(not (back.get(e, set()) & shown) for e in said))

    def ranked(self, task: str, hypotheses: list[tuple[str, float]], heard: str) -> list[tuple[int, float]]:
        """(index, score once each miss costs the task's weight) of every (text, log-probability per token),
        best first, the earlier among equals first (hypotheses come best-scored first)."""
        weight = self.tasks[task][0]
        scores = [score - weight * self.misses(task, text, heard) for text, score in hypotheses]
        return sorted(enumerate(scores), key=lambda x: -x[1])

    def choose(self, task: str, hypotheses: list[tuple[str, float]], heard: str) -> int:
        """The index of the best hypothesis once reranked."""
        return self.ranked(task, hypotheses, heard)[0][0]

    def confidence(self, task: str, confidence: float, hypothesis: str, heard: str) -> float:
        """A reranked answer's confidence: its tokens' (decoding.Chooser's) times e^(-weight) per miss, the
        rerank's own cost. A translation with words the transcript does not account for is less likely right:
        on the choice splits, at thresholds chosen the same way, it flags 4 to 10 points more of the wrong
        translations (docs/results.md, "A confidence that counts the misses")."""
        return confidence * math.exp(-self.tasks[task][0] * self.misses(task, hypothesis, heard))


def write_rerank(model_dir, corpus_dir, tasks: dict[str, float], tau: float, log=print) -> dict:
    """Train the tables, write rerank.json into an exported folder and list it in the manifest."""
    from .export.manifest import write_manifest

    model_dir = Path(model_dir)
    manifest_path = model_dir / "manifest.json"
    if not manifest_path.is_file():
        raise ToolkitError(f"{model_dir} is not an exported model folder (no manifest.json)")
    manifest = json.loads(manifest_path.read_text())
    missing = [lang for lang in tasks if lang not in manifest["prompts"]]
    if missing:
        raise ToolkitError(f"{model_dir} has no {', '.join(missing)} prompt (has {', '.join(manifest['prompts'])})")
    if "transcribe" not in manifest["prompts"]:
        raise ToolkitError(f"{model_dir} has no transcribe prompt: reranking needs what the model heard")
    tables = train_tables(corpus_dir, tasks, tau, log=log)
    (model_dir / "rerank.json").write_text(json.dumps(tables, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    manifest["rerank"] = "rerank.json"
    manifest.pop("version", None)  # the files changed: a new content version
    manifest = write_manifest(model_dir, manifest)
    log(f"{model_dir}/rerank.json: tau {tau}, weights {tasks}; manifest version {manifest['version']}")
    return tables


def parse_weights(items: list[str]) -> dict[str, float]:
    return task_values(items, "--weights", "WEIGHT", float, "de=0.05")


def cmd_rerank(args):
    write_rerank(args.model, args.corpus, parse_weights(args.weights), args.tau)


def add_cli(subparsers):
    p = subparsers.add_parser("rerank", help="write an exported model's transcript reranking tables (rerank.json) from its training corpus")
    p.add_argument("--model", required=True, help="exported model folder (manifest.json)")
    p.add_argument("--corpus", required=True, help="the corpus folder the model was trained on (train.jsonl)")
    p.add_argument("--weights", nargs="+", required=True, metavar="TASK=WEIGHT",
                   help="the cost of one miss per language, against log-probability per token (e.g. de=0.05 zh=0.05)")
    p.add_argument("--tau", type=float, default=0.05, help="a translation probability below this is a miss (default 0.05)")
    p.set_defaults(func=cmd_rerank)
