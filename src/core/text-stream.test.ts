import { describe, expect, it } from "vitest";
import { Utf8SafeTextStream, type Decoder } from "./text-stream";

// A byte-level vocabulary like BPE's: each id is a byte string, and decoding is real
// UTF-8 decoding of the concatenated bytes (TextDecoder turns a cut sequence into U+FFFD).
function byteDecoder(vocab: Uint8Array[]): Decoder {
  return {
    decode: (ids) => {
      const bytes = ids.flatMap((id) => Array.from(vocab[id]!));
      return new TextDecoder().decode(new Uint8Array(bytes));
    },
  };
}

describe("Utf8SafeTextStream", () => {
  it("never shows half of a Chinese character split across tokens", () => {
    const [a, b, c] = new TextEncoder().encode("你"); // 3 bytes
    const vocab = [new Uint8Array([a!]), new Uint8Array([b!, c!]), new TextEncoder().encode("好")];
    const stream = new Utf8SafeTextStream(byteDecoder(vocab));
    const shown = [stream.push(0), stream.push(1), stream.push(2)];
    expect(shown).toEqual(["", "你", "你好"]);
    for (const text of shown) expect(text).not.toContain("\uFFFD");
    expect(stream.finish()).toBe("你好");
  });

  it("streams ASCII as it comes", () => {
    const vocab = ["Hal", "lo ", "Welt"].map((s) => new TextEncoder().encode(s));
    const stream = new Utf8SafeTextStream(byteDecoder(vocab));
    expect([0, 1, 2].map((id) => stream.push(id))).toEqual(["Hal", "Hallo ", "Hallo Welt"]);
  });

  it("returns held-back bytes on finish, even if they never complete", () => {
    const vocab = [new TextEncoder().encode("ok"), new Uint8Array([0xe4])];
    const stream = new Utf8SafeTextStream(byteDecoder(vocab));
    stream.push(0);
    expect(stream.push(1)).toBe("ok");
    expect(stream.finish()).toBe("ok\uFFFD");
  });
});
