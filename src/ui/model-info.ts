// The model panel's facts: size on disk per variant, parameter counts, decoder depth, and the
// evaluation figures from the manifest (system × BLEU / chrF for German and Chinese).
import { formatBytes } from "../core/errors";
import { EVAL_LANGUAGES, type ModelInfo } from "../core/model-info";

const cell = (tag: "td" | "th", text: string, attrs: Record<string, string> = {}) => {
  const element = Object.assign(document.createElement(tag), { textContent: text });
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  return element;
};
const count = (n: number) => n.toLocaleString("en-US");

/** `loadedVariant` marks the variant the worker runs (absent before the model is loaded). */
export function renderModelInfo(container: HTMLElement, info: ModelInfo, loadedVariant?: string): void {
  const title = Object.assign(document.createElement("h2"), { textContent: `${info.id} (version ${info.version})` });

  const sizes = document.createElement("table");
  sizes.dataset.testid = "model-sizes";
  sizes.createTHead().insertRow().append(cell("th", "variant"), cell("th", "graphs"), cell("th", "on disk (graphs + tokenizer and configs)"));
  const sizeRows = sizes.createTBody();
  for (const v of info.variants) {
    const row = sizeRows.insertRow();
    row.dataset.variant = v.name;
    const marks = [v.isDefault ? "default" : "", ...v.backends.map((b) => `${b === "wasm" ? "WASM" : "WebGPU"}'s`), v.name === loadedVariant ? "loaded" : ""].filter(Boolean);
    row.append(
      cell("th", marks.length ? `${v.name} (${marks.join(", ")})` : v.name),
      cell("td", formatBytes(v.graphBytes), { "data-bytes": String(v.graphBytes), title: `${count(v.graphBytes)} bytes` }),
      cell("td", formatBytes(v.storedBytes), { "data-bytes": String(v.storedBytes), title: `${count(v.storedBytes)} bytes` }),
    );
  }

  const parameters = document.createElement("p");
  parameters.dataset.testid = "model-parameters";
  parameters.textContent = info.parameters.length
    ? `Parameters: ${info.parameters.map((p) => `${p.name} ${count(p.count)}`).join(" · ")}`
    : "Parameters: not in the manifest";

  const layers = document.createElement("p");
  layers.dataset.testid = "model-layers";
  layers.textContent = `Decoder: ${info.decoderLayers} layers, hidden size ${count(info.hiddenSize)}`;

  let evaluation: HTMLElement;
  if (info.evaluation.length === 0) {
    evaluation = Object.assign(document.createElement("p"), { textContent: "Evaluation: no figures in the manifest (metrics is empty until `compress eval` runs)." });
  } else {
    evaluation = document.createElement("table");
    const header = (evaluation as HTMLTableElement).createTHead().insertRow();
    header.append(cell("th", "split"), cell("th", "system"));
    for (const lang of EVAL_LANGUAGES) {
      const variant = info.evaluation.find((r) => r[lang])?.[lang]?.chrfVariant ?? "chrF";
      header.append(cell("th", `BLEU ${lang}`), cell("th", `${variant} ${lang}`));
    }
    const body = (evaluation as HTMLTableElement).createTBody();
    for (const row of info.evaluation) {
      const tr = body.insertRow();
      tr.dataset.system = row.system;
      tr.append(cell("td", row.split), cell("td", row.system));
      for (const lang of EVAL_LANGUAGES) {
        const scores = row[lang];
        tr.append(cell("td", scores ? scores.bleu.toFixed(2) : "—"), cell("td", scores ? scores.chrf.toFixed(2) : "—"));
      }
    }
  }
  evaluation.dataset.testid = "model-eval";

  container.replaceChildren(title, sizes, parameters, layers, evaluation);
  container.hidden = false;
}
