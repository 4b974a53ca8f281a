"""Decoding rules that keep every output well formed, shared by every runtime (docs/model-contract.md).

A byte-level BPE model can pick a token that leaves half a character (U+FFFD once decoded), a Latin
word in the middle of Chinese, or loop on a phrase. Greedy decoding here picks the highest-scoring
token that passes four rules:

1. **Valid UTF-8.** Each token is a byte string; a UTF-8 automaton (RFC 3629, Unicode Table 3-7) tracks
   the bytes still owed to the current character. A token whose bytes cannot follow is never chosen,
   and the end of the sentence (EOS) only when no character is open.
2. **The target's tokens.** Only tokens that the training targets of that task (German references,
   Chinese references, English transcripts: tasks "de", "zh", "transcribe") ever use. Latin letters in Chinese then appear only where
   the references have them.
3. **No loops.** No n-gram of tokens twice (HF's `no_repeat_ngram_size`), with n one more than the
   longest repeat in any training target, so no reference is ever blocked.
4. **No phrase twice in a row.** No block of k tokens immediately repeated ("ist sieben ist sieben")
   for any k ≥ k_min, per task: one more than the longest block any training target of that task
   repeats in a row, and at least 2, so no reference is blocked and a single token twice ("谢谢",
   "99") stays allowed. Rule 3 alone lets repeats shorter than its n through.
5. **No phrase twice in a row, as text.** The same phrase can come back in other tokens ("在出租车站"
   + "在出租" + "车站", "Schnitzel," then " Schnitzel bringen"), where rules 3 and 4 see different ids.
   The finished text says each phrase said twice in a row once (metrics.collapse_loops: two or more
   words, or three or more Chinese characters), for the tasks whose training targets never do that.
   Greedy decoding cannot take back the tokens it has fed the model, so this acts on the text.

Beam search (BeamSearch, for the tasks the manifest's `beams` names) keeps several hypotheses, each under
these rules with its own state. Written by hand too: transformers' beam search runs only inside its own
generate() in PyTorch, and every runtime here must rank the beams alike.

`compress decoding` writes these tables as `decoding.json` into an exported model folder; onnxruntime
here (runtime.py), PyTorch (translate.py, a LogitsProcessor) and the browser (src/core/decoding.ts)
read the same file. Written by hand: no kept library constrains decoding to valid UTF-8 over byte-level
tokens (HF's logits processors work on whole token ids only).
"""
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .arguments import task_values
from .errors import ToolkitError
from .metrics import collapse_loops, loop_span
from .prompt import CHAINED_TARGET

VERSION = 3  # 2 added no_tandem_repeat_min (rule 4), 3 collapse_loops (rule 5); older files decode without them
ACCEPT = 0  # no character open
REJECT = -1
N_STATES = 8


def utf8_step(state: int, byte: int) -> int:
    """One byte through the UTF-8 automaton. States: 0 accept; 1/2/3 continuation bytes owed (80–BF);
    4 after E0 (A0–BF next), 5 after ED (80–9F), 6 after F0 (90–BF), 7 after F4 (80–8F)."""
    if state == 0:
        if byte < 0x80:
            return 0
        if 0xC2 <= byte <= 0xDF:
            return 1
        if byte == 0xE0:
            return 4
        if 0xE1 <= byte <= 0xEF and byte != 0xED:
            return 2
        if byte == 0xED:
            return 5
        if byte == 0xF0:
            return 6
        if 0xF1 <= byte <= 0xF3:
            return 3
        if byte == 0xF4:
            return 7
        return REJECT
    lo, hi, nxt = {1: (0x80, 0xBF, 0), 2: (0x80, 0xBF, 1), 3: (0x80, 0xBF, 2), 4: (0xA0, 0xBF, 1),
                   5: (0x80, 0x9F, 1), 6: (0x90, 0xBF, 2), 7: (0x80, 0x8F, 2)}[state]
    return nxt if lo <= byte <= hi else REJECT


def utf8_after(state: int, data: bytes) -> int:
    for byte in data:
        state = utf8_step(state, byte)
        if state == REJECT:
            break
    return state


def token_bytes(tokenizer) -> list[bytes | None]:
    """Each id's bytes under the byte-level BPE; None for special (added) tokens."""
    from transformers.models.gpt2.tokenization_gpt2 import bytes_to_unicode

    byte_of = {ch: b for b, ch in bytes_to_unicode().items()}
    special = set(tokenizer.all_special_ids) | set(tokenizer.added_tokens_decoder)
    out = []
    for i in range(len(tokenizer)):
        if i in special:
            out.append(None)
            continue
        token = tokenizer.convert_ids_to_tokens(i)
        out.append(bytes(byte_of[ch] for ch in token))
    return out


def longest_repeat(ids: list[int]) -> int:
    """Length of the longest n-gram that occurs twice in `ids` (0 if none)."""
    best = 0
    for n in range(1, len(ids)):
        seen, found = set(), False
        for i in range(len(ids) - n + 1):
            gram = tuple(ids[i : i + n])
            if gram in seen:
                found = True
                break
            seen.add(gram)
        if not found:
            break
        best = n
    return best


def longest_tandem_block(ids: list[int]) -> int:
    """Length of the longest block immediately repeated in `ids` (… A A …; 0 if none)."""
    for k in range(len(ids) // 2, 0, -1):
        if any(ids[i : i + k] == ids[i + k : i + 2 * k] for i in range(len(ids) - 2 * k + 1)):
            return k
    return 0


def tandem_banned(ids: list[int], k_min: int) -> set[int]:
    """Tokens t for which ids + [t] would end with a block A twice (A A, |A| = k ≥ k_min): that is
    when ids[-(2k-1):-k] == ids[-(k-1):] (the block so far matches its copy), and then t = ids[-k]."""
    n = len(ids)
    return {ids[n - k] for k in range(k_min, (n + 1) // 2 + 1) if ids[n - 2 * k + 1 : n - k] == ids[n - k + 1 :]}


def build_tables(tokenizer, targets: dict[str, list[str]], eos_ids: list[int], out_of_domain: int | None = None) -> dict:
    """decoding.json's content. targets: task → every training target text of that task
    ("de", "zh": references; "transcribe": English transcripts)."""
    allowed, repeat, tandem, collapse = {}, 0, {}, {}
    for task, texts in targets.items():
        ids, tandem[task] = set(), 0
        collapse[task] = not any(loop_span(text) for text in texts)
        for text in texts:
            encoded = tokenizer(text, add_special_tokens=False).input_ids
            ids.update(encoded)
            repeat = max(repeat, longest_repeat(encoded))
            tandem[task] = max(tandem[task], longest_tandem_block(encoded))
        allowed[task] = sorted(ids)
    return {
        "version": VERSION,
        "token_bytes": [b.hex() if b is not None else None for b in token_bytes(tokenizer)],
        "allowed": allowed,
        "eos": sorted(eos_ids),
        "out_of_domain": out_of_domain,
        "no_repeat_ngram_size": repeat + 1,
        "no_tandem_repeat_min": {task: max(2, k + 1) for task, k in tandem.items()},
        "collapse_loops": collapse,
    }


class DecodingRules:
    """The tables of decoding.json as masks: `mask(task, state)` is a bool vector over the vocabulary."""

    def __init__(self, tables: dict):
        version = tables.get("version")
        if version not in (1, 2, VERSION):
            raise ToolkitError(f"decoding.json version {version!r} is not supported (expected 1 to {VERSION})")
        self.tables = tables
        raw = [bytes.fromhex(h) if h is not None else None for h in tables["token_bytes"]]
        self.vocab = len(raw)
        self.eos = list(tables["eos"])
        self.out_of_domain = tables.get("out_of_domain")
        self.n = int(tables["no_repeat_ngram_size"])
        # Rule 4's shortest banned block per task; version 1 has no rule 4.
        self.tandem_min = {}
        if version >= 2:
            self.tandem_min = dict(tables.get("no_tandem_repeat_min") or {})
            bad = [t for t in tables["allowed"] if not (isinstance(self.tandem_min.get(t), int) and self.tandem_min[t] >= 2)]
            if bad:
                raise ToolkitError(f"decoding.json: no_tandem_repeat_min needs an integer ≥ 2 for task(s) {', '.join(bad)}")
        # Rule 5's tasks; versions 1 and 2 have no rule 5.
        self.collapse = {}
        if version >= 3:
            self.collapse = dict(tables.get("collapse_loops") or {})
            bad = [t for t in tables["allowed"] if not isinstance(self.collapse.get(t), bool)]
            if bad:
                raise ToolkitError(f"decoding.json: collapse_loops needs true or false for task(s) {', '.join(bad)}")
        # next_state[s, t]: the automaton's state after token t from state s (REJECT where invalid);
        # special tokens carry no bytes (only EOS and the out-of-domain answer are ever allowed).
        self.next_state = np.full((N_STATES, self.vocab), REJECT, np.int8)
        for t, data in enumerate(raw):
            if data is None or not data:
                continue
            for s in range(N_STATES):
                self.next_state[s, t] = utf8_after(s, data)
        self._masks = {}
        for task, ids in tables["allowed"].items():
            allowed = np.zeros(self.vocab, bool)
            allowed[np.asarray(ids, dtype=np.int64)] = True
            for s in range(N_STATES):
                m = allowed & (self.next_state[s] != REJECT)
                if s == ACCEPT:
                    m[self.eos] = True
                self._masks[(task, s)] = m

    @staticmethod
    def load(model_dir) -> "DecodingRules | None":
        path = Path(model_dir) / "decoding.json"
        return DecodingRules(json.loads(path.read_text())) if path.is_file() else None

    @property
    def tasks(self) -> list[str]:
        return list(self.tables["allowed"])

    def mask(self, task: str, state: int, first: bool = False) -> np.ndarray:
        if (task, state) not in self._masks:
            raise ToolkitError(f"decoding.json has no rules for task {task!r} (has {', '.join(self.tasks)})")
        m = self._masks[(task, state)]
        if first and self.out_of_domain is not None and task != "transcribe":
            m = m.copy()
            m[self.out_of_domain] = True  # the model's "not in the phrasebook" answer, as its first token
        return m

    def final_text(self, task: str, text: str) -> str:
        """A finished output under rule 5."""
        return collapse_loops(text) if self.collapse.get(task) else text

    def banned(self, task: str, ids: list[int]) -> set[int]:
        """Tokens that would complete an n-gram already in `ids` (rule 3, HF's no_repeat_ngram rule) or
        repeat a block just written (rule 4). Never EOS: at a character boundary something stays allowed."""
        n = self.n
        out = tandem_banned(ids, self.tandem_min[task]) if task in self.tandem_min else set()
        if len(ids) < n - 1:
            return out
        prefix = tuple(ids[len(ids) - n + 1 :]) if n > 1 else ()
        return out | {ids[i + n - 1] for i in range(len(ids) - n + 1) if tuple(ids[i : i + n - 1]) == prefix}


class Chooser:
    """Greedy choice under the rules for one utterance; also keeps the model's log-probabilities of
    the chosen tokens, for its confidence: the geometric mean of the `confidence_tokens` least probable
    (the manifest's `confidence_tokens`; None: of every one)."""

    def __init__(self, rules: DecodingRules | None, task: str, confidence_tokens: int | None = None,
                 separator: int | None = None):
        self.rules, self.task, self.confidence_tokens = rules, task, confidence_tokens
        self.separator = separator  # also allowed wherever EOS is, after a first token (ChainedChooser's English)
        self.state = ACCEPT
        self.ids: list[int] = []
        self.states: list[int] = []
        self.logprobs: list[float] = []

    def admissible(self, logits: np.ndarray) -> np.ndarray:
        """The logits with every token the rules forbid here at -inf (all of them kept without rules)."""
        if self.rules is None:
            return logits
        allowed = self.rules.mask(self.task, self.state, first=not self.ids)
        masked = np.where(allowed, logits, -np.inf)
        for t in self.rules.banned(self.task, self.ids):
            masked[t] = -np.inf
        if self.separator is not None and self.ids and self.state == ACCEPT:
            masked[self.separator] = logits[self.separator]
        return masked

    def choose(self, logits: np.ndarray) -> int:
        logits = np.asarray(logits, np.float32)
        if self.rules is None:
            token = int(np.argmax(logits))
        else:
            masked = self.admissible(logits)
            token = int(np.argmax(masked))
            if not np.isfinite(masked[token]):
                token = self.rules.eos[0]  # nothing admissible (only possible mid-character): stop
        top = logits.max()
        self.logprobs.append(float(logits[token] - top - np.log(np.exp(logits - top).sum())))
        return token

    def branch(self) -> "Chooser":
        """A copy that goes on independently (a beam's own rules state, ids and log-probabilities)."""
        other = Chooser(self.rules, self.task, self.confidence_tokens, self.separator)
        other.state, other.ids, other.states, other.logprobs = self.state, list(self.ids), list(self.states), list(self.logprobs)
        return other

    def accept(self, token: int) -> None:
        """Record a chosen non-EOS token."""
        self.ids.append(token)
        self.states.append(self.state)
        if self.rules is not None and self.rules.next_state.shape[1] > token and self.rules.next_state[self.state, token] != REJECT:
            self.state = int(self.rules.next_state[self.state, token])

    def complete_ids(self) -> list[int]:
        """The ids, without trailing tokens of a character that the token budget cut short."""
        ids = list(self.ids)
        state = self.state
        while ids and state != ACCEPT:
            ids.pop()
            state = self.states[len(ids)]
        return ids

    def confidence(self) -> float:
        """Geometric mean of the chosen tokens' probabilities (EOS included), of the `confidence_tokens`
        least probable only when set, in [0, 1]. A wrong slot is often one unsure token among many sure
        ones, which the mean over every token dilutes (docs/results.md, "A confidence from the least
        probable tokens")."""
        return confidence_of(self.logprobs, self.confidence_tokens)


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """In float64, as src/core/decoding.ts computes it, so that both runtimes rank beams alike."""
    x = np.asarray(logits, np.float64)
    top = x.max()
    return x - top - np.log(np.exp(x - top).sum())


@dataclass
class Beam:
    chooser: Chooser  # the hypothesis's ids, rules state and log-probabilities
    score: float = 0.0  # the sum of its tokens' log-probabilities


@dataclass
class Finished:
    beam: Beam
    score: float  # log-probability per token: transformers' beam score with length_penalty 1
    stop: int | None  # the EOS or "not in the phrasebook" token that ended it; None: cut at the token budget


class BeamSearch:
    """Beam search under the decoding rules, as transformers' does it with early_stopping=True and
    length_penalty 1: each step ranks every live beam's 2·beams best admissible tokens by the beam's
    log-probability plus the token's; a stop token among the first `beams` ranks finishes that hypothesis,
    scored per token (EOS's log-probability counted, its place not); the first `beams` other candidates go
    on. It stops once `beams` hypotheses have finished. Ties go to the earlier beam, then the lower token
    id, so that src/core/decoding.ts's BeamSearch picks the same tokens. Greedy decoding finds the same
    sentences for a language whose words are sure, and on dev gets German slots wrong that a few beams
    get right (docs/results.md, "Beam search")."""

    def __init__(self, chooser: Chooser, beams: int, stop_ids: set[int], max_new_tokens: int):
        if beams < 1:
            raise ToolkitError(f"beams must be at least 1, got {beams}")
        self.beams, self.stop_ids, self.max_new_tokens = beams, stop_ids, max_new_tokens
        self.live = [Beam(chooser)]
        self.finished: list[Finished] = []

    def step(self, rows: list[np.ndarray]) -> list[tuple[int, int]]:
        """rows: the last logits of each live beam, in order → (parent beam, token) of each beam that goes
        on, in the new order (the caller runs those tokens and reorders its KV cache by the parents); []
        when the search is over."""
        candidates = []
        for b, (beam, logits) in enumerate(zip(self.live, rows)):
            logprobs = log_softmax(logits)
            masked = beam.chooser.admissible(logprobs)
            ok = np.flatnonzero(np.isfinite(masked))
            best = ok[np.lexsort((ok, -masked[ok]))][: 2 * self.beams]
            candidates += [(beam.score + float(masked[t]), b, int(t), float(logprobs[t])) for t in best]
        candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
        going_on: list[Beam] = []
        picks = []
        for rank, (score, b, token, logprob) in enumerate(candidates):
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
            going_on.append(Beam(chooser, score))
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

    def best(self) -> Finished:
        """The finished hypothesis with the highest score (the first finished among equals)."""
        if not self.finished:
            raise ToolkitError("beam search ended with no hypothesis (no admissible token at the first step)")
        return max(self.finished, key=lambda f: f.score)


class ChainedChooser:
    """Greedy choice for a chained task ("transcribe+de": the English, the separator, the translation): the
    English under the transcription's rules, where the separator may come wherever EOS may, then the
    translation under its language's rules as an utterance of its own (its first token may be the "not in
    the phrasebook" answer). The confidence, and the log-probabilities kept, are the translation's: the
    English only conditions it."""

    def __init__(self, rules: DecodingRules | None, task: str, separator: int, confidence_tokens: int | None = None):
        self.rules, self.target, self.separator = rules, CHAINED_TARGET[task], separator
        self.confidence_tokens = confidence_tokens
        self.heard = Chooser(rules, "transcribe", confidence_tokens, separator=separator)
        self.translation: Chooser | None = None

    def choose(self, logits: np.ndarray) -> int:
        return (self.translation or self.heard).choose(logits)

    def accept(self, token: int) -> None:
        if self.translation is None and token == self.separator:
            self.translation = Chooser(self.rules, self.target, self.confidence_tokens)
        else:
            (self.translation or self.heard).accept(token)

    def complete_ids(self) -> list[int]:
        if self.translation is None:
            return self.heard.complete_ids()
        return self.heard.ids + [self.separator] + self.translation.complete_ids()

    @property
    def logprobs(self) -> list[float]:
        return self.translation.logprobs if self.translation else []

    def confidence(self) -> float:
        """The translation's (0 when the answer stopped before one)."""
        return self.translation.confidence() if self.translation else 0.0


def confidence_of(logprobs: list[float], tokens: int | None = None) -> float:
    """The geometric mean of the probabilities behind `logprobs`, of the `tokens` least probable only when
    set; 0 for none."""
    if not logprobs:
        return 0.0
    return float(np.exp(np.mean(logprobs if tokens is None else sorted(logprobs)[:tokens])))


OUT_OF_DOMAIN_TOKEN = "<|out_of_domain|>"


def training_targets(corpus_dir) -> dict[str, list[str]]:
    """Every target text a model trained on `corpus_dir` learned to write, per task: German and Chinese
    references of the training sets (train.jsonl and the sampled train-e*.jsonl), and the English of
    every training sentence, in-domain and out-of-domain (ood-train.jsonl), for transcription."""
    from .phrasebook.corpus import read_jsonl

    corpus_dir = Path(corpus_dir)
    files = sorted(corpus_dir.glob("train*.jsonl"))
    if not files:
        raise ToolkitError(f"{corpus_dir} has no train*.jsonl: run `python -m compress phrasebook --out {corpus_dir}` first")
    targets = {"de": [], "zh": [], "transcribe": []}
    for path in files + ([corpus_dir / "ood-train.jsonl"] if (corpus_dir / "ood-train.jsonl").is_file() else []):
        for row in read_jsonl(path):
            for task, key in (("de", "de"), ("zh", "zh"), ("transcribe", "en")):
                if row.get(key):
                    targets[task].append(row[key])
    return targets


def write_decoding(model_dir, corpus_dir, log=print) -> dict:
    """Build decoding.json for an exported folder from its tokenizer and the corpus it was trained on,
    and list it in the manifest (files, sha256, "decoding", tokens.out_of_domain)."""
    from transformers import AutoTokenizer

    from .export.manifest import write_manifest

    model_dir = Path(model_dir)
    manifest_path = model_dir / "manifest.json"
    if not manifest_path.is_file():
        raise ToolkitError(f"{model_dir} is not an exported model folder (no manifest.json)")
    manifest = json.loads(manifest_path.read_text())
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    ood = tokenizer.convert_tokens_to_ids(OUT_OF_DOMAIN_TOKEN) if OUT_OF_DOMAIN_TOKEN in tokenizer.get_vocab() else None
    tables = build_tables(tokenizer, training_targets(corpus_dir), manifest["tokens"]["eos"], ood)
    (model_dir / "decoding.json").write_text(json.dumps(tables, separators=(",", ":")) + "\n")
    manifest["decoding"] = "decoding.json"
    if ood is not None:
        manifest["tokens"]["out_of_domain"] = ood
    manifest.pop("version", None)  # the files changed: a new content version
    manifest = write_manifest(model_dir, manifest)
    log(f"{model_dir}/decoding.json: " + ", ".join(f"{t} {len(ids)} tokens" for t, ids in tables["allowed"].items())
        + f"; no repeated {tables['no_repeat_ngram_size']}-grams; no block repeated in a row from "
        + ", ".join(f"{t} {k}" for t, k in tables["no_tandem_repeat_min"].items()) + " tokens; loops said once in "
        + (", ".join(t for t, on in tables["collapse_loops"].items() if on) or "no task") + f"; manifest version {manifest['version']}")
    return tables


MAX_BEAMS = 16  # src/core/manifest.ts refuses more: each beam is a row of every decoder step


def write_beams(model_dir, widths: dict[str, int], log=print) -> dict:
    """Set the manifest's beam width per task (`beams`; 1 removes a task's: greedy). Chosen on dev splits
    (docs/results.md, "Beam search"); every runtime decodes that task with BeamSearch."""
    from .export.manifest import write_text_atomic

    path = Path(model_dir) / "manifest.json"
    if not path.is_file():
        raise ToolkitError(f"{model_dir} is not an exported model folder (no manifest.json)")
    manifest = json.loads(path.read_text())
    beams = dict(manifest.get("beams", {}))
    for task, width in widths.items():
        if task not in manifest["prompts"]:
            raise ToolkitError(f"--beams {task}={width}: {model_dir} has no {task!r} prompt (has {', '.join(manifest['prompts'])})")
        if not 1 <= width <= MAX_BEAMS:
            raise ToolkitError(f"--beams {task}={width}: a beam width is 1 to {MAX_BEAMS}")
        beams[task] = width
    beams = {task: width for task, width in beams.items() if width > 1}
    if beams:
        manifest["beams"] = beams
    else:
        manifest.pop("beams", None)
    write_text_atomic(path, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    log(f"{path}: beams {beams or 'none (greedy)'}")
    return manifest


def parse_beams(items: list[str]) -> dict[str, int]:
    return task_values(items, "--beams", "WIDTH", int, "de=4")


def cmd_decoding(args):
    if args.corpus is None and args.beams is None:
        raise ToolkitError("compress decoding needs --corpus (the rules), --beams (the beam widths), or both")
    if args.corpus is not None:
        write_decoding(args.model, args.corpus)
    if args.beams is not None:
        write_beams(args.model, parse_beams(args.beams))


def add_cli(subparsers):
    p = subparsers.add_parser("decoding", help="write an exported model's decoding rules (decoding.json) from its training corpus")
    p.add_argument("--model", required=True, help="exported model folder (manifest.json, tokenizer.json)")
    p.add_argument("--corpus", help="the corpus folder the model was trained on (train*.jsonl, ood-train.jsonl): rebuilds the rules")
    p.add_argument("--beams", nargs="+", metavar="TASK=WIDTH",
                   help="beam width per task, written to the manifest (e.g. de=4; 1: greedy, the default)")
    p.set_defaults(func=cmd_decoding)
