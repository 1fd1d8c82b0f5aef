import { expect, logIn, messagesWithText, row, tabCount, test } from './fixtures';

test('a customer message raises the Inbox count and the row bubble live', async ({ page, server }) => {
  await logIn(page, server);
  const before = await tabCount(page, 'Inbox');

  await server.inbound({ channel: 'whatsapp', from: '+34 611 222 333', name: 'Rocío Márquez', text: 'Hola, ¿tenéis cita mañana?' });
  await expect.poll(() => tabCount(page, 'Inbox')).toBe(before + 1);
  await expect(row(page, 'Rocío Márquez').getByRole('img', { name: '1 unread' })).toBeVisible();
  await expect(page.getByRole('listitem').first()).toContainText('Rocío Márquez');

  // The same customer again: the bubble grows, the queue does not.
  await server.inbound({ channel: 'whatsapp', from: '+34611222333', text: '¿Hola?' });
  await expect(row(page, 'Rocío Márquez').getByRole('img', { name: '2 unread' })).toBeVisible();
  expect(await tabCount(page, 'Inbox')).toBe(before + 1);
});

test('opening a conversation clears its bubble, for good', async ({ page, server }) => {
  await server.inbound({ channel: 'telegram', from: '@marta_k', name: 'Marta Kowalski', text: 'Hello! Is anyone there?' });
  await logIn(page, server);
  const marta = row(page, 'Marta Kowalski');
  await expect(marta.getByRole('img', { name: '1 unread' })).toBeVisible();

  await marta.getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'Marta Kowalski' })).toBeVisible();
  await expect(messagesWithText(page, 'Hello! Is anyone there?')).toHaveCount(1);
  await expect(marta.locator('.sb-bubble')).toHaveCount(0);

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Marta Kowalski' })).toBeVisible();
  await expect(row(page, 'Marta Kowalski').locator('.sb-bubble')).toHaveCount(0);
});

test('what a customer writes is shown as text, never run as markup', async ({ page, server }) => {
  const hostile = '<img src=x onerror="window.pwned=1"><b>hola</b>';
  await server.inbound({ channel: 'webchat', from: 'visitor-x1', name: 'Mallory', text: hostile });
  await logIn(page, server);
  await row(page, 'Mallory').getByRole('link').click();
  await expect(messagesWithText(page, hostile)).toHaveCount(1);
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
});

test('"New messages" marks where the unread part began when the conversation was opened', async ({ page, server }) => {
  const customer = { channel: 'telegram', from: '@nora_vidal', name: 'Nora Vidal' };
  await server.inbound({ ...customer, text: 'Primera pregunta' });
  await logIn(page, server);
  const divider = page.locator('.sb-thread').getByRole('separator').filter({ hasText: 'New messages' });
  const afterDivider = page.locator('.sb-thread__items > li.sb-unread-from + li');

  await row(page, 'Nora Vidal').getByRole('link').click();
  await expect(afterDivider).toContainText('Primera pregunta');
  await page.getByRole('tab', { name: /^Inbox/ }).click();
  await expect(page.getByRole('heading', { name: 'Nora Vidal' })).toHaveCount(0);

  await server.inbound({ ...customer, text: 'Segunda' });
  await server.inbound({ ...customer, text: 'Tercera' });
  await expect(row(page, 'Nora Vidal').getByRole('img', { name: '2 unread' })).toBeVisible();
  await row(page, 'Nora Vidal').getByRole('link').click();
  await expect(afterDivider).toContainText('Segunda');
  await expect(divider).toHaveCount(1);
  // What comes while the agent reads is read already: the mark stays where it was.
  await server.inbound({ ...customer, text: 'Cuarta' });
  await expect(messagesWithText(page, 'Cuarta')).toHaveCount(1);
  await expect(afterDivider).toContainText('Segunda');
  await expect(divider).toHaveCount(1);

  // Opened again with nothing unread: no mark.
  await page.getByRole('tab', { name: /^Inbox/ }).click();
  await expect(page.getByRole('heading', { name: 'Nora Vidal' })).toHaveCount(0);
  await row(page, 'Nora Vidal').getByRole('link').click();
  await expect(messagesWithText(page, 'Cuarta')).toHaveCount(1);
  await expect(divider).toHaveCount(0);
});
