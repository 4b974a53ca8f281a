// A strict Content-Security-Policy enforces the privacy promise: the server sends it, the built
// page carries it as a <meta> fallback, a request to another origin is refused, and the app
// still loads and translates on both backends under it.
import { expect, test } from "@playwright/test";
import { CONTENT_SECURITY_POLICY } from "../vite.config";
import { goldenCase } from "./golden";

test("the policy is sent and in the page, and a fetch to another origin is blocked", async ({ page }) => {
  const response = await page.goto("/?model=tiny-random&backend=wasm");
  expect(response!.headers()["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute("content", CONTENT_SECURITY_POLICY);
  expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self'");
  expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe-inline");
  const outcome = await page.evaluate(async () => {
    const violation = new Promise<string>((resolve) => document.addEventListener("securitypolicyviolation", (e) => resolve(`${e.violatedDirective} ${e.blockedURI}`), { once: true }));
    const result = await fetch("http://127.0.0.1:9/collect", { method: "POST", body: "audio" }).then(() => "sent", (e: Error) => `refused: ${e.message}`);
    return { result, violation: await violation };
  });
  expect(outcome.result).toMatch(/^refused/);
  expect(outcome.violation).toBe("connect-src http://127.0.0.1:9/collect");
  // Inline script does not run.
  const inline = await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "window.inlineRan = true";
    document.body.append(script);
    return (window as unknown as { inlineRan?: boolean }).inlineRan === true;
  });
  expect(inline).toBe(false);
});

for (const backend of ["wasm", "webgpu"] as const) {
  test(`under the policy the app translates on ${backend}`, async ({ page }) => {
    const golden = goldenCase("de", backend);
    const violations: string[] = [];
    await page.addInitScript(() => document.addEventListener("securitypolicyviolation", (e) => ((window as unknown as { cspViolations: string[] }).cspViolations ??= []).push(`${e.violatedDirective} ${e.blockedURI}`)));
    page.on("console", (m) => m.text().includes("Content Security Policy") && violations.push(m.text()));
    await page.goto(`/?model=tiny-random&backend=${backend}&lang=de&max_new_tokens=${golden.generated_ids.length}`);
    await expect(page.getByTestId("model-status")).toContainText(`(${golden.variant})`, { timeout: 120_000 });
    await expect(page.getByTestId("backend-active")).toHaveAttribute("data-backend", backend);
    await page.getByTestId("file-input").setInputFiles(golden.wav);
    await expect(page.getByTestId("translation-final")).toHaveAttribute("data-ids", golden.generated_ids.join(","), { timeout: 120_000 });
    expect(await page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? [])).toEqual([]);
    expect(violations).toEqual([]);
    // WASM ran with threads: the policy leaves cross-origin isolation (and SharedArrayBuffer) alone.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  });
}
