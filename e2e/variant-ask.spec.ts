// A second variant of a stored model is downloaded only after asking, with its size: switching
// the backend to WASM (whose own variant, q4dq, was never downloaded) asks; "use the stored one"
// runs the stored q4 without a download, "download it" fetches q4dq.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { formatBytes } from "../src/core/errors";
import { filesForVariant, parseManifest } from "../src/core/manifest";
import { goldenCase } from "./golden";

const manifest = parseManifest(JSON.parse(readFileSync("public/models/tiny-random/manifest.json", "utf8")));
const onWasm = goldenCase("de", "wasm");
const onWebGpu = goldenCase("de", "webgpu");

test("switching backend asks before downloading the other variant, and says how big it is", async ({ page, context }) => {
  test.setTimeout(240_000);
  await page.goto(`/?model=tiny-random&backend=webgpu&lang=de&max_new_tokens=${onWasm.generated_ids.length}`);
  await expect(page.getByTestId("model-status")).toContainText(`(${onWebGpu.variant})`, { timeout: 120_000 });
  const requests: string[] = [];
  context.on("request", (request) => requests.push(request.url()));

  await page.getByTestId("backend-select").selectOption("wasm");
  const question = page.getByTestId("variant-question");
  await expect(question).toBeVisible();
  // Only the files WASM's variant does not share with the stored one are missing.
  const stored = new Set(filesForVariant(manifest, onWebGpu.variant).map((f) => f.path));
  const missing = filesForVariant(manifest, onWasm.variant).filter((f) => !stored.has(f.path)).reduce((n, f) => n + f.bytes, 0);
  await expect(question).toContainText(`a ${formatBytes(missing)} download`);
  await expect(page.getByTestId("variant-download")).toBeFocused();

  await page.getByTestId("variant-use-stored").click();
  await expect(page.getByTestId("model-status")).toContainText(`(${onWebGpu.variant}), loaded`);
  await expect(page.getByTestId("backend-active")).toHaveAttribute("data-backend", "wasm");
  expect(requests.filter((u) => u.includes("/onnx/"))).toEqual([]);

  await page.getByRole("button", { name: "Load model" }).click();
  await page.getByTestId("variant-download").click();
  await expect(page.getByTestId("model-status")).toContainText(`(${onWasm.variant}), loaded`);
  await expect(page.getByTestId("model-status")).toContainText("downloaded");
  await page.getByTestId("file-input").setInputFiles(onWasm.wav);
  await expect(page.getByTestId("translation-final")).toHaveAttribute("data-ids", onWasm.generated_ids.join(","));
});
