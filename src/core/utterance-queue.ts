// Utterances waiting for translation, first in first out. Each keeps the target language chosen
// when it was queued (a later switch applies to later speech only) and where it came from (the
// microphone, or a file or sample clip with the offset of the piece in it). A pending utterance
// can be cancelled; cancelling the one being translated drops its result when it arrives.

export interface UtteranceSource {
  kind: "mic" | "file" | "sample";
  /** File or sample name. */
  name?: string;
  /** Where the piece starts in the file, in seconds. */
  offsetSeconds?: number;
}

export interface QueuedUtterance {
  id: number;
  audio: Float32Array;
  lang: string;
  /** When the speech started or the file was added (ms since the epoch). */
  startedAt: number;
  source: UtteranceSource;
  cancelled: boolean;
}

export class UtteranceQueue {
  private readonly waiting: QueuedUtterance[] = [];
  private nextId = 0;
  /** The utterance being translated, if any. */
  current: QueuedUtterance | null = null;

  add(audio: Float32Array, lang: string, startedAt: number, source: UtteranceSource): QueuedUtterance {
    const item = { id: this.nextId++, audio, lang, startedAt, source, cancelled: false };
    this.waiting.push(item);
    return item;
  }

  /** The next utterance to translate (it becomes `current`), or null when none is waiting. */
  take(): QueuedUtterance | null {
    this.current = this.waiting.shift() ?? null;
    return this.current;
  }

  finish(): void {
    this.current = null;
  }

  /** True when `id` was waiting or running; a running one finishes but its result is dropped. */
  cancel(id: number): boolean {
    const index = this.waiting.findIndex((u) => u.id === id);
    if (index >= 0) {
      this.waiting.splice(index, 1);
      return true;
    }
    if (this.current?.id === id && !this.current.cancelled) {
      this.current.cancelled = true;
      return true;
    }
    return false;
  }

  /** Cancels everything waiting and the running one; returns their ids. */
  cancelAll(): number[] {
    const ids = this.waiting.splice(0).map((u) => u.id);
    if (this.current && !this.current.cancelled) {
      this.current.cancelled = true;
      ids.unshift(this.current.id);
    }
    return ids;
  }

  get pending(): number {
    return this.waiting.length;
  }
}
