// Where every bench writes its figures: bench/results/<its ISO date, ":" and "." as "-">[-kind].json, with the
// .md table beside it, so each figure in the docs can be traced to a committed file.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Writes `report` as JSON (and `md`, when given, beside it); returns the path without extension. */
export async function writeBenchResult(date: string, kind: string, report: unknown, md?: string): Promise<string> {
  const stem = join("bench/results", `${date.replace(/[:.]/g, "-")}${kind ? `-${kind}` : ""}`);
  await mkdir("bench/results", { recursive: true });
  await writeFile(`${stem}.json`, `${JSON.stringify(report, null, 2)}\n`);
  if (md !== undefined) await writeFile(`${stem}.md`, md);
  return stem;
}
