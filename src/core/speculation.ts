// Speculative finals: hiding the voice detector's end-of-speech wait. The detector ends an utterance
// only after `redemptionMs` of silence; most of that wait can be spent translating. When the
// speaker pauses (the detector's "pause": the utterance so far, exactly what it will be if the
// silence lasts), the translation starts at once; when the detector then ends the utterance, the
// result is reused if it translated the same samples into the same language, else dropped (speech
// resumed, the language changed, the stream stopped, the detector called it a misfire). Streaming
// speech recognisers do the same with their end-pointer (an "early" or "speculative" final).
import type { SampleRange } from "./segment";

export interface Speculation<Run> {
  range: SampleRange;
  lang: string;
  run: Run;
}

export class SpeculativeFinals<Run> {
  private current: Speculation<Run> | null = null;

  /**
   * The speaker paused. A speculation starts only when the model has nothing else to do (`idle`:
   * no utterance waiting or being translated), so that it never delays an earlier utterance's
   * final. Returns the run `start` made, or null. Any earlier speculation is dropped.
   */
  paused(range: SampleRange, lang: string, idle: boolean, start: () => Run): Run | null {
    this.current = null;
    if (!idle) return null;
    this.current = { range: { start: range.start, end: range.end }, lang, run: start() };
    return this.current.run;
  }

  /** A speculation waits for the detector to end its utterance (other work would delay it). */
  get waiting(): boolean {
    return this.current !== null;
  }

  /** Speech resumed (or the detector dropped the utterance, or the stream ended): the speculation
   * translated audio that will not be an utterance. */
  drop(): void {
    this.current = null;
  }

  /** The detector ended an utterance: the speculation's run when it translated exactly these
   * samples into this language, else null. Either way the speculation is used up. */
  claim(range: SampleRange, lang: string): Run | null {
    const speculation = this.current;
    this.current = null;
    if (!speculation || speculation.lang !== lang) return null;
    return speculation.range.start === range.start && speculation.range.end === range.end ? speculation.run : null;
  }
}
