// The app is installable: the web app manifest has a name, colours and icons, and Chromium's own
// installability check (CDP Page.getInstallabilityErrors) finds nothing missing. (A persistent
// profile: Chromium never offers installation in an incognito one, which is what test contexts are.)
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, expect, test } from "@playwright/test";
import { CHROMIUM, CHROMIUM_ARGS } from "../playwright.config";

test("Chromium reports no installability errors, and the manifest names the app with icons", async ({ baseURL }) => {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "install-")), { executablePath: CHROMIUM, args: CHROMIUM_ARGS, baseURL: baseURL! });
  try {
    const page = await context.newPage();
    await page.goto("/?model=tiny-random&backend=wasm");
    await expect(page.getByTestId("offline-status")).toHaveText("ready offline");
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    expect(installabilityErrors).toEqual([]);
    const href = await page.locator('link[rel="manifest"]').getAttribute("href");
    const manifest = await (await page.request.get(new URL(href!, page.url()).href)).json();
    expect(manifest).toMatchObject({ name: "Speech translator", display: "standalone", theme_color: "#1d4ed8", background_color: "#ffffff" });
    const sizes = (manifest.icons as Array<{ sizes: string; purpose?: string }>).map((i) => `${i.sizes}${i.purpose ? ` ${i.purpose}` : ""}`);
    expect(sizes).toEqual(expect.arrayContaining(["192x192", "512x512", "512x512 maskable"]));
    for (const icon of manifest.icons as Array<{ src: string }>) expect((await page.request.get(new URL(icon.src, page.url()).href)).ok()).toBe(true);
  } finally {
    await context.close();
  }
});
