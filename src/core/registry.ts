// The bundled-model registry, public/models/index.json: which folders under public/models/
// the app offers, with a label, a role and one default. A listed model whose folder or manifest is
// missing (not exported yet, or a host that answers missing files with index.html) is reported as
// unavailable with the reason, so the page can show it disabled instead of failing to start.
import { z } from "zod";
import { AppError } from "./errors";
import { parseManifest, type Manifest } from "./manifest";

export const REGISTRY_PATH = "models/index.json";

const entrySchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]+$/, "expected a folder name under public/models/ (letters, digits, '.', '_' or '-')"),
  label: z.string().min(1),
  role: z.enum(["student", "teacher", "fixture"]),
  default: z.literal(true).optional(),
});
const registrySchema = z.array(entrySchema).min(1, "expected at least one model");

export type RegistryEntry = z.infer<typeof entrySchema>;
export type ModelRole = RegistryEntry["role"];

export class RegistryError extends AppError {
  constructor(message: string) {
    super("registry", `Malformed model list (${REGISTRY_PATH}): ${message}`);
    this.name = "RegistryError";
  }
}

/** Parses index.json; throws RegistryError naming every problem. */
export function parseRegistry(json: unknown): RegistryEntry[] {
  const result = registrySchema.safeParse(json);
  if (!result.success) {
    throw new RegistryError(result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; "));
  }
  const problems: string[] = [];
  const ids = result.data.map((e) => e.id);
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (repeated.length > 0) problems.push(`listed twice: ${[...new Set(repeated)].join(", ")}`);
  const defaults = result.data.filter((e) => e.default);
  if (defaults.length > 1) problems.push(`more than one "default": true (${defaults.map((e) => e.id).join(", ")})`);
  if (problems.length > 0) throw new RegistryError(problems.join("; "));
  return result.data;
}

/** The entry marked `"default": true`, else the first (undefined for an empty list: index.json could not be read). */
export function defaultEntry(entries: readonly RegistryEntry[]): RegistryEntry | undefined {
  return entries.find((e) => e.default) ?? entries[0];
}

/**
 * The model the page starts with: the default when it is available, else the first available
 * entry (so a registry that already names a model still being exported keeps the app usable).
 */
export function startingEntry(entries: readonly RegistryEntry[], isAvailable: (id: string) => boolean): RegistryEntry | undefined {
  const preferred = defaultEntry(entries);
  return preferred && isAvailable(preferred.id) ? preferred : entries.find((e) => isAvailable(e.id));
}

/**
 * The Compare panel's default pair: student vs teacher when both are available, otherwise two
 * different available entries, otherwise the one available entry twice (a self-comparison, only
 * useful to test the panel). Undefined when nothing is available.
 */
export function defaultComparePair(entries: readonly RegistryEntry[], isAvailable: (id: string) => boolean): [RegistryEntry, RegistryEntry] | undefined {
  const available = entries.filter((e) => isAvailable(e.id));
  const student = available.find((e) => e.role === "student");
  const teacher = available.find((e) => e.role === "teacher");
  if (student && teacher) return [student, teacher];
  const [first, second] = available;
  if (!first) return undefined;
  return [first, second ?? first];
}

export type ModelAvailability =
  | { available: true; manifest: Manifest; /** The network was unreachable; this is the copy stored with the downloaded files. */ offline: boolean }
  | { available: false; reason: string };

/**
 * Looks for a model's manifest.json. `cached` gives the manifest stored with a previous download
 * (IndexedDB), used when the network is unreachable. Never throws: every failure is a reason.
 */
export async function probeModel(
  baseUrl: string,
  fetchFn: (url: string, init?: RequestInit) => Promise<Response>,
  cached: () => Promise<unknown>,
): Promise<ModelAvailability> {
  const url = new URL("manifest.json", baseUrl).href;
  let response: Response;
  try {
    response = await fetchFn(url, { cache: "no-store" });
  } catch (error) {
    const stored = await cached().catch(() => undefined);
    if (stored) {
      try {
        return { available: true, manifest: parseManifest(stored), offline: true };
      } catch {
        // A stored manifest the current contract rejects is as good as none.
      }
    }
    return { available: false, reason: `Offline, and not downloaded before (${url}: ${error instanceof Error ? error.message : String(error)})` };
  }
  if (!response.ok) return { available: false, reason: `Not exported yet: ${url} answers HTTP ${response.status}` };
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Single-page-app hosts (vite preview among them) answer a missing file with index.html.
    const html = (response.headers.get("content-type") ?? "").includes("text/html") || /^\s*<(!doctype|html)/i.test(text);
    return { available: false, reason: html ? `Not exported yet: ${url} is not JSON (the server sent an HTML page, as it does for a missing file)` : `Malformed manifest: ${url} is not JSON` };
  }
  try {
    return { available: true, manifest: parseManifest(json), offline: false };
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
