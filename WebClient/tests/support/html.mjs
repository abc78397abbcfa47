// Reading rendered templates in tests: start tags with their attributes (good enough for our own markup).

/** Start tags as {name, attrs: Map}. */
export function tags(html) {
  const out = [];
  for (const m of html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g)) {
    const attrs = new Map();
    for (const a of m[2].matchAll(/([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
      attrs.set(a[1].toLowerCase(), a[2] ?? a[3] ?? a[4] ?? '');
    }
    out.push({ name: m[1].toLowerCase(), attrs });
  }
  return out;
}

export const byId = (html, id) => tags(html).find((t) => t.attrs.get('id') === id);
export const withClass = (html, cls) => tags(html).filter((t) => (t.attrs.get('class') ?? '').split(/\s+/).includes(cls));
export const scriptOf = (name) => `<script type="module" src="/static/js/${name}"></script>`;
