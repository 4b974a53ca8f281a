// "What can I say?": example phrases by topic (docs/vocabulary.md, the phrasebook the model was
// trained on), and "Try a sample": the bundled held-out test clips, played into the translator
// through the microphone's path (VAD, queue, translation) at the speed they were spoken.
import type { PhrasebookTopic } from "../core/phrasebook";
import type { TestClip } from "../core/test-clips";
import { h } from "./dom";

export function renderExamples(container: HTMLElement, topics: readonly PhrasebookTopic[]): void {
  container.replaceChildren(
    ...topics.map((topic) =>
      h("section", { class: "topic" }, h("h3", {}, topic.title), h("ul", {}, ...topic.examples.slice(0, 3).map((e) => h("li", { lang: "en" }, e.en)))),
    ),
  );
}

/** One button per clip; `onPlay` gets the clip. Returns the buttons (disabled while something plays). */
export function renderSamples(container: HTMLElement, clips: readonly TestClip[], onPlay: (clip: TestClip) => void): HTMLButtonElement[] {
  const buttons = clips.map((clip) => {
    const button = h("button", { type: "button", "data-testid": "sample", "data-clip": clip.file, title: `${clip.topic}, ${clip.seconds.toFixed(1)} s, voice ${clip.voice}` }, `▶ “${clip.en}”`);
    button.addEventListener("click", () => onPlay(clip));
    return button;
  });
  container.replaceChildren(...buttons);
  return buttons;
}

const PIECE = 1600; // 100 ms at 16 kHz, as the microphone's worklet sends them

/**
 * Plays `samples` (16 kHz mono) aloud and hands them to `push` in 100 ms pieces as they play,
 * each with the time its last sample was heard. Resolves once the last piece is handed over (the
 * audio context closes in the background: its close() can take long on a busy machine).
 */
export async function playInto(samples: Float32Array, push: (piece: Float32Array, at: number) => void): Promise<void> {
  const context = new AudioContext({ sampleRate: 16000 });
  try {
    const buffer = context.createBuffer(1, samples.length, 16000);
    buffer.getChannelData(0).set(samples);
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    await context.resume();
    const start = performance.now();
    source.start();
    for (let offset = 0; offset < samples.length; offset += PIECE) {
      const end = Math.min(offset + PIECE, samples.length);
      const due = start + (end / 16000) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      push(samples.slice(offset, end), performance.timeOrigin + performance.now());
    }
  } finally {
    void context.close();
  }
}
