import type { WebSocketRoute } from '@playwright/test';
import { expect, logIn, messagesWithText, row, tabCount, test } from './fixtures';

test('messages sent while the socket was dead all appear once it is back, each exactly once', async ({ page, server }) => {
  // Every feed socket goes through here, so the test can cut it and hold it down.
  const sockets: WebSocketRoute[] = [];
  let down = false;
  await page.routeWebSocket(/\/api\/v1\/feed$/, (socket) => {
    if (down) {
      socket.close({ code: 1011, reason: 'down for the test' });
      return;
    }
    socket.connectToServer();
    sockets.push(socket);
  });

  const { conversation_id } = await server.inbound({ channel: 'whatsapp', from: '+34 644 100 200', name: 'Elena Ruiz', text: 'Primer mensaje' });
  await logIn(page, server);
  await row(page, 'Elena Ruiz').getByRole('link').click();
  await expect(messagesWithText(page, 'Primer mensaje')).toHaveCount(1);
  const inboxBefore = await tabCount(page, 'Inbox');

  down = true;
  for (const socket of sockets.splice(0)) await socket.close({ code: 1006, reason: 'cut' });
  await expect(page.getByRole('status').filter({ hasText: 'Reconnecting' })).toBeVisible();

  const missed = ['Segundo mensaje', 'Tercer mensaje', 'Cuarto mensaje'];
  for (const text of missed) await server.inbound({ channel: 'whatsapp', from: '+34644100200', text });
  await server.inbound({ channel: 'sms', from: '+34 655 300 400', name: 'Pablo Gil', text: 'Nuevo cliente mientras tanto' });
  await page.waitForTimeout(1500); // the app keeps trying and failing meanwhile

  down = false;
  await expect(page.getByRole('status').filter({ hasText: 'Reconnecting' })).toHaveCount(0);
  for (const text of ['Primer mensaje', ...missed]) await expect(messagesWithText(page, text)).toHaveCount(1);
  await expect(row(page, 'Pablo Gil')).toHaveCount(1);
  await expect.poll(() => tabCount(page, 'Inbox')).toBe(inboxBefore + 1);
  await expect(page).toHaveURL(new RegExp(`/c/${conversation_id}$`));

  // Settled: nothing arrives twice later either.
  await page.waitForTimeout(1000);
  for (const text of missed) await expect(messagesWithText(page, text)).toHaveCount(1);
});

test('the app rides out a server restart and misses nothing', async ({ page, server }) => {
  await server.inbound({ channel: 'email', from: 'carla@example.net', name: 'Carla Vidal', text: 'Antes del reinicio' });
  await logIn(page, server);
  await row(page, 'Carla Vidal').getByRole('link').click();
  await expect(messagesWithText(page, 'Antes del reinicio')).toHaveCount(1);

  await server.stop();
  await expect(page.getByRole('status').filter({ hasText: 'Reconnecting' })).toBeVisible();
  await server.restart();
  await server.inbound({ channel: 'email', from: 'carla@example.net', text: 'Después del reinicio' });

  await expect(page.getByRole('status').filter({ hasText: 'Reconnecting' })).toHaveCount(0, { timeout: 20_000 });
  await expect(messagesWithText(page, 'Después del reinicio')).toHaveCount(1);
  await expect(messagesWithText(page, 'Antes del reinicio')).toHaveCount(1);
});
