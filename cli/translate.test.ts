// The CLI end to end, as a user runs it: the golden clip prints the golden text.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const GOLDEN = "fixtures/tiny-random/golden.json";
const run = (args: string[]) => promisify(execFile)("npx", ["tsx", "cli/translate.ts", ...args], { encoding: "utf8" });

describe("npm run translate", () => {
  const golden = JSON.parse(readFileSync(GOLDEN, "utf8"));

  it.each(["de", "zh"])("prints the golden %s translation of the golden clip", async (lang) => {
    const expected = golden.cases.find((c: { lang: string; variant: string }) => c.lang === lang && c.variant === "q4");
    const { stdout } = await run([golden.wav, "--to", lang, "--max-new-tokens", String(golden.max_new_tokens)]);
    expect(stdout.trim()).toBe(expected.text.trim());
  });

  it("writes JSON with ids and timings for each file", async () => {
    const { stdout } = await run([golden.wav, "--to", "de", "--json", "--variant", "fp32", "--max-new-tokens", String(golden.max_new_tokens)]);
    const result = JSON.parse(stdout);
    const expected = golden.cases.find((c: { lang: string; variant: string }) => c.lang === "de" && c.variant === "fp32");
    expect(result.variant).toBe("fp32");
    expect(result.utterances[0].ids).toEqual(expected.generated_ids);
    expect(result.utterances[0].timings.totalMs).toBeGreaterThan(0);
  });

  it("fails clearly on a file that is not a WAV", async () => {
    await expect(run(["package.json", "--to", "de"])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("package.json:") });
  });
});
