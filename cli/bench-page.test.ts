import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { onnxruntimeVersions } from "./bench-page";

describe("bench files name the onnxruntime they ran", () => {
  it("reports the installed onnxruntime-node and onnxruntime-web, which are the releases package.json pins", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8"));
    expect(onnxruntimeVersions()).toBe(
      `onnxruntime-node ${pkg.devDependencies["onnxruntime-node"]}, onnxruntime-web ${pkg.dependencies["onnxruntime-web"]}`,
    );
  });
});
