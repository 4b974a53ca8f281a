import { describe, expect, it } from "vitest";
import { UtteranceQueue } from "./utterance-queue";

const audio = () => new Float32Array(16000);

describe("UtteranceQueue", () => {
  it("is first in, first out, and each utterance keeps its language and source", () => {
    const queue = new UtteranceQueue();
    queue.add(audio(), "de", 1, { kind: "mic" });
    queue.add(audio(), "zh", 2, { kind: "file", name: "a.wav", offsetSeconds: 0 });
    queue.add(audio(), "zh", 3, { kind: "file", name: "a.wav", offsetSeconds: 12.5 });
    const order = [];
    for (let u = queue.take(); u; u = queue.take()) order.push([u.id, u.lang, u.source.name ?? "mic"]);
    expect(order).toEqual([[0, "de", "mic"], [1, "zh", "a.wav"], [2, "zh", "a.wav"]]);
    expect(queue.current).toBeNull();
  });

  it("a cancelled pending utterance is never taken; a cancelled running one is flagged", () => {
    const queue = new UtteranceQueue();
    const first = queue.add(audio(), "de", 1, { kind: "mic" });
    const second = queue.add(audio(), "de", 2, { kind: "mic" });
    const third = queue.add(audio(), "de", 3, { kind: "mic" });
    expect(queue.take()).toBe(first);
    expect(queue.cancel(second.id)).toBe(true);
    expect(queue.cancel(first.id)).toBe(true);
    expect(first.cancelled).toBe(true);
    expect(queue.cancel(first.id)).toBe(false);
    expect(queue.pending).toBe(1);
    queue.finish();
    expect(queue.take()).toBe(third);
    expect(queue.cancel(99)).toBe(false);
  });

  it("cancelAll empties the queue and flags the running one", () => {
    const queue = new UtteranceQueue();
    for (let i = 0; i < 4; i++) queue.add(audio(), "de", i, { kind: "mic" });
    const running = queue.take()!;
    expect(queue.cancelAll()).toEqual([0, 1, 2, 3]);
    expect(running.cancelled).toBe(true);
    expect(queue.pending).toBe(0);
    expect(queue.take()).toBeNull();
  });
});
