import { expect, logIn, messagesWithText, test } from './fixtures';

const results = (page) => page.getByRole('region', { name: 'Search results' });

test('a word typed without its accent finds the message, the match marked, and opens its conversation', async ({ page, server }) => {
  await server.inbound({ channel: 'whatsapp', from: '+34 611 400 001', name: 'Marta Ruiz', text: '¿Dónde está mi camión? Lo espero desde el lunes' });
  await logIn(page, server);

  await page.getByRole('searchbox', { name: 'Search' }).fill('camion');
  const messages = results(page).getByRole('list', { name: 'Messages' });
  const hit = messages.getByRole('listitem').filter({ hasText: 'Marta Ruiz' });
  await expect(hit).toBeVisible();
  await expect(hit.locator('mark')).toHaveText('camión');
  // The list is out of the way while the results show.
  await expect(page.getByRole('tab', { name: /^Inbox/ })).toBeHidden();

  await hit.getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'Marta Ruiz' })).toBeVisible();
  await expect(page).toHaveURL(/\/inbox\/unassigned\/c\/\d+\?m=\d+$/);
});

test('a message found far back in a long thread opens there, in view and marked', async ({ page, server }) => {
  const customer = { channel: 'webchat', from: 'visitor-long-thread', name: 'Olga Largo' };
  await server.inbound({ ...customer, text: '¿Dónde quedó el pedido del camión rojo?' });
  // Five pages of the thread's usual 50 after it: reaching it takes earlier pages.
  for (let n = 1; n <= 260; n++) await server.inbound({ ...customer, text: `Mensaje ${n}` });
  await logIn(page, server);

  await page.getByRole('searchbox', { name: 'Search' }).fill('camion rojo');
  const hit = results(page).getByRole('list', { name: 'Messages' }).getByRole('listitem').filter({ hasText: 'Olga Largo' });
  await hit.getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'Olga Largo' })).toBeVisible();

  const found = messagesWithText(page, '¿Dónde quedó el pedido del camión rojo?');
  await expect(found).toBeInViewport();
  await expect(page.locator('.sb-thread__items > li[data-found]')).toContainText('camión rojo');
  // Opened there, not at the newest message; the newest is a click away.
  await expect(messagesWithText(page, 'Mensaje 260')).not.toBeInViewport();
  await expect(page.getByText('Start of the conversation')).toBeVisible();
});

test('a reply sent from the app, found far back, opens there too', async ({ page, server }) => {
  const customer = { channel: 'webchat', from: 'visitor-own-reply', name: 'Pablo Propio' };
  const { conversation_id } = await server.inbound({ ...customer, text: 'Hola' });
  // Sent as the app sends it: with a client id, which is how the thread keys its own replies.
  const reply = await fetch(`${server.url}/api/v1/conversations/${conversation_id}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await server.token()}` },
    body: JSON.stringify({ client_id: crypto.randomUUID(), text: 'Le enviamos el albarán firmado' }),
  });
  expect(reply.status, await reply.clone().text()).toBeLessThan(300);
  for (let n = 1; n <= 80; n++) await server.inbound({ ...customer, text: `Mensaje ${n}` });
  await logIn(page, server);

  await page.getByRole('searchbox', { name: 'Search' }).fill('albaran firmado');
  const hit = results(page).getByRole('list', { name: 'Messages' }).getByRole('listitem').filter({ hasText: 'Pablo Propio' });
  await hit.getByRole('link').click();
  await expect(messagesWithText(page, 'Le enviamos el albarán firmado')).toBeInViewport();
  await expect(messagesWithText(page, 'Mensaje 80')).not.toBeInViewport();
});

test('a closed conversation is found by its contact’s number written another way, and opens', async ({ page, server }) => {
  const { conversation_id } = await server.inbound({ channel: 'sms', from: '+34 600 11 22 33', name: 'Julio Cerrado', text: 'Gracias, todo bien' });
  const token = await server.token('luis@example.com');
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const workspace = await (await fetch(`${server.url}/api/v1/workspace`, { headers })).json();
  const closed = await fetch(`${server.url}/api/v1/conversations/${conversation_id}/close`, {
    method: 'POST', headers, body: JSON.stringify({ reason: workspace.wrap_up_reasons[0].id }),
  });
  expect(closed.status).toBe(200);

  await logIn(page, server);
  await page.getByRole('searchbox', { name: 'Search' }).fill('600112233');
  const contact = results(page).getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: 'Julio Cerrado' });
  await expect(contact).toContainText('Closed');
  await contact.getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'Julio Cerrado' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reopen' })).toBeVisible();
});

test('/ and Ctrl+K reach the search box, Escape empties it and brings the list back', async ({ page, server }) => {
  await logIn(page, server);
  const box = page.getByRole('searchbox', { name: 'Search' });
  await page.locator('body').press('/');
  await expect(box).toBeFocused();
  await box.fill('zzzqqq');
  await expect(results(page).getByRole('status')).toHaveText('Nothing found. Closed conversations are searched too.');
  await box.press('Escape');
  await expect(box).toHaveValue('');
  await expect(results(page)).toHaveCount(0);
  await expect(page.getByRole('tab', { name: /^Inbox/ })).toBeVisible();

  await page.getByRole('tab', { name: /^Inbox/ }).focus();
  await page.keyboard.press('Control+k');
  await expect(box).toBeFocused();
  await box.fill('¿?');
  await expect(results(page).getByRole('status')).toHaveText('Type a word, a name or a number.');

  // Enter opens the first result.
  await server.inbound({ channel: 'telegram', from: '@quique_envios', name: 'Quique Envíos', text: 'Pregunta sobre el albarán' });
  await box.fill('albaran');
  await expect(results(page).getByRole('link').first()).toContainText('Quique Envíos');
  await box.press('Enter');
  await expect(page.getByRole('heading', { name: 'Quique Envíos' })).toBeVisible();
});
