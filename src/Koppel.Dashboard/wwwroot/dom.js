// Building the page from data without ever parsing data as HTML: every value becomes a text node.

/** h('td', { className: 'num' }, 'text', childNode): properties set one by one, children appended as nodes or text. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name.startsWith('aria') || name === 'role' || name === 'for' || name === 'scope') el.setAttribute(name.replace(/^aria([A-Z])/, (_, c) => 'aria-' + c.toLowerCase()), String(value));
    else el[name] = value;
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A table with a caption and column headers; rows are arrays of cells (strings or nodes). */
export function table(caption, headers, rows, empty = 'Nothing here.') {
  if (rows.length === 0) return h('p', { className: 'muted' }, `${caption}: ${empty}`);
  return h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map((text) => h('th', { scope: 'col' }, text)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell) => h('td', {}, cell))))));
}

export const state = (value) => h('span', { className: `state state-${String(value ?? 'Unknown')}` }, String(value ?? '—'));

export function when(value) {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString('nl-BE', { dateStyle: 'short', timeStyle: 'medium' });
}

export const link = (href, text) => h('a', { href }, text);

/** Says something in the polite live region (screen readers read it; it stays until the next one). */
export function say(text) {
  document.getElementById('status').textContent = text;
}

export function alertText(text) {
  document.getElementById('alert').textContent = text ?? '';
}

export function render(...nodes) {
  const main = document.getElementById('main');
  main.replaceChildren(...nodes.flat(Infinity).filter((n) => n !== null && n !== undefined && n !== false));
}
