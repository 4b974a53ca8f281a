// Fuzz driver for src/node/wav.ts: malformed headers and truncated files, a few hundred of them from
// a fixed seed. src/node/wav.test.ts runs it in its own process (`npx tsx`), so that a hang shows
// as a timeout naming the case, not as a stuck test run. Prints one JSON array of outcomes.
import wavefile from "wavefile";
import { AppError } from "../core/errors";
import { decodeWav } from "../node/wav";

export interface FuzzOutcome {
  name: string;
  bytes: number;
  kind: "refused" | "decoded" | "crashed";
  message?: string;
  samples?: number;
  finite?: boolean;
  warnings?: string[];
  /** For a 16 kHz file cut inside its data: its decode is the start of the whole file's decode.
   * (Not checked for files that are resampled: wavefile's resampler filters forwards and
   * backwards and places output samples by the clip's length, so a cut moves every sample.) */
  prefixOfWhole?: boolean;
}

/** mulberry32: a small seeded generator, so every run tries the same cases. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const tone = (n: number, rate: number) => Array.from({ length: n }, (_, i) => Math.round(12000 * Math.sin((2 * Math.PI * 440 * i) / rate)));

function base(bitDepth: string, channels: number, rate: number, encode?: (w: wavefile.WaveFile) => void): Uint8Array {
  const wav = new wavefile.WaveFile();
  const frames = Math.round(rate / 20);
  const mono = tone(frames, rate);
  const samples = channels === 1 ? mono : Array.from({ length: channels }, () => mono);
  if (bitDepth === "32f") wav.fromScratch(channels, rate, "32f", channels === 1 ? mono.map((v) => v / 32768) : samples.map((c) => (c as number[]).map((v) => v / 32768)));
  else wav.fromScratch(channels, rate, "16", samples);
  if (bitDepth === "24" || bitDepth === "8") wav.toBitDepth(bitDepth);
  encode?.(wav);
  return wav.toBuffer();
}

/** The same float32 file with a 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk. */
export function asExtensible(plain: Uint8Array): Uint8Array {
  const view = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
  const fmtSize = view.getUint32(16, true);
  const rest = plain.subarray(20 + fmtSize);
  const out = new Uint8Array(20 + 40 + rest.length);
  const o = new DataView(out.buffer);
  out.set(plain.subarray(0, 20));
  out.set(plain.subarray(20, 36), 20);
  o.setUint32(16, 40, true);
  o.setUint16(20, 0xfffe, true);
  o.setUint16(36, 22, true); // cbSize
  o.setUint16(38, view.getUint16(34, true), true); // valid bits
  o.setUint32(40, 4, true); // channel mask: front centre
  o.setUint32(44, view.getUint16(20, true), true); // sub-format GUID: the plain code, then the fixed tail
  out.set([0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 48);
  out.set(rest, 60);
  o.setUint32(4, out.length - 8, true);
  return out;
}

function bases(): Record<string, Uint8Array> {
  return {
    pcm16: base("16", 1, 16000),
    pcm24stereo: base("24", 2, 44100),
    pcm8: base("8", 1, 22050),
    float32ext: asExtensible(base("32f", 1, 16000)),
    alaw: base("16", 1, 8000, (w) => w.toALaw()),
    mulaw: base("16", 2, 16000, (w) => w.toMuLaw()),
    ima: base("16", 1, 8000, (w) => w.toIMAADPCM()),
  };
}

/** Byte offset of the data chunk's payload (the files above have no chunk after it). */
function dataStart(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 12; at + 8 <= bytes.length; at += 8 + view.getUint32(at + 4, true)) {
    if (String.fromCharCode(...bytes.subarray(at, at + 4)) === "data") return at + 8;
  }
  throw new Error("no data chunk");
}

export function fuzzCases(seed = 15): Array<{ name: string; bytes: Uint8Array; wholeOf?: Uint8Array }> {
  const rnd = random(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const cases: Array<{ name: string; bytes: Uint8Array; wholeOf?: Uint8Array }> = [];
  const interesting = [0, 1, 2, 3, 7, 8, 16, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff];
  for (const [name, whole] of Object.entries(bases())) {
    const data = dataStart(whole);
    // Cut inside the header, at every byte.
    for (let cut = 0; cut <= data; cut += 1 + int(3)) cases.push({ name: `${name} cut at ${cut} (header)`, bytes: whole.slice(0, cut) });
    // Cut inside the data.
    const at16k = new DataView(whole.buffer, whole.byteOffset).getUint32(24, true) === 16000;
    for (let i = 0; i < 6; i++) {
      const cut = data + 1 + int(whole.length - data - 1);
      cases.push({ name: `${name} cut at ${cut} of ${whole.length} (data)`, bytes: whole.slice(0, cut), ...(at16k ? { wholeOf: whole } : {}) });
    }
    // Header fields set to edge values: RIFF size, fmt size, each fmt field, the data size.
    const fields = [[4, 4], [16, 4], [20, 2], [22, 2], [24, 4], [28, 4], [32, 2], [34, 2], [data - 4, 4]] as const;
    for (const [at, width] of fields) {
      for (let i = 0; i < 4; i++) {
        const bytes = whole.slice();
        const view = new DataView(bytes.buffer);
        const value = i < 3 ? interesting[int(interesting.length)]! : int(2 ** (8 * width));
        if (width === 2) view.setUint16(at, value & 0xffff, true);
        else view.setUint32(at, value >>> 0, true);
        cases.push({ name: `${name} ${width}-byte field at ${at} = ${value & (width === 2 ? 0xffff : 0xffffffff)}`, bytes });
      }
    }
    // Random bytes anywhere in the header.
    for (let i = 0; i < 8; i++) {
      const bytes = whole.slice();
      for (let k = 1 + int(4); k > 0; k--) bytes[int(data)] = int(256);
      cases.push({ name: `${name} header bytes scrambled #${i}`, bytes });
    }
  }
  // Chunks that trip readers which trust their counts: a cue chunk claiming 4 billion points, a
  // LIST chunk nested in itself, a chunk size that wraps past the end; a file of only "RIFF".
  const pcm = bases().pcm16!;
  const withChunk = (chunk: number[]) => {
    const at = 36; // after the 16-byte fmt chunk, before data
    const out = new Uint8Array(pcm.length + chunk.length);
    out.set(pcm.subarray(0, at));
    out.set(chunk, at);
    out.set(pcm.subarray(at), at + chunk.length);
    new DataView(out.buffer).setUint32(4, out.length - 8, true);
    return out;
  };
  cases.push({ name: "cue chunk claiming 4 billion points", bytes: withChunk([0x63, 0x75, 0x65, 0x20, 4, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]) });
  cases.push({ name: "LIST chunks nested", bytes: withChunk(Array.from({ length: 200 }, () => [0x4c, 0x49, 0x53, 0x54, 0xff, 0xff, 0, 0, 0x49, 0x4e, 0x46, 0x4f]).flat()) });
  cases.push({ name: "chunk size past the end", bytes: withChunk([0x4a, 0x55, 0x4e, 0x4b, 0xf0, 0xff, 0xff, 0xff]) });
  cases.push({ name: "only RIFF", bytes: new TextEncoder().encode("RIFF") });
  cases.push({ name: "RIFF....WAVE and nothing else", bytes: new Uint8Array([0x52, 0x49, 0x46, 0x46, 4, 0, 0, 0, 0x57, 0x41, 0x56, 0x45]) });
  cases.push({ name: "random bytes", bytes: Uint8Array.from({ length: 4096 }, () => int(256)) });
  return cases;
}

function outcome(name: string, bytes: Uint8Array, wholeOf?: Uint8Array): FuzzOutcome {
  try {
    const { samples, warnings } = decodeWav(bytes);
    const result: FuzzOutcome = { name, bytes: bytes.length, kind: "decoded", samples: samples.length, finite: samples.every(Number.isFinite), warnings };
    if (wholeOf) {
      const whole = decodeWav(wholeOf).samples;
      result.prefixOfWhole = samples.length <= whole.length && samples.every((v, i) => v === whole[i]);
    }
    return result;
  } catch (error) {
    if (error instanceof AppError && error.code === "not-audio") return { name, bytes: bytes.length, kind: "refused", message: error.message };
    return { name, bytes: bytes.length, kind: "crashed", message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

if (process.argv[1]?.endsWith("wav-fuzz.ts")) {
  const outcomes: FuzzOutcome[] = [];
  for (const c of fuzzCases()) {
    process.stderr.write(`${c.name}\n`);
    outcomes.push(outcome(c.name, c.bytes, c.wholeOf));
  }
  process.stdout.write(`${JSON.stringify(outcomes)}\n`);
}
