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
