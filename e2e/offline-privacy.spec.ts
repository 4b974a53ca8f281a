// After the first visit the app works with the network off, and no request ever
// leaves the page's origin (audio and model stay on the device).
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { goldenCase } from "./golden";

const golden = goldenCase("zh");
const url = `/?model=tiny-random&backend=wasm&lang=zh&max_new_tokens=${golden.generated_ids.length}`;

test("offline reload: app shell from the service worker, model from IndexedDB", async ({ page, context }) => {
  await page.goto(url);
  await expect(page.getByTestId("model-status")).toContainText("downloaded");
  await expect(page.getByTestId("offline-status")).toHaveText("ready offline");

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId("model-status")).toContainText("from the cache");
  await page.getByTestId("file-input").setInputFiles(golden.wav);
  await expect(page.getByTestId("translation-final")).toHaveText(golden.text);
  await expect(page.getByTestId("error")).toBeHidden();
});

test("offline, switching to WASM with only WebGPU's variant stored runs that stored variant", async ({ page, context }) => {
  const onWebGpu = goldenCase("zh", "webgpu");
  expect(onWebGpu.variant).not.toBe(goldenCase("zh", "wasm").variant);
  await page.goto(`/?model=tiny-random&backend=webgpu&lang=zh&max_new_tokens=${onWebGpu.generated_ids.length}`);
  await expect(page.getByTestId("model-status")).toContainText(`(${onWebGpu.variant})`);
  await expect(page.getByTestId("offline-status")).toHaveText("ready offline");

  await context.setOffline(true);
  await page.getByTestId("backend-select").selectOption("wasm");
  await expect(page.getByTestId("backend-active")).toHaveAttribute("data-backend", "wasm");
  // WASM's own variant (q4dq) was never downloaded: the stored default loads instead of an error.
  await expect(page.getByTestId("model-status")).toContainText(`(${onWebGpu.variant}), loaded`);
  await expect(page.getByTestId("model-status")).toContainText("from the cache");
  await page.getByTestId("file-input").setInputFiles(golden.wav);
  await expect(page.getByTestId("translation-final")).toHaveAttribute("data-ids", onWebGpu.generated_ids.join(","));
  await expect(page.getByTestId("error")).toBeHidden();
});

test("privacy: every request of a session stays on the page's origin", async ({ page, context }) => {
  const requests: string[] = [];
  context.on("request", (request) => requests.push(request.url()));
  await page.goto(url);
  await expect(page.getByTestId("model-status")).toContainText("ready");
  await page.getByTestId("file-input").setInputFiles(golden.wav);
  await expect(page.getByTestId("translation-final")).toHaveText(golden.text);
  await page.reload();
  await expect(page.getByTestId("model-status")).toContainText("from the cache");

  const origin = new URL(page.url()).origin;
  const foreign = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith("data:") && !u.startsWith("blob:"));
  expect(requests.length).toBeGreaterThan(5);
  expect(foreign).toEqual([]);
});

test("benchmark: a chart and a summary of WebGPU against WASM, numbers for each, naming SwiftShader", async ({ page }) => {
  await page.goto(`${url}#benchmark`);
  await expect(page.getByTestId("model-status")).toContainText("ready");
  await page.getByLabel("Runs per clip").fill("2");
  await page.getByLabel("Forced decode tokens").fill("8");
  await page.getByTestId("bench-run").click();
  const results = page.getByTestId("bench-results");
  await expect(results.getByTestId("bench-summary")).toBeVisible({ timeout: 110_000 });
  await expect(results.locator("canvas")).toBeVisible();
  // Readable headings, the backends' ratio and a one-line verdict.
  await expect(results.getByTestId("bench-summary").locator("thead")).toContainText("SwiftShader");
  await expect(results.getByTestId("bench-summary").locator('tr[data-metric="totalMs"] th')).toHaveText("End to end, ms");
  await expect(results.getByTestId("bench-summary-line")).toContainText(/is \d+(\.\d)?× faster than .* end to end/);
  await expect(results.getByTestId("bench-summary-line")).toContainText("Real-time factor");
  await expect(results.locator('tr[data-backend="webgpu"]').first()).toContainText("SwiftShader");
  type Clip = { clip: string; ids: number[]; metrics: Record<string, { median: number; n: number }>; forcedDecodeRates: number[] };
  const report = await page.evaluate(() => (window as unknown as { benchReport: { forcedTokens: number; backends: Array<{ backend: "webgpu" | "wasm"; variant: string; loadMs: number; clips: Clip[] }> } }).benchReport);
  expect(report.backends.map((b) => b.backend)).toEqual(["webgpu", "wasm"]);
  expect(report.forcedTokens).toBe(8);
  const totals = [];
  for (const backend of report.backends) {
    await expect(results.locator(`tr[data-backend="${backend.backend}"]`)).toHaveCount(backend.clips.length);
    expect(backend.loadMs).toBeGreaterThan(0);
    // Each backend runs its own variant of the fixture (WASM: q4dq), with that variant's golden ids.
    const expected = goldenCase("zh", backend.backend);
    expect(backend.variant).toBe(expected.variant);
    const clip = backend.clips.find((c) => c.clip === "golden.wav")!;
    expect(clip.ids).toEqual(expected.generated_ids);
    expect(clip.metrics.totalMs!.n).toBe(2);
    expect(clip.metrics.totalMs!.median).toBeGreaterThan(0);
    expect(clip.metrics.realTimeFactor!.median).toBeGreaterThan(0);
    // One forced-decode rate per run (8 steps each, EOS ignored).
    expect(clip.forcedDecodeRates).toHaveLength(2);
    expect(clip.metrics.forcedDecodeTokensPerSecond!.median).toBeGreaterThan(0);
    totals.push(Number(await results.getByTestId("bench-summary").locator('tr[data-metric="totalMs"] td').nth(totals.length).getAttribute("data-value")));
  }
  // The ratio column is WebGPU's median over WASM's.
  const ratio = Number(await results.getByTestId("bench-summary").locator('tr[data-metric="totalMs"] td[data-ratio]').getAttribute("data-ratio"));
  expect(ratio).toBeCloseTo(totals[0]! / totals[1]!, 6);
  expect(report.backends[0]!.variant).not.toBe(report.backends[1]!.variant);
  // Afterwards the page's own model runs again on the backend its control shows.
  await expect(page.getByTestId("model-status")).toContainText("ready");
  await expect(page.getByTestId("backend-active")).toHaveAttribute("data-backend", "wasm");
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export JSON" }).click()]);
  expect(file.suggestedFilename()).toBe("benchmark.json");
});

/** The onnxruntime-web binaries the service worker keeps beside its precache (vite.config.ts). */
const keptBuilds = (page: Page) => page.evaluate(async () => (await (await caches.open("ort-webgpu-builds")).keys()).map((r) => new URL(r.url).pathname));

/** The onnxruntime-web binaries a page and its workers (the service worker's precache included) request. */
function ortBinariesRequested(context: BrowserContext): Set<string> {
  const builds = new Set<string>();
  context.on("request", (request) => {
    const name = /\/assets\/(ort-wasm-simd-threaded(?:\.\w+)?)-[\w-]+\.wasm$/.exec(new URL(request.url()).pathname)?.[1];
    if (name) builds.add(name);
  });
  return builds;
}

test("offline on WebGPU after a WebGPU visit: the service worker kept WebGPU's onnxruntime build", async ({ page, context }) => {
  const onWebGpu = goldenCase("zh", "webgpu");
  const requested = ortBinariesRequested(context);
  await page.goto(`/?model=tiny-random&backend=webgpu&lang=zh&max_new_tokens=${onWebGpu.generated_ids.length}`);
  // Chromium has JSPI: WebGPU runs on that build, and WASM's own build is not what it loaded.
  await expect(page.getByTestId("backend-active")).toHaveAttribute("data-build", "jspi");
  await expect(page.getByTestId("offline-status")).toHaveText("ready offline");
  expect(await keptBuilds(page)).toEqual([expect.stringMatching(/^\/assets\/ort-wasm-simd-threaded\.jspi-[\w-]+\.wasm$/)]);
  // The WASM-only build (precached, and the features' MatMul runs on it) and JSPI's: never Asyncify's 27 MB.
  expect([...requested].sort()).toEqual(["ort-wasm-simd-threaded", "ort-wasm-simd-threaded.jspi"]);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId("model-status")).toContainText("from the cache");
  await expect(page.getByTestId("backend-active")).toHaveAttribute("data-backend", "webgpu");
  await page.getByTestId("file-input").setInputFiles(onWebGpu.wav);
  await expect(page.getByTestId("translation-final")).toHaveAttribute("data-ids", onWebGpu.generated_ids.join(","));
  await expect(page.getByTestId("error")).toBeHidden();
});

test("offline, WebGPU asked for but its onnxruntime build never downloaded: says so, runs on WASM, and WebGPU starts once back online", async ({ page, context }) => {
  const requested = ortBinariesRequested(context);
  await page.goto(url);
  await expect(page.getByTestId("backend-active")).toHaveAttribute("data-build", "wasm");
  await expect(page.getByTestId("offline-status")).toHaveText("ready offline");
  expect(await keptBuilds(page)).toEqual([]);
  // A WASM page fetches the WASM-only build alone (14 MB; the app fetched the 27 MB Asyncify build before).
  expect([...requested]).toEqual(["ort-wasm-simd-threaded"]);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId("model-status")).toContainText("from the cache");
  await page.getByTestId("backend-select").selectOption("webgpu");
  await expect(page.getByTestId("error")).toContainText("WebGPU's onnxruntime build is not stored on this device, and the browser is offline. Using WASM instead.");
  await expect(page.getByTestId("backend-active")).toHaveAttribute("data-backend", "wasm");
  await expect(page.getByTestId("model-status")).toContainText("from the cache");
  await page.getByTestId("file-input").setInputFiles(golden.wav);
  await expect(page.getByTestId("translation-final")).toHaveText(golden.text);

  // Back online, the same page: WebGPU starts (onnxruntime-web's WebGPU build was never touched offline).
  await context.setOffline(false);
  await page.getByTestId("backend-select").selectOption("wasm");
  await expect(page.getByTestId("backend-active")).toHaveAttribute("data-backend", "wasm");
  await page.getByTestId("backend-select").selectOption("webgpu");
  // Online, WebGPU's own variant (q4) would be a second download: the page asks; the stored one will do.
  await page.getByTestId("variant-use-stored").click();
  await expect(page.getByTestId("backend-active")).toHaveAttribute("data-backend", "webgpu");
  await expect(page.getByTestId("backend-active")).toHaveAttribute("data-build", "jspi");
  await expect(page.getByTestId("offline-status")).toHaveText("ready offline");
  expect(await keptBuilds(page)).toEqual([expect.stringMatching(/^\/assets\/ort-wasm-simd-threaded\.jspi-[\w-]+\.wasm$/)]);
});
