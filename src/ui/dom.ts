// The page's one DOM helper: an element with attributes and children. (The page is small and
// mostly static HTML; a UI library would add more than it saves, see docs/browser-app.md.)

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) element.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

export const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** A table that scrolls inside itself on narrow screens instead of widening the page. */
export const scrollable = (table: HTMLTableElement) => h("div", { class: "table-wrap" }, table);

export function download(filename: string, contents: string, type: string): void {
  const url = URL.createObjectURL(new Blob([contents], { type }));
  const link = Object.assign(document.createElement("a"), { href: url, download: filename });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
