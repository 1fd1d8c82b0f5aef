import { expect, logIn, messagesWithText, row, test } from './fixtures';

/** The messages of a conversation, as the API has them. */
async function storedMessages(server: { url: string; token(): Promise<string> }, conversation: number) {
  const response = await fetch(`${server.url}/api/v1/conversations/${conversation}/messages`, {
    headers: { authorization: `Bearer ${await server.token()}` },
  });
  const page = await response.json();
  return page.items.filter((item: { type: string }) => item.type === 'message');
}

test('a private note is for the team: marked as such, never delivered, the list unchanged', async ({ page, server }) => {
  const { conversation_id } = await server.inbound({ channel: 'whatsapp', from: '+34 611 000 301', name: 'Paula Gil', text: 'Quiero devolver el abrigo' });
  await logIn(page, server);
  await row(page, 'Paula Gil').getByRole('link').click();

  await page.getByRole('radio', { name: 'Private note' }).click();
  const box = page.getByRole('textbox', { name: 'Private note' });
  await box.fill('Clienta VIP: aceptar la devolución sin gastos');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(box).toHaveValue('');

  const note = page.locator('.sb-msg--note').filter({ hasText: 'Clienta VIP' });
  await expect(note).toContainText('Private note');
  // Replies move to Delivered by themselves in the sandbox; a note has no delivery at all.
  await page.waitForTimeout(3000);
  await expect(note.getByRole('img')).toHaveCount(0);
  const stored = await storedMessages(server, conversation_id);
  const kept = stored.find((m: { text: string }) => m.text.startsWith('Clienta VIP'));
  expect(kept.note).toBe(true);
  expect(kept.status).toBeNull();
  await expect(row(page, 'Paula Gil')).toContainText('Quiero devolver el abrigo');
  await expect(page.getByRole('button', { name: 'Assign to me' })).toBeVisible();
});

test('a draft survives switching conversations and reloading the page', async ({ page, server }) => {
  await server.inbound({ channel: 'sms', from: '+34 611 000 302', name: 'Raúl Peña', text: 'Hola' });
  await server.inbound({ channel: 'sms', from: '+34 611 000 303', name: 'Sara Ruiz', text: 'Buenas' });
  await logIn(page, server);
  await row(page, 'Raúl Peña').getByRole('link').click();
  await page.getByRole('textbox', { name: 'Message' }).fill('Raúl, te escribo sobre');

  await row(page, 'Sara Ruiz').getByRole('link').click();
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('');
  await page.getByRole('radio', { name: 'Private note' }).click();
  await page.getByRole('textbox', { name: 'Private note' }).fill('Llamar mañana');

  await row(page, 'Raúl Peña').getByRole('link').click();
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('Raúl, te escribo sobre');
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('Raúl, te escribo sobre');
  await row(page, 'Sara Ruiz').getByRole('link').click();
  await expect(page.getByRole('textbox', { name: 'Private note' })).toHaveValue('Llamar mañana');
});

test('offline, replies wait in order and each goes once when the connection is back', async ({ page, context, server }) => {
  const { conversation_id } = await server.inbound({ channel: 'telegram', from: '@tomas', name: 'Tomás Vidal', text: '¿Seguís ahí?' });
  await logIn(page, server);
  await row(page, 'Tomás Vidal').getByRole('link').click();
  const box = page.getByRole('textbox', { name: 'Message' });

  await context.setOffline(true);
  for (const text of ['Uno', 'Dos', 'Tres']) {
    await box.fill(text);
    await box.press('Enter');
  }
  await expect(page.locator('.sb-msg--pending')).toHaveCount(3);
  await expect(page.getByText('Waiting for the connection').first()).toBeVisible();

  await context.setOffline(false);
  await expect(page.locator('.sb-msg--pending')).toHaveCount(0, { timeout: 20_000 });
  for (const text of ['Uno', 'Dos', 'Tres']) await expect(messagesWithText(page, text)).toHaveCount(1);
  const texts = (await storedMessages(server, conversation_id)).map((m: { text: string }) => m.text);
  expect(texts).toEqual(['¿Seguís ahí?', 'Uno', 'Dos', 'Tres']);
});

test('a reply written offline survives a reload and goes once the server is back', async ({ page, server }) => {
  const { conversation_id } = await server.inbound({ channel: 'sms', from: '+34 611 000 304', name: 'Úrsula Mar', text: 'Hola' });
  await logIn(page, server);
  await row(page, 'Úrsula Mar').getByRole('link').click();
  // The server goes away; the agent keeps writing.
  await page.route('**/api/v1/conversations/*/messages', (route) =>
    route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue(),
  );
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('No se pierde');
  await box.press('Enter');
  await expect(page.getByText('Waiting for the connection')).toBeVisible();
  // Reloaded while the server is still unreachable: the reply is still there, still waiting.
  await page.reload();
  await expect(page.locator('.sb-msg--pending').filter({ hasText: 'No se pierde' })).toBeVisible();
  await expect(page.getByText('Waiting for the connection')).toBeVisible();
  await page.unroute('**/api/v1/conversations/*/messages');
  await expect(page.locator('.sb-msg--pending')).toHaveCount(0, { timeout: 30_000 });
  await expect(messagesWithText(page, 'No se pierde')).toHaveCount(1);
  const texts = (await storedMessages(server, conversation_id)).map((m: { text: string }) => m.text);
  expect(texts.filter((t: string) => t === 'No se pierde')).toHaveLength(1);
});

test('with Ctrl+Enter chosen as the send key, Enter breaks the line', async ({ page, server }) => {
  await server.inbound({ channel: 'sms', from: '+34 611 000 305', name: 'Víctor Sanz', text: 'Hola' });
  await logIn(page, server);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('radio', { name: /^Ctrl\/⌘\+Enter/ }).check();
  await page.getByRole('link', { name: 'Back to the inbox' }).click();
  await page.getByRole('tab', { name: /^Inbox/ }).click();
  await row(page, 'Víctor Sanz').getByRole('link').click();

  const box = page.getByRole('textbox', { name: 'Message' });
  await expect(page.getByText('Ctrl/⌘+Enter to send')).toBeVisible();
  await box.fill('Primera línea');
  await box.press('Enter');
  await box.pressSequentially('segunda');
  await expect(page.locator('.sb-msg--out')).toHaveCount(0);
  await box.press('Control+Enter');
  await expect(page.locator('.sb-msg--out .sb-msg__text')).toHaveText('Primera línea\nsegunda');
});

test('a reply begun before the customer or a teammate wrote asks before it goes', async ({ page, server }) => {
  const customer = { channel: 'telegram', from: '@ines_guardia', name: 'Inés Guardia' };
  const { conversation_id } = await server.inbound({ ...customer, text: '¿Me ayudáis con un pedido?' });
  await logIn(page, server);
  await row(page, 'Inés Guardia').getByRole('link').click();
  const box = page.getByRole('textbox', { name: 'Message' });
  const guard = page.getByRole('alert').filter({ hasText: 'wrote since you began this reply' });

  await box.fill('Claro, dime el número de pedido');
  await server.inbound({ ...customer, text: 'Es el 4471' });
  await expect(messagesWithText(page, 'Es el 4471')).toHaveCount(1);
  await box.press('Enter');
  await expect(guard).toContainText('Inés Guardia');
  await expect(messagesWithText(page, 'Claro, dime el número de pedido')).toHaveCount(0);
  await expect(box).toHaveValue('Claro, dime el número de pedido');

  // Read first: the reply stays in the box, and now goes as it is.
  await guard.getByRole('button', { name: 'Read it first' }).click();
  await expect(guard).toHaveCount(0);
  await expect(box).toBeFocused();
  await box.fill('Perfecto, miro el 4471');

  // A teammate's note meanwhile: named, and sent anyway on the agent's word.
  const luis = await server.token('luis@example.com');
  const noted = await fetch(`${server.url}/api/v1/conversations/${conversation_id}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${luis}` },
    body: JSON.stringify({ client_id: crypto.randomUUID(), text: 'Ya lo miro yo', note: true }),
  });
  expect(noted.status, await noted.clone().text()).toBeLessThan(300);
  await expect(messagesWithText(page, 'Ya lo miro yo')).toHaveCount(1);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(guard).toContainText('Luis');
  await guard.getByRole('button', { name: 'Send anyway' }).click();
  await expect(messagesWithText(page, 'Perfecto, miro el 4471')).toHaveCount(1);
  await expect(guard).toHaveCount(0);
  await expect(box).toHaveValue('');
});
