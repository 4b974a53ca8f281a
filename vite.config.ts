import { defineConfig, type Plugin } from "vite";
import { VitePWA } from "vite-plugin-pwa";

// Cross-origin isolation lets ONNX Runtime's WASM backend use threads
// (SharedArrayBuffer). Static hosts must send the same two headers.
const isolation = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

/**
 * The app's Content-Security-Policy: everything from its own origin, no inline script, and
 * nothing sent anywhere else (connect-src 'self': audio and text cannot leave the page).
 * 'wasm-unsafe-eval' lets onnxruntime-web and hash-wasm compile their WebAssembly; nothing else
 * is evaluated. Models hosted on another origin need that origin added to connect-src.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join("; ");

// The dev server injects styles and talks to its HMR websocket; only `vite` (never a build) relaxes these two.
const DEV_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace("connect-src 'self'", "connect-src 'self' ws: wss:");

/** The policy as a <meta> tag in the built page, for static hosts that cannot send headers. */
const cspMeta = (): Plugin => ({
  name: "csp-meta",
  apply: "build",
  transformIndexHtml: () => [{ tag: "meta", attrs: { "http-equiv": "Content-Security-Policy", content: CONTENT_SECURITY_POLICY }, injectTo: "head-prepend" }],
});

/**
 * transformers.js (the app's tokenizer and log-mel features) imports onnxruntime-web's WebGPU build,
 * and its spectrogram runs one MatMul session on it: resolved to the WASM-only build instead, the
 * one every page has (src/runtime/backend.ts), so that no page fetches the 27 MB Asyncify binary
 * for that MatMul. For the workers' bundles (worker.plugins) and the dev server, which serves them
 * unbundled (plugins).
 */
const transformersOnWasmBuild = (): Plugin => ({
  name: "transformers-on-wasm-build",
  enforce: "pre",
  resolveId(source, importer, options) {
    // The importer is transformers.js's own file, or its pre-bundled copy under the dev server.
    if (source !== "onnxruntime-web/webgpu" || !importer || !/\/@huggingface[/_]transformers/.test(importer)) return null;
    return this.resolve("onnxruntime-web/wasm", importer, { ...options, skipSelf: true });
  },
});

/** onnxruntime-web's binaries that host WebGPU (src/runtime/backend.ts): JSPI's and Asyncify's. */
const WEBGPU_BUILDS = ["ort-wasm-simd-threaded.jspi", "ort-wasm-simd-threaded.asyncify"];

export default defineConfig({
  server: { headers: { ...isolation, "Content-Security-Policy": DEV_POLICY } },
  preview: { headers: { ...isolation, "Content-Security-Policy": CONTENT_SECURITY_POLICY } },
  worker: { format: "es", plugins: () => [transformersOnWasmBuild()] },
  // Pre-bundling would move ORT away from its .wasm file; serve it as published.
  optimizeDeps: { exclude: ["onnxruntime-web"] },
  build: { target: "es2022", chunkSizeWarningLimit: 30_000 },
  plugins: [
    transformersOnWasmBuild(),
    cspMeta(),
    VitePWA({
      // A new build waits for the visitor: the page offers "Reload" and never reloads by itself
      // (a reload would drop the transcript and stop the microphone).
      registerType: "prompt",
      injectRegister: null,
      manifest: {
        name: "Speech translator",
        short_name: "Translator",
        description: "Speak English travel phrases, read them in German or Chinese. Runs on this device; nothing is uploaded.",
        theme_color: "#1d4ed8",
        background_color: "#ffffff",
        display: "standalone",
        start_url: "./",
        scope: "./",
        icons: [
          { src: "icons/icon-192.png", sizes: "192x192", type: "image/png" },
          { src: "icons/icon-512.png", sizes: "512x512", type: "image/png" },
          { src: "icons/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
          { src: "icons/icon.svg", sizes: "any", type: "image/svg+xml" },
        ],
      },
      workbox: {
        // App shell, ORT's WASM-only build (every page can fall back to it), the VAD model, icons,
        // the model list and the test clips (WAVs and clips.json, for the samples and the Compare
        // panel); the models' own files live in IndexedDB instead, so every model folder is left
        // out but models/index.json is kept ("models/*/**" would drop it too: a trailing ** also
        // matches zero folders).
        globPatterns: ["**/*.{js,mjs,css,html,wasm,onnx,wav,webmanifest,png,svg}", "models/index.json", "test-clips/clips.json"],
        globIgnores: ["models/*/**/*", ...WEBGPU_BUILDS.map((build) => `assets/${build}-*.wasm`)],
        // ORT's builds that host WebGPU (17 and 27 MB), only for the browsers that run one: kept on
        // their first use, so the page works offline on the backend it has run on.
        runtimeCaching: [
          {
            urlPattern: new RegExp(`/assets/(${WEBGPU_BUILDS.map((b) => b.replaceAll(".", "\\.")).join("|")})-[\\w-]+\\.wasm$`),
            handler: "CacheFirst",
            options: {
              cacheName: "ort-webgpu-builds",
              // Names carry a content hash: a new release's binary is a new entry, and the old one goes.
              expiration: { maxEntries: WEBGPU_BUILDS.length },
              cacheableResponse: { statuses: [200] },
            },
          },
        ],
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        navigateFallbackDenylist: [/^\/models\//],
      },
    }),
  ],
});
