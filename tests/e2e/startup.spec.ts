import { expect, logIn, test } from './fixtures';

test('after login the first screen fetches the workspace once', async ({ page, server }) => {
  const asked: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/api/')) asked.push(pathname);
  });
  await logIn(page, server);
  await expect(page.getByRole('combobox', { name: /availability/i })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(asked.filter((path) => path === '/api/v1/workspace')).toHaveLength(1);
  expect(asked.filter((path) => path.startsWith('/api/v1/conversations'))).toHaveLength(1);
});

test('the first screen shows the list without waiting for the feed, and the feed then keeps it current', async ({ page, server }) => {
  // The feed's frames are held back until the list has painted: the list cannot have waited
  // for the feed's welcome.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = 0;
  await page.routeWebSocket(/\/api\/v1\/feed$/, (ws) => {
    const upstream = ws.connectToServer();
    upstream.onMessage(async (message) => {
      held += 1;
      await released;
      ws.send(message);
    });
  });
  await logIn(page, server);
  // The page's socket does go through the route: its welcome comes, and is held.
  await expect.poll(() => held).toBeGreaterThan(0);
  release();
  // Something that happened while the list was fetched or after reaches the screen by the feed.
  await server.inbound({ channel: 'sms', from: '+34 611 000 777', name: 'Nadia Ferro', text: 'Hola, ¿me ayudáis?' });
  await expect(page.getByRole('list', { name: 'Conversations' }).getByText('Nadia Ferro')).toBeVisible();
});
