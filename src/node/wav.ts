// Reads a WAV file as 16 kHz mono float32 samples in [-1, 1), the model's input.
// Integer PCM is scaled by 2^(bits-1) as soundfile/numpy do (golden files were made
// that way); wavefile's own float conversion differs, so it is only used to parse
// and, when the rate differs, to resample.
import { readFile } from "node:fs/promises";
import wavefile from "wavefile";

export async function readWav16kMono(path: string, sampleRate = 16000): Promise<Float32Array> {
  const wav = new wavefile.WaveFile(await readFile(path));
  const fmt = wav.fmt as { sampleRate: number; numChannels: number; bitsPerSample: number; audioFormat: number };
  if (fmt.sampleRate !== sampleRate) wav.toSampleRate(sampleRate);
  const isFloat = fmt.audioFormat === 3;
  const bits = (wav.fmt as { bitsPerSample: number }).bitsPerSample;
  const scale = (value: number) => (isFloat ? value : bits === 8 ? (value - 128) / 128 : value / 2 ** (bits - 1));

  const raw = wav.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
  const channels = Array.isArray(raw) ? raw : [raw];
  // Average the channels: the model hears one voice, not a stereo image.
  const mono = new Float32Array(channels[0]!.length);
  for (let i = 0; i < mono.length; i++) {
    let sum = 0;
    for (const channel of channels) sum += scale(channel[i]!);
    mono[i] = sum / channels.length;
  }
  return mono;
}
