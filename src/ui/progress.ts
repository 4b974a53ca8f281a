// Download progress with speed and ETA, from the worker's byte counts.
import { formatBytes } from "../core/errors";
import type { LoadProgress } from "../worker-api";

export class ProgressView {
  private started = 0;
  private startLoaded = 0;

  constructor(
    private readonly box: HTMLElement,
    private readonly bar: HTMLProgressElement,
    private readonly text: HTMLElement,
    private readonly files: HTMLUListElement,
  ) {}

  start(): void {
    this.started = performance.now();
    this.startLoaded = -1;
    this.box.hidden = false;
  }

  update(p: LoadProgress): void {
    if (this.startLoaded < 0) this.startLoaded = p.loaded;
    const seconds = (performance.now() - this.started) / 1000;
    const speed = seconds > 0 ? (p.loaded - this.startLoaded) / seconds : 0;
    const eta = speed > 0 ? (p.total - p.loaded) / speed : Infinity;
    this.bar.max = Math.max(p.total, 1);
    this.bar.value = p.loaded;
    this.text.textContent = `${formatBytes(p.loaded)} of ${formatBytes(p.total)}, ${formatBytes(speed)}/s, ETA ${Number.isFinite(eta) ? `${eta.toFixed(0)} s` : "—"}`;
    this.files.replaceChildren(
      ...p.files.map((f) => Object.assign(document.createElement("li"), { textContent: `${f.path}: ${formatBytes(f.loaded)} / ${formatBytes(f.total)}` })),
    );
  }

  finish(): void {
    this.box.hidden = true;
  }
}
