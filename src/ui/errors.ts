// Errors in plain words, next to the control that failed, each saying what to do next. One
// element (data-testid="error", role="alert") moves to the failing control's slot, so a screen
// reader hears it and the eye finds it where the action was; the technical detail stays below.
import { h } from "./dom";

export type ErrorPlace = "model" | "mic" | "file" | "samples" | "bench" | "compare" | "storage";

export interface ErrorAction {
  label: string;
  run: () => void;
}

interface Explained {
  /** What happened, in plain words. */
  summary: string;
  /** What to do next. */
  next: string;
}

const message = (error: unknown) => (error instanceof Error ? error.message || error.name : String(error));
const codeOf = (error: unknown) => (typeof error === "object" && error !== null && "code" in error ? String((error as { code: unknown }).code) : "");

/** A download cut short (connection lost or stalled): what was stored is kept, and a retry resumes. */
export const isInterruptedDownload = (error: unknown) => /download interrupted|connection ended after|went offline|no data for 20 s/.test(message(error));

/** Plain words for an error, from its code (AppError, or the code carried over comlink) and message. */
export function explain(error: unknown): Explained {
  const text = message(error);
  const code = codeOf(error);
  if (isInterruptedDownload(error)) {
    return { summary: "The download stopped: the connection was lost.", next: "What was downloaded is kept. Resume when you are back online." };
  }
  if (code === "network" || /^Could not download/.test(text)) {
    return { summary: "The model could not be downloaded.", next: "Check the connection (or the model URL) and try again." };
  }
  if (code === "quota" || /QuotaExceeded|Not enough storage/.test(text)) {
    return { summary: "This device has no room left for the model.", next: "Free some space (the Storage view lists stored models), then load again." };
  }
  if (/is not in the model list/.test(text)) return { summary: "There is no model by that name.", next: "Choose a model from the list, or give the folder URL of one." };
  if (/Not exported yet|No bundled model is available|Could not read the model list/.test(text)) {
    return { summary: "That model is not available here.", next: "Choose another model from the list, or give the folder URL of one." };
  }
  if (/is not JSON/.test(text)) {
    return { summary: "There is no model at that address: the server sent something other than a manifest.json.", next: "Check the model URL (it is the folder holding manifest.json), or choose a bundled model." };
  }
  if (code === "manifest" || /Malformed manifest/.test(text)) {
    return { summary: "The model folder is not a model this app can read.", next: "Check the model URL, or choose a bundled model." };
  }
  if (code === "integrity") return { summary: "A downloaded file was damaged.", next: "It was deleted; load the model again to download it afresh." };
  if (code === "mic") return { summary: "The microphone could not start.", next: "Try a sample or translate a recording instead, or fix the microphone and press the button again." };
  if (code === "not-audio" && /No speech/.test(text)) return { summary: "No speech was found in the recording.", next: "Try a recording with someone speaking English." };
  if (code === "not-audio") return { summary: "That file is not audio this browser can play.", next: "Choose a WAV, MP3, OGG or WebM recording." };
  if (code === "audio-too-long") return { summary: "The recording is too long for one translation.", next: "It is split into pieces automatically; try again." };
  if (code === "model-not-loaded") return { summary: "No model is loaded yet.", next: "Wait for the model to load, or press Load model." };
  if (/WebGPU/.test(text)) return { summary: "WebGPU could not be used.", next: "The translator runs on WASM (the CPU) instead; nothing to do." };
  return { summary: "Something went wrong.", next: "Try again; if it happens again, reload the page." };
}

export class ErrorView {
  private readonly element: HTMLElement;

  constructor(element: HTMLElement) {
    this.element = element;
  }

  /** Shows `error` in the slot of `place`; `action` adds a button (e.g. Resume download). */
  show(error: unknown, place: ErrorPlace, action?: ErrorAction): void {
    const { summary, next } = explain(error);
    const slot = document.querySelector(`[data-error-slot="${place}"]`);
    if (slot && this.element.parentElement !== slot) slot.append(this.element);
    const button = action ? h("button", { type: "button", "data-testid": "error-action" }, action.label) : null;
    button?.addEventListener("click", () => {
      this.clear();
      action!.run();
    });
    this.element.replaceChildren(h("p", {}, h("strong", {}, summary), " ", next), h("small", {}, message(error)), ...(button ? [button] : []));
    this.element.dataset.place = place;
    this.element.hidden = false;
  }

  clear(place?: ErrorPlace): void {
    if (place && this.element.dataset.place !== place) return;
    this.element.hidden = true;
    this.element.replaceChildren();
  }
}
