// The example phrases the page offers, read from docs/vocabulary.md (written by the toolkit's
// phrasebook generator from the same templates the model was trained on): the "## Topics"
// section, one "### <topic>" table of English | German | Chinese examples per topic.

export interface ExamplePhrase {
  en: string;
  de: string;
  zh: string;
}

export interface PhrasebookTopic {
  title: string;
  examples: ExamplePhrase[];
}

const cells = (line: string) => line.trim().replace(/^\||\|$/g, "").split("|").map((c) => c.trim());

/** Topics in document order; throws when the section is missing (the doc's format changed). */
export function parsePhrasebookTopics(markdown: string): PhrasebookTopic[] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => l.trim() === "## Topics");
  if (start < 0) throw new Error('docs/vocabulary.md has no "## Topics" section');
  const topics: PhrasebookTopic[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("## ")) break;
    if (line.startsWith("### ")) topics.push({ title: line.slice(4).trim(), examples: [] });
    else if (topics.length > 0 && line.startsWith("|") && !/^\|\s*(English|-)/.test(line)) {
      const [en, de, zh] = cells(line);
      if (en && de && zh) topics.at(-1)!.examples.push({ en, de, zh });
    }
  }
  if (topics.length === 0) throw new Error("docs/vocabulary.md lists no topics");
  return topics;
}

/** "directions and places, transport and tickets, … and weather": what the model covers, for a hint. */
export function coverageSentence(topics: readonly PhrasebookTopic[]): string {
  const names = topics.map((t) => t.title.toLowerCase());
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : (names[0] ?? "");
}
