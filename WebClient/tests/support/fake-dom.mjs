// A small DOM for Node tests of the page modules' view and wiring parts: enough of Document and Element for what
// our scripts use (building elements, ids, classes, data- attributes, text, hidden/disabled, focus, events with
// bubbling, <dialog>, simple selectors), and a parser for our own templates' HTML. Not a browser: layout, CSS and
// scripts in the markup are ignored.

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const BOOLEAN_PROPS = ['hidden', 'disabled', 'checked', 'readOnly', 'open', 'required'];
const camel = (name) => name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

class Text {
  constructor(doc, text) { this.ownerDocument = doc; this.nodeType = 3; this.data = String(text); this.parentNode = null; }
  get textContent() { return this.data; }
  set textContent(v) { this.data = String(v); }
  remove() { this.parentNode?._removeChild(this); }
}

export class FakeEvent {
  constructor(type, init = {}) {
    Object.assign(this, { bubbles: true, key: undefined, ctrlKey: false, altKey: false, metaKey: false, shiftKey: false }, init);
    this.type = type;
    this.defaultPrevented = false;
    this.propagationStopped = false;
  }
  preventDefault() { this.defaultPrevented = true; }
  stopPropagation() { this.propagationStopped = true; }
}

class EventTargetish {
  constructor() { this._listeners = new Map(); }
  addEventListener(type, fn, options) {
    if (!this._listeners.has(type)) this._listeners.set(type, []);
    this._listeners.get(type).push({ fn, capture: options === true || options?.capture === true });
  }
  removeEventListener(type, fn) {
    const list = this._listeners.get(type);
    if (list) this._listeners.set(type, list.filter((l) => l.fn !== fn));
  }
  _fire(event) {
    for (const { fn } of [...(this._listeners.get(event.type) ?? [])]) fn.call(this, event);
  }
}

export class FakeElement extends EventTargetish {
  constructor(doc, tag) {
    super();
    this.ownerDocument = doc;
    this.nodeType = 1;
    this.tagName = tag.toUpperCase();
    this.localName = tag.toLowerCase();
    this.childNodes = [];
    this.parentNode = null;
    this._attrs = new Map();
    this.value = '';
    this.dataset = new Proxy({}, {
      get: (_, key) => (typeof key === 'string' ? this._attrs.get(`data-${kebab(key)}`) : undefined),
      set: (_, key, value) => { this._attrs.set(`data-${kebab(key)}`, String(value)); return true; },
      deleteProperty: (_, key) => { this._attrs.delete(`data-${kebab(key)}`); return true; },
      has: (_, key) => this._attrs.has(`data-${kebab(key)}`),
      ownKeys: () => [...this._attrs.keys()].filter((k) => k.startsWith('data-')).map((k) => camel(k.slice(5))),
      getOwnPropertyDescriptor: (_, key) => (this._attrs.has(`data-${kebab(key)}`)
        ? { enumerable: true, configurable: true, value: this._attrs.get(`data-${kebab(key)}`) } : undefined),
    });
    this.classList = {
      add: (...names) => { const set = this._classes(); names.forEach((n) => set.add(n)); this._setClasses(set); },
      remove: (...names) => { const set = this._classes(); names.forEach((n) => set.delete(n)); this._setClasses(set); },
      toggle: (name, force) => {
        const set = this._classes();
        const on = force === undefined ? !set.has(name) : Boolean(force);
        if (on) set.add(name); else set.delete(name);
        this._setClasses(set);
        return on;
      },
      contains: (name) => this._classes().has(name),
    };
  }

  _classes() { return new Set((this._attrs.get('class') ?? '').split(/\s+/).filter(Boolean)); }
  _setClasses(set) { this._attrs.set('class', [...set].join(' ')); }

  get id() { return this._attrs.get('id') ?? ''; }
  set id(v) { this._attrs.set('id', String(v)); }
  get className() { return this._attrs.get('class') ?? ''; }
  set className(v) { this._attrs.set('class', String(v)); }
  get type() { return this._attrs.get('type') ?? (this.localName === 'button' ? 'submit' : ''); }
  set type(v) { this._attrs.set('type', String(v)); }
  get name() { return this._attrs.get('name') ?? ''; }
  get tabIndex() { return Number(this._attrs.get('tabindex') ?? -1); }
  set tabIndex(v) { this._attrs.set('tabindex', String(v)); }

  getAttribute(name) { return this._attrs.has(name.toLowerCase()) ? this._attrs.get(name.toLowerCase()) : null; }
  setAttribute(name, value) {
    const key = name.toLowerCase();
    if (key === 'value') this.value = String(value);
    this._attrs.set(key, String(value));
  }
  removeAttribute(name) { this._attrs.delete(name.toLowerCase()); }
  hasAttribute(name) { return this._attrs.has(name.toLowerCase()); }
  toggleAttribute(name, force) {
    const on = force === undefined ? !this.hasAttribute(name) : Boolean(force);
    if (on) this.setAttribute(name, ''); else this.removeAttribute(name);
    return on;
  }

  get children() { return this.childNodes.filter((n) => n.nodeType === 1); }
  get firstElementChild() { return this.children[0] ?? null; }
  get lastElementChild() { const c = this.children; return c[c.length - 1] ?? null; }
  get parentElement() { return this.parentNode instanceof FakeElement ? this.parentNode : null; }
  get nextElementSibling() {
    const siblings = this.parentNode?.children ?? [];
    return siblings[siblings.indexOf(this) + 1] ?? null;
  }
  get previousElementSibling() {
    const siblings = this.parentNode?.children ?? [];
    const i = siblings.indexOf(this);
    return i > 0 ? siblings[i - 1] : null;
  }
  get isConnected() {
    let node = this;
    while (node.parentNode) node = node.parentNode;
    return node === this.ownerDocument;
  }

  get textContent() { return this.childNodes.map((n) => n.textContent).join(''); }
  set textContent(v) {
    for (const child of this.childNodes) child.parentNode = null;
    this.childNodes = v === '' || v === null || v === undefined ? [] : [new Text(this.ownerDocument, v)];
  }

  _adopt(node) {
    const child = typeof node === 'string' ? new Text(this.ownerDocument, node) : node;
    if (child.parentNode) child.parentNode._removeChild(child);
    child.parentNode = this;
    return child;
  }
  _removeChild(child) {
    this.childNodes = this.childNodes.filter((n) => n !== child);
    child.parentNode = null;
    if (this.ownerDocument.activeElement && (child === this.ownerDocument.activeElement || child.contains?.(this.ownerDocument.activeElement))) {
      this.ownerDocument.activeElement = this.ownerDocument.body;
    }
  }
  append(...nodes) { for (const n of nodes) this.childNodes.push(this._adopt(n)); }
  appendChild(node) { this.append(node); return node; }
  prepend(...nodes) { this.childNodes.unshift(...nodes.map((n) => this._adopt(n))); }
  insertBefore(node, ref) {
    if (ref === null || ref === undefined) return this.appendChild(node);
    const child = this._adopt(node);
    this.childNodes.splice(this.childNodes.indexOf(ref), 0, child);
    return node;
  }
  replaceChildren(...nodes) {
    for (const child of [...this.childNodes]) this._removeChild(child);
    this.append(...nodes);
  }
  remove() { this.parentNode?._removeChild(this); }
  after(...nodes) {
    const parent = this.parentNode;
    if (!parent) return;
    const next = parent.childNodes[parent.childNodes.indexOf(this) + 1] ?? null;
    for (const n of nodes) parent.insertBefore(n, next);
  }
  before(...nodes) {
    const parent = this.parentNode;
    if (!parent) return;
    for (const n of nodes) parent.insertBefore(n, this);
  }
  contains(node) {
    for (let n = node; n; n = n.parentNode) if (n === this) return true;
    return false;
  }

  matches(selector) { return selector.split(',').some((s) => matchesComplex(this, s.trim())); }
  closest(selector) {
    for (let n = this; n instanceof FakeElement; n = n.parentNode) if (n.matches(selector)) return n;
    return null;
  }
  querySelectorAll(selector) {
    const out = [];
    const walk = (node) => {
      for (const child of node.children) {
        if (child.matches(selector)) out.push(child);
        walk(child);
      }
    };
    walk(this);
    return out;
  }
  querySelector(selector) { return this.querySelectorAll(selector)[0] ?? null; }

  focus() {
    this.ownerDocument.activeElement = this;
    this.ownerDocument.focusLog.push(this);
  }
  blur() { if (this.ownerDocument.activeElement === this) this.ownerDocument.activeElement = this.ownerDocument.body; }
  select() { this.selected = true; }
  scrollIntoView() {}

  dispatchEvent(event) {
    event.target ??= this;
    for (let n = this; n; n = n.parentNode) {
      event.currentTarget = n;
      n._fire(event);
      if (!event.bubbles || event.propagationStopped) break;
    }
    return !event.defaultPrevented;
  }
  click() {
    if (this.disabled) return;
    this.dispatchEvent(new FakeEvent('click'));
    if (this.localName === 'input' && (this.type === 'radio' || this.type === 'checkbox')) {
      this.checked = this.type === 'radio' ? true : !this.checked;
      this.dispatchEvent(new FakeEvent('change'));
    }
  }

  // <form>: the submit event a browser fires (no validation: our forms are novalidate).
  requestSubmit() { this.dispatchEvent(new FakeEvent('submit')); }

  // <dialog>
  showModal() { this.open = true; this.ownerDocument.openDialogs.push(this); }
  show() { this.open = true; }
  close() {
    if (!this.open) return;
    this.open = false;
    this.ownerDocument.openDialogs = this.ownerDocument.openDialogs.filter((d) => d !== this);
    this.dispatchEvent(new FakeEvent('close', { bubbles: false }));
  }
}

for (const prop of BOOLEAN_PROPS) {
  const attr = prop.toLowerCase();
  Object.defineProperty(FakeElement.prototype, prop, {
    get() { return this._attrs.has(attr); },
    set(v) { if (v) this._attrs.set(attr, ''); else this._attrs.delete(attr); },
  });
}

export class FakeDocument extends EventTargetish {
  constructor() {
    super();
    this.nodeType = 9;
    this.ownerDocument = this;
    this.childNodes = [];
    this.parentNode = null;
    this.documentElement = this.createElement('html');
    this.documentElement.parentNode = this;
    this.childNodes.push(this.documentElement);
    this.body = this.createElement('body');
    this.documentElement.append(this.body);
    this.activeElement = this.body;
    this.focusLog = [];
    this.openDialogs = [];
    this.visibilityState = 'visible';
  }
  createElement(tag) { return new FakeElement(this, tag); }
  // SVG elements: the same small elements (no namespaces here; the tag name is kept as given).
  createElementNS(_namespace, tag) { return new FakeElement(this, tag); }
  createTextNode(text) { return new Text(this, text); }
  get children() { return [this.documentElement]; }
  getElementById(id) { return this.documentElement.querySelector(`#${cssEscape(id)}`); }
  querySelector(s) { return this.documentElement.matches(s) ? this.documentElement : this.documentElement.querySelector(s); }
  querySelectorAll(s) { return this.documentElement.querySelectorAll(s); }
  contains(node) { return this.documentElement.contains(node); }
  _removeChild() {}
  dispatchEvent(event) { event.target ??= this; event.currentTarget = this; this._fire(event); return !event.defaultPrevented; }
}

function cssEscape(id) { return String(id).replace(/([^a-zA-Z0-9_-])/g, '\\$1'); }

// Selectors: compound parts (tag, #id, .class, [attr], [attr="v"], :checked, :not(...) left out) joined by a space or
// " > ". Enough for the selectors our scripts and tests write.
function matchesComplex(element, selector) {
  const tokens = selector.replace(/\s*>\s*/g, ' > ').split(/\s+/).filter(Boolean);
  return matchFrom(element, tokens, tokens.length - 1);
}

function matchFrom(element, tokens, index) {
  if (!matchesCompound(element, tokens[index])) return false;
  if (index === 0) return true;
  if (tokens[index - 1] === '>') {
    const parent = element.parentElement;
    return parent ? matchFrom(parent, tokens, index - 2) : false;
  }
  for (let p = element.parentElement; p; p = p.parentElement) if (matchFrom(p, tokens, index - 1)) return true;
  return false;
}

function matchesCompound(element, compound) {
  const re = /(\\.|[^#.[:])+|#((?:\\.|[^#.[:])+)|\.((?:\\.|[^#.[:])+)|\[([^\]=~^$*|]+)(?:([~^$*|]?=)"?([^"\]]*)"?)?\]|:([a-z-]+)/g;
  let m;
  let first = true;
  while ((m = re.exec(compound))) {
    if (m[2] !== undefined) { if (element.id !== m[2].replace(/\\(.)/g, '$1')) return false; }
    else if (m[3] !== undefined) { if (!element.classList.contains(m[3].replace(/\\(.)/g, '$1'))) return false; }
    else if (m[4] !== undefined) {
      const value = element.getAttribute(m[4].trim());
      if (value === null) return false;
      if (m[5] === '=' && value !== m[6]) return false;
      if (m[5] === '~=' && !value.split(/\s+/).includes(m[6])) return false;
      if (m[5] === '^=' && !value.startsWith(m[6])) return false;
    } else if (m[7] !== undefined) {
      if (m[7] === 'checked' && !element.checked) return false;
      if (m[7] === 'disabled' && !element.disabled) return false;
    } else if (first && m[0] !== '*') {
      if (element.localName !== m[0].toLowerCase()) return false;
    }
    first = false;
  }
  return true;
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: '\u00a0' };
const decode = (s) => s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e) => {
  if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  return ENTITIES[e] ?? all;
});

/**
 * A document from our templates' HTML: the children of <body> (or of the whole fragment) go into body. Scripts
 * (but JSON data blocks), <style> and comments are skipped; <noscript> content is dropped (scripts run here).
 */
export function parseHtml(html) {
  const doc = new FakeDocument();
  const bodyMatch = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html);
  const htmlLang = /<html[^>]*\blang="([^"]*)"/i.exec(html);
  if (htmlLang) doc.documentElement.setAttribute('lang', htmlLang[1]);
  const source = bodyMatch ? bodyMatch[1] : html;
  const stack = [doc.body];
  const re = /<!--[\s\S]*?-->|<(script|style|noscript)\b[^>]*>[\s\S]*?<\/\1>|<\/([a-zA-Z0-9-]+)\s*>|<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*(\/?)>|([^<]+)/g;
  let m;
  while ((m = re.exec(source))) {
    const top = stack[stack.length - 1];
    const data = m[1] === 'script' ? /^<script\b([^>]*)>([\s\S]*)<\/script>$/.exec(m[0]) : null;
    if (data && /type="application\/json"/.test(data[1])) {
      // A data block (the page's strings): kept with its text, as pageTranslator() reads it.
      const el = doc.createElement('script');
      for (const a of data[1].matchAll(/([^\s=>/]+)(?:\s*=\s*"([^"]*)")?/g)) el.setAttribute(a[1], decode(a[2] ?? ''));
      el.append(data[2]);
      top.append(el);
    } else if (m[2]) {
      const tag = m[2].toLowerCase();
      for (let i = stack.length - 1; i > 0; i--) {
        if (stack[i].localName === tag) { stack.length = i; break; }
      }
    } else if (m[3]) {
      const el = doc.createElement(m[3]);
      for (const a of m[4].matchAll(/([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
        el.setAttribute(a[1], decode(a[2] ?? a[3] ?? a[4] ?? ''));
      }
      if (el.localName === 'textarea') {
        const end = source.indexOf('</textarea>', re.lastIndex);
        el.value = decode(source.slice(re.lastIndex, end));
        re.lastIndex = end + '</textarea>'.length;
        top.append(el);
        continue;
      }
      if (el.localName === 'input' && el.hasAttribute('checked')) el.checked = true;
      top.append(el);
      if (!VOID.has(el.localName) && !m[5]) stack.push(el);
    } else if (m[6] && !m[1]) {
      top.append(decode(m[6]));
    }
  }
  return doc;
}

/** A window stand-in: timers the test runs by hand, listeners, location. */
export function fakeWindow({ location = { protocol: 'http:', host: 'localhost:8080', href: 'http://localhost:8080/' } } = {}) {
  const timers = [];
  const win = new EventTargetish();
  Object.assign(win, {
    location,
    setInterval: (fn, ms) => { timers.push({ fn, ms, repeat: true }); return timers.length; },
    clearInterval: () => {},
    setTimeout: (fn, ms) => { timers.push({ fn, ms, repeat: false }); return timers.length; },
    clearTimeout: () => {},
    timers,
    runTimers() { for (const t of [...timers]) t.fn(); },
  });
  return win;
}
