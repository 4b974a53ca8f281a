// `npm run bench`: the browser benchmark view driven in headless Chromium (WebGPU on
// SwiftShader and WASM), plus the same clip through onnxruntime-node as the native
// baseline. Writes bench/results/<date>.json and a markdown table next to it.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { preview } from "vite";
import { CHROMIUM, CHROMIUM_ARGS } from "../playwright.config";
import { Engine, type Translation } from "../src/core/engine";
import { summarize, type Summary } from "../src/core/stats";
import { nodeRuntime, readManifest } from "../src/node/runtime";
import { readWav16kMono } from "../src/node/wav";
import type { BenchReport } from "../src/ui/bench";

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "tiny-random" },
    lang: { type: "string", default: "de" },
    runs: { type: "string", default: "5" },
    clip: { type: "string", default: "fixtures/tiny-random/golden.wav" },
  },
});
const runs = Number(values.runs);

async function browserReport(): Promise<BenchReport> {
  const server = await preview({ preview: { port: 4174, strictPort: true } });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`http://localhost:4174/?model=${values.model}&backend=wasm&lang=${values.lang}`);
    await page.getByTestId("model-status").filter({ hasText: "ready" }).waitFor({ timeout: 120_000 });
    await page.locator("#bench-runs").fill(String(runs));
    await page.getByTestId("bench-run").click();
    await page.waitForFunction(() => "benchReport" in window, null, { timeout: 600_000 });
    return await page.evaluate(() => (window as unknown as { benchReport: BenchReport }).benchReport);
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}

async function nodeBaseline(): Promise<{ loadMs: number; metrics: Record<string, Summary> }> {
  const dir = `public/models/${values.model}`;
  const start = performance.now();
  const engine = await Engine.load(await readManifest(dir), nodeRuntime(dir));
  const loadMs = performance.now() - start;
  const samples = await readWav16kMono(values.clip);
  await engine.translate(samples, values.lang);
  const results: Translation[] = [];
  for (let i = 0; i < runs; i++) results.push(await engine.translate(samples, values.lang));
  await engine.release();
  const pick = (f: (r: Translation) => number) => summarize(results.map(f));
  return {
    loadMs,
    metrics: {
      featuresMs: pick((r) => r.timings.featuresMs),
      encoderMs: pick((r) => r.timings.encoderMs),
      prefillMs: pick((r) => r.timings.prefillMs),
      firstTokenMs: pick((r) => r.timings.featuresMs + r.timings.encoderMs + r.timings.embedMs + r.timings.firstTokenMs),
      decodeTokensPerSecond: pick((r) => (r.timings.decodeMs > 0 ? (r.timings.decodeTokens * 1000) / r.timings.decodeMs : 0)),
      totalMs: pick((r) => r.timings.totalMs),
      realTimeFactor: pick((r) => r.timings.totalMs / 1000 / r.audioSeconds),
    },
  };
}

function markdown(report: BenchReport, node: Awaited<ReturnType<typeof nodeBaseline>>): string {
  const metrics = Object.keys(node.metrics);
  const fmt = (s: Summary) => `${s.median.toFixed(2)} (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
  const lines = [
    `# Benchmark ${report.date}`,
    "",
    `Model ${report.model}, target ${report.lang}, ${report.runs} runs after one warm-up; median (min–max).`,
    `Browser: ${report.userAgent}; cross-origin isolated: ${report.crossOriginIsolated}.`,
    `Main-thread tasks over 50 ms during the run: ${report.mainThreadLongTasks?.count ?? "n/a"} (longest ${report.mainThreadLongTasks?.maxMs.toFixed(0) ?? "n/a"} ms).`,
    "",
    `| runtime | adapter | clip | load ms | ${metrics.join(" | ")} |`,
    `|${"---|".repeat(4 + metrics.length)}`,
  ];
  for (const b of report.backends) {
    for (const c of b.clips) {
      const adapter = `${b.adapter}${b.emulated ? " (SwiftShader, CPU emulation)" : ""}`;
      lines.push(`| browser ${b.backend} | ${adapter} | ${c.clip} | ${b.loadMs.toFixed(0)} | ${metrics.map((m) => fmt(c.metrics[m]!)).join(" | ")} |`);
    }
  }
  lines.push(`| node (onnxruntime-node) | CPU | ${values.clip} | ${node.loadMs.toFixed(0)} | ${metrics.map((m) => fmt(node.metrics[m]!)).join(" | ")} |`);
  return `${lines.join("\n")}\n`;
}

const report = await browserReport();
const node = await nodeBaseline();
const stamp = report.date.replace(/[:.]/g, "-");
await mkdir("bench/results", { recursive: true });
const jsonPath = join("bench/results", `${stamp}.json`);
await writeFile(jsonPath, `${JSON.stringify({ browser: report, node }, null, 2)}\n`);
await writeFile(jsonPath.replace(/\.json$/, ".md"), markdown(report, node));
console.log(markdown(report, node));
console.log(`wrote ${jsonPath}`);
