// The app in headless Chromium at 4x CPU throttling (CDP), for scripts/bench: login to the
// first row beside a bare page doing the same fetches, the biggest view scrolled to its end
// (rows in the DOM, frame times), a tab switch back to it, and a burst of customer messages
// (long tasks, whether the counts end equal to a fresh page's), and a long thread read back to
// its first message. Prints Markdown.
//   node scripts/bench-browser.mjs <base-url> [burst messages] [big-url big-token]
// The big view is measured on <big-url> (a server seeded by `switchboard-server seed-bench`,
// whose agents log in by token) when given, else on <base-url> as Ana.
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:8080';
const burst = Number(process.argv[3] ?? 1000);
const [bigBase, bigToken] = [process.argv[4], process.argv[5]];
const email = 'ana@example.com';
const password = 'demo1234';
const THROTTLE = 4;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.round((s.length - 1) * p))] ?? 0; };
const ms = (x) => `${x.toFixed(0)} ms`;
const tasks = (xs) => `${xs.length}, longest ${ms(Math.max(0, ...xs))}`;

async function freshPage() {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  return { context, page, cdp };
}
const throttle = (cdp, rate) => cdp.send('Emulation.setCPUThrottlingRate', { rate });

// The login form filled in, then sent: the first row shows when the inbox is usable.
async function fillLogin(page) {
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
}
async function submitLogin(page) {
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.locator('.sb-row').first().waitFor();
}
async function logIn(page) {
  await fillLogin(page);
  await submitLogin(page);
}

// Long tasks of the page, from its own observer.
const observeLongTasks = () => {
  window.__long = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(e.duration); })
    .observe({ type: 'longtask', buffered: true });
};

// Both timed in the page, from the login's submit to the first row in the DOM: the same clock
// for the app and the bare page, and none of the driver's own work (finding the button under
// throttling, polling for the row).
async function loginToFirstRow() {
  const { context, page, cdp } = await freshPage();
  await page.addInitScript(() => {
    document.addEventListener('submit', () => { window.__submitted = performance.now(); }, true);
    new MutationObserver((_, observer) => {
      if (document.querySelector('.sb-row')) {
        window.__firstRow = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await fillLogin(page);
  await throttle(cdp, THROTTLE);
  await submitLogin(page);
  const took = await page.evaluate(() => window.__firstRow - window.__submitted);
  await context.close();
  return took;
}

// The same fetches the first screen needs, written by hand: the session, then the workspace,
// the first page of the inbox and the feed's welcome at once, then one row in the DOM.
async function bareToFirstRow() {
  const { context, page, cdp } = await freshPage();
  await page.goto(`${base}/api/v1/health`);
  await throttle(cdp, THROTTLE);
  const took = await page.evaluate(async ({ email, password }) => {
    const start = performance.now();
    await fetch('/api/v1/session', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
    });
    const welcome = new Promise((resolve) => {
      const socket = new WebSocket(`${location.origin.replace('http', 'ws')}/api/v1/feed`);
      socket.onopen = () => socket.send(JSON.stringify({ type: 'hello' }));
      socket.onmessage = (m) => { resolve(JSON.parse(m.data)); socket.close(); };
    });
    const [, page] = await Promise.all([
      fetch('/api/v1/workspace').then((r) => r.json()),
      fetch('/api/v1/conversations?view=unassigned').then((r) => r.json()),
      welcome,
    ]);
    const row = document.createElement('a');
    row.textContent = page.items[0]?.conversation?.contact?.name ?? 'row';
    document.body.append(row);
    return performance.now() - start;
  }, { email, password });
  await context.close();
  return took;
}

async function bigView() {
  const { context, page, cdp } = await freshPage();
  if (bigBase) {
    await context.addCookies([{ name: 'sb_session', value: bigToken, url: bigBase }]);
    await page.goto(`${bigBase}/`);
    await page.locator('.sb-row').first().waitFor();
  } else {
    await logIn(page);
  }
  // The tab with the most conversations.
  const tabs = await page.locator('.sb-tab').evaluateAll((tabs) => tabs.map((t) => ({
    id: t.id, count: t.querySelector('.sb-tab__count')?.textContent ?? '0',
  })).map(({ id, count }) => ({ id, count: count.endsWith('k') ? parseFloat(count) * 1000 : Number(count) })));
  const biggest = tabs.reduce((a, b) => (b.count > a.count ? b : a));
  const other = tabs.find((t) => t.id !== biggest.id);
  await page.locator(`#${biggest.id}`).click();
  await page.locator('.sb-row').first().waitFor();
  await throttle(cdp, THROTTLE);
  // Scroll to the end a screen per frame, recording each frame's time, until the list stops
  // growing (every page loaded) or 90 s pass.
  const scrolled = await page.evaluate(async () => {
    const list = document.querySelector('.sb-list');
    const frames = [];
    let last = performance.now();
    let maxRows = 0;
    let reached = 0;
    const deadline = last + 90_000;
    let still = 0;
    while (performance.now() < deadline && still < 120) {
      const before = list.scrollTop;
      list.scrollTop += list.clientHeight;
      await new Promise(requestAnimationFrame);
      const now = performance.now();
      frames.push(now - last);
      last = now;
      maxRows = Math.max(maxRows, list.querySelectorAll('.sb-row').length);
      for (const item of list.querySelectorAll('[aria-posinset]')) reached = Math.max(reached, Number(item.getAttribute('aria-posinset')));
      still = list.scrollTop === before ? still + 1 : 0;
    }
    return { frames, maxRows, reached, nodes: document.getElementsByTagName('*').length };
  });
  // Away and back: the time until the big view shows its rows again.
  let tabSwitch = 0;
  if (other) {
    await page.locator(`#${other.id}`).click();
    await page.waitForTimeout(500);
    const start = Date.now();
    await page.locator(`#${biggest.id}`).click();
    await page.locator('.sb-row').first().waitFor();
    tabSwitch = Date.now() - start;
  }
  await context.close();
  return { biggest, ...scrolled, tabSwitch };
}

async function feedBurst() {
  const token = (await (await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
  })).json()).token;
  const { context, page, cdp } = await freshPage();
  await logIn(page);
  await page.evaluate(observeLongTasks);
  await throttle(cdp, THROTTLE);
  const stamp = Date.now();
  const start = Date.now();
  const send = (i) => fetch(`${base}/api/v1/sandbox/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ channel: 'sms', from: `+3469${String(stamp % 1e5).padStart(5, '0')}${String(i % 100).padStart(2, '0')}`, text: `burst ${i}` }),
  });
  for (let i = 0; i < burst; i += 8) await Promise.all([...Array(Math.min(8, burst - i)).keys()].map((k) => send(i + k)));
  const sentIn = (Date.now() - start) / 1000;
  // Caught up: the page's Inbox count equals a fresh page's (the server's counts now).
  const inboxCount = (p) => p.locator('#sb-tab-unassigned .sb-tab__count').textContent().catch(() => '');
  const fresh = await freshPage();
  await logIn(fresh.page);
  const truth = await inboxCount(fresh.page);
  let caughtUp = null;
  const waitStart = Date.now();
  while (Date.now() - waitStart < 30_000) {
    if ((await inboxCount(page)) === truth) { caughtUp = Date.now() - waitStart; break; }
    await new Promise((r) => setTimeout(r, 50));
  }
  const long = await page.evaluate(() => window.__long);
  await fresh.context.close();
  await context.close();
  return { rate: burst / sentIn, long, truth, caughtUp };
}

// A customer who wrote THREAD messages, at 4x throttle: opening the thread, reading it back
// with the wheel to its first message (earlier pages load on the way), and new messages
// while it is open at the bottom. Long tasks of each step, the most lines in the DOM, frames.
const THREAD = Number(process.env.THREAD ?? 1000);
async function longThread() {
  const token = (await (await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
  })).json()).token;
  const from = `+3468${String(Date.now() % 1e7).padStart(7, '0')}`;
  const send = (text) => fetch(`${base}/api/v1/sandbox/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ channel: 'whatsapp', from, name: 'Larga Historia', text }),
  });
  for (let i = 0; i < THREAD; i++) await send(`Mensaje ${i}: ${'una línea más de la historia '.repeat(1 + (i % 4))}`);
  const { context, page, cdp } = await freshPage();
  await logIn(page);
  await page.evaluate(observeLongTasks);
  await throttle(cdp, THROTTLE);
  const takeLong = () => page.evaluate(() => window.__long.splice(0));
  await takeLong();
  await page.locator('.sb-row', { hasText: 'Larga Historia' }).first().click();
  await page.locator('.sb-msg__text', { hasText: `Mensaje ${THREAD - 1}:` }).waitFor();
  await page.waitForTimeout(1000);
  const open = await takeLong();
  // Back to the first message: a wheel turn a frame, timed in the page.
  await page.locator('.sb-thread').hover();
  const started = Date.now();
  const frames = [];
  let maxLines = 0;
  while (Date.now() - started < 120_000) {
    await page.mouse.wheel(0, -1200);
    const sample = await page.evaluate(async () => {
      const t0 = performance.now();
      await new Promise(requestAnimationFrame);
      return {
        frame: performance.now() - t0,
        lines: document.querySelectorAll('.sb-thread__items > li').length,
        start: [...document.querySelectorAll('.sb-thread__note')].some((n) => n.textContent === 'Start of the conversation'),
      };
    });
    frames.push(sample.frame);
    maxLines = Math.max(maxLines, sample.lines);
    if (sample.start && (await page.locator('.sb-thread').evaluate((t) => t.scrollTop)) < 5) break;
  }
  const readBack = { long: await takeLong(), seconds: (Date.now() - started) / 1000 };
  // At the bottom again, then ten new messages.
  await page.locator('.sb-thread').evaluate((t) => { t.scrollTop = t.scrollHeight; });
  const unseen = page.getByRole('button', { name: /New messages/ });
  await send('Mensaje nuevo 0');
  // The bottom of what is shown may not be the newest line: then the button takes it there.
  await unseen.click({ timeout: 5000 }).catch(() => {});
  await page.locator('.sb-msg__text', { hasText: 'Mensaje nuevo 0' }).waitFor();
  await page.waitForTimeout(1000);
  await takeLong();
  for (let i = 1; i <= 10; i++) await send(`Mensaje nuevo ${i}`);
  await page.locator('.sb-msg__text', { hasText: 'Mensaje nuevo 10' }).waitFor();
  await page.waitForTimeout(1000);
  const fresh = await takeLong();
  const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  await context.close();
  return { open, readBack, fresh, frames, maxLines, nodes };
}

const logins = []; const bares = [];
for (let i = 0; i < 3; i++) { logins.push(await loginToFirstRow()); bares.push(await bareToFirstRow()); }
const big = await bigView();
const b = await feedBurst();
const t = await longThread();
await browser.close();

console.log(`### The app in Chromium (${THROTTLE}x CPU throttling)

| measure | app | baseline, same run | target |
|---|---|---|---|
| login to the first row (median of 3) | ${ms(median(logins))} | bare page, same fetches: ${ms(median(bares))} (${(median(logins) / median(bares)).toFixed(1)}x) | within 2x |
| rows in the DOM, "${big.biggest.id.replace('sb-tab-', '')}" (${big.biggest.count} conversations) scrolled down for up to 90 s (reached row ${big.reached}) | at most ${big.maxRows} rows at once, ${big.nodes} DOM nodes at the end | | ≤ 60 rows |
| scroll frames (${big.frames.length}) p50 / p95 / p99 | ${ms(pct(big.frames, 0.5))} / ${ms(pct(big.frames, 0.95))} / ${ms(pct(big.frames, 0.99))} | 16.7 ms a frame at 60 fps | |
| switching back to that tab | ${ms(big.tabSwitch)} | | |
| burst of ${burst} customer messages at ${b.rate.toFixed(0)}/s: long tasks | ${tasks(b.long)} | | none over 50 ms |
| the burst's counts | ${b.caughtUp === null ? `never equal to a fresh page's (${b.truth})` : `equal to a fresh page's (${b.truth}) ${ms(b.caughtUp)} after it ended`} | | exact |
| a thread of ${THREAD} messages: opening it, long tasks | ${tasks(t.open)} | | none over 50 ms |
| reading it back to the first message by the wheel (${t.readBack.seconds.toFixed(0)} s, ${t.frames.length} turns): long tasks | ${tasks(t.readBack.long)} | | |
| the same: lines in the DOM, frames p50 / p95 | at most ${t.maxLines}; ${ms(pct(t.frames, 0.5))} / ${ms(pct(t.frames, 0.95))} | 16.7 ms a frame at 60 fps | |
| ten new messages with the whole thread loaded: long tasks | ${tasks(t.fresh)} (${t.nodes} DOM nodes) | | none over 50 ms |
`);
