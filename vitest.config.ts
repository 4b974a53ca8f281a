import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "cli/**/*.test.ts"],
    environment: "node",
    // The generation test loads ONNX sessions; give it room on a 2-core machine.
    testTimeout: 120_000,
  },
});
