import { expect, logIn, test } from './fixtures';

test('the address holds the tab and the conversation: reload and back work', async ({ page, server }) => {
  await logIn(page, server);
  await page.getByRole('tab', { name: /^Mine/ }).click();
  await expect(page).toHaveURL(/\/inbox\/mine$/);

  const first = page.getByRole('list', { name: /WhatsApp conversations/ }).getByRole('link').first();
  const name = (await first.locator('.sb-row__name').innerText()).trim();
  await first.click();
  await expect(page).toHaveURL(/\/inbox\/mine\/c\/\d+$/);
  await expect(page.getByRole('heading', { name })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await expect(page.getByRole('tab', { name: /^Mine/ })).toHaveAttribute('aria-selected', 'true');

  await page.goBack();
  await expect(page).toHaveURL(/\/inbox\/mine$/);
  await expect(page.getByRole('heading', { name: 'Pick a conversation' })).toBeVisible();
});

test('my conversations are grouped by channel, each group with its count', async ({ page, server }) => {
  await logIn(page, server);
  await page.getByRole('tab', { name: /^Mine/ }).click();
  const groups = page.locator('.sb-list__group');
  await expect(groups.first()).toBeVisible();
  // The list is windowed: headings are in the DOM while near the screen, so read them all
  // on the way down.
  const list = page.locator('.sb-list');
  const headings = new Map<string, number>();
  for (;;) {
    for (const heading of await groups.allInnerTexts()) {
      const [, name, count] = heading.match(/^(.*?)\s*(\d+)\s*$/s) ?? [];
      headings.set(name, Number(count));
    }
    const atEnd = await list.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 1);
    if (atEnd) break;
    await list.evaluate((el) => el.scrollBy(0, el.clientHeight / 2));
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  }
  expect(headings.size).toBeGreaterThan(1);
  let sum = 0;
  for (const count of headings.values()) sum += count;
  expect(sum).toBe(30);
});
