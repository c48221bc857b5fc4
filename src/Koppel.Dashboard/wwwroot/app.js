// The Koppel operator dashboard: hash routes, one function per page, everything from /api with the user's key.
import { api, listAll, loadConfig, hasKey, setKey, clearKey, ApiError, enc } from './api.js';
import { h, table, state, when, link, say, alertText, render } from './dom.js';
import { deliveryCharts } from './chart.js';

const routes = [
  [/^#\/?$/, home],
  [/^#\/quarantine$/, quarantinePage],
  [/^#\/dossiers\/([^/]+)$/, dossierPage],
  [/^#\/dossiers\/([^/]+)\/documents\/([^/]+)$/, documentPage],
  [/^#\/dossiers\/([^/]+)\/runs$/, runsPage],
  [/^#\/dossiers\/([^/]+)\/dead-letters$/, deadLettersPage],
  [/^#\/dossiers\/([^/]+)\/export$/, exportPage],
  [/^#\/dossiers\/([^/]+)\/connections\/([^/]+)\/import$/, importPage],
];

let generation = 0; // a page left while it loads must not draw over the next one

async function route() {
  alertText('');
  const mine = ++generation;
  const [path, query] = location.hash.split('?');
  const params = new URLSearchParams(query ?? '');
  document.getElementById('nav').hidden = !hasKey();
  document.getElementById('sign-out').hidden = !hasKey();
  if (!hasKey()) return signIn();
  for (const [pattern, page] of routes) {
    const match = (path || '#/').match(pattern);
    if (!match) continue;
    try {
      await page(...match.slice(1).map(decodeURIComponent), params, () => mine === generation);
    } catch (error) {
      if (mine !== generation) return;
      if (error instanceof ApiError && error.status === 401) {
        clearKey();
        alertText(error.message);
        return route();
      }
      alertText(error.message);
    }
    return;
  }
  render(h('h1', {}, 'Not found'), h('p', {}, link('#/', 'Back to the dossiers')));
}

function focusMain() {
  document.getElementById('main').focus();
}

function signIn() {
  document.title = 'Sign in — Koppel';
  const input = h('input', { type: 'password', id: 'api-key', name: 'api-key', autocomplete: 'off', required: true, spellcheck: false });
  const label = h('label', { htmlFor: 'api-key' }, 'API key', input);
  // An API key of the server, or a bearer token of the platform's identity provider (when the server accepts those).
  // The radio names differ from the field's ("API key" / "Bearer token"), so each control has a name of its own.
  const kinds = [['key', 'a Koppel key', 'API key'], ['bearer', 'a token from your identity provider', 'Bearer token']];
  const choose = (kind) => {
    label.firstChild.textContent = kinds.find(([k]) => k === kind)[2];
  };
  const chooser = h('fieldset', { className: 'choice' },
    h('legend', {}, 'Sign in with'),
    kinds.map(([kind, text]) => h('label', {},
      h('input', { type: 'radio', name: 'credential-kind', value: kind, checked: kind === 'key', onchange: () => choose(kind) }), text)));
  const form = h('form', {
    onsubmit: async (event) => {
      event.preventDefault();
      const key = input.value.trim();
      const kind = form.querySelector('input[name="credential-kind"]:checked')?.value ?? 'key';
      input.value = '';
      if (!key) return;
      setKey(key, kind);
      say('Signing in…');
      try {
        await api('/dossiers?pageSize=1');
        say('Signed in.');
        await route();
        focusMain();
      } catch (error) {
        clearKey();
        say('');
        alertText(error instanceof ApiError && error.status === 401 ? `That ${kind === 'bearer' ? 'token' : 'key'} was not accepted.` : error.message);
      }
    },
  },
  chooser,
  label,
  h('p', { className: 'muted' }, 'It is kept in this browser tab only and forgotten when the tab closes.'),
  h('button', { type: 'submit', className: 'primary' }, 'Sign in'));
  render(h('section', { className: 'signin' }, h('h1', {}, 'Sign in'), form));
  input.focus();
}

const connectionName = (c) => c.displayName || `${c.provider} (${c.id})`;

function healthCell(health) {
  return [state(health?.status), health?.reason ? h('div', {}, health.reason) : null, health?.warning ? h('div', { className: 'muted' }, health.warning) : null];
}

async function home(_params, alive) {
  document.title = 'Dossiers — Koppel';
  say('Loading dossiers…');
  const [attention, dossiers] = await Promise.all([listAll('/connections/attention', { maxPages: 5 }), listAll('/dossiers', { maxPages: 10 })]);
  const connections = await Promise.all(dossiers.items.map((d) => listAll(`/dossiers/${enc(d.id)}/connections`, { maxPages: 2 }).then((r) => r.items)));
  if (!alive()) return;
  const dossierNames = new Map(dossiers.items.map((d) => [d.id, d.name]));
  const cards = dossiers.items.map((d, i) => h('article', { className: 'card' },
    h('h3', {}, link(`#/dossiers/${enc(d.id)}`, d.name)),
    h('p', { className: 'muted' }, `Enterprise number ${d.enterpriseNumber}`),
    connections[i].length === 0 ? h('p', { className: 'muted' }, 'No connections.') :
      h('ul', { ariaLabel: `Connections of ${d.name}` }, connections[i].map((c) => h('li', {}, connectionName(c), ' ', state(c.health?.status))))));
  render(
    h('h1', {}, 'Dossiers'),
    h('section', { ariaLabelledby: 'attention-title' },
      h('h2', { id: 'attention-title' }, 'Connections that need attention'),
      table('Connections that need attention', ['Dossier', 'Connection', 'Health', 'Since'],
        attention.items.map((c) => [link(`#/dossiers/${enc(c.dossierId)}`, dossierNames.get(c.dossierId) ?? c.dossierId), connectionName(c), healthCell(c.health), when(c.health?.since)]),
        'none.')),
    h('section', { ariaLabelledby: 'dossiers-title' },
      h('h2', { id: 'dossiers-title' }, 'Dossiers'),
      cards.length ? h('div', { className: 'cards' }, cards) : h('p', {}, 'Your key sees no dossiers.'),
      dossiers.more ? h('p', { className: 'muted' }, 'More dossiers exist than are shown.') : null));
  say(`${dossiers.items.length} dossier(s), ${attention.items.length} connection(s) need attention.`);
}

function dossierNav(id) {
  const d = enc(id);
  return h('nav', { className: 'subnav', ariaLabel: 'Dossier' }, h('ul', {},
    h('li', {}, link(`#/dossiers/${d}`, 'Documents')),
    h('li', {}, link(`#/dossiers/${d}/runs`, 'Run log')),
    h('li', {}, link(`#/dossiers/${d}/dead-letters`, 'Dead letters')),
    h('li', {}, link(`#/dossiers/${d}/export`, 'Export'))));
}

/** The latest ledger line per document and connection (an export adds lines of its own). */
function latestDeliveries(deliveries) {
  const latest = new Map();
  for (const d of deliveries) {
    const key = `${d.documentId}|${d.connectionId}`;
    const seen = latest.get(key);
    if (!seen || d.updatedAt > seen.updatedAt) latest.set(key, d);
  }
  return latest;
}

async function dossierPage(id, _params, alive) {
  say('Loading the dossier…');
  const d = enc(id);
  const [dossier, connections, documents, deliveries, runs, catalogue] = await Promise.all([
    api(`/dossiers/${d}`),
    listAll(`/dossiers/${d}/connections`, { maxPages: 2 }),
    listAll(`/dossiers/${d}/documents`, { maxPages: 5 }),
    listAll(`/dossiers/${d}/deliveries`, { pageSize: 1000, maxPages: 10 }),
    listAll(`/dossiers/${d}/runs`, { maxPages: 5 }),
    api('/connectors'),
  ]);
  if (!alive()) return;
  document.title = `${dossier.name} — Koppel`;
  const lists = new Set(catalogue.filter((c) => String(c.capabilities).includes('ListAdministrations')).map((c) => c.provider));
  const latest = latestDeliveries(deliveries.items);
  const docs = [...documents.items].sort((a, b) => String(b.receivedAt ?? b.id).localeCompare(String(a.receivedAt ?? a.id)));
  render(
    h('h1', {}, dossier.name),
    h('p', { className: 'muted' }, `Enterprise number ${dossier.enterpriseNumber}`),
    dossierNav(id),
    h('h2', {}, 'Connections'),
    table('Connections', ['Connection', 'Provider', 'Document kinds', 'Enabled', 'Health', 'Onboarding'],
      connections.items.map((c) => [connectionName(c), c.provider, (c.documentKinds ?? []).join(', '), c.enabled ? 'yes' : 'no', healthCell(c.health),
        lists.has(c.provider) ? link(`#/dossiers/${d}/connections/${enc(c.id)}/import`, `Add dossiers from ${connectionName(c)}`) : '—']),
      'this dossier has no connections.'),
    h('h2', {}, 'Delivered and failed per day'),
    deliveryCharts(deliveries.items, runs.items),
    deliveries.more ? h('p', { className: 'muted' }, 'The chart counts the most recent 10,000 ledger lines.') : null,
    h('h2', {}, 'Documents'),
    table('Documents with their delivery state per connection',
      ['Document', 'Kind', 'Number', 'Received', ...connections.items.map(connectionName)],
      docs.map((doc) => [
        link(`#/dossiers/${d}/documents/${enc(doc.id)}`, doc.fileName),
        doc.kind, doc.number ?? '—', when(doc.receivedAt),
        ...connections.items.map((c) => {
          const line = latest.get(`${doc.id}|${c.id}`);
          return line ? [state(line.status), line.lastError ? h('div', { className: 'muted' }, line.lastError) : null] : h('span', { className: 'muted' }, 'not sent');
        }),
      ]),
      'no documents yet.'),
    documents.more ? h('p', { className: 'muted' }, 'Only the first documents are shown.') : null);
  say(`${docs.length} document(s), ${connections.items.length} connection(s).`);
}

async function documentPage(id, documentId, _params, alive) {
  const d = enc(id), doc = enc(documentId);
  say('Loading the document…');
  const [answer, history, payments, connections] = await Promise.all([
    api(`/dossiers/${d}/documents/${doc}`),
    listAll(`/dossiers/${d}/documents/${doc}/history`, { maxPages: 5 }),
    listAll(`/dossiers/${d}/documents/${doc}/payments`, { maxPages: 2 }),
    listAll(`/dossiers/${d}/connections`, { maxPages: 2 }),
  ]);
  if (!alive()) return;
  const names = new Map(connections.items.map((c) => [c.id, connectionName(c)]));
  const document_ = answer.document;
  document.title = `${document_.fileName} — Koppel`;
  const resend = h('button', {
    type: 'button', className: 'primary',
    onclick: async () => {
      resend.disabled = true;
      say('Resending…');
      try {
        const run = await api(`/dossiers/${d}/exports`, { method: 'POST', body: { documentIds: [documentId], resend: true } });
        say(`Resend queued (run ${run.runId}); the history below updates as it is delivered.`);
        await watchHistory(id, documentId, history.items.length, alive);
      } catch (error) {
        alertText(error.message);
      } finally {
        resend.disabled = false;
      }
    },
  }, 'Resend');
  render(
    h('p', {}, link(`#/dossiers/${d}`, '← Back to the dossier')),
    h('h1', {}, document_.fileName),
    h('dl', { className: 'facts' },
      h('dt', {}, 'Kind'), h('dd', {}, document_.kind),
      h('dt', {}, 'Number'), h('dd', {}, document_.number ?? '—'),
      h('dt', {}, 'Issue date'), h('dd', {}, document_.issueDate ?? '—'),
      h('dt', {}, 'Amount'), h('dd', {}, document_.payableAmount == null ? '—' : `${document_.payableAmount} ${document_.currency ?? ''}`),
      h('dt', {}, 'Counterparty'), h('dd', {}, document_.counterpartyName ?? '—'),
      h('dt', {}, 'Received'), h('dd', {}, when(document_.receivedAt))),
    h('p', {}, resend, ' ', h('span', { className: 'muted' }, 'Delivers this document again to every connection that takes it.')),
    h('h2', {}, 'Deliveries'),
    h('div', { id: 'deliveries' }, deliveriesTable(answer.deliveries, names)),
    h('h2', {}, 'History'),
    h('div', { id: 'history' }, historyTable(history.items, names)),
    h('h2', {}, 'Payments'),
    table('Payments', ['Date', 'Kind', 'Amount', 'Seen by', 'Status'],
      payments.items.map((p) => [p.date, p.kind, `${p.amount} ${p.currency}`, p.sourceName, p.status]), 'no payment recorded.'));
  say(`History of ${document_.fileName}: ${history.items.length} event(s).`);
}

function deliveriesTable(lines, names) {
  const ordered = [...lines].sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
  return table('Deliveries', ['Connection', 'Status', 'Attempts', 'Reference', 'Reason', 'Updated'],
    ordered.map((l) => [names.get(l.connectionId) ?? l.connectionId, state(l.status), String(l.attempts), l.providerReference ?? '—', l.lastError ?? '—', when(l.updatedAt)]),
    'not sent anywhere yet.');
}

function historyTable(items, names) {
  const ordered = [...items].sort((a, b) => String(a.at).localeCompare(String(b.at)));
  return table('History', ['When', 'What', 'Connection', 'Reference', 'Detail', 'By'],
    ordered.map((e) => [when(e.at), state(e.event), e.connectionId ? names.get(e.connectionId) ?? e.connectionId : '—', e.reference ?? '—', e.detail ?? '—', e.actor ?? '—']));
}

/** After a resend: re-reads the history until it grows and settles (or a minute passes). */
async function watchHistory(id, documentId, before, alive) {
  const d = enc(id), doc = enc(documentId);
  const names = new Map((await listAll(`/dossiers/${d}/connections`, { maxPages: 2 })).items.map((c) => [c.id, connectionName(c)]));
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline && alive()) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const history = await listAll(`/dossiers/${d}/documents/${doc}/history`, { maxPages: 5 });
    const holder = document.getElementById('history');
    if (!holder || !alive()) return;
    holder.replaceChildren(historyTable(history.items, names));
    const lines = (await api(`/dossiers/${d}/documents/${doc}`)).deliveries;
    document.getElementById('deliveries')?.replaceChildren(deliveriesTable(lines, names));
    const pending = lines.some((l) => ['Pending', 'InProgress'].includes(l.status));
    if (history.items.length > before && !pending) {
      say(`Resent: the history now has ${history.items.length} event(s).`);
      return;
    }
  }
}

const RUN_STATUSES = ['Queued', 'Running', 'Succeeded', 'PartiallySucceeded', 'Failed'];
const RUN_KINDS = ['Ingest', 'Delivery', 'Export', 'PaymentPoll', 'Sync', 'Maintenance', 'ReadBack', 'RelationSync'];

function select(id, label, options, value) {
  return h('label', { htmlFor: id }, label,
    h('select', { id, name: id }, h('option', { value: '' }, 'All'), options.map((o) => h('option', { value: o, selected: o === value }, o))));
}

async function runsPage(id, params, alive) {
  const d = enc(id);
  document.title = 'Run log — Koppel';
  say('Loading the run log…');
  const runs = await listAll(`/dossiers/${d}/runs`, { maxPages: 10 });
  if (!alive()) return;
  const status = params.get('status') ?? '', kind = params.get('kind') ?? '', q = (params.get('q') ?? '').toLowerCase();
  const shown = runs.items.filter((r) => (!status || r.status === status) && (!kind || r.category === kind) &&
    (!q || [r.runId, r.categoryName, r.provider, r.resultText, r.startedBy].some((v) => String(v ?? '').toLowerCase().includes(q))));
  const search = h('input', { type: 'search', id: 'run-search', name: 'q', value: params.get('q') ?? '' });
  const form = h('form', {
    className: 'filters', role: 'search',
    onsubmit: (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const next = new URLSearchParams();
      for (const [k, v] of data) if (v) next.set(k === 'run-status' ? 'status' : k === 'run-kind' ? 'kind' : k, v);
      location.hash = `#/dossiers/${d}/runs` + (next.size ? `?${next}` : '');
    },
  },
  select('run-status', 'Status', RUN_STATUSES, status),
  select('run-kind', 'Kind', RUN_KINDS, kind),
  h('label', { htmlFor: 'run-search' }, 'Search', search),
  h('button', { type: 'submit' }, 'Filter'));
  render(
    h('h1', {}, 'Run log'),
    dossierNav(id),
    form,
    table('Runs', ['Category', 'Type', 'Status', 'Start', 'End', 'Result', 'Total', 'OK', 'Failed', 'Skipped', 'By'],
      shown.map((r) => [r.categoryName, r.provider ?? '—', state(r.status), when(r.startedAt), when(r.endedAt), r.resultText ?? '—',
        String(r.totalDocuments), String(r.succeededDocuments), String(r.failedDocuments), String(r.skippedDocuments), r.startedBy]),
      'no run matches.'));
  say(`${shown.length} of ${runs.items.length} run(s) shown.`);
}

async function deadLettersPage(id, _params, alive) {
  const d = enc(id);
  document.title = 'Dead letters — Koppel';
  say('Loading dead-lettered deliveries…');
  const [dead, connections] = await Promise.all([
    listAll(`/dossiers/${d}/deliveries?status=DeadLettered`, { maxPages: 5 }),
    listAll(`/dossiers/${d}/connections`, { maxPages: 2 }),
  ]);
  // Their file names: one look-up per document (dead letters are few; past 100 the id is shown).
  const ids = [...new Set(dead.items.map((l) => l.documentId))].slice(0, 100);
  const files = new Map(await Promise.all(ids.map((doc) => api(`/dossiers/${d}/documents/${enc(doc)}`).then((a) => [doc, a.document.fileName], () => [doc, doc]))));
  if (!alive()) return;
  const names = new Map(connections.items.map((c) => [c.id, connectionName(c)]));
  const fileOf = (line) => files.get(line.documentId) ?? line.documentId;
  // Both answers take the line off this list: the row goes, the live region says what happened.
  const act = async (line, row, verb, body, done) => {
    try {
      await api(`/dossiers/${d}/deliveries/${enc(line.deliveryId)}/${verb}`, { method: 'POST', body });
      row.remove();
      alertText('');
      say(done);
    } catch (error) {
      alertText(error.message);
      return false;
    }
    return true;
  };
  const actions = (line) => {
    const cell = h('div', { className: 'actions' });
    const retry = h('button', {
      type: 'button',
      ariaLabel: `Retry ${fileOf(line)}`,
      onclick: async () => {
        retry.disabled = true;
        if (!await act(line, cell.closest('tr'), 'retry', undefined, `Retry queued: ${fileOf(line)} goes to ${names.get(line.connectionId) ?? line.connectionId} again.`)) retry.disabled = false;
      },
    }, 'Retry');
    // Discard asks for a reason first (kept in the document's history); nothing is closed by a single click.
    const discard = h('button', {
      type: 'button',
      ariaLabel: `Discard ${fileOf(line)}`,
      onclick: () => {
        const reason = h('input', { type: 'text', maxLength: 500, ariaLabel: `Why discard ${fileOf(line)}`, placeholder: 'Why (e.g. booked by hand)' });
        const confirm = h('button', {
          type: 'submit',
          ariaLabel: `Confirm discard of ${fileOf(line)}`,
        }, 'Confirm discard');
        const form = h('form', {
          className: 'inline',
          onsubmit: async (event) => {
            event.preventDefault();
            confirm.disabled = true;
            if (!await act(line, cell.closest('tr'), 'discard', { reason: reason.value }, `Discarded: ${fileOf(line)} will not be sent to ${names.get(line.connectionId) ?? line.connectionId}.`)) confirm.disabled = false;
          },
        }, reason, confirm);
        discard.replaceWith(form);
        reason.focus();
      },
    }, 'Discard');
    cell.append(retry, discard);
    return cell;
  };
  render(
    h('h1', {}, 'Dead-lettered deliveries'),
    dossierNav(id),
    h('p', { className: 'muted' }, 'Deliveries that gave up after the attempt limit. Retry sends the same delivery to that connection again with a new round of attempts; Discard closes it for good (say why: it stays in the document\'s history).'),
    table('Dead-lettered deliveries', ['Document', 'Connection', 'Attempts', 'Reason', 'Since', 'Action'],
      dead.items.map((l) => [link(`#/dossiers/${d}/documents/${enc(l.documentId)}`, fileOf(l)), names.get(l.connectionId) ?? l.connectionId,
        String(l.attempts), l.lastError ?? '—', when(l.updatedAt), actions(l)]),
      'nothing is dead-lettered.'));
  say(`${dead.items.length} dead-lettered deliveries.`);
}

async function quarantinePage(_params, alive) {
  document.title = 'Quarantine — Koppel';
  say('Loading the quarantine…');
  const files = await listAll('/quarantine', { maxPages: 5 });
  if (!alive()) return;
  const download = (file) => h('button', {
    type: 'button',
    onclick: async () => {
      try {
        // Fetched with the key in its header, then handed to the browser as a file: the key never goes in a link.
        const answer = await api(`/quarantine/content?path=${enc(file.path)}`, { raw: true });
        const url = URL.createObjectURL(await answer.blob());
        const a = h('a', { href: url, download: file.reason.originalPath.split('/').pop() || 'file' });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
      } catch (error) {
        alertText(error.message);
      }
    },
  }, 'Download');
  const reingest = (file) => {
    const button = h('button', {
      type: 'button',
      onclick: async () => {
        button.disabled = true;
        const target = file.reason.dossierId ? `&dossierId=${enc(file.reason.dossierId)}` : '';
        try {
          const answer = await api(`/quarantine/reingest?path=${enc(file.path)}${target}`, { method: 'POST' });
          say(`Re-ingested: ${answer.outcome}.`);
        } catch (error) {
          alertText(error.message);
          button.disabled = false;
        }
      },
    }, 'Re-ingest');
    return button;
  };
  render(
    h('h1', {}, 'Quarantined files'),
    h('p', { className: 'muted' }, 'Files Koppel refused. Download one, fix it at its source or create its dossier, then re-ingest it.'),
    table('Quarantined files', ['File', 'Dossier', 'Reason', 'When', 'Actions'],
      files.items.map((f) => [f.reason.originalPath, f.reason.dossierId ?? '—', [h('strong', {}, f.reason.code), ' ', f.reason.message, f.reason.location ? ` (${f.reason.location})` : ''],
        when(f.reason.at), [download(f), ' ', reingest(f)]]),
      'nothing is quarantined.'));
  say(`${files.items.length} quarantined file(s).`);
}

const isoDay = (date) => date.toISOString().slice(0, 10);

async function exportPage(id, params, alive) {
  const d = enc(id);
  document.title = 'Export — Koppel';
  const connections = await listAll(`/dossiers/${d}/connections`, { maxPages: 2 });
  if (!alive()) return;
  const runId = params.get('run');
  const today = new Date();
  const from = h('input', { type: 'date', id: 'export-from', name: 'from', required: true, value: params.get('from') ?? isoDay(new Date(today.getFullYear(), today.getMonth(), 1)) });
  const to = h('input', { type: 'date', id: 'export-to', name: 'to', required: true, value: params.get('to') ?? isoDay(new Date(today.getTime() + 86400000)) });
  const connection = h('select', { id: 'export-connection', name: 'connection' },
    h('option', { value: '' }, 'Every connection'), connections.items.map((c) => h('option', { value: c.id }, connectionName(c))));
  const resend = h('input', { type: 'checkbox', id: 'export-resend', name: 'resend' });
  const preview = h('div', { id: 'preview' });
  const progress = h('div', { id: 'progress' });
  const start = h('button', { type: 'button', className: 'primary', disabled: true }, 'Export');
  const body = () => ({
    from: new Date(from.value + 'T00:00:00').toISOString(),
    to: new Date(to.value + 'T00:00:00').toISOString(),
    connectionId: connection.value || null,
    resend: resend.checked,
  });
  const form = h('form', {
    className: 'inline',
    onsubmit: async (event) => {
      event.preventDefault();
      start.disabled = true;
      say('Working out what the export would send…');
      try {
        const answer = await api(`/dossiers/${d}/exports`, { method: 'POST', body: { ...body(), dryRun: true } });
        preview.replaceChildren(previewView(answer, new Map(connections.items.map((c) => [c.id, connectionName(c)]))));
        start.disabled = answer.wouldSend === 0;
        say(`Dry run: ${answer.wouldSend} would be sent, ${answer.alreadyDelivered} skipped as delivered already.`);
      } catch (error) {
        alertText(error.message);
      }
    },
    oninput: () => { start.disabled = true; preview.replaceChildren(); },
  },
  h('label', { htmlFor: 'export-from' }, 'Received from', from),
  h('label', { htmlFor: 'export-to' }, 'Up to (not including)', to),
  h('label', { htmlFor: 'export-connection' }, 'To', connection),
  h('label', { className: 'check', htmlFor: 'export-resend' }, resend, 'Also send documents delivered already'),
  h('button', { type: 'submit' }, 'Dry run'));
  start.addEventListener('click', async () => {
    start.disabled = true;
    try {
      const run = await api(`/dossiers/${d}/exports`, { method: 'POST', body: body() });
      // The run id goes into the address: the page can be left and this progress found again.
      location.hash = `#/dossiers/${d}/export?` + new URLSearchParams({ run: run.runId, from: from.value, to: to.value });
    } catch (error) {
      alertText(error.message);
    }
  });
  render(
    h('h1', {}, 'Export'),
    dossierNav(id),
    h('p', { className: 'muted' }, 'Sends the documents received in a date range. Run a dry run first to see what would be sent.'),
    form, preview, h('p', {}, start), progress);
  if (runId) await followRun(id, runId, progress, alive);
}

function previewView(answer, names) {
  return h('section', { ariaLabel: 'Dry run' },
    h('h2', {}, 'Dry run'),
    h('p', {}, `${answer.documents} document(s) in the range: ${answer.wouldSend} would be sent, ${answer.alreadyDelivered} skipped as delivered already.`),
    table('Per connection', ['Connection', 'Provider', 'Would send', 'Skipped'],
      answer.connections.map((c) => [c.displayName ?? c.connectionId, c.provider, String(c.wouldSend), String(c.alreadyDelivered)])),
    table('Documents', ['Document', 'Connection', 'Action', 'Reference'],
      answer.items.map((i) => [i.fileName, names.get(i.connectionId) ?? i.connectionId, state(i.action), i.providerReference ?? '—']), 'no documents in the range.'),
    answer.itemsTruncated ? h('p', { className: 'muted' }, 'Only the first lines are listed; the counts cover all.') : null);
}

/** Polls the export's run until it ends; leaving the page stops the polling, coming back (the run id is in the address) resumes it. */
async function followRun(id, runId, holder, alive) {
  const bar = h('progress', { id: 'export-progress', max: 1, value: 0 });
  const text = h('p', { id: 'export-state' });
  holder.replaceChildren(h('h2', {}, `Export run ${runId}`), h('label', { htmlFor: 'export-progress' }, 'Progress', bar), text);
  while (alive()) {
    const run = await api(`/dossiers/${enc(id)}/runs/${enc(runId)}`);
    const done = run.succeededDocuments + run.failedDocuments + run.skippedDocuments;
    bar.max = Math.max(1, run.totalDocuments);
    bar.value = Math.min(done, bar.max);
    text.replaceChildren(state(run.status), ' ', `${done} of ${run.totalDocuments} done: ${run.succeededDocuments} delivered, ${run.failedDocuments} failed, ${run.skippedDocuments} skipped.`,
      ...(run.resultText ? [h('span', { className: 'muted' }, ` (${run.resultText})`)] : []));
    if (!['Queued', 'Running'].includes(run.status)) {
      say(`Export ${run.status}: ${run.succeededDocuments} delivered, ${run.failedDocuments} failed, ${run.skippedDocuments} skipped.`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/**
 * "Add from accounting software": the administrations a connection's credentials reach, chosen and imported as dossiers
 * with a connection each; then each new connection's first import of customers and suppliers, followed until it ends.
 * The imported dossier:connection pairs go into the address, so the page can be left and its progress found again.
 */
async function importPage(id, connectionId, params, alive) {
  const d = enc(id), c = enc(connectionId);
  document.title = 'Add dossiers — Koppel';
  const progress = h('div', { id: 'import-progress-holder' });
  const imported = (params.get('imported') ?? '').split(',').filter(Boolean).map((pair) => pair.split(':'));
  const since = params.get('since');
  const heading = [h('h1', {}, 'Add dossiers from accounting software'), dossierNav(id)];
  if (imported.length > 0) {
    render(...heading, progress);
    await followImport(imported, since, progress, alive);
    return;
  }

  say('Asking the provider which administrations this connection reaches…');
  const candidates = await api(`/dossiers/${d}/connections/${c}/administrations`);
  if (!alive()) return;
  const rows = candidates.map((a, i) => {
    const choose = h('input', { type: 'checkbox', id: `choose-${i}`, disabled: a.alreadyConnected, ariaLabel: `Import ${a.name}` });
    const number = a.enterpriseNumber
      ? a.enterpriseNumber
      : h('input', { type: 'text', id: `number-${i}`, inputMode: 'numeric', placeholder: '0123.456.789', ariaLabel: `Enterprise number of ${a.name}` });
    return { a, choose, number };
  });
  const results = h('div', { id: 'import-results' });
  const form = h('form', {
    onsubmit: async (event) => {
      event.preventDefault();
      const chosen = rows.filter((r) => r.choose.checked).map((r) => ({ id: r.a.id, enterpriseNumber: typeof r.number === 'string' ? undefined : (r.number.value.trim() || undefined) }));
      if (chosen.length === 0) {
        alertText('Choose at least one administration.');
        return;
      }
      alertText('');
      const started = new Date(Date.now() - 5000).toISOString(); // runs started from here on belong to this import
      say(`Importing ${chosen.length} administration(s)…`);
      try {
        const answer = await api(`/dossiers/${d}/connections/${c}/administrations/import`, { method: 'POST', body: { administrations: chosen } });
        results.replaceChildren(table('Import results', ['Administration', 'Outcome', 'Dossier', 'Reason'],
          answer.map((r) => [r.name ?? r.administrationId, state(r.outcome), r.dossierId ? link(`#/dossiers/${enc(r.dossierId)}`, r.dossierId) : '—', r.reason ?? '—'])));
        const pairs = answer.filter((r) => r.dossierId && r.connectionId && (r.outcome === 'Created' || r.outcome === 'Linked'));
        if (pairs.length === 0) {
          say('Nothing was imported.');
          return;
        }
        // Into the address without reloading: leaving and coming back shows the progress of these imports again.
        const query = new URLSearchParams({ imported: pairs.map((r) => `${r.dossierId}:${r.connectionId}`).join(','), since: started });
        history.replaceState(null, '', `#/dossiers/${d}/connections/${c}/import?${query}`);
        await followImport(pairs.map((r) => [r.dossierId, r.connectionId]), started, progress, alive);
      } catch (error) {
        say('');
        alertText(error.message);
      }
    },
  },
  table('Administrations', ['Import', 'Administration', 'Enterprise number', 'Dossier'],
    rows.map(({ a, choose, number }) => [choose, a.name, number,
      a.alreadyConnected ? 'connected already' : a.existingDossierId ? `links to ${a.existingDossierId}` : 'new dossier']),
    'this connection reaches no administrations.'),
  h('button', { type: 'submit', className: 'primary' }, 'Import chosen'));
  render(...heading,
    h('p', { className: 'muted' }, 'Each chosen administration becomes a dossier (or is linked to the one with its enterprise number) with its own connection; its customers and suppliers are imported right after.'),
    form, results, progress);
  say(`${candidates.length} administration(s).`);
}

/** Follows each new connection's first relations import (a run-log line when it ends) until all have ended or the page is left. */
async function followImport(pairs, since, holder, alive) {
  const bar = h('progress', { id: 'import-progress', max: pairs.length, value: 0 });
  const text = h('p', { id: 'import-state' });
  const rows = h('div');
  holder.replaceChildren(h('h2', {}, 'Importing customers and suppliers'), h('label', { htmlFor: 'import-progress' }, 'Progress', bar), text, rows);
  while (alive()) {
    const states = await Promise.all(pairs.map(async ([dossierId, connectionId]) => {
      const runs = await listAll(`/dossiers/${enc(dossierId)}/runs`, { maxPages: 2 });
      const run = runs.items.find((r) => r.category === 'RelationSync' && r.connectionId === connectionId && (!since || new Date(r.startedAt) >= new Date(since)));
      return { dossierId, run };
    }));
    if (!alive()) return;
    const ended = states.filter((s) => s.run).length;
    bar.value = ended;
    text.replaceChildren(`${ended} of ${pairs.length} dossier(s) have their customers and suppliers imported.`);
    rows.replaceChildren(table('Customers and suppliers per new dossier', ['Dossier', 'State', 'Result'],
      states.map((s) => [link(`#/dossiers/${enc(s.dossierId)}`, s.dossierId), s.run ? state(s.run.status) : state('Queued'), s.run?.resultText ?? 'waiting for its turn…'])));
    if (ended === pairs.length) {
      const failed = states.filter((s) => s.run.status === 'Failed').length;
      say(`Import done: ${pairs.length - failed} of ${pairs.length} dossier(s) have their customers and suppliers${failed ? `, ${failed} failed` : ''}.`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

document.getElementById('sign-out').addEventListener('click', () => {
  clearKey();
  say('Signed out.');
  location.hash = '#/';
  route();
});
window.addEventListener('hashchange', () => route().then(focusMain));
await loadConfig();
await route();
