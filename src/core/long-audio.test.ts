// A clip of exactly the window's length (30 s) through the real graphs: the encoder's input keeps
// its right-context frames (zeros past the window, as compress/audio.py's encoder_input), so the
// encoder gives as many rows as the prompt has audio tokens.
import { describe, expect, it } from "vitest";
import { nodeRuntime, readManifest } from "../node/runtime";
import { audioTokenCount } from "./audio";
import { Engine } from "./engine";

describe("a 30 s clip", () => {
  it("translates without an audio-token mismatch", async () => {
    const dir = "public/models/tiny-random";
    const manifest = await readManifest(dir);
    const engine = await Engine.load(manifest, nodeRuntime(dir));
    try {
      const samples = Float32Array.from({ length: manifest.audio.n_samples }, (_, i) => 0.3 * Math.sin(i / 7) * Math.sin(i / 3000));
      const result = await engine.translate(samples, "de", { maxNewTokens: 2 });
      expect(result.nAudioTokens).toBe(audioTokenCount(samples.length, manifest.audio));
      expect(result.ids.length).toBeGreaterThan(0);
    } finally {
      await engine.release();
    }
  });
});
