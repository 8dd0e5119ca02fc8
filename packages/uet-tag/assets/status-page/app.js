// The status page of `uet-tag serve`: counts, a searchable table of tags and a tag's detail,
// kept current from the change stream (GET /changes). Plain browser JavaScript, no build.
// A read token, when the service needs one, is given once in the address: /#token=<token>.

const TAG_STATUSES = ['Unverified', 'Active', 'Inactive'];
const GOAL_STATUSES = [
  'TagUnverified',
  'NoRecentConversions',
  'RecordingConversions',
  'TagInactive',
  'InactiveDueToTagUnavailable',
];

const state = { search: '', status: '', openTag: undefined, refreshTimer: undefined };

function token() {
  const match = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem('uet-tag-token', decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem('uet-tag-token') ?? undefined;
}

async function getJson(path) {
  const secret = token();
  const response = await fetch(path, {
    headers: secret === undefined ? {} : { authorization: `Bearer ${secret}` },
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

function element(name, attributes = {}, ...children) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function badge(status) {
  return element('span', { class: `badge ${status}`, text: status });
}

function timeText(iso) {
  if (iso === null || iso === undefined) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

function timeCell(iso, label) {
  const cell = element('td', { 'data-label': label });
  if (iso === null || iso === undefined) cell.textContent = '—';
  else cell.append(element('time', { datetime: iso, text: timeText(iso) }));
  return cell;
}

function renderCounts(list, statuses, counts) {
  list.replaceChildren(
    ...statuses.map((status) =>
      element(
        'div',
        {},
        element('dt', { text: status }),
        element('dd', { text: String(counts[status] ?? 0), 'data-status': status }),
      ),
    ),
  );
}

async function refreshSummary() {
  const summary = await getJson('/summary');
  renderCounts(document.getElementById('tag-counts'), TAG_STATUSES, summary.tags);
  renderCounts(document.getElementById('goal-counts'), GOAL_STATUSES, summary.goals);
}

async function refreshTags() {
  const query = new URLSearchParams({ limit: '500' });
  if (state.search !== '') query.set('q', state.search);
  if (state.status !== '') query.set('status', state.status);
  const page = await getJson(`/tags?${query}`);
  const body = document.querySelector('#tags tbody');
  body.replaceChildren(
    ...page.tags.map((tag) => {
      const open = element('button', { type: 'button', class: 'tag-link', text: tag.tagId });
      open.addEventListener('click', () => openDetail(tag.tagId));
      return element(
        'tr',
        { 'data-tag-id': tag.tagId },
        element('td', { 'data-label': 'Tag' }, open),
        element('td', { 'data-label': 'Status' }, badge(tag.status)),
        timeCell(tag.since, 'Since'),
        timeCell(tag.lastData, 'Last data'),
        timeCell(tag.nextDeadline, 'Inactive at'),
      );
    }),
  );
  const shown =
    page.tags.length < page.total ? `${page.tags.length} of ${page.total}` : String(page.total);
  document.getElementById('tag-total').textContent = `${shown} tag${page.total === 1 ? '' : 's'}`;
}

function timeline(history, now) {
  const changes = history.filter((change) => change.kind === 'tag');
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', '0 0 1000 50');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  if (changes.length === 0) {
    svg.setAttribute('aria-label', 'No status change yet');
    return svg;
  }
  const start = changes[0].effectiveAt;
  const span = Math.max(1, now - start);
  const colors = {
    Unverified: 'var(--unverified)',
    Active: 'var(--active)',
    Inactive: 'var(--inactive)',
  };
  const parts = [];
  changes.forEach((change, index) => {
    const from = change.effectiveAt;
    const to = index + 1 < changes.length ? changes[index + 1].effectiveAt : now;
    const rect = document.createElementNS(svgNs, 'rect');
    rect.setAttribute('x', String(((from - start) / span) * 1000));
    rect.setAttribute('width', String(Math.max(2, ((to - from) / span) * 1000)));
    rect.setAttribute('y', '10');
    rect.setAttribute('height', '30');
    rect.setAttribute('fill', colors[change.to] ?? 'var(--other)');
    svg.append(rect);
    parts.push(`${change.to} from ${timeText(change.effectiveTime)}`);
  });
  svg.setAttribute('aria-label', `Status over time: ${parts.join('; ')}`);
  return svg;
}

async function refreshDetail() {
  if (state.openTag === undefined) return;
  let tag;
  try {
    tag = await getJson(`/tags/${encodeURIComponent(state.openTag)}`);
  } catch {
    closeDetail();
    return;
  }
  const heading = document.getElementById('detail-heading');
  heading.replaceChildren(`Tag ${tag.tagId} `, badge(tag.status));
  document.getElementById('timeline').replaceChildren(timeline(tag.history, Date.now()));
  document
    .querySelector('#goals tbody')
    .replaceChildren(
      ...tag.goals.map((goal) =>
        element(
          'tr',
          {},
          element('td', { text: goal.goalId }),
          element('td', { text: goal.goalType }),
          element('td', {}, badge(goal.status)),
          timeCell(goal.lastConversion, 'Last conversion'),
        ),
      ),
    );
  document.getElementById('history').replaceChildren(
    ...tag.history
      .slice()
      .reverse()
      .map((change) =>
        element('li', {
          text: `${timeText(change.effectiveTime)}: ${change.kind === 'goal' ? `goal ${change.goalId} ` : ''}${change.from} → ${change.to}`,
        }),
      ),
  );
}

async function openDetail(tagId) {
  state.openTag = tagId;
  document.getElementById('detail').hidden = false;
  await refreshDetail();
  document.getElementById('detail-heading').focus();
}

function closeDetail() {
  const tagId = state.openTag;
  state.openTag = undefined;
  document.getElementById('detail').hidden = true;
  const row =
    tagId === undefined
      ? null
      : document.querySelector(`tr[data-tag-id="${CSS.escape(tagId)}"] button`);
  (row ?? document.getElementById('tags-heading')).focus();
}

function refreshSoon() {
  clearTimeout(state.refreshTimer);
  state.refreshTimer = setTimeout(() => {
    Promise.all([refreshSummary(), refreshTags(), refreshDetail()]).catch(showError);
  }, 100);
}

function showError(error) {
  document.getElementById('connection').textContent = `Error: ${error.message}`;
}

function connect() {
  const secret = token();
  const source = new EventSource(
    `/changes${secret === undefined ? '' : `?access_token=${encodeURIComponent(secret)}`}`,
  );
  const status = document.getElementById('connection');
  source.addEventListener('open', () => {
    status.textContent = 'Live';
    refreshSoon();
  });
  source.addEventListener('change', refreshSoon);
  source.addEventListener('gap', refreshSoon);
  source.addEventListener('warning', (event) => {
    const warning = JSON.parse(event.data);
    status.textContent = `Live. Warning: tag ${warning.tagId} turns Inactive at ${timeText(warning.inactiveTime)} if nothing arrives`;
  });
  source.addEventListener('error', () => {
    status.textContent = 'Reconnecting…';
  });
}

function start() {
  let searchTimer;
  document.getElementById('search').addEventListener('input', (event) => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      state.search = event.target.value.trim();
      refreshTags().catch(showError);
    }, 150);
  });
  document.getElementById('status-filter').addEventListener('change', (event) => {
    state.status = event.target.value;
    refreshTags().catch(showError);
  });
  document.getElementById('filters').addEventListener('submit', (event) => event.preventDefault());
  document.getElementById('close-detail').addEventListener('click', closeDetail);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && state.openTag !== undefined) closeDetail();
  });
  Promise.all([refreshSummary(), refreshTags()]).catch(showError);
  connect();
}

start();
