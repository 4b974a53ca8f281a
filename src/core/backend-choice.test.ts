import { describe, expect, it } from "vitest";
import { adapterFacts, autoDecision, classifyAdapter, decideFromMeasurement, decisionKey, hasJspi, isSoftwareAdapter, ortBuildFor, parsePreference } from "./backend-choice";

describe("adapter classification", () => {
  it("flags SwiftShader, llvmpipe, Microsoft Basic Render and fallback adapters as software", () => {
    expect(isSoftwareAdapter({ vendor: "google", architecture: "swiftshader", description: "SwiftShader Device (Subzero)" })).toBe(true);
    expect(isSoftwareAdapter({ vendor: "mesa", description: "llvmpipe (LLVM 15.0.6, 256 bits)" })).toBe(true);
    expect(isSoftwareAdapter({ vendor: "microsoft", description: "Microsoft Basic Render Driver" })).toBe(true);
    expect(isSoftwareAdapter({ vendor: "nvidia", architecture: "ampere", isFallbackAdapter: true })).toBe(true);
  });
  it("takes a discrete or integrated GPU as real", () => {
    expect(classifyAdapter({ vendor: "nvidia", architecture: "ampere" })).toEqual({ kind: "real", adapter: "nvidia / ampere" });
    expect(classifyAdapter({ vendor: "apple", architecture: "metal-3", isFallbackAdapter: false }).kind).toBe("real");
    expect(classifyAdapter({ vendor: "intel", architecture: "gen-12lp" }).kind).toBe("real");
  });
  it("no adapter is 'none' with the reason", () => {
    expect(classifyAdapter(null, "no navigator.gpu")).toEqual({ kind: "none", why: "no navigator.gpu" });
  });
});

describe("Auto", () => {
  const real = { kind: "real", adapter: "nvidia / ampere" } as const;
  it("never picks a software adapter, and says why", () => {
    const decision = autoDecision({ kind: "software", adapter: "google / swiftshader" }, null);
    expect(decision).toMatchObject({ backend: "wasm" });
    expect((decision as { reason: string }).reason).toContain("software emulation");
  });
  it("uses WASM without WebGPU", () => {
    expect(autoDecision({ kind: "none", why: "no navigator.gpu" }, null)).toMatchObject({ backend: "wasm" });
  });
  it("measures on a real GPU unless a decision is remembered", () => {
    expect(autoDecision(real, null)).toBe("measure");
    const remembered = { backend: "webgpu" as const, reason: "measured" };
    expect(autoDecision(real, remembered)).toBe(remembered);
    expect(autoDecision(real, remembered, true)).toBe("measure");
    expect(autoDecision({ kind: "software", adapter: "swiftshader" }, null, true)).toBe("measure");
  });
  it("the faster backend wins the measurement, with both times in the reason", () => {
    expect(decideFromMeasurement({ webgpuMs: 120, wasmMs: 300 }, "nvidia").backend).toBe("webgpu");
    const small = decideFromMeasurement({ webgpuMs: 400, wasmMs: 250 }, "intel");
    expect(small.backend).toBe("wasm");
    expect(small.reason).toContain("250 ms");
    expect(small.reason).toContain("400 ms");
  });
  it("remembers per model version and adapter; parses the preference", () => {
    expect(decisionKey("student", "1", "a")).not.toBe(decisionKey("student", "2", "a"));
    expect(decisionKey("student", "1", "a")).not.toBe(decisionKey("student", "1", "b"));
    expect(parsePreference("auto")).toBe("auto");
    expect(parsePreference("cuda")).toBeNull();
  });
});

describe("adapterFacts", () => {
  it("reads isFallbackAdapter from the info, else from the adapter", () => {
    expect(adapterFacts({ info: { vendor: "google", isFallbackAdapter: true } }).isFallbackAdapter).toBe(true);
    expect(adapterFacts({ info: { vendor: "google" }, isFallbackAdapter: true }).isFallbackAdapter).toBe(true);
    expect(adapterFacts({ info: { vendor: "nvidia" } })).toEqual({ vendor: "nvidia", architecture: undefined, device: undefined, description: undefined });
  });
});

describe("onnxruntime-web build per backend", () => {
  it("WASM runs the WASM-only build, with or without JSPI", () => {
    expect(ortBuildFor("wasm", true)).toBe("wasm");
    expect(ortBuildFor("wasm", false)).toBe("wasm");
  });
  it("WebGPU runs the JSPI build where the browser has JSPI, else the Asyncify build", () => {
    expect(ortBuildFor("webgpu", true)).toBe("jspi");
    expect(ortBuildFor("webgpu", false)).toBe("asyncify");
  });
  it("JSPI needs both WebAssembly.Suspending and WebAssembly.promising", () => {
    const fn = () => undefined;
    expect(hasJspi({ Suspending: fn, promising: fn })).toBe(true);
    expect(hasJspi({ Suspending: fn })).toBe(false);
    expect(hasJspi({})).toBe(false);
  });
});
