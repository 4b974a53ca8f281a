// Test clips built from the golden WAV: with pauses around it, silence only, a
// long monologue (45 s unless asked), and a file that is not audio. Written once per run into a temp dir.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import wavefile from "wavefile";
import { goldenCase } from "./golden";

const dir = join(tmpdir(), "speech-translator-e2e");
mkdirSync(dir, { recursive: true });

function readPcm16(path: string): Int16Array {
  const wav = new wavefile.WaveFile(readFileSync(path));
  return Int16Array.from(wav.getSamples(false, Float64Array) as unknown as Float64Array);
}

function writePcm16(name: string, samples: Int16Array): string {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, 16000, "16", samples);
  const path = join(dir, name);
  writeFileSync(path, wav.toBuffer());
  return path;
}

function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

const silence = (seconds: number) => new Int16Array(Math.round(seconds * 16000));
export const speech = readPcm16(goldenCase("de").wav);

/** Speech with silence around it, so the VAD sees one utterance start and end. */
export const paddedSpeechWav = () => writePcm16("padded-speech.wav", concat(silence(1), speech, silence(2)));
export const twoUtterancesWav = () => writePcm16("two-utterances.wav", concat(silence(1), speech, silence(2), speech, silence(2)));
/** The speech without the clip's own silence around it (louder than 1% of full scale). */
export const voicedSpeech = (() => {
  const loud = (v: number) => Math.abs(v) > 328;
  return speech.subarray(speech.findIndex(loud), speech.findLastIndex(loud) + 1);
})();
/** One utterance with a 250 ms pause inside it: the VAD's pause starts there, then speech resumes
 * (the VAD waits 400 ms before it ends an utterance). */
export const resumedSpeechWav = () => writePcm16("resumed-speech.wav", concat(silence(1), voicedSpeech, silence(0.25), voicedSpeech, silence(3)));
/** Four utterances with short pauses: on SwiftShader they arrive faster than they are translated. */
export const burstWav = () => writePcm16("burst.wav", concat(silence(0.5), speech, silence(1), speech, silence(1), speech, silence(1), speech, silence(3)));
export const silenceWav = () => writePcm16("silence.wav", silence(4));
/** Back-to-back speech for 45 s: longer than the model's 30 s window. */
export const monologueWav = (seconds = 45) => {
  const parts: Int16Array[] = [];
  for (let total = 0; total < seconds * 16000; total += speech.length) parts.push(speech);
  return writePcm16(`monologue-${seconds}s.wav`, concat(...parts).slice(0, seconds * 16000));
};
export const notAudioFile = () => {
  const path = join(dir, "notes.wav");
  writeFileSync(path, "these are not audio samples\n".repeat(100));
  return path;
};
