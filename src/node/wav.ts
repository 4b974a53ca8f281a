// Reads WAV files as 16 kHz mono float32, the model's input. Integer PCM is scaled by 2^(bits-1)
// as soundfile and numpy do (int16 / 32768: the contract; the golden files were made that way),
// 8-bit PCM is unsigned, float is taken as it is.
//
// The RIFF chunk walk and the header checks are ours; wavefile does the rest. Why: wavefile walks
// every chunk it knows (cue, smpl, LIST, …) trusting the counts in them, so one malformed chunk
// keeps it busy for minutes (a cue chunk that claims 4 billion points), and it reads
// WAVE_FORMAT_EXTENSIBLE float32 as int32. So we find the fmt and data chunks ourselves, check
// them, and hand wavefile a plain file of those two chunks under the plain format code, for what
// it does well: unpacking PCM and float, decoding a-law, µ-law and IMA-ADPCM, and resampling.
import { readFile } from "node:fs/promises";
import wavefile from "wavefile";
import { NotAudioError } from "../core/errors";

export const SAMPLE_RATE = 16000;
/** Rates we resample from: telephone speech up to studio rates. */
const MIN_RATE = 8000;
const MAX_RATE = 384000;

const PCM = 0x0001;
const FLOAT = 0x0003;
const ALAW = 0x0006;
const MULAW = 0x0007;
const IMA_ADPCM = 0x0011;
const EXTENSIBLE = 0xfffe;
/** Bytes 4-15 of every KSDATAFORMAT_SUBTYPE GUID: {code-0000-0010-8000-00aa00389b71}. */
const SUBTYPE_TAIL = [0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
/** Codes seen in the wild that we do not decode, named in the refusal. */
const OTHER_ENCODINGS: Record<number, string> = {
  0x0002: "Microsoft ADPCM",
  0x0031: "GSM 6.10",
  0x0050: "MPEG audio",
  0x0055: "MP3",
  0x0161: "WMA",
  0x2000: "AC-3",
  0xf1ac: "FLAC",
};
const ENCODINGS: Record<number, { name: string; bits: number[] }> = {
  [PCM]: { name: "PCM", bits: [8, 16, 24, 32] },
  [FLOAT]: { name: "float", bits: [32, 64] },
  [ALAW]: { name: "a-law", bits: [8] },
  [MULAW]: { name: "µ-law", bits: [8] },
  [IMA_ADPCM]: { name: "IMA-ADPCM", bits: [4] },
};

export interface WavAudio {
  /** 16 kHz mono, the channels averaged. */
  samples: Float32Array;
  /** Problems that did not stop the read (a file cut short), for the user to see. */
  warnings: string[];
}

interface Format {
  code: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bits: number;
}

export async function readWav(path: string): Promise<WavAudio> {
  return decodeWav(new Uint8Array(await readFile(path)));
}

/** The samples only, for callers that read known-good clips (tests, the benchmark). */
export async function readWav16kMono(path: string): Promise<Float32Array> {
  return (await readWav(path)).samples;
}

/** Decodes a WAV file's bytes, or throws NotAudioError saying what is wrong with them. */
export function decodeWav(bytes: Uint8Array): WavAudio {
  if (bytes.length === 0) throw new NotAudioError("the file is empty (0 bytes)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fourcc = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  const container = fourcc(0);
  if (container === "RIFX") throw new NotAudioError("a big-endian (RIFX) WAV file, which this reader does not decode; convert it to PCM, e.g. ffmpeg -i IN -ar 16000 -ac 1 OUT.wav");
  if (container === "RF64") throw new NotAudioError("an RF64 WAV file (over 4 GB), which this reader does not decode");
  if (container !== "RIFF" || bytes.length < 12 || fourcc(8) !== "WAVE") {
    throw new NotAudioError(container === "RIFF" && bytes.length < 12 ? `not a WAV file: it ends inside its header (${bytes.length} bytes)` : "not a WAV file (no RIFF/WAVE header)");
  }

  // The chunk walk: every step moves forward by at least 8 bytes, so it ends.
  let fmt: { start: number; size: number } | undefined;
  let data: { start: number; size: number } | undefined;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = fourcc(at);
    const size = view.getUint32(at + 4, true);
    if (id === "fmt " && !fmt) fmt = { start: at + 8, size };
    if (id === "data" && !data) data = { start: at + 8, size };
    at += 8 + size + (size % 2);
  }
  if (!fmt) throw new NotAudioError('a WAV file without a "fmt " chunk (cut short or damaged)');
  if (fmt.size < 16 || fmt.start + 16 > bytes.length) throw new NotAudioError(`a WAV file whose "fmt " chunk is cut short (${Math.min(fmt.size, bytes.length - fmt.start)} of 16 bytes)`);
  if (!data) throw new NotAudioError('a WAV file without a "data" chunk (cut short or damaged)');

  const format = readFormat(view, fmt.start, fmt.size);
  const warnings: string[] = [];
  const present = bytes.length - data.start;
  // 0xFFFFFFFF: a streamed WAV whose writer could not know the length; read to the end.
  const declared = data.size === 0xffffffff ? present : data.size;
  let body = bytes.subarray(data.start, data.start + declared);
  if (present < declared) {
    const seconds = (n: number) => `${((n / format.blockAlign) * framesPerBlock(format) / format.sampleRate).toFixed(2)} s`;
    warnings.push(`the file is cut short: its data chunk declares ${declared} bytes (${seconds(declared)}) but holds ${present} (${seconds(present)}); translating what is there`);
  }
  // Whole frames (PCM) or whole blocks (IMA-ADPCM) only.
  body = body.subarray(0, body.length - (body.length % format.blockAlign));
  if (body.length === 0) throw new NotAudioError("a WAV file that holds no audio samples (its data chunk is empty)");

  const wav = new wavefile.WaveFile(plainWav(format, format.code === IMA_ADPCM ? withFlushBlock(body, format.blockAlign) : body));
  if (format.code === ALAW) wav.fromALaw();
  else if (format.code === MULAW) wav.fromMuLaw();
  else if (format.code === IMA_ADPCM) {
    wav.fromIMAADPCM();
    wav.fromScratch(1, format.sampleRate, "16", standardImaBlocks(wav.getSamples(false, Int16Array) as unknown as Int16Array, format.blockAlign, body.length / format.blockAlign));
  }
  if (format.sampleRate !== SAMPLE_RATE) wav.toSampleRate(SAMPLE_RATE);
  const bits = (wav.fmt as { bitsPerSample: number }).bitsPerSample;
  const isFloat = (wav.fmt as { audioFormat: number }).audioFormat === FLOAT;
  const scale = (value: number) => (isFloat ? value : bits === 8 ? (value - 128) / 128 : value / 2 ** (bits - 1));

  const raw = wav.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
  const channels = format.channels === 1 ? [raw as Float64Array] : (raw as Float64Array[]);
  // Average the channels: the model hears one voice, not a stereo image.
  const samples = new Float32Array(channels[0]!.length);
  for (let i = 0; i < samples.length; i++) {
    let sum = 0;
    for (const channel of channels) sum += scale(channel[i]!);
    samples[i] = sum / channels.length;
  }
  if (isFloat && !samples.every(Number.isFinite)) throw new NotAudioError("a float WAV file with NaN or infinite samples");
  return { samples, warnings };
}

/** The fmt chunk, EXTENSIBLE resolved to its plain code, checked as far as decoding needs. */
function readFormat(view: DataView, at: number, size: number): Format {
  let code = view.getUint16(at, true);
  const format = { code, channels: view.getUint16(at + 2, true), sampleRate: view.getUint32(at + 4, true), blockAlign: view.getUint16(at + 12, true), bits: view.getUint16(at + 14, true) };
  if (code === EXTENSIBLE) {
    if (size < 40 || at + 40 > view.byteLength) throw new NotAudioError(`a WAVE_FORMAT_EXTENSIBLE file whose "fmt " chunk is cut short (${size} of 40 bytes)`);
    const guidTail = Array.from({ length: 12 }, (_, i) => view.getUint8(at + 28 + i));
    code = view.getUint32(at + 24, true);
    if (code > 0xffff || guidTail.some((b, i) => b !== SUBTYPE_TAIL[i])) throw new NotAudioError("a WAVE_FORMAT_EXTENSIBLE file with a sub-format that is not a WAV encoding");
    format.code = code;
  }
  const encoding = ENCODINGS[code];
  if (!encoding) {
    const name = OTHER_ENCODINGS[code] ?? "an encoding";
    throw new NotAudioError(`a WAV file of ${name} (format code 0x${code.toString(16).padStart(4, "0")}), which this reader does not decode; convert it to PCM, e.g. ffmpeg -i IN -ar 16000 -ac 1 OUT.wav`);
  }
  if (format.channels === 0) throw new NotAudioError("a WAV file whose header declares 0 channels");
  if (format.sampleRate < MIN_RATE || format.sampleRate > MAX_RATE) {
    throw new NotAudioError(`a WAV file at ${format.sampleRate} Hz, outside the ${MIN_RATE}-${MAX_RATE} Hz this reader resamples from`);
  }
  if (!encoding.bits.includes(format.bits)) throw new NotAudioError(`a WAV file of ${format.bits}-bit ${encoding.name}, which is not a valid encoding (${encoding.name} is ${encoding.bits.join(", ")}-bit)`);
  if (code === IMA_ADPCM) {
    // wavefile's IMA-ADPCM decoder is mono, in blocks of a 4-byte header and at least one byte.
    if (format.channels !== 1) throw new NotAudioError(`a WAV file of ${format.channels}-channel IMA-ADPCM, which this reader does not decode (mono only); convert it to PCM`);
    if (format.blockAlign <= 4) throw new NotAudioError(`a WAV file whose IMA-ADPCM blocks are ${format.blockAlign} bytes, too small to hold a block header`);
  } else if (format.blockAlign !== (format.channels * format.bits) / 8) {
    throw new NotAudioError(`a WAV file with an inconsistent header: block align ${format.blockAlign} for ${format.channels} channel(s) of ${format.bits}-bit samples (expected ${(format.channels * format.bits) / 8})`);
  }
  return format;
}

/** Sample frames in one block: 1 for PCM-like encodings; an IMA-ADPCM block holds a header sample
 * and two 4-bit samples per byte after its 4-byte header. */
function framesPerBlock(format: Format): number {
  return format.code === IMA_ADPCM ? 2 * format.blockAlign - 7 : 1;
}

// wavefile's IMA-ADPCM decoder decodes a block only when the next one starts (so the last block is
// lost) and writes each block's header sample twice (2 * blockAlign - 6 samples instead of the
// standard 2 * blockAlign - 7, so the audio drifts by a sample a block). We give it one more block
// of zeros and drop the repeated sample: the result is sox's decode, sample for sample.
function withFlushBlock(blocks: Uint8Array, blockAlign: number): Uint8Array {
  const out = new Uint8Array(blocks.length + blockAlign);
  out.set(blocks);
  return out;
}

function standardImaBlocks(decoded: Int16Array, blockAlign: number, blocks: number): Int16Array {
  const theirs = 2 * blockAlign - 6;
  const out = new Int16Array(blocks * (theirs - 1));
  for (let b = 0; b < blocks; b++) out.set(decoded.subarray(b * theirs + 1, (b + 1) * theirs), b * (theirs - 1));
  return out;
}

/** A minimal RIFF file of `format` (its plain code) and `body`: all wavefile is given to parse. */
function plainWav(format: Format, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(44 + body.length);
  const view = new DataView(out.buffer);
  const ascii = (at: number, text: string) => out.set(Array.from(text, (c) => c.charCodeAt(0)), at);
  ascii(0, "RIFF");
  view.setUint32(4, 36 + body.length, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, format.code, true);
  view.setUint16(22, format.channels, true);
  view.setUint32(24, format.sampleRate, true);
  view.setUint32(28, format.sampleRate * format.blockAlign, true);
  view.setUint16(32, format.blockAlign, true);
  view.setUint16(34, format.bits, true);
  ascii(36, "data");
  view.setUint32(40, body.length, true);
  out.set(body, 44);
  return out;
}
