// The bench-only page (bench/peer/): built by Vite into dist-bench/ (not the app's dist/, no service
// worker) and served with the app's cross-origin-isolation headers, with the generated peer models
// (`python -m compress peer-whisper`, data/peer/) under /peer-models/. Each system runs in a fresh
// Chromium so that its renderer's peak memory is its own.
import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { readdir, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { cpus, loadavg } from "node:os";
import { join, normalize, resolve } from "node:path";
import { chromium, type Browser, type Page } from "@playwright/test";
import { build, preview, type Plugin, type PreviewServer } from "vite";
import appConfig from "../vite.config";
import { CHROMIUM, CHROMIUM_ARGS } from "../playwright.config";
import type { PeerBench } from "../bench/peer/main";

export const PEER_MODELS = "data/peer";
const PAGE = "bench/peer/index.html";

/** Serves `PEER_MODELS` read-only under /peer-models/ (404 for anything outside it). */
function peerModels(): Plugin {
  const root = resolve(PEER_MODELS);
  return {
    name: "peer-models",
    configurePreviewServer(server) {
      server.middlewares.use("/peer-models", (req, res) => {
        const path = normalize(join(root, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)));
        if (!path.startsWith(root) || !existsSync(path) || !statSync(path).isFile()) {
          res.statusCode = 404;
          res.end();
          return;
        }
        res.setHeader("Content-Length", statSync(path).size);
        res.setHeader("Content-Type", path.endsWith(".json") ? "application/json" : "application/octet-stream");
        createReadStream(path).pipe(res);
      });
    },
  };
}

/** Builds and serves the page on a free port; each process its own build folder, so that two
 * benchmarks (or a benchmark and the smoke test) can run at once. */
export async function serveBenchPage(): Promise<{ url: string; close: () => Promise<void> }> {
  const outDir = `dist-bench/${process.pid}`;
  const config = { configFile: false as const, logLevel: "warn" as const, worker: appConfig.worker, optimizeDeps: appConfig.optimizeDeps };
  await build({ ...config, build: { outDir, emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 30_000, rollupOptions: { input: PAGE } } });
  const server: PreviewServer = await preview({ ...config, build: { outDir }, preview: { port: 0, headers: appConfig.preview?.headers }, plugins: [peerModels()] });
  const port = (server.httpServer.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}/${PAGE}`,
    close: async () => {
      await new Promise<void>((done) => server.httpServer.close(() => done()));
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

/** Peak resident memory (VmHWM) of the largest renderer process under `browserPid`, in MB. */
export async function rendererPeakMb(browserPid: number): Promise<number> {
  const children = new Map<number, number[]>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const descendants: number[] = [];
  for (let queue = [browserPid]; queue.length > 0; ) {
    const pid = queue.pop()!;
    for (const child of children.get(pid) ?? []) (descendants.push(child), queue.push(child));
  }
  let peak = NaN;
  for (const pid of descendants) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (!cmdline.includes("--type=renderer")) continue;
    const hwm = /VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, "utf8").catch(() => ""));
    if (hwm) peak = Number.isNaN(peak) ? Number(hwm[1]) / 1024 : Math.max(peak, Number(hwm[1]) / 1024);
  }
  return peak;
}

/** Calls one of the page's `peerBench` methods (bench/peer/main.ts) with `options`. */
export function benchCall<K extends keyof PeerBench>(page: Page, method: K, options: Parameters<PeerBench[K]>[0]): Promise<Awaited<ReturnType<PeerBench[K]>>> {
  return page.evaluate(
    ([m, o]) => (window as unknown as { peerBench: Record<string, (o: unknown) => Promise<unknown>> }).peerBench[m]!(o),
    [method, options] as const,
  ) as Promise<Awaited<ReturnType<PeerBench[K]>>>;
}

/** Runs `fn` on the bench page in a fresh Chromium (with `extraArgs` after the usual ones); returns
 * its result and the renderer's peak memory. */
export async function withBenchPage<T>(url: string, fn: (page: Page) => Promise<T>, extraArgs: string[] = []): Promise<{ result: T; peakMb: number; userAgent: string }> {
  const server = await chromium.launchServer({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
  const browser: Browser = await chromium.connect(server.wsEndpoint());
  try {
    const page = await browser.newPage();
    page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
    await page.goto(url);
    await page.waitForFunction(() => "peerBench" in window, null, { timeout: 60_000 });
    const result = await fn(page);
    const peakMb = await rendererPeakMb(server.process().pid!);
    return { result, peakMb, userAgent: await page.evaluate(() => navigator.userAgent) };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** The machine and its load average now: the VM is shared, so every report says how busy it was. */
export function machine(): string {
  const [one, five] = loadavg();
  return `${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, load average ${one!.toFixed(1)} (1 min) / ${five!.toFixed(1)} (5 min)`;
}

/** How a bench file opens: the machine's load at its start and end, the runtimes and the browser it ran. */
export function benchContext(machines: string[], onnxruntime: string, userAgent: string): string {
  return `Machine: ${machines[0]} at the start, ${machines[1]} at the end (shared with other jobs). Runtimes: ${onnxruntime}. Browser: ${userAgent}`;
}

/** The onnxruntime releases installed, as each bench file should say: a release changes kernels (onnxruntime-web
 *  1.31.1's WASM decode step was 16–20% slower here than the pinned 1.31.0 dev build, docs/results.md). */
export function onnxruntimeVersions(): string {
  return ["onnxruntime-node", "onnxruntime-web"]
    .map((name) => `${name} ${JSON.parse(readFileSync(join("node_modules", name, "package.json"), "utf8")).version}`)
    .join(", ");
}
