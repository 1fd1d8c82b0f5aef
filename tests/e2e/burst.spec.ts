import { expect, logIn, tabCount, test } from './fixtures';

const TABS = ['Inbox', 'Mine', 'All', 'Snoozed', 'Closed'];

async function counts(page: import('@playwright/test').Page): Promise<number[]> {
  return Promise.all(TABS.map((name) => tabCount(page, name)));
}

test('a burst of customer messages ends with exactly the counts the server has', async ({ context, page, server }) => {
  await logIn(page, server);
  const before = await tabCount(page, 'Inbox');
  // The longest task the page runs while the burst comes in, for the record.
  await page.evaluate(() => {
    const w = window as unknown as { longest: number };
    w.longest = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.longest = Math.max(w.longest, entry.duration);
    }).observe({ type: 'longtask' });
  });

  // 150 new conversations, each written to twice, all at once.
  const conversations = 150;
  await server.token();
  await Promise.all(
    Array.from({ length: conversations }, async (_, k) => {
      const from = `burst-${k}`;
      await server.inbound({ channel: 'webchat', from, name: `Ráfaga ${k}`, text: `Hola ${k}` });
      await server.inbound({ channel: 'webchat', from, text: `¿Hay alguien? ${k}` });
    }),
  );
  await expect.poll(() => tabCount(page, 'Inbox')).toBe(before + conversations);

  // What a page loaded now from the server says, the live page says too.
  const fresh = await context.newPage();
  await fresh.goto(`${server.url}/inbox/unassigned`);
  await expect(fresh.getByRole('list', { name: 'Conversations' }).getByRole('listitem').first()).toBeVisible();
  const truth = await counts(fresh);
  await expect.poll(() => counts(page)).toEqual(truth);
  await expect(page.locator('.sb-row').first().getByRole('img', { name: '2 unread' })).toBeVisible();
  console.log(`longest task during the burst: ${await page.evaluate(() => (window as unknown as { longest: number }).longest)} ms`);
});
