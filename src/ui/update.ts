// Service worker: the offline app shell, and new versions. A new build never reloads the page by
// itself (that would wipe the transcript and stop the microphone): the page shows "Reload now",
// and only the tab where it is pressed reloads. Another tab that took the update says so instead.
import { registerSW } from "virtual:pwa-register";
import { messageSW } from "workbox-window";

export interface UpdateHooks {
  /** The app shell is precached (with the model stored, the app works offline). */
  onShellCached: () => void;
  banner: HTMLElement;
  text: HTMLElement;
  reload: HTMLButtonElement;
  later: HTMLButtonElement;
  /** True while reloading would lose something (a transcript, a running microphone). */
  hasWork: () => boolean;
}

export function startServiceWorker(hooks: UpdateHooks): void {
  if (!("serviceWorker" in navigator)) return;
  let reloadAsked = false;
  let takenOver = false;
  const updateSW = registerSW({
    immediate: true,
    onOfflineReady: hooks.onShellCached,
    onRegisteredSW: (_url, registration) => {
      if (registration?.active && navigator.serviceWorker.controller) hooks.onShellCached();
    },
    onNeedRefresh: () => {
      hooks.text.textContent = hooks.hasWork()
        ? "A new version of the app is ready. Reloading clears the transcript: copy or export it first."
        : "A new version of the app is ready.";
      hooks.banner.hidden = false;
    },
    // The new version took over (here or in another tab): reload only when asked to here.
    onNeedReload: () => {
      if (reloadAsked) location.reload();
      else {
        takenOver = true;
        hooks.text.textContent = "The app was updated in another tab. Reload when convenient to use the new version.";
        hooks.banner.hidden = false;
      }
    },
  });
  hooks.reload.addEventListener("click", async () => {
    reloadAsked = true;
    const waiting = (await navigator.serviceWorker.getRegistration())?.waiting;
    if (takenOver || !waiting) {
      location.reload();
      return;
    }
    // A page the old worker does not control (the first visit's) hears no controllerchange: reload
    // once the new worker is active.
    waiting.addEventListener("statechange", () => waiting.state === "activated" && location.reload());
    void updateSW(true);
  });
  hooks.later.addEventListener("click", () => (hooks.banner.hidden = true));
}

/** Asks the service worker to keep `urls` for offline use (Workbox's CACHE_URLS message: each URL
 * goes through its route, as a fetch would), for what a worker fetched before the service worker
 * controlled it, such as the first visit's WebGPU build. Resolves once they are stored: Workbox
 * answers when the responses exist, and stores them after that. */
export async function keepForOffline(urls: string[]): Promise<void> {
  const registration = "serviceWorker" in navigator ? await navigator.serviceWorker.getRegistration() : undefined;
  if (!registration) throw new Error("no service worker"); // the dev server, or a browser without one
  const worker = registration.active ?? (await navigator.serviceWorker.ready).active;
  if (!worker) throw new Error("no active service worker");
  // Workbox answers only when every fetch succeeded (none, offline): the stored entries decide.
  void messageSW(worker, { type: "CACHE_URLS", payload: { urlsToCache: urls } });
  for (const url of urls) {
    for (let waited = 0; !(await caches.match(url)); waited += 250) {
      if (waited > 600_000) throw new Error(`the service worker did not store ${url}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
