import { type Page } from '@playwright/test';
import { expect, logIn, secondsAgo, type Server, tabCount, test } from './fixtures';

const SEEDED = 700;

/** Customers write SEEDED new conversations, newest first: "Cliente 0000" is the newest. */
async function seed(server: Server): Promise<void> {
  await server.token(); // one login, before the parallel calls
  for (let start = 0; start < SEEDED; start += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, SEEDED - start) }, (_, k) => {
        const n = String(start + k).padStart(4, '0');
        return server.inbound({ channel: 'webchat', from: `visitor-long-${n}`, name: `Cliente ${n}`, text: `Consulta ${n}`, at: secondsAgo(start + k + 1) });
      }),
    );
  }
}

/** Waits until the browser has rendered two frames (the window follows a scroll in one). */
async function frames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

test('a list of hundreds keeps only the rows on screen in the DOM, to its very end', async ({ page, server }) => {
  await seed(server);
  await logIn(page, server);
  const total = await tabCount(page, 'Inbox');
  expect(total).toBeGreaterThanOrEqual(SEEDED);
  const list = page.locator('.sb-list');
  const rows = page.locator('.sb-row');
  await expect(rows.first()).toContainText('Cliente 0000');
  expect(await rows.count()).toBeLessThanOrEqual(60);

  // Scrolled to the end again and again: pages load as it nears the end, the DOM stays small,
  // and the last row is the last of them all.
  let most = 0;
  await expect
    .poll(
      async () => {
        await list.evaluate((el) => el.scrollTo(0, el.scrollHeight));
        await frames(page);
        most = Math.max(most, await rows.count());
        return Number(await page.locator('li.sb-row-item').last().getAttribute('aria-posinset'));
      },
      { timeout: 45_000, intervals: [100] },
    )
    .toBe(total);
  expect(most).toBeLessThanOrEqual(60);
  expect(most).toBeGreaterThan(5);
  await expect(page.locator('li.sb-row-item').last()).toHaveAttribute('aria-setsize', String(total));
});

test('arrow keys move the window along, and the open row stays marked', async ({ page, server }) => {
  await seed(server);
  await logIn(page, server);
  const rows = page.locator('.sb-row');
  const focused = page.locator('li.sb-row-item:has(.sb-row:focus)');
  await rows.first().focus();
  for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowDown');
  await expect(focused).toHaveAttribute('aria-posinset', '41');
  await expect(rows.first()).not.toContainText('Cliente 0000');
  expect(await rows.count()).toBeLessThanOrEqual(60);
  await page.keyboard.press('ArrowUp');
  await expect(focused).toHaveAttribute('aria-posinset', '40');
  const name = await focused.locator('.sb-row__name').innerText();

  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/inbox\/unassigned\/c\/\d+$/);
  await expect(page.getByRole('heading', { name })).toBeVisible();
  const selected = page.locator('.sb-row[aria-current="page"]');
  await expect(selected).toContainText(name);

  // Scrolled far away the row leaves the DOM; back, it is still the selected one.
  const list = page.locator('.sb-list');
  const where = await list.evaluate((el) => el.scrollTop);
  await expect
    .poll(() => list.evaluate((el) => (el.scrollTo(0, el.scrollHeight), el.scrollTop)), { intervals: [100] })
    .toBeGreaterThan(20_000);
  await expect(selected).toHaveCount(0);
  await list.evaluate((el, top) => el.scrollTo(0, top), where);
  await expect(selected).toContainText(name);
});

test('a tab keeps its scroll position while another is shown', async ({ page, server }) => {
  await seed(server);
  await logIn(page, server);
  const list = page.locator('.sb-list');
  // Far enough down that a few pages have loaded.
  await expect
    .poll(() => list.evaluate((el) => (el.scrollTo(0, el.scrollHeight), el.scrollHeight)), { intervals: [100] })
    .toBeGreaterThan(30_000);
  await list.evaluate((el) => el.scrollTo(0, 20_000));
  await frames(page);
  const top = await list.evaluate((el) => el.scrollTop);
  expect(top).toBeGreaterThan(10_000);
  const seen = await page.locator('.sb-row__name').nth(8).innerText();

  await page.getByRole('tab', { name: /^Mine/ }).click();
  await expect(page.getByRole('list', { name: /WhatsApp conversations/ })).toBeVisible();
  await expect.poll(() => list.evaluate((el) => el.scrollTop)).toBeLessThan(top);

  await page.getByRole('tab', { name: /^Inbox/ }).click();
  await expect.poll(() => list.evaluate((el) => el.scrollTop)).toBe(top);
  await expect(page.locator('.sb-row', { hasText: seen })).toBeVisible();
});

test('rows that scroll out lend their nodes to the rows that scroll in', async ({ page, server }) => {
  await seed(server);
  await logIn(page, server);
  const list = page.locator('.sb-list');
  await expect(page.locator('.sb-row').first()).toContainText('Cliente 0000');
  // Every row body on screen now is marked, with the conversation it shows.
  const first = await list.evaluate((el) =>
    [...el.querySelectorAll('a.sb-row')].map((a) => {
      (a.querySelector('.sb-row__body') as HTMLElement & { sbWas?: string }).sbWas = a.getAttribute('data-id') ?? '';
      return a.getAttribute('data-id');
    }),
  );
  expect(first.length).toBeGreaterThan(5);
  // A few screens down, one screen a frame: none of those conversations is in the DOM any more...
  for (let i = 0; i < 6; i++) {
    await list.evaluate((el) => el.scrollBy(0, el.clientHeight));
    await frames(page);
  }
  const now = await list.evaluate((el) =>
    [...el.querySelectorAll('a.sb-row')].map((a) => ({
      id: a.getAttribute('data-id'),
      was: (a.querySelector('.sb-row__body') as HTMLElement & { sbWas?: string }).sbWas,
      name: a.querySelector('.sb-row__name')?.textContent,
      preview: a.querySelector('.sb-row__preview')?.textContent,
    })),
  );
  expect(now.filter(({ id }) => first.includes(id)).length).toBe(0);
  // ...yet rows on screen are drawn in the nodes of rows that left, each showing its own.
  const reused = now.filter(({ was, id }) => was !== undefined && was !== id);
  expect(reused.length).toBeGreaterThan(0);
  for (const row of now) {
    const n = row.name?.match(/^Cliente (\d{4})$/)?.[1];
    expect(row.preview).toBe(`Consulta ${n}`);
  }
  const names = now.map((row) => row.name);
  expect(new Set(names).size).toBe(names.length);
});

test('rows that stay on screen as the list scrolls stay where they are in the DOM', async ({ page, server }) => {
  await seed(server);
  await logIn(page, server);
  const list = page.locator('.sb-list');
  await expect(page.locator('.sb-row').first()).toContainText('Cliente 0000');
  const moves = await list.evaluate(async (el) => {
    const result = [];
    for (let i = 0; i < 4; i++) {
      const before = new Set(el.querySelectorAll('li.sb-row-item'));
      const taken = new Set<Node>();
      const observer = new MutationObserver((records) => {
        for (const r of records) for (const n of r.removedNodes) taken.add(n);
      });
      observer.observe(el, { subtree: true, childList: true });
      // A screen: the rows rendered beyond its lower edge stay.
      el.scrollBy(0, el.clientHeight);
      await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
      observer.takeRecords().forEach((r) => r.removedNodes.forEach((n) => taken.add(n)));
      observer.disconnect();
      const after = [...el.querySelectorAll('li.sb-row-item')];
      const stayed = after.filter((li) => before.has(li));
      result.push({ stayed: stayed.length, moved: stayed.filter((li) => taken.has(li)).length });
    }
    return result;
  });
  for (const { stayed, moved } of moves) {
    expect(stayed).toBeGreaterThan(2);
    expect(moved).toBe(0);
  }
});
