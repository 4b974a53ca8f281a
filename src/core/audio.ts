// Audio-side arithmetic of the contract (docs/model-contract.md), shared by the browser and Node;
// compress/audio.py is the Python side of the same arithmetic.
import { WhisperFeatureExtractor } from "@huggingface/transformers";
import { AudioTooLongError, AudioTooShortError } from "./errors";
import type { AudioConfig } from "./manifest";

/** Mel frames of real audio: the encoder gets only these (and the context frames), not the padded 30 s window. */
export function melFrames(samples: number, audio: AudioConfig): number {
  if (samples / audio.sampling_rate > audio.max_seconds) {
    throw new AudioTooLongError(samples / audio.sampling_rate, audio.max_seconds);
  }
  return Math.min(Math.ceil(samples / audio.hop_length), audio.max_frames);
}

/** Frames handed to the encoder: the real ones plus the manifest's right context. At the end of the
 * 30 s window the context frames lie past it (zeros), so this can exceed max_frames by context_frames. */
export function encoderFrames(samples: number, audio: AudioConfig): number {
  return melFrames(samples, audio) + audio.context_frames;
}

/** Fewest samples that give one audio token: conv2 needs two output positions, i.e. more than
 * `conv_stride` frames (3 frames: 321 samples at hop 160); 1–2 frames give none. */
export function minSamples(audio: AudioConfig): number {
  return audio.conv_stride * audio.hop_length + 1;
}

/** Same count as HF Qwen2AudioProcessor: conv2 (stride 2), then AvgPool1d(2). */
export function audioTokenCount(samples: number, audio: AudioConfig): number {
  const frames = melFrames(samples, audio);
  const afterConv = Math.floor((frames - 1) / audio.conv_stride) + 1;
  const tokens = Math.floor((afterConv - 2) / audio.pool_stride) + 1;
  if (tokens < 1) throw new AudioTooShortError(samples, minSamples(audio), audio.sampling_rate);
  return tokens;
}

export interface Features {
  data: Float32Array;
  dims: [1, number, number];
}

/**
 * Whisper log-mel of a 16 kHz mono clip, cut to the encoder's frames. HF pads to 30 s before the
 * log-mel, whose floor is set from the window's maximum; we pad only as far as the kept frames
 * can see (one window past the last one): the rest would be all-zero audio, whose log-mel sits at
 * the floor and so changes neither the maximum nor the kept frames. ~10x less work for 3 s.
 */
export class FeatureExtractor {
  private readonly extractor: WhisperFeatureExtractor;
  constructor(
    preprocessorConfig: Record<string, unknown>,
    private readonly audio: AudioConfig,
  ) {
    this.extractor = new WhisperFeatureExtractor(preprocessorConfig);
  }

  async extract(samples: Float32Array): Promise<Features> {
    const frames = encoderFrames(samples.length, this.audio);
    const nFft = Number(this.extractor.config.n_fft ?? 400);
    const padTo = Math.min(this.audio.n_samples, (frames + 1) * this.audio.hop_length + nFft);
    const { input_features } = await this.extractor._call(samples, { max_length: Math.max(padTo, samples.length) });
    const [, nMels, paddedFrames] = input_features.dims as [number, number, number];
    const padded = input_features.data as Float32Array;
    // Context frames past the end of the window stay zero, as the contract (and compress/audio.py) says.
    const kept = Math.min(frames, paddedFrames);
    const data = new Float32Array(nMels * frames);
    for (let mel = 0; mel < nMels; mel++) {
      data.set(padded.subarray(mel * paddedFrames, mel * paddedFrames + kept), mel * frames);
    }
    return { data, dims: [1, nMels, frames] };
  }
}
