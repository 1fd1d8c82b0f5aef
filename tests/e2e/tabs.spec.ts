import { expect, logIn, row, test } from './fixtures';

test('two tabs of the browser stay in step: counts and bubbles update in both', async ({ context, server }) => {
  const first = await context.newPage();
  await logIn(first, server);
  const second = await context.newPage();
  await second.goto(`${server.url}/inbox/unassigned`);
  await expect(second.getByRole('tab', { name: /^Inbox/ })).toBeVisible();

  await server.inbound({ channel: 'instagram', from: '@lu.photo', name: 'Lu Chen', text: 'Do you ship to Taiwan?' });
  for (const page of [first, second]) {
    await expect(row(page, 'Lu Chen').getByRole('img', { name: '1 unread' })).toBeVisible();
  }

  await row(first, 'Lu Chen').getByRole('link').click();
  await expect(first.getByRole('heading', { name: 'Lu Chen' })).toBeVisible();
  await expect(row(second, 'Lu Chen').locator('.sb-bubble')).toHaveCount(0);
});
