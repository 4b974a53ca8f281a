// The views (Translate, About the model, Benchmark, Compare, Storage) as hash routes, so they work
// offline and on any static host. Switching moves focus to the view's heading (never to the body).

export type ViewName = "translate" | "about" | "benchmark" | "compare" | "storage";
const VIEWS: ViewName[] = ["translate", "about", "benchmark", "compare", "storage"];

export function currentView(): ViewName {
  const name = location.hash.slice(1) as ViewName;
  return VIEWS.includes(name) ? name : "translate";
}

/** Shows the view named in the URL's hash now and on every change; `onShow` runs after each switch. */
export function startViews(onShow: (view: ViewName) => void): void {
  const show = (focus: boolean) => {
    const view = currentView();
    for (const section of document.querySelectorAll<HTMLElement>("[data-view]")) section.hidden = section.dataset.view !== view;
    for (const link of document.querySelectorAll<HTMLAnchorElement>("[data-view-link]")) {
      if (link.dataset.viewLink === view) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    if (focus) document.querySelector<HTMLElement>(`[data-view="${view}"] h1`)?.focus();
    onShow(view);
  };
  window.addEventListener("hashchange", () => show(true));
  show(false);
}
