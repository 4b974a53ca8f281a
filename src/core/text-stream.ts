// Streams decoded text so that a character split across tokens is never shown
// half-done: byte-level BPE decodes an incomplete UTF-8 sequence to U+FFFD, so a
// trailing run of U+FFFD is held back until the next token completes it.

export interface Decoder {
  decode(ids: number[], options: { skip_special_tokens: boolean }): string;
}

export class Utf8SafeTextStream {
  private readonly ids: number[] = [];

  constructor(private readonly decoder: Decoder) {}

  /** Adds a token; returns the whole text that is safe to show so far. */
  push(id: number): string {
    this.add(id);
    return this.decode().replace(/\uFFFD+$/, "");
  }

  /** Adds a token without decoding (nobody is shown the text until finish()). Decoding the whole
   * text at every step costs about as much as a decoder layer of the shipped model. */
  add(id: number): void {
    this.ids.push(id);
  }

  /** The full text, including anything still held back. */
  finish(): string {
    return this.decode();
  }

  private decode(): string {
    // transformers.js refuses to decode an empty list (generation can stop at once).
    if (this.ids.length === 0) return "";
    return this.decoder.decode(this.ids, { skip_special_tokens: true });
  }
}
