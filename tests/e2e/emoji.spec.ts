import { expect, logIn, row, test } from './fixtures';

test('an emoji found by its Spanish name goes in at the caret, and comes first next time', async ({ page, server }) => {
  await server.inbound({ channel: 'whatsapp', from: '+34 611 000 501', name: 'Irene Lago', text: '¡Ya me llegó el pedido!' });
  await logIn(page, server);
  await row(page, 'Irene Lago').getByRole('link').click();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('Genial, Irene ¡Gracias!');
  // The caret goes back before "¡Gracias!".
  for (let i = 0; i < '¡Gracias!'.length; i++) await box.press('ArrowLeft');

  await page.getByRole('button', { name: 'Emoji' }).click();
  const search = page.getByRole('searchbox', { name: 'Search emojis' });
  await search.fill('corazon rojo');
  const grid = page.getByRole('listbox', { name: 'Emojis' });
  await expect(grid.getByRole('option').first()).toHaveAttribute('aria-label', 'red heart');
  await search.press('Enter');
  await expect(box).toHaveValue('Genial, Irene ❤️¡Gracias!');

  await page.getByRole('button', { name: 'Emoji' }).click();
  await expect(page.getByRole('tab', { name: 'Recently used' })).toHaveAttribute('aria-selected', 'true');
  await expect(grid.getByRole('option').first()).toHaveText('❤️');
  await page.getByRole('searchbox', { name: 'Search emojis' }).press('Escape');
  await expect(grid).toHaveCount(0);
});

test.describe('in Spanish', () => {
  test.use({ locale: 'es-ES' });

  test('a colon and two letters suggest emojis inline, by their Spanish names', async ({ page, server }) => {
    await server.inbound({ channel: 'telegram', from: '@jorge', name: 'Jorge Sainz', text: 'Perfecto' });
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Correo electrónico').fill('ana@example.com');
    await page.getByLabel('Contraseña').fill('demo1234');
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await row(page, 'Jorge Sainz').getByRole('link').click();
    const box = page.getByRole('textbox', { name: 'Mensaje' });
    await box.pressSequentially('Hasta luego :pulg');
    const list = page.getByRole('listbox', { name: 'Emojis' });
    await expect(list.getByRole('option').first()).toContainText('pulgar hacia arriba');
    await box.press('Enter');
    await expect(box).toHaveValue('Hasta luego 👍');
  });
});
