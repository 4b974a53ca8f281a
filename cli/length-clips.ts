// Clips of a given length for the cost-against-length curve: the bundled test clips concatenated in
// their listed order (repeating from the first when they run out) and cut at exactly `seconds`.
// Deterministic, so Node and the browser time the same samples.
export function clipOfLength(sources: readonly Float32Array[], seconds: number, sampleRate = 16000): Float32Array {
  if (sources.length === 0 || sources.every((s) => s.length === 0)) throw new Error("clipOfLength needs at least one non-empty clip");
  if (!(seconds > 0)) throw new Error(`clip length must be positive, got ${seconds}`);
  const out = new Float32Array(Math.round(seconds * sampleRate));
  for (let filled = 0, i = 0; filled < out.length; i++) {
    const source = sources[i % sources.length]!;
    const part = source.subarray(0, out.length - filled);
    out.set(part, filled);
    filled += part.length;
  }
  return out;
}
