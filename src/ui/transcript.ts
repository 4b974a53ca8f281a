// The transcript: one card per utterance, from the moment it is queued (cancellable) to its
// translation, with what the model heard, a confidence mark and the time (or the file and the
// offset in it). Copy and export use the finished lines.
import type { UtteranceSource } from "../core/utterance-queue";
import type { TranslateResult } from "../worker-api";
import { h } from "./dom";

export type UtteranceState = "queued" | "translating" | "done" | "cancelled" | "failed";

export interface TranscriptLine {
  utteranceId: number;
  /** When the speech started or the file was added (ms since epoch). */
  startedAt: number;
  lang: string;
  text: string;
  ids: number[];
  backend: string;
  source: UtteranceSource;
  heard?: string;
  confidence?: number;
  understood?: boolean;
  /** From the end of the speech to the text on screen (live utterances only). */
  latencyMs?: number;
  /** How long the translated audio was. */
  audioSeconds?: number;
}

interface Entry {
  item: HTMLLIElement;
  state: UtteranceState;
  line: Omit<TranscriptLine, "text" | "ids" | "backend"> & Partial<TranscriptLine>;
}

const LANG_NAMES: Record<string, string> = { de: "German", zh: "Chinese" };

export function confidenceLevel(confidence: number): "high" | "medium" | "low" {
  return confidence >= 0.8 ? "high" : confidence >= 0.5 ? "medium" : "low";
}

const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, "0")}`;

/** "golden.wav at 0:12" for a piece of a file or sample; null for the microphone. */
export function sourceLabel(source: UtteranceSource): string | null {
  if (source.kind === "mic") return null;
  const name = source.name ?? source.kind;
  return source.offsetSeconds !== undefined ? `${name} at ${clock(source.offsetSeconds)}` : name;
}

export class Transcript {
  private readonly entries = new Map<number, Entry>();

  constructor(
    private readonly list: HTMLOListElement,
    private readonly empty: HTMLElement,
    /** What the model covers, for the "not understood" hint. */
    private readonly coverage: string,
    private readonly onCancel: (utteranceId: number) => void,
  ) {}

  /** The finished translations, in the order they were spoken. */
  get lines(): TranscriptLine[] {
    return [...this.entries.values()].filter((e) => e.state === "done").map((e) => e.line as TranscriptLine);
  }

  get pending(): number {
    return [...this.entries.values()].filter((e) => e.state === "queued" || e.state === "translating").length;
  }

  queued(utteranceId: number, lang: string, startedAt: number, source: UtteranceSource): void {
    const item = h("li", { class: "utterance", "data-utterance": String(utteranceId) });
    this.entries.set(utteranceId, { item, state: "queued", line: { utteranceId, lang, startedAt, source } });
    this.list.append(item);
    this.empty.hidden = true;
    this.render(utteranceId);
  }

  started(utteranceId: number): void {
    this.setState(utteranceId, "translating");
  }

  finished(utteranceId: number, result: TranslateResult, latencyMs?: number): void {
    const entry = this.entries.get(utteranceId);
    if (!entry) return;
    entry.line = {
      ...entry.line,
      lang: result.lang,
      text: result.text,
      ids: result.ids,
      backend: result.backend,
      audioSeconds: result.audioSeconds,
      ...(result.heard !== undefined ? { heard: result.heard } : {}),
      ...(result.confidence !== undefined ? { confidence: result.confidence } : {}),
      ...(result.understood !== undefined ? { understood: result.understood } : {}),
      ...(latencyMs !== undefined ? { latencyMs } : {}),
    };
    this.setState(utteranceId, "done");
  }

  /** What was heard, which follows the translation. */
  heard(utteranceId: number, heard: string): void {
    const entry = this.entries.get(utteranceId);
    if (!entry || entry.state !== "done") return;
    entry.line = { ...entry.line, heard };
    this.render(utteranceId);
  }

  failed(utteranceId: number, message: string): void {
    const entry = this.entries.get(utteranceId);
    if (!entry) return;
    entry.item.dataset.error = message;
    this.setState(utteranceId, "failed");
  }

  cancelled(utteranceId: number): void {
    this.setState(utteranceId, "cancelled");
  }

  asText(): string {
    return this.lines
      .map((l) => {
        const label = sourceLabel(l.source);
        return `[${new Date(l.startedAt).toISOString()}]${label ? ` (${label})` : ""} ${l.understood === false ? "(not understood)" : l.text}`;
      })
      .join("\n");
  }

  asJson(): string {
    return JSON.stringify(this.lines, null, 2);
  }

  private setState(utteranceId: number, state: UtteranceState): void {
    const entry = this.entries.get(utteranceId);
    if (!entry || entry.state === "done" || entry.state === "cancelled") return;
    entry.state = state;
    this.render(utteranceId);
  }

  private render(utteranceId: number): void {
    const { item, state, line } = this.entries.get(utteranceId)!;
    item.dataset.state = state;
    const time = h("time", { datetime: new Date(line.startedAt).toISOString() }, new Date(line.startedAt).toLocaleTimeString());
    const label = sourceLabel(line.source);
    const meta = h("div", { class: "meta" }, time, label ? h("span", { "data-testid": "utterance-source" }, label) : null, h("span", {}, `into ${LANG_NAMES[line.lang] ?? line.lang}`));
    const body: Array<Node | null> = [];
    if (state === "queued" || state === "translating") {
      const cancel = h("button", { type: "button", "data-testid": "cancel-utterance" }, "Cancel");
      cancel.setAttribute("aria-label", `Cancel utterance ${utteranceId + 1}`);
      cancel.addEventListener("click", () => this.onCancel(utteranceId));
      body.push(h("p", { class: "muted" }, state === "queued" ? "Waiting for translation… " : "Translating… ", cancel));
    } else if (state === "cancelled") {
      body.push(h("p", { class: "muted", "data-testid": "utterance-cancelled" }, "Cancelled."));
    } else if (state === "failed") {
      body.push(h("p", { class: "failed" }, `Not translated: ${item.dataset.error ?? "error"}`));
    } else {
      if (line.heard !== undefined) body.push(h("p", { class: "heard", lang: "en", "data-testid": "heard" }, `Heard: “${line.heard}”`));
      if (line.understood === false) {
        // Never a confident translation of speech the model did not understand.
        body.push(h("p", { class: "not-understood", "data-testid": "not-understood", "data-ids": (line.ids ?? []).join(",") }, `Not understood. This model knows English travel phrases: ${this.coverage}. Try one of the examples.`));
      } else {
        body.push(h("p", { class: "translation", lang: line.lang, "data-testid": "translation-final", "data-ids": (line.ids ?? []).join(","), "data-utterance": String(utteranceId) }, line.text ?? ""));
      }
      if (line.confidence !== undefined) {
        const level = confidenceLevel(line.confidence);
        const percent = `${Math.round(line.confidence * 100)}%`;
        meta.append(h("span", { class: "confidence", "data-testid": "confidence", "data-level": level, title: "How sure the model was of its words" }, `${level} confidence (${percent})`));
      }
      if (line.latencyMs !== undefined) item.dataset.latencyMs = line.latencyMs.toFixed(0);
      if (line.audioSeconds !== undefined) item.dataset.audioSeconds = line.audioSeconds.toFixed(2);
    }
    item.replaceChildren(meta, ...body.filter((n): n is Node => n !== null));
  }
}
