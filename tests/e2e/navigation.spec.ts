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
  const headings = await groups.allInnerTexts();
  expect(headings.length).toBeGreaterThan(1);
  let sum = 0;
  for (const heading of headings) sum += Number(heading.match(/(\d+)\s*$/)?.[1]);
  expect(sum).toBe(30);
});
