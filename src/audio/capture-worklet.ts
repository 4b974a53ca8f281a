// Runs on the audio rendering thread: batches the 16 kHz input into ~100 ms pieces
// and posts them (with their RMS level) to the page, which forwards them to the worker.
declare const sampleRate: number;
declare function registerProcessor(name: string, ctor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

class CaptureProcessor extends AudioWorkletProcessor {
  private buffer = new Float32Array(Math.round(sampleRate / 10));
  private filled = 0;

  process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true;
    const frames = channels[0]!.length;
    for (let i = 0; i < frames; i++) {
      let sum = 0;
      for (const channel of channels) sum += channel[i]!;
      this.buffer[this.filled++] = sum / channels.length;
      if (this.filled === this.buffer.length) {
        let energy = 0;
        for (const v of this.buffer) energy += v * v;
        const samples = this.buffer;
        const length = samples.length; // read before the transfer detaches the buffer
        this.port.postMessage({ samples, level: Math.sqrt(energy / length) }, [samples.buffer]);
        this.buffer = new Float32Array(length);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor("capture", CaptureProcessor);
