// A small Mustache renderer for the tests and for previewing templates: variables ({{x}} escaped, {{{x}}} and
// {{&x}} raw), dotted names, {{.}}, sections over lists / booleans / objects / other values, inverted sections,
// comments and partials. No lambdas, no delimiter changes, no standalone-line whitespace trimming (HTML does not
// care). Falsiness follows swift-mustache: false, null/undefined and empty lists are false; "" and 0 are true.

const escapeMap = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHTML = (value) => String(value).replace(/[&<>"']/g, (c) => escapeMap[c]);

function parse(template) {
  const root = { children: [] };
  const stack = [root];
  const re = /\{\{(\{)?\s*([#^/!>&]?)\s*([^}]*?)\s*\}?\}\}/g;
  let last = 0;
  let m;
  while ((m = re.exec(template)) !== null) {
    const top = stack[stack.length - 1];
    if (m.index > last) top.children.push({ kind: 'text', text: template.slice(last, m.index) });
    last = re.lastIndex;
    const [, triple, sigil, name] = m;
    if (triple) { top.children.push({ kind: 'raw', name }); continue; }
    switch (sigil) {
      case '!': break;
      case '#': case '^': {
        const node = { kind: sigil === '#' ? 'section' : 'inverted', name, children: [] };
        top.children.push(node);
        stack.push(node);
        break;
      }
      case '/': {
        const open = stack.pop();
        if (!open || open.name !== name) throw new Error(`mismatched {{/${name}}} (open: ${open?.name})`);
        break;
      }
      case '>': top.children.push({ kind: 'partial', name }); break;
      case '&': top.children.push({ kind: 'raw', name }); break;
      default: top.children.push({ kind: 'var', name });
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed section {{#${stack[stack.length - 1].name}}}`);
  if (last < template.length) root.children.push({ kind: 'text', text: template.slice(last) });
  return root;
}

function lookup(stack, name) {
  if (name === '.') return stack[stack.length - 1];
  const [first, ...rest] = name.split('.');
  let value;
  let found = false;
  for (let i = stack.length - 1; i >= 0; i -= 1) {
    const frame = stack[i];
    if (frame !== null && typeof frame === 'object' && first in frame) { value = frame[first]; found = true; break; }
  }
  if (!found) return undefined;
  for (const part of rest) {
    if (value === null || typeof value !== 'object' || !(part in value)) return undefined;
    value = value[part];
  }
  return value;
}

const isFalsy = (v) => v === false || v === null || v === undefined || (Array.isArray(v) && v.length === 0);

function renderNodes(nodes, stack, partials) {
  let out = '';
  for (const node of nodes) {
    switch (node.kind) {
      case 'text': out += node.text; break;
      case 'var': { const v = lookup(stack, node.name); if (v !== undefined && v !== null) out += escapeHTML(v); break; }
      case 'raw': { const v = lookup(stack, node.name); if (v !== undefined && v !== null) out += String(v); break; }
      case 'partial': {
        const source = partials[node.name];
        if (source === undefined) throw new Error(`unknown partial ${node.name}`);
        out += renderNodes(parse(source).children, stack, partials);
        break;
      }
      case 'section': {
        const v = lookup(stack, node.name);
        if (isFalsy(v)) break;
        if (Array.isArray(v)) for (const item of v) out += renderNodes(node.children, [...stack, item], partials);
        else if (v === true) out += renderNodes(node.children, stack, partials);
        else out += renderNodes(node.children, [...stack, v], partials);
        break;
      }
      case 'inverted': {
        if (isFalsy(lookup(stack, node.name))) out += renderNodes(node.children, stack, partials);
        break;
      }
      default: throw new Error(`unknown node ${node.kind}`);
    }
  }
  return out;
}

/** Renders `template` with `context`; `partials` maps names to template sources. */
export function render(template, context, partials = {}) {
  return renderNodes(parse(template).children, [context], partials);
}

/** Loads every *.mustache of a directory as {name: source}. */
export async function loadTemplates(directory) {
  const { readdir, readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const templates = {};
  for (const file of await readdir(directory)) {
    if (file.endsWith('.mustache')) templates[file.slice(0, -'.mustache'.length)] = await readFile(join(directory, file), 'utf8');
  }
  return templates;
}
