// "From the end of speech to the final text on screen", on the page's main path: Chromium's fake
// microphone plays a WAV of phrasebook sentences (espeak-ng, digital silence between them, so the
// end of each sentence is exact), the page runs the VAD, the queue and the model, and each
// transcript card records the time from the end of its speech (the last 10 ms louder than -40 dBFS,
// dated from the capture time of the audio piece holding it) to the moment its text was put on
// screen. `npm run bench -- --latency` prints the median and writes bench/results/<date>-latency.*.
import { execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "@playwright/test";
import { preview } from "vite";
import wavefile from "wavefile";
import { CHROMIUM, CHROMIUM_ARGS } from "../playwright.config";
import { parsePhrasebookTopics } from "../src/core/phrasebook";
import { summarize, type Summary } from "../src/core/stats";
import { writeBenchResult } from "./bench-results";

export interface LatencyReport {
  date: string;
  model: string;
  backend: string;
  lang: string;
  /** Whether the page started each final translation at the speaker's pause (speculative finals). */
  speculate: boolean;
  /** The machine's 1-minute load average at the start and the end of the measurement. */
  loadAverage: [number, number];
  sentences: string[];
  /** Milliseconds from the end of each utterance's speech to its final text on screen, in order. */
  latenciesMs: number[];
  summary: Summary;
  userAgent: string;
}

const RATE = 16000;

/** One sentence per topic from docs/vocabulary.md, spoken by espeak-ng, as 16 kHz samples. */
function speak(text: string, dir: string, index: number): Int16Array {
  const path = join(dir, `s${index}.wav`);
  execFileSync("espeak-ng", ["-v", "en-us", "-s", "150", "-w", path, text]);
  const wav = new wavefile.WaveFile(readFileSync(path));
  wav.toSampleRate(RATE);
  return Int16Array.from(wav.getSamples(false, Float64Array) as unknown as Float64Array);
}

function utteranceWav(sentences: string[], dir: string): string {
  const silence = (seconds: number) => new Int16Array(Math.round(seconds * RATE));
  const parts: Int16Array[] = [silence(1)];
  sentences.forEach((s, i) => parts.push(speak(s, dir, i), silence(2.5)));
  const all = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    all.set(p, offset);
    offset += p.length;
  }
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, RATE, "16", all);
  const path = join(dir, "utterances.wav");
  writeFileSync(path, wav.toBuffer());
  return path;
}

/** A port nobody listens on (other benchmarks and test servers may be running on this machine). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

export async function measureLatency(options: { model: string; lang: string; utterances: number; speculate: boolean }): Promise<LatencyReport> {
  const loadAtStart = loadavg()[0]!;
  const topics = parsePhrasebookTopics(readFileSync("docs/vocabulary.md", "utf8"));
  const sentences = topics.map((t) => t.examples[0]!.en).slice(0, options.utterances);
  const dir = mkdtempSync(join(tmpdir(), "latency-"));
  const wav = utteranceWav(sentences, dir);
  const port = await freePort();
  const server = await preview({ preview: { port, strictPort: true } });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${wav}`] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://localhost:${port}/?model=${options.model}&backend=wasm&lang=${options.lang}&autostart=1${options.speculate ? "" : "&speculate=0"}`);
    await page.getByTestId("mic-stop").waitFor({ timeout: 180_000 });
    // Chromium loops the file; the first pass gives one utterance per sentence.
    const cards = page.locator("#transcript > li[data-latency-ms]");
    const deadline = Date.now() + (sentences.length * 6 + 60) * 1000;
    while ((await cards.count()) < sentences.length && Date.now() < deadline) await page.waitForTimeout(500);
    await page.getByTestId("mic-stop").click();
    const latenciesMs = (await cards.evaluateAll((items) => items.map((i) => Number((i as HTMLElement).dataset.latencyMs)))).slice(0, sentences.length);
    if (latenciesMs.length < sentences.length) throw new Error(`only ${latenciesMs.length} of ${sentences.length} utterances were translated in time`);
    return {
      date: new Date().toISOString(),
      model: options.model,
      backend: "wasm",
      lang: options.lang,
      speculate: options.speculate,
      loadAverage: [loadAtStart, loadavg()[0]!],
      sentences,
      latenciesMs,
      summary: summarize(latenciesMs),
      userAgent: await page.evaluate(() => navigator.userAgent),
    };
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}

export async function writeLatencyReport(report: LatencyReport): Promise<string> {
  const s = report.summary;
  const md = [
    `# End of speech to final text, ${report.date}`,
    "",
    `Fake microphone (Chromium, \`--use-file-for-fake-audio-capture\`), ${report.model} on ${report.backend}, into ${report.lang}; ${s.n} utterances (espeak-ng, one sentence per phrasebook topic).`,
    `Speculative finals (translation starts at the speaker's pause): ${report.speculate ? "on" : "off (\`speculate=0\`)"}. Load average (1 min) at start and end: ${report.loadAverage.map((l) => l.toFixed(1)).join(", ")}.`,
    `Browser: ${report.userAgent}.`,
    "",
    `| median | min | max | each (ms) |`,
    `|---|---|---|---|`,
    `| ${s.median.toFixed(0)} ms | ${s.min.toFixed(0)} ms | ${s.max.toFixed(0)} ms | ${report.latenciesMs.map((v) => v.toFixed(0)).join(", ")} |`,
    "",
  ].join("\n");
  await writeBenchResult(report.date, "latency", report, md);
  return md;
}
