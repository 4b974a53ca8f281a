// What the transcript shows when the model reports what it heard, how sure it was, and when it did
// not understand (models whose manifest has a transcription prompt and a confidence threshold).
// The events go through the page's real queue-event handler (testhooks=1), as the worker sends them.
import { expect, test, type Page } from "@playwright/test";

type Hooks = { translatorEvents: (event: unknown) => void };
const result = (extra: Record<string, unknown>) => ({
  text: "Wo ist der Bahnhof?", lang: "de", ids: [1, 2, 3], audioSeconds: 2, backend: "wasm",
  timings: { featuresMs: 1, encoderMs: 1, prefillMs: 1, firstTokenMs: 1, decodeTokensPerSecond: 1, totalMs: 5, realTimeFactor: 0.01 }, ...extra,
});

async function finish(page: Page, utteranceId: number, extra: Record<string, unknown>): Promise<void> {
  await page.evaluate(([id, r]) => {
    const hooks = window as unknown as Hooks;
    hooks.translatorEvents({ type: "queued", utteranceId: id, lang: "de", startedAt: Date.now(), source: { kind: "mic" }, pending: 0 });
    hooks.translatorEvents({ type: "final", utteranceId: id, startedAt: Date.now(), result: r });
  }, [utteranceId, result(extra)] as const);
}

test("heard text, a confidence mark, and a 'not understood' state that never shows a translation", async ({ page }) => {
  await page.goto("/?model=tiny-random&backend=wasm&testhooks=1");
  await expect(page.getByTestId("model-status")).toContainText("ready");
  const cards = page.locator("#transcript > li");

  await finish(page, 900, { heard: "where is the train station", confidence: 0.93, understood: true });
  await expect(cards.nth(0).getByTestId("heard")).toHaveText("Heard: “where is the train station”");
  await expect(cards.nth(0).getByTestId("translation-final")).toHaveText("Wo ist der Bahnhof?");
  await expect(cards.nth(0).getByTestId("confidence")).toHaveAttribute("data-level", "high");
  await expect(cards.nth(0).getByTestId("confidence")).toHaveText("high confidence (93%)");

  await finish(page, 901, { heard: "the weather in the sky of fish", confidence: 0.31, understood: false });
  await expect(cards.nth(1).getByTestId("not-understood")).toContainText("Not understood");
  await expect(cards.nth(1).getByTestId("not-understood")).toContainText("directions and places");
  await expect(cards.nth(1).getByTestId("translation-final")).toHaveCount(0);
  await expect(cards.nth(1).getByTestId("confidence")).toHaveAttribute("data-level", "low");

  // What was heard follows the translation (the worker sends the final first, so that the
  // transcription pass never delays it).
  await finish(page, 903, { confidence: 0.9, understood: true });
  await expect(cards.nth(2).getByTestId("translation-final")).toHaveText("Wo ist der Bahnhof?");
  await expect(cards.nth(2).getByTestId("heard")).toHaveCount(0);
  await page.evaluate(() => (window as unknown as Hooks).translatorEvents({ type: "heard", utteranceId: 903, heard: "where is the station" }));
  await expect(cards.nth(2).getByTestId("heard")).toHaveText("Heard: “where is the station”");
  await expect(cards.nth(2).getByTestId("translation-final")).toHaveText("Wo ist der Bahnhof?");

  // Without the fields (today's models) the card is a plain translation.
  await finish(page, 902, {});
  await expect(cards.nth(3).getByTestId("translation-final")).toHaveText("Wo ist der Bahnhof?");
  await expect(cards.nth(3).getByTestId("heard")).toHaveCount(0);
  await expect(cards.nth(3).getByTestId("confidence")).toHaveCount(0);
});
