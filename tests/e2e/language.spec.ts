import { expect, test } from './fixtures';

test.describe('a Spanish browser', () => {
  test.use({ locale: 'es-ES' });

  test('gets Spanish, and can switch to English', async ({ page, server }) => {
    await page.goto(`${server.url}/login`);
    await expect(page.getByRole('button', { name: 'Iniciar sesión' })).toBeVisible();
    await page.getByLabel('Correo electrónico').fill('ana@example.com');
    await page.getByLabel('Contraseña').fill('demo1234');
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await expect(page.getByRole('tab', { name: /^Entrada/ })).toBeVisible();
    await expect(page.getByRole('tab', { name: /^Mías/ })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');

    await page.getByLabel('Idioma').selectOption('en');
    await expect(page.getByRole('tab', { name: /^Inbox/ })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('tab', { name: /^Inbox/ })).toBeVisible();
  });
});
