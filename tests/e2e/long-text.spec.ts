import { expect, logIn, row, test } from './fixtures';

test('a long customer message shows its beginning until the agent asks for all of it', async ({ page, server }) => {
  const lines = Array.from({ length: 60 }, (_, n) => `Línea ${n + 1} del registro que el cliente pegó.`);
  await server.inbound({ channel: 'email', from: 'registro@example.com', name: 'Rita Log', text: lines.join('\n') });
  await logIn(page, server);
  await row(page, 'Rita Log').getByRole('link').click();

  const message = page.locator('.sb-msg--in').filter({ hasText: 'Línea 1 del registro' });
  await expect(message).toHaveCount(1);
  await expect(message).not.toContainText('Línea 60');
  const showAll = message.getByRole('button', { name: 'Show all' });
  await expect(showAll).toHaveAttribute('aria-expanded', 'false');

  await showAll.click();
  await expect(message).toContainText('Línea 60 del registro que el cliente pegó.');
  await message.getByRole('button', { name: 'Show less' }).click();
  await expect(message).not.toContainText('Línea 60');
});
