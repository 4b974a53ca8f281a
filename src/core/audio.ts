// Audio-side arithmetic of the contract, shared by the browser and Node.
import { WhisperFeatureExtractor } from "@huggingface/transformers";
import { AudioTooLongError } from "./errors";
import type { AudioConfig } from "./manifest";

/** Mel frames of real audio: the encoder gets only these, not the padded 30 s window. */
export function melFrames(samples: number, audio: AudioConfig): number {
  if (samples / audio.sampling_rate > audio.max_seconds) {
    throw new AudioTooLongError(samples / audio.sampling_rate, audio.max_seconds);
  }
  return Math.min(Math.ceil(samples / audio.hop_length), audio.max_frames);
}

/** Frames handed to the encoder: the real ones plus the manifest's right context. A full window has
 * no frames left for the context: it is zeros then, as in the export's reference (compress/audio.py,
 * encoder_input), and the encoder's audio-token count stays that of the formula. */
export function encoderFrames(samples: number, audio: AudioConfig): number {
  return melFrames(samples, audio) + audio.context_frames;
}

/** Same count as HF Qwen2AudioProcessor: conv2 (stride 2), then AvgPool1d(2). */
export function audioTokenCount(samples: number, audio: AudioConfig): number {
  const frames = melFrames(samples, audio);
  const afterConv = Math.floor((frames - 1) / audio.conv_stride) + 1;
  return Math.floor((afterConv - 2) / audio.pool_stride) + 1;
}

export interface Features {
  data: Float32Array;
  dims: [1, number, number];
}

/**
 * Whisper log-mel of a 16 kHz mono clip, cut to its real frames. The extractor pads
 * to 30 s (as HF does, so the log-mel clamp sees the same maximum); we then keep
 * the first `frames` columns of each mel row.
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
    // Pad only as far as the kept frames can see (one window past the last one), not
    // to 30 s: the extra frames would be all-zero audio, whose log-mel sits at the
    // floor and so changes neither the clamp's maximum nor the kept frames. ~10x less work.
    const nFft = Number(this.extractor.config.n_fft ?? 400);
    const padTo = Math.min(this.audio.n_samples, (frames + 1) * this.audio.hop_length + nFft);
    const { input_features } = await this.extractor._call(samples, { max_length: Math.max(padTo, samples.length) });
    const [, nMels, paddedFrames] = input_features.dims as [number, number, number];
    const padded = input_features.data as Float32Array;
    const data = new Float32Array(nMels * frames); // frames past the 30 s window stay zero
    const kept = Math.min(frames, paddedFrames);
    for (let mel = 0; mel < nMels; mel++) {
      data.set(padded.subarray(mel * paddedFrames, mel * paddedFrames + kept), mel * frames);
    }
    return { data, dims: [1, nMels, frames] };
  }
}
