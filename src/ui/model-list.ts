// The Model select, filled from public/models/index.json. Every listed model's manifest is
// looked up first; one that is missing (not exported yet) or broken stays in the list, disabled,
// with the reason next to it, and the page starts on the default or else the first usable model.
// Test fixtures (role "fixture") are listed only when asked for (`?model=<fixture>` or `?dev=1`).
import { formatBytes } from "../core/errors";
import { filesForVariant } from "../core/manifest";
import { REGISTRY_PATH, parseRegistry, probeModel, type ModelAvailability, type RegistryEntry } from "../core/registry";

export interface ListedModel {
  entry: RegistryEntry;
  /** Folder URL ending in "/". */
  baseUrl: string;
  availability: ModelAvailability;
}

export const CUSTOM_MODEL = "custom";

export class ModelList {
  private readonly models = new Map<string, ListedModel>();
  /** Set when index.json itself could not be read; the page then only offers "Model at a URL…". */
  loadError: string | null = null;
  /** Says which model the page started with when the default was unavailable. */
  private fallbackNote: string | null = null;
  /** Called after availability changed (the Compare panel lists the same models). */
  onChange: () => void = () => {};

  constructor(
    private readonly select: HTMLSelectElement,
    private readonly notes: HTMLUListElement,
    private readonly cachedManifest: (id: string, baseUrl: string) => Promise<unknown>,
    private readonly showFixtures: boolean,
  ) {}

  async load(): Promise<void> {
    const url = new URL(REGISTRY_PATH, document.baseURI).href;
    let entries: RegistryEntry[] = [];
    try {
      // Served from the service worker's precache when offline.
      const response = await fetch(url, { cache: "no-store" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      entries = parseRegistry(await response.json().catch(() => Promise.reject(new Error("not JSON")))).filter((e) => e.role !== "fixture" || this.showFixtures);
      this.loadError = null;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.loadError = detail.startsWith("Malformed model list") ? detail : `Could not read the model list ${url}: ${detail}`;
    }
    const listed = await Promise.all(entries.map((entry) => this.probe(entry)));
    this.models.clear();
    for (const model of listed) this.models.set(model.entry.id, model);
    this.render();
  }

  /** Looks for the model's manifest again (it may have been exported, or the network may be back). */
  async recheck(id: string): Promise<ListedModel | undefined> {
    const current = this.models.get(id);
    if (!current) return undefined;
    const model = await this.probe(current.entry);
    this.models.set(id, model);
    this.render();
    return model;
  }

  noteFallback(text: string): void {
    this.fallbackNote = text;
    this.render();
  }

  get(id: string): ListedModel | undefined {
    return this.models.get(id);
  }

  entries(): RegistryEntry[] {
    return [...this.models.values()].map((m) => m.entry);
  }

  isAvailable = (id: string): boolean => this.models.get(id)?.availability.available === true;

  private async probe(entry: RegistryEntry): Promise<ListedModel> {
    const baseUrl = new URL(`models/${entry.id}/`, document.baseURI).href;
    const availability = await probeModel(baseUrl, (u, init) => fetch(u, init), () => this.cachedManifest(entry.id, baseUrl));
    return { entry, baseUrl, availability };
  }

  private render(): void {
    const selected = this.select.value;
    const options = [...this.models.values()].map(({ entry, availability }) => {
      const option = new Option(availability.available ? `${entry.label}, ${formatBytes(downloadBytes(availability.manifest))}` : `${entry.label} (unavailable)`, entry.id);
      option.disabled = !availability.available;
      option.dataset.role = entry.role;
      if (!availability.available) option.title = availability.reason;
      return option;
    });
    this.select.replaceChildren(...options, new Option("Model at a URL…", CUSTOM_MODEL));
    if (selected) this.select.value = selected;
    const note = (testid: string, text: string) => {
      const item = Object.assign(document.createElement("li"), { textContent: text });
      item.dataset.testid = testid;
      return item;
    };
    this.notes.replaceChildren(
      ...(this.loadError ? [note("model-list-error", this.loadError)] : []),
      ...(this.fallbackNote ? [note("model-fallback", this.fallbackNote)] : []),
      ...[...this.models.values()].flatMap(({ entry, availability }) => {
        if (availability.available) return [];
        const item = note("model-unavailable", `${entry.label}: ${availability.reason}`);
        item.dataset.model = entry.id;
        return [item];
      }),
    );
    this.onChange();
  }
}

/** What loading the model's default variant downloads: its graphs, tokenizer and configs. */
function downloadBytes(manifest: Extract<ModelAvailability, { available: true }>["manifest"]): number {
  return filesForVariant(manifest, manifest.default_variant).reduce((n, f) => n + f.bytes, 0);
}
