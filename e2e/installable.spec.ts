// The app is installable: the web app manifest has a name, colours and icons, and Chromium's own
// installability check (CDP Page.getInstallabilityErrors) finds nothing missing.
import { expect, test } from "@playwright/test";

test("Chromium reports no installability errors, and the manifest names the app with icons", async ({ page }) => {
  await page.goto("/?model=tiny-random&backend=wasm");
  await expect(page.getByTestId("offline-status")).toHaveText("ready offline");
  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
  expect(installabilityErrors).toEqual([]);
  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  const manifest = await (await page.request.get(new URL(href!, page.url()).href)).json();
  expect(manifest).toMatchObject({ name: "Speech translator", display: "standalone", theme_color: "#1d4ed8", background_color: "#ffffff" });
  const sizes = (manifest.icons as Array<{ sizes: string; purpose?: string }>).map((i) => `${i.sizes}${i.purpose ? ` ${i.purpose}` : ""}`);
  expect(sizes).toEqual(expect.arrayContaining(["192x192", "512x512", "512x512 maskable"]));
  for (const icon of manifest.icons as Array<{ src: string }>) expect((await page.request.get(new URL(icon.src, page.url()).href)).ok()).toBe(true);
});
