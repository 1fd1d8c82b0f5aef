import { expect, logIn, messagesWithText, row, tabCount, test } from './fixtures';

test.describe('with a carrier slow enough to watch', () => {
  // "Sending" must stay on screen long enough to be seen on a busy machine.
  test.use({ serverArgs: ['--sandbox-delays-ms', '1500,2500,3500'] });

  test('a reply shows at once as sending, then moves to delivered and read by itself', async ({ page, server }) => {
    await server.inbound({ channel: 'whatsapp', from: '+34 622 000 111', name: 'Iván Soto', text: '¿Me ayudáis con el pedido 8812?' });
    await logIn(page, server);
    const mineBefore = await tabCount(page, 'Mine');
    await row(page, 'Iván Soto').getByRole('link').click();

    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('Claro, Iván. Lo miro ahora mismo.');
    await box.press('Enter');
    await expect(box).toHaveValue('');

    const reply = page.locator('.sb-msg--out').filter({ hasText: 'Claro, Iván. Lo miro ahora mismo.' });
    await expect(reply).toHaveCount(1);
    await expect(reply.getByRole('img', { name: 'Sending' })).toBeVisible();
    await expect(reply.getByRole('img', { name: 'Delivered' })).toBeVisible();
    await expect(reply.getByRole('img', { name: 'Read' })).toBeVisible();
    await expect(reply).toHaveCount(1);

    // Answering from the queue took the conversation.
    await expect(page.getByText('Assigned to you')).toBeVisible();
    await expect.poll(() => tabCount(page, 'Mine')).toBe(mineBefore + 1);
    await expect(page.getByText('Ana García took the conversation')).toBeVisible();
  });
});

test('Shift+Enter makes a new line instead of sending', async ({ page, server }) => {
  await server.inbound({ channel: 'sms', from: '+1 415 555 0199', name: 'Grace Lee', text: 'Hi there' });
  await logIn(page, server);
  await row(page, 'Grace Lee').getByRole('link').click();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('First line');
  await box.press('Shift+Enter');
  await box.pressSequentially('second line');
  await expect(page.locator('.sb-msg--out').filter({ hasText: 'First line' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('.sb-msg--out .sb-msg__text').filter({ hasText: 'second line' })).toHaveText('First line\nsecond line');
});

test.describe('when the carrier cannot deliver', () => {
  test.use({ serverArgs: ['--sandbox-failure-rate', '1'] });

  test('a failed reply shows the provider’s reason', async ({ page, server }) => {
    await server.inbound({ channel: 'whatsapp', from: '+34 633 000 222', name: 'Nora Díaz', text: 'Hola' });
    await logIn(page, server);
    await row(page, 'Nora Díaz').getByRole('link').click();
    await page.getByRole('textbox', { name: 'Message' }).fill('¿Sigues ahí?');
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = page.locator('.sb-msg--out').filter({ hasText: '¿Sigues ahí?' });
    await expect(reply.getByRole('img', { name: 'Failed' })).toBeVisible();
    await expect(reply).toContainText('This address cannot receive messages on this channel.');
    // The provider's own words and code stay there for whoever needs them.
    await expect(reply).toContainText('Message undeliverable');
    await expect(reply).toContainText('131026');
    // Not on WhatsApp: sending it again would fail the same way, so nothing offers to.
    await expect(reply.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  });
});

test.describe('when the carrier cannot reach the phone, slowly', () => {
  // Slow enough reports that the new attempt is seen as sending before it fails again.
  test.use({ serverArgs: ['--sandbox-failure-rate', '1', '--sandbox-delays-ms', '1500,3000,4500'] });

  test('a reply the phone could not get says so in the agent’s language and goes again on Retry', async ({ page, server }) => {
    await server.inbound({ channel: 'sms', from: '+34 633 000 223', name: 'Iván Soler', text: 'Hola' });
    await logIn(page, server);
    await page.getByLabel('Language').selectOption('es');
    await row(page, 'Iván Soler').getByRole('link').click();
    await page.getByRole('textbox', { name: 'Mensaje' }).fill('Te llamo mañana');
    await page.getByRole('button', { name: 'Enviar' }).click();
    const reply = page.locator('.sb-msg--out').filter({ hasText: 'Te llamo mañana' });
    await expect(reply.getByRole('img', { name: 'Fallido' })).toBeVisible();
    await expect(reply).toContainText('No se pudo contactar con el teléfono o el buzón del cliente.');
    await expect(reply).toContainText('30003');
    await reply.getByRole('button', { name: 'Reintentar' }).click();
    // The same message goes again (this carrier fails every time, so it fails again).
    await expect(reply.getByRole('img', { name: 'Enviando' })).toBeVisible();
    await expect(reply.getByRole('img', { name: 'Fallido' })).toBeVisible();
    await expect(messagesWithText(page, 'Te llamo mañana')).toHaveCount(1);
  });
});
