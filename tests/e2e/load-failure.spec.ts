import { expect, logIn, messagesWithText, row, test } from './fixtures';

// The newest page of a thread (no `?before=`): older pages and sends are not caught.
const THREAD_PAGE = '**/api/v1/conversations/*/messages';

test('a thread that fails to load says so, and loads on Retry', async ({ page, server }) => {
  await server.inbound({ channel: 'sms', from: '+34 611 000 401', name: 'Nuria Sol', text: '¿Me ayudáis con el pedido?' });
  await logIn(page, server);
  await page.route(THREAD_PAGE, (route) => route.abort('internetdisconnected'));
  await row(page, 'Nuria Sol').getByRole('link').click();

  const problem = page.getByRole('alert').filter({ hasText: 'The messages could not be loaded' });
  await expect(problem).toContainText('Could not reach the server');
  await expect(messagesWithText(page, '¿Me ayudáis con el pedido?')).toHaveCount(0);

  await page.unroute(THREAD_PAGE);
  await problem.getByRole('button', { name: 'Retry' }).click();
  await expect(messagesWithText(page, '¿Me ayudáis con el pedido?')).toHaveCount(1);
  await expect(problem).toHaveCount(0);
});

test('an answer the app cannot read is "something went wrong", never "could not reach the server"', async ({ page, server }) => {
  await server.inbound({ channel: 'sms', from: '+34 611 000 402', name: 'Óscar Luna', text: 'Hola' });
  await logIn(page, server);
  await page.route(THREAD_PAGE, (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: '{"from_a_newer_server": true}' }),
  );
  await row(page, 'Óscar Luna').getByRole('link').click();

  const problem = page.getByRole('alert').filter({ hasText: 'The messages could not be loaded' });
  await expect(problem).toContainText('Something went wrong');
  await expect(problem).not.toContainText('Could not reach the server');

  await page.unroute(THREAD_PAGE);
  await problem.getByRole('button', { name: 'Retry' }).click();
  await expect(messagesWithText(page, 'Hola')).toHaveCount(1);
});

// The release build leaves rarely used parts (Settings, the emoji picker, the new-conversation
// form) out of the first load: each is a chunk of wasm fetched when first shown.
const CHUNK = /\/split_[a-z_]+-[0-9a-f]{16}\.wasm$/;

test('the inbox loads without the parts it does not show, and Settings fetches its own', async ({ page, server }) => {
  const chunks: string[] = [];
  page.on('request', (request) => {
    if (CHUNK.test(new URL(request.url()).pathname)) chunks.push(new URL(request.url()).pathname);
  });
  await server.inbound({ channel: 'sms', from: '+34 611 000 403', name: 'Pilar Río', text: 'Hola' });
  await logIn(page, server);
  await expect(row(page, 'Pilar Río')).toBeVisible();
  expect(chunks).toEqual([]);

  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  expect(chunks).toHaveLength(1);
  expect(chunks[0]).toMatch(/^\/split_settings-/);
});

test('a part that fails to arrive says so, and loads on Retry', async ({ page, server }) => {
  await logIn(page, server);
  await page.route(CHUNK, (route) => route.abort('internetdisconnected'));
  await page.getByRole('link', { name: 'Settings' }).click();

  const problem = page.getByRole('alert').filter({ hasText: 'This part of Switchboard could not be loaded' });
  await expect(problem).toBeVisible();
  await page.unroute(CHUNK);
  await problem.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await expect(problem).toHaveCount(0);
});
