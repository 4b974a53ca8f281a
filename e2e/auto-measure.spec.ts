// Auto with a real GPU measures WebGPU against WASM on this device and keeps the faster. Here the
// only adapter is SwiftShader, which Auto skips; `?measure=1` (a developer flag) measures anyway,
// so the measuring path runs: both backends load, the same forced translation is timed on each,
// and the decision names both times.
import { expect, test } from "@playwright/test";

test("?measure=1 times both backends, picks the faster and says why", async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto("/?model=tiny-random&lang=de&measure=1&max_new_tokens=8");
  await expect(page.getByTestId("model-status")).toContainText("ready", { timeout: 280_000 });
  const reason = page.getByTestId("backend-reason");
  await expect(reason).toContainText("measured on this device");
  const [fastMs, slowMs] = (await reason.textContent())!.match(/(\d+) ms per test translation against (\d+) ms/)!.slice(1).map(Number);
  expect(fastMs).toBeLessThanOrEqual(slowMs!);
  // SwiftShader emulates a GPU on the CPU: WASM wins, and the page runs on it.
  await expect(reason).toContainText("Auto chose WASM");
  await expect(page.getByTestId("backend-active")).toHaveAttribute("data-backend", "wasm");
});

test("?measure=1 offline with WebGPU's onnxruntime build never stored: no measurement, WASM, and why", async ({ page, context }) => {
  test.setTimeout(300_000);
  await page.goto("/?model=tiny-random&backend=wasm&lang=de");
  await expect(page.getByTestId("offline-status")).toHaveText("ready offline");
  await context.setOffline(true);
  await page.goto("/?model=tiny-random&backend=auto&lang=de&measure=1&max_new_tokens=8");
  await expect(page.getByTestId("model-status")).toContainText("ready", { timeout: 280_000 });
  // The WebGPU load fell back to WASM: its time is not WebGPU's, so nothing is compared or remembered.
  await expect(page.getByTestId("backend-reason")).toContainText("Auto chose WASM: WebGPU's onnxruntime build is not stored on this device, and the browser is offline.");
  await expect(page.getByTestId("backend-active")).toHaveAttribute("data-backend", "wasm");
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("backend-decision|")))).toEqual([]);
});
