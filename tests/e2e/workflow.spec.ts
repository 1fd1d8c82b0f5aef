import { devices, type Browser, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, logIn, row, secondsAgo, tabCount, test, type Server } from './fixtures';

const DAY = 24 * 3600;

/** Opens a conversation of the visible list and takes it, so it is in "Mine". */
async function takeFromInbox(page: Page, name: string): Promise<void> {
  await row(page, name).getByRole('link').click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await page.getByRole('button', { name: 'Assign to me' }).click();
  await expect(page.getByText('Assigned to you')).toBeVisible();
}

/** A second agent's browser, logged in and on the inbox (so they are online and Available). */
async function secondAgent(browser: Browser, server: Server, email = 'luis@example.com'): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await logIn(page, server, email);
  return page;
}

/** Changes the server's database directly: what an admin console would do. */
function sql(server: Server, statement: string): void {
  const file = join(server.dataDir, 'switchboard.sqlite3');
  execFileSync('python3', ['-c', 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()', file, statement]);
}

test('closing with a reason takes the row out of Mine and into Closed, reason shown', async ({ page, server }) => {
  await server.inbound({ channel: 'whatsapp', from: '+34 622 700 001', name: 'Carla Cierre', text: '¿Ya salió mi pedido?' });
  await logIn(page, server);
  await takeFromInbox(page, 'Carla Cierre');
  await page.getByRole('tab', { name: /^Mine/ }).click();
  await expect(row(page, 'Carla Cierre')).toBeVisible();
  await row(page, 'Carla Cierre').getByRole('link').click();

  await page.getByRole('button', { name: 'Close', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Close the conversation' });
  await dialog.getByRole('button', { name: 'Close conversation' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Choose a reason');
  await dialog.getByLabel('Reason').selectOption({ label: 'Pedido gestionado' });
  await dialog.getByLabel('Summary (optional)').fill('Enviado hoy');
  await dialog.getByRole('button', { name: 'Close conversation' }).click();
  await expect(dialog).toBeHidden();

  await expect(page.locator('.sb-event__text', { hasText: 'Ana García closed the conversation: Pedido gestionado — “Enviado hoy”' })).toBeVisible();
  await expect(row(page, 'Carla Cierre')).toHaveCount(0);
  await page.getByRole('tab', { name: /^Closed/ }).click();
  await expect(row(page, 'Carla Cierre')).toContainText('Closed: Pedido gestionado');
});

test('a transfer to Luis lands in his Mine live and leaves Ana’s', async ({ page, server, browser }) => {
  await server.inbound({ channel: 'sms', from: '+34 622 700 002', name: 'Tomás Traspaso', text: 'Necesito hablar con soporte' });
  const luis = await secondAgent(browser, server);
  await luis.getByRole('tab', { name: /^Mine/ }).click();
  await logIn(page, server);
  await takeFromInbox(page, 'Tomás Traspaso');

  await page.getByRole('button', { name: 'Transfer' }).click();
  const dialog = page.getByRole('dialog', { name: 'Transfer the conversation' });
  const luisChoice = dialog.getByRole('radio', { name: /Luis Romero/ });
  await expect(dialog.locator('label').filter({ hasText: 'Luis Romero' })).toContainText('Available');
  await expect(dialog.getByRole('radio', { name: /Soporte team/ })).toBeVisible();
  await luisChoice.check();
  await dialog.getByLabel('Note for whoever takes it (optional)').fill('Quiere cambiar la tarifa');
  await dialog.getByRole('button', { name: 'Transfer' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('.sb-event__text', { hasText: 'Ana García transferred the conversation to Luis Romero: “Quiere cambiar la tarifa”' })).toBeVisible();

  await expect(row(luis, 'Tomás Traspaso')).toBeVisible();
  await page.getByRole('tab', { name: /^Mine/ }).click();
  await expect(row(page, 'Tomás Traspaso')).toHaveCount(0);
});

test('Unassign sends a conversation back to the queue', async ({ page, server }) => {
  await server.inbound({ channel: 'whatsapp', from: '+34 622 700 003', name: 'Úrsula Cola', text: 'Hola' });
  await logIn(page, server);
  const queue = await tabCount(page, 'Inbox');
  await takeFromInbox(page, 'Úrsula Cola');
  await expect.poll(() => tabCount(page, 'Inbox')).toBe(queue - 1);
  await page.getByRole('button', { name: 'Unassign' }).click();
  await expect(page.locator('.sb-event__text', { hasText: 'Ana García sent the conversation back to the queue' })).toBeVisible();
  await expect.poll(() => tabCount(page, 'Inbox')).toBe(queue);
  await expect(page.getByRole('button', { name: 'Assign to me' })).toBeVisible();
});

test('a snoozed conversation waits in Snoozed and wakes when the customer writes', async ({ page, server }) => {
  await server.inbound({ channel: 'whatsapp', from: '+34 622 700 004', name: 'Sara Siesta', text: 'Luego os digo' });
  await logIn(page, server);
  await takeFromInbox(page, 'Sara Siesta');
  await page.getByRole('button', { name: 'Snooze' }).click();
  const dialog = page.getByRole('dialog', { name: 'Snooze until' });
  await dialog.getByRole('radio', { name: /In 1 hour/ }).check();
  await dialog.getByRole('button', { name: 'Snooze' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('.sb-event__text', { hasText: 'Ana García snoozed the conversation until' })).toBeVisible();

  await page.getByRole('tab', { name: /^Mine/ }).click();
  await expect(row(page, 'Sara Siesta')).toHaveCount(0);
  await page.getByRole('tab', { name: /^Snoozed/ }).click();
  await expect(row(page, 'Sara Siesta')).toContainText('Snoozed until');

  await server.inbound({ channel: 'whatsapp', from: '+34622700004', text: 'Ya estoy' });
  await expect(row(page, 'Sara Siesta')).toHaveCount(0);
  await page.getByRole('tab', { name: /^Mine/ }).click();
  await expect(row(page, 'Sara Siesta')).toBeVisible();
});

test('an agent starts an SMS to a new number, and an email with a subject', async ({ page, server }) => {
  await logIn(page, server);
  await page.getByRole('button', { name: 'New conversation' }).click();
  let dialog = page.getByRole('dialog', { name: 'New conversation' });
  await dialog.getByLabel('Channel').selectOption({ label: 'SMS' });
  await dialog.getByLabel('To').fill('+34 600 555 001');
  await expect(dialog.getByLabel('From')).toHaveValue('2');
  await dialog.getByLabel('Name (optional)').fill('Pablo Nuevo');
  await dialog.getByLabel('Message').fill('Hola Pablo, te escribimos de Tienda Aurora.');
  await dialog.getByRole('button', { name: 'Start conversation' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Pablo Nuevo' })).toBeVisible();
  await expect(page.locator('.sb-msg--out', { hasText: 'Hola Pablo, te escribimos de Tienda Aurora.' })).toBeVisible();
  await expect(page.getByText('Assigned to you')).toBeVisible();

  await page.getByRole('button', { name: 'New conversation' }).click();
  dialog = page.getByRole('dialog', { name: 'New conversation' });
  await dialog.getByLabel('Channel').selectOption({ label: 'Email' });
  await dialog.getByLabel('To').fill('marta.nueva@example.com');
  await dialog.getByLabel('Subject').fill('Tu devolución');
  await dialog.getByLabel('Message').fill('Hola Marta, ya tenemos tu devolución.');
  await dialog.getByRole('button', { name: 'Start conversation' }).click();
  await expect(page.getByRole('heading', { name: 'marta.nueva@example.com' })).toBeVisible();
  await expect(page.locator('.sb-msg--out', { hasText: 'Hola Marta, ya tenemos tu devolución.' })).toBeVisible();
});

test('with no entry point for a channel, the form says to ask an admin', async ({ page, server }) => {
  sql(server, "DELETE FROM inbox_members WHERE agent_id = (SELECT id FROM agents WHERE email = 'ana@example.com') AND inbox_id IN (SELECT id FROM inboxes WHERE channel = 'email')");
  await logIn(page, server);
  await page.getByRole('button', { name: 'New conversation' }).click();
  const dialog = page.getByRole('dialog', { name: 'New conversation' });
  await dialog.getByLabel('Channel').selectOption({ label: 'Email' });
  await dialog.getByLabel('To').fill('alguien@example.com');
  await dialog.getByLabel('Message').fill('Hola');
  await dialog.getByRole('button', { name: 'Start conversation' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Ask your admin');
  // And an invalid number has its own sentence.
  await dialog.getByLabel('Channel').selectOption({ label: 'SMS' });
  await dialog.getByLabel('To').fill('600 55 50 02');
  await dialog.getByLabel('Message').fill('Hola');
  await dialog.getByRole('button', { name: 'Start conversation' }).click();
  await expect(dialog.getByRole('alert')).toContainText('international form');
});

test('a closed WhatsApp conversation past 24 hours reopens with a template, and the sender takes it', async ({ page, server }) => {
  const { conversation_id } = await server.inbound({ channel: 'whatsapp', from: '+34 622 700 005', name: 'Rosa Vuelve', text: 'Gracias', at: secondsAgo(DAY + 7200) });
  const token = await server.token('luis@example.com');
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const workspace = await (await fetch(`${server.url}/api/v1/workspace`, { headers })).json();
  const reason = workspace.wrap_up_reasons[0].id;
  const closed = await fetch(`${server.url}/api/v1/conversations/${conversation_id}/close`, { method: 'POST', headers, body: JSON.stringify({ reason }) });
  expect(closed.status).toBe(200);

  await logIn(page, server);
  await page.getByRole('tab', { name: /^Closed/ }).click();
  await row(page, 'Rosa Vuelve').getByRole('link').click();
  await expect(page.getByRole('button', { name: 'Reopen' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Template' }).selectOption({ label: 'retomar_consulta (es)' });
  await page.getByLabel('Value for {{1}}').fill('Rosa');
  await page.getByRole('button', { name: 'Send template' }).click();
  await expect(page.locator('.sb-event__text', { hasText: 'Ana García reopened the conversation' })).toBeVisible();
  await expect(page.getByText('Assigned to you')).toBeVisible();
  await page.getByRole('tab', { name: /^Mine/ }).click();
  await expect(row(page, 'Rosa Vuelve')).toBeVisible();
});

test('availability is seen live by the other agent', async ({ page, server, browser }) => {
  await server.inbound({ channel: 'sms', from: '+34 622 700 006', name: 'Vera Vista', text: 'Hola' });
  const luis = await secondAgent(browser, server);
  await logIn(page, server);
  await takeFromInbox(page, 'Vera Vista');
  await page.getByRole('button', { name: 'Transfer' }).click();
  const dialog = page.getByRole('dialog', { name: 'Transfer the conversation' });
  const luisRow = dialog.locator('label').filter({ hasText: 'Luis Romero' });
  await expect(luisRow).toContainText('Available');

  await luis.getByLabel('Your availability').selectOption('away');
  await expect(luisRow).toContainText('Away');
  await luis.context().close();
  await expect(luisRow).toContainText('Offline');
});

test('routing offers a new conversation to the available agent only', async ({ page, server, browser }) => {
  const token = await server.token('ana@example.com');
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const workspace = await (await fetch(`${server.url}/api/v1/workspace`, { headers })).json();
  const ventas = workspace.teams.find((t: { name: string }) => t.name === 'Ventas');
  const members = workspace.agents.map((a: { id: number }) => a.id);
  const routed = await fetch(`${server.url}/api/v1/teams/${ventas.id}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ name: 'Ventas', members, inboxes: ventas.inboxes, routing: { capacity: 100, offer_timeout_secs: 600 } }),
  });
  expect(routed.status).toBe(200);
  // Luis has the app open; Ana does not.
  const luis = await secondAgent(browser, server);
  await luis.getByRole('tab', { name: /^Mine/ }).click();
  await server.inbound({ channel: 'whatsapp', from: '+34 622 700 007', name: 'Olga Oferta', text: '¿Tenéis talla 38?' });
  await expect(row(luis, 'Olga Oferta')).toBeVisible();
  await row(luis, 'Olga Oferta').getByRole('link').click();
  await expect(luis.locator('.sb-event__text', { hasText: 'Routing offered the conversation to Luis Romero' })).toBeVisible();
  await logIn(page, server);
  await page.getByRole('tab', { name: /^Mine/ }).click();
  await expect(row(page, 'Olga Oferta')).toHaveCount(0);
});

test.describe('on a phone', () => {
  const { defaultBrowserType: _, ...phone } = devices['Pixel 7'];
  test.use({ ...phone, locale: 'en-US' });

  test('the actions are in a menu, and closing works from it', async ({ page, server }) => {
    await server.inbound({ channel: 'whatsapp', from: '+34 622 700 008', name: 'Paula Móvil', text: 'Hola' });
    await logIn(page, server);
    await row(page, 'Paula Móvil').getByRole('link').click();
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Assign to me' }).click();
    await expect(page.getByText('Assigned to you')).toBeVisible();
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Close' }).click();
    const dialog = page.getByRole('dialog', { name: 'Close the conversation' });
    await dialog.getByLabel('Reason').selectOption({ label: 'Resuelto' });
    await dialog.getByRole('button', { name: 'Close conversation' }).click();
    await expect(page.locator('.sb-event__text', { hasText: 'closed the conversation: Resuelto' })).toBeVisible();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(page.viewportSize()!.width);
  });
});

test('after a reload of the Inbox tab every row still names its inbox', async ({ page, server }) => {
  await logIn(page, server);
  await page.reload();
  const rows = page.getByRole('list', { name: 'Conversations' }).locator('.sb-row__where');
  await expect(rows.first()).toBeVisible();
  const texts = await rows.allTextContents();
  expect(texts.length).toBeGreaterThan(5);
  for (const text of texts) expect(text).toMatch(/ · \S/);
});
