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
