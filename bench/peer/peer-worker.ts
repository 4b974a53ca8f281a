// The peer, as a user would run it: transformers.js's own automatic-speech-recognition pipeline
// (Whisper tiny.en, speech → English text), in a worker set up like the app's (src/worker.ts):
// the same onnxruntime-web build (the WASM-only one: vite.config.ts resolves transformers.js's
// import to it, in every worker), self-hosted binary and thread count (ortBuild). Bench-only: this
// file is not part of the app's bundle.
import * as Comlink from "comlink";
import { env, pipeline, type AutomaticSpeechRecognitionPipeline } from "@huggingface/transformers";
import { ortBuild } from "../../src/runtime/backend";

env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = "/peer-models/";

export interface PeerTimings {
  /** Pipeline call to its first generated token (features, encoder, first decoder run). */
  firstTokenMs: number;
  /** The encoder session's run (Whisper encodes a padded 30 s window, whatever the clip's length). */
  encoderMs: number;
  /** The first decoder run (the prompt tokens, no past). */
  prefillMs: number;
  decodeTokensPerSecond: number;
  totalMs: number;
  realTimeFactor: number;
}

export interface PeerResult {
  text: string;
  tokens: number;
  audioSeconds: number;
  timings: PeerTimings;
}

type Session = { run: (...args: unknown[]) => Promise<unknown> };
let asr: AutomaticSpeechRecognitionPipeline | null = null;
/** Wall times of each session run during the current call, in order. */
const runs = { encoder: [] as number[], decoder: [] as number[] };

/** Times each call of a pipeline session (transformers.js runs them through session.run). */
function timeRuns(session: Session, into: number[]): void {
  const run = session.run.bind(session);
  session.run = async (...args: unknown[]) => {
    const start = performance.now();
    try {
      return await run(...args);
    } finally {
      into.push(performance.now() - start);
    }
  };
}

const api = {
  async load(model: string, dtype: "q8" | "q4" | "fp32"): Promise<{ loadMs: number; threads: number }> {
    await api.unload();
    const start = performance.now();
    // The module transformers.js imports (set up when src/runtime/backend.ts loads), for its thread count.
    const ort = await ortBuild("wasm");
    asr = (await pipeline("automatic-speech-recognition", model, { device: "wasm", dtype })) as AutomaticSpeechRecognitionPipeline;
    const sessions = (asr.model as unknown as { sessions: Record<string, Session> }).sessions;
    timeRuns(sessions.model!, runs.encoder);
    timeRuns(sessions.decoder_model_merged!, runs.decoder);
    return { loadMs: performance.now() - start, threads: ort.env.wasm.numThreads ?? 1 };
  },

  async unload(): Promise<void> {
    await asr?.dispose();
    asr = null;
  },

  async transcribe(samples: Float32Array): Promise<PeerResult> {
    if (!asr) throw new Error("load the peer first");
    runs.encoder.length = 0;
    runs.decoder.length = 0;
    let puts = 0;
    let tokens = 0;
    let firstTokenAt = NaN;
    const start = performance.now();
    // generate() puts the prompt first, then each new token.
    const streamer = {
      put(value: bigint[][]) {
        if (puts++ === 0) return;
        tokens += value[0]?.length ?? 0;
        if (Number.isNaN(firstTokenAt)) firstTokenAt = performance.now();
      },
      end() {},
    };
    const output = await asr(samples, { return_timestamps: false, streamer } as Record<string, unknown>);
    const totalMs = performance.now() - start;
    const decodeMs = runs.decoder.slice(1).reduce((a, b) => a + b, 0);
    const audioSeconds = samples.length / 16000;
    return {
      text: (Array.isArray(output) ? output[0]!.text : output.text).trim(),
      tokens,
      audioSeconds,
      timings: {
        firstTokenMs: firstTokenAt - start,
        encoderMs: runs.encoder.reduce((a, b) => a + b, 0),
        prefillMs: runs.decoder[0] ?? NaN,
        decodeTokensPerSecond: decodeMs > 0 ? ((runs.decoder.length - 1) * 1000) / decodeMs : 0,
        totalMs,
        realTimeFactor: totalMs / 1000 / audioSeconds,
      },
    };
  },
};

export type PeerApi = typeof api;
Comlink.expose(api);
