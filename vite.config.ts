import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

// Cross-origin isolation lets ONNX Runtime's WASM backend use threads
// (SharedArrayBuffer). Static hosts must send the same two headers.
const isolation = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

export default defineConfig({
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: "es" },
  // Pre-bundling would move ORT away from its .wasm file; serve it as published.
  optimizeDeps: { exclude: ["onnxruntime-web"] },
  build: { target: "es2022", chunkSizeWarningLimit: 30_000 },
  plugins: [
    VitePWA({
      registerType: "autoUpdate",
      injectRegister: null,
      manifest: {
        name: "Speech translator",
        short_name: "Translator",
        description: "On-device English speech to German or Chinese translation",
        theme_color: "#224488",
        icons: [],
      },
      workbox: {
        // App shell, ORT's wasm, the VAD model, the model list and the test clips (WAVs and
        // clips.json, for the Compare panel); the models' own files live in IndexedDB instead,
        // so every model folder is left out but models/index.json is kept ("models/*/**" would
        // drop it too: a trailing ** also matches zero folders).
        globPatterns: ["**/*.{js,mjs,css,html,wasm,onnx,wav,webmanifest}", "models/index.json", "test-clips/clips.json"],
        globIgnores: ["models/*/**/*"],
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        navigateFallbackDenylist: [/^\/models\//],
      },
    }),
  ],
});
