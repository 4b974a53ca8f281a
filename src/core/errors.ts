// One class per failure the user can see. The UI shows `message`; `code` lets the
// UI and tests tell them apart without parsing text.

export type ErrorCode =
  | "manifest"
  | "registry"
  | "integrity"
  | "quota"
  | "network"
  | "audio-too-long"
  | "audio-too-short"
  | "no-speech"
  | "not-audio"
  | "mic"
  | "model-not-loaded";

export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = "AppError";
  }
}

export class ManifestError extends AppError {
  constructor(message: string) {
    super("manifest", `Malformed manifest: ${message}`);
    this.name = "ManifestError";
  }
}

export class IntegrityError extends AppError {
  constructor(message: string) {
    super("integrity", message);
    this.name = "IntegrityError";
  }
}

export class QuotaError extends AppError {
  constructor(neededBytes: number, availableBytes: number) {
    super(
      "quota",
      `Not enough storage: the model needs ${formatBytes(neededBytes)} but only ${formatBytes(availableBytes)} is available.`,
    );
    this.name = "QuotaError";
  }
}

export class NetworkError extends AppError {
  constructor(url: string, detail: string) {
    super("network", `Could not download ${url}: ${detail}`);
    this.name = "NetworkError";
  }
}

export class AudioTooLongError extends AppError {
  constructor(seconds: number, maxSeconds: number) {
    super(
      "audio-too-long",
      `Audio of ${seconds.toFixed(1)} s is longer than the model's ${maxSeconds} s window; segment it first.`,
    );
    this.name = "AudioTooLongError";
  }
}

export class AudioTooShortError extends AppError {
  constructor(samples: number, minSamples: number, samplingRate: number) {
    const ms = (n: number) => `${((n / samplingRate) * 1000).toFixed(1)} ms`;
    super(
      "audio-too-short",
      `Audio of ${samples} samples (${ms(samples)}) is too short: the model needs at least ${minSamples} samples (${ms(minSamples)}) to produce an audio token.`,
    );
    this.name = "AudioTooShortError";
  }
}

export class NoSpeechError extends AppError {
  constructor() {
    super("no-speech", "No speech found: the voice detector heard none in the audio.");
    this.name = "NoSpeechError";
  }
}

/** A file that cannot be read as audio: empty, malformed, or an encoding we do not decode. */
export class NotAudioError extends AppError {
  constructor(message: string) {
    super("not-audio", message);
    this.name = "NotAudioError";
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Errors cross the comlink boundary as plain objects; this keeps the code. */
export function describeError(error: unknown): { code: ErrorCode | "unknown"; message: string } {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: "unknown", message: error.message };
  return { code: "unknown", message: String(error) };
}
