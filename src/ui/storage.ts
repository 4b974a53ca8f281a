// The Storage view: each model stored in IndexedDB by name, version and variant with its size,
// delete (after confirming), the browser's storage estimate, and whether storage is persistent
// (the page asks for it after the first complete download).
import { formatBytes } from "../core/errors";
import type { CachedModelInfo } from "../worker-api";
import { h } from "./dom";

export async function persistenceText(): Promise<string> {
  if (!navigator.storage?.persisted) return "This browser does not say whether storage is persistent.";
  return (await navigator.storage.persisted())
    ? "Storage is persistent: the browser will not delete the models to free space."
    : "Storage is not persistent yet: the browser may delete the models when space runs low (the app asks after the first complete download).";
}

export async function usageText(): Promise<string> {
  const estimate = await navigator.storage?.estimate?.();
  return estimate?.usage !== undefined && estimate.quota !== undefined ? `This site uses ${formatBytes(estimate.usage)} of ${formatBytes(estimate.quota)} available.` : "";
}

/** `label(id)` is the model list's name for an id; `onDelete` runs after the visitor confirmed. */
export function renderCachedModels(list: HTMLElement, models: readonly CachedModelInfo[], label: (id: string) => string, onDelete: (id: string) => Promise<void>): void {
  list.replaceChildren(
    ...models.map((m) => {
      const name = label(m.id);
      const remove = h("button", { type: "button", "aria-label": `Delete ${name} from this device` }, "Delete…");
      const confirm = h("div", { class: "question", hidden: "" },
        h("p", {}, `Delete ${name} (${formatBytes(m.storedBytes)}) from this device? It downloads again the next time it is used.`),
      );
      const yes = h("button", { type: "button", "data-testid": "confirm-delete" }, "Delete");
      const no = h("button", { type: "button" }, "Keep");
      confirm.append(yes, " ", no);
      remove.addEventListener("click", () => {
        confirm.hidden = false;
        no.focus();
      });
      no.addEventListener("click", () => {
        confirm.hidden = true;
        remove.focus();
      });
      yes.addEventListener("click", () => void onDelete(m.id));
      const variants = m.variants.map((v) => `${v.name} ${v.complete ? `stored (${formatBytes(v.bytes)})` : "not stored"}`).join(" · ");
      const item = h("li", { "data-testid": "cached-model", "data-model": m.id },
        h("strong", {}, name), ` version ${m.version}: ${formatBytes(m.storedBytes)} `, remove,
        h("p", { class: "muted" }, `Variants: ${variants}`), confirm,
      );
      return item;
    }),
  );
}
