// The list of finished utterances: rendering, copy and export.

export interface TranscriptLine {
  utteranceId: number;
  /** When the speech started (ms since epoch). */
  startedAt: number;
  lang: string;
  text: string;
  ids: number[];
  backend: string;
  source: "mic" | "file";
}

export class Transcript {
  readonly lines: TranscriptLine[] = [];
  constructor(private readonly list: HTMLOListElement) {}

  add(line: TranscriptLine): void {
    this.lines.push(line);
    const item = document.createElement("li");
    const time = document.createElement("time");
    time.dateTime = new Date(line.startedAt).toISOString();
    time.textContent = new Date(line.startedAt).toLocaleTimeString();
    const text = document.createElement("span");
    text.dataset.testid = "translation-final";
    text.dataset.ids = line.ids.join(",");
    text.dataset.utterance = String(line.utteranceId);
    text.lang = line.lang;
    text.textContent = line.text;
    item.append(time, text);
    this.list.append(item);
  }

  asText(): string {
    return this.lines.map((l) => `[${new Date(l.startedAt).toISOString()}] ${l.text}`).join("\n");
  }

  asJson(): string {
    return JSON.stringify(this.lines, null, 2);
  }
}

export function download(filename: string, contents: string, type: string): void {
  const url = URL.createObjectURL(new Blob([contents], { type }));
  const link = Object.assign(document.createElement("a"), { href: url, download: filename });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
