// A ModelRuntime wrapper for speed work: every session run is timed and kept per graph, so that a
// decode step can be split into its session runs (embedding, decoder) and what the generation loop
// does around them (tensors, argmax, disposal). The loop itself (src/core/generate.ts) is unchanged.
import type { ModelRuntime } from "../core/engine";
import type { Feeds, SessionLike } from "../core/generate";

export type GraphRole = "audio_encoder" | "embed_tokens" | "decoder_model_merged";

export interface RunLog {
  /** Wall time of each session run since the last `clear()`, in call order, per graph. */
  runs: Record<GraphRole, number[]>;
  clear(): void;
}

export function timedRuntime(runtime: ModelRuntime): { runtime: ModelRuntime; log: RunLog } {
  const log: RunLog = {
    runs: { audio_encoder: [], embed_tokens: [], decoder_model_merged: [] },
    clear() {
      for (const list of Object.values(this.runs)) list.length = 0;
    },
  };
  const role = (path: string): GraphRole => {
    const found = (["audio_encoder", "embed_tokens", "decoder_model_merged"] as const).find((r) => path.includes(r));
    if (!found) throw new Error(`cannot tell which graph ${path} is`);
    return found;
  };
  return {
    log,
    runtime: {
      ...runtime,
      async createSession(graph, externalData): Promise<SessionLike> {
        const session = await runtime.createSession(graph, externalData);
        const runs = log.runs[role(graph.path)];
        return {
          inputNames: session.inputNames,
          async run(feeds: Feeds) {
            const start = performance.now();
            const out = await session.run(feeds);
            runs.push(performance.now() - start);
            return out;
          },
          release: () => session.release(),
        };
      },
    },
  };
}

/** One forced decode's step split: ms per step in session runs and around them. */
export function stepSplit(log: RunLog, decodeMs: number, decodeTokens: number) {
  // The first decoder run is the prefill and the first embedding run the prompt's; the rest are steps.
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const decoder = sum(log.runs.decoder_model_merged.slice(1));
  const embed = sum(log.runs.embed_tokens.slice(1));
  return {
    stepMs: decodeMs / decodeTokens,
    decoderRunMs: decoder / decodeTokens,
    embedRunMs: embed / decodeTokens,
    loopMs: (decodeMs - decoder - embed) / decodeTokens,
    encoderRunMs: sum(log.runs.audio_encoder),
  };
}
