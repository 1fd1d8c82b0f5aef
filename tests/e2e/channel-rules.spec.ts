import { expect, logIn, messagesWithText, row, scrolledToRow, secondsAgo, test } from './fixtures';

const DAY = 24 * 3600;

test('a closed WhatsApp window says why and only lets a template go', async ({ page, server }) => {
  await server.inbound({ channel: 'whatsapp', from: '+34 677 100 200', name: 'Lucía Vidal', text: '¿Me avisáis cuando llegue?', at: secondsAgo(DAY + 3 * 3600) });
  await logIn(page, server);
  await (await scrolledToRow(page, 'Lucía Vidal')).getByRole('link').click();

  await expect(page.getByRole('status').filter({ hasText: 'only allows approved templates' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveCount(0);
  await page.getByRole('combobox', { name: 'Template' }).selectOption({ label: 'seguimiento_pedido (es)' });
  const send = page.getByRole('button', { name: 'Send template' });
  await expect(send).toBeDisabled();
  await page.getByLabel('Value for {{1}}').fill('Lucía');
  await page.getByLabel('Value for {{2}}').fill('48213');
  await expect(page.getByLabel('Preview')).toHaveText(/^Hola Lucía, te escribimos por tu pedido 48213\./);
  await send.click();

  const sent = page.locator('.sb-msg--out').filter({ hasText: 'Hola Lucía, te escribimos por tu pedido 48213.' });
  await expect(sent).toContainText('Template: seguimiento_pedido');
  await expect(sent.getByRole('img', { name: 'Delivered' })).toBeVisible();
});

test('a window closing in seconds counts down, flips by itself, and reopens when the customer writes', async ({ page, server }) => {
  await server.inbound({ channel: 'whatsapp', from: '+34 677 100 201', name: 'Marcos Peña', text: 'Hola', at: secondsAgo(DAY - 12) });
  await logIn(page, server);
  await (await scrolledToRow(page, 'Marcos Peña')).getByRole('link').click();

  await expect(page.getByRole('note').filter({ hasText: /The reply window closes in \d+ s/ })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
  // No reload: the clock alone closes it.
  await expect(page.getByRole('status').filter({ hasText: 'only allows approved templates' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveCount(0);

  await server.inbound({ channel: 'whatsapp', from: '+34677100201', text: '¿Seguís ahí?' });
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'only allows approved templates' })).toHaveCount(0);
});

test('an over-long message is refused in the composer, with the limit named', async ({ page, server }) => {
  await server.inbound({ channel: 'instagram', from: '@larga.historia', name: 'Rita Long', text: 'Cuéntame' });
  await logIn(page, server);
  await row(page, 'Rita Long').getByRole('link').click();
  await page.getByRole('textbox', { name: 'Message' }).fill('a'.repeat(1001));
  await expect(page.getByRole('status').filter({ hasText: 'Instagram allows 1000 characters; this has 1001.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send' })).toBeDisabled();
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(page.locator('.sb-msg--out')).toHaveCount(0);
});

test('STOP blocks sends until the customer writes START', async ({ page, server }) => {
  await server.inbound({ channel: 'sms', from: '+1 415 555 0142', name: 'Dana Stop', text: 'What are your hours?' });
  await logIn(page, server);
  await row(page, 'Dana Stop').getByRole('link').click();
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeEnabled();

  await server.inbound({ channel: 'sms', from: '+14155550142', text: 'STOP' });
  await expect(page.getByRole('status').filter({ hasText: 'replied STOP' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeDisabled();
  await expect(page.getByText('The customer replied STOP: no more messages until they opt back in')).toBeVisible();

  await server.inbound({ channel: 'sms', from: '+14155550142', text: 'START' });
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeEnabled();
});

test('after a day on Messenger the reply goes as a human agent, and says so', async ({ page, server }) => {
  await server.inbound({ channel: 'messenger', from: '5566778899', name: 'Paco Días', text: '¿Tenéis talla 44?', at: secondsAgo(2 * DAY) });
  await logIn(page, server);
  await (await scrolledToRow(page, 'Paco Días')).getByRole('link').click();
  await expect(page.getByRole('status').filter({ hasText: 'reply as a human agent' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Message' }).fill('Sí, nos quedan dos pares.');
  await page.getByRole('button', { name: 'Send as human agent' }).click();
  const sent = page.locator('.sb-msg--out').filter({ hasText: 'Sí, nos quedan dos pares.' });
  await expect(sent).toContainText('Human agent');
  await expect(sent.getByRole('img', { name: 'Delivered' })).toBeVisible();
});
