import { expect, logIn, test } from './fixtures';

test('an agent logs in with email and password and lands in the inbox', async ({ page, server }) => {
  await logIn(page, server);
  await expect(page).toHaveURL(/\/inbox\/unassigned$/);
  for (const name of ['Inbox', 'Mine', 'All', 'Closed']) {
    await expect(page.getByRole('tab', { name: new RegExp(`^${name}`) })).toBeVisible();
  }
  await expect(page.getByRole('tab', { name: /^Inbox/ })).toHaveAttribute('aria-selected', 'true');
});

test('a wrong password is refused with a sentence, and nothing else happens', async ({ page, server }) => {
  await page.goto(`${server.url}/login`);
  await page.getByLabel('Email').fill('ana@example.com');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toHaveText('That email and password do not match.');
  await expect(page).toHaveURL(/\/login$/);
});

test('the session survives a reload and ends with log out', async ({ page, server }) => {
  await logIn(page, server);
  await page.reload();
  await expect(page.getByRole('tab', { name: /^Inbox/ })).toBeVisible();
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
  await page.goto(`${server.url}/inbox/mine`);
  await expect(page).toHaveURL(/\/login\?next=/);
});
