// Microphone capture: getUserMedia -> a 16 kHz AudioContext (the browser resamples)
// -> an AudioWorklet that hands ~100 ms pieces to `onAudio`.
import workletUrl from "./capture-worklet.ts?worker&url";
import { AppError } from "../core/errors";

export interface MicCapture {
  stop(): Promise<void>;
}

export async function startMic(onAudio: (samples: Float32Array, level: number) => void): Promise<MicCapture> {
  if (!navigator.mediaDevices?.getUserMedia) throw new AppError("mic", "This browser gives no microphone access (needs HTTPS or localhost).");
  let media: MediaStream;
  try {
    media = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
  } catch (error) {
    const name = error instanceof DOMException ? error.name : "";
    if (name === "NotAllowedError" || name === "SecurityError") {
      throw new AppError("mic", "Microphone permission was denied. Allow it in the site settings, or translate a file instead.");
    }
    if (name === "NotFoundError" || name === "OverconstrainedError") throw new AppError("mic", "No microphone was found. Connect one, or translate a file instead.");
    throw new AppError("mic", `The microphone could not be opened: ${error instanceof Error ? error.message : String(error)}`);
  }
  const context = new AudioContext({ sampleRate: 16000 });
  await context.audioWorklet.addModule(workletUrl);
  const source = context.createMediaStreamSource(media);
  const capture = new AudioWorkletNode(context, "capture");
  capture.port.onmessage = (event: MessageEvent<{ samples: Float32Array; level: number }>) => onAudio(event.data.samples, event.data.level);
  source.connect(capture);
  // Chromium only renders nodes that reach the destination; the worklet outputs silence.
  capture.connect(context.destination);
  // Without a user gesture (autostart=1) the context may start suspended.
  await context.resume();
  if (context.state !== "running") {
    throw new AppError("mic", "Audio is blocked until you interact with the page: click “Start microphone”.");
  }
  return {
    async stop() {
      source.disconnect();
      capture.disconnect();
      for (const track of media.getTracks()) track.stop();
      await context.close();
    },
  };
}

/** Decodes an uploaded file (wav/mp3/ogg/webm) to 16 kHz mono. */
export async function decodeAudioFile(file: Blob): Promise<Float32Array> {
  const bytes = await file.arrayBuffer();
  const context = new OfflineAudioContext(1, 1, 16000);
  let decoded: AudioBuffer;
  try {
    decoded = await context.decodeAudioData(bytes);
  } catch {
    throw new AppError("not-audio", `"${(file as File).name ?? "file"}" is not an audio file this browser can decode.`);
  }
  if (decoded.numberOfChannels === 1) return decoded.getChannelData(0).slice();
  const mono = new Float32Array(decoded.length);
  for (let c = 0; c < decoded.numberOfChannels; c++) {
    const channel = decoded.getChannelData(c);
    for (let i = 0; i < mono.length; i++) mono[i]! += channel[i]! / decoded.numberOfChannels;
  }
  return mono;
}
