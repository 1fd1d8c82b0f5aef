import { devices } from '@playwright/test';
import { expect, logIn, row, test } from './fixtures';

test.describe('on a phone', () => {
  const { defaultBrowserType: _, ...phone } = devices['Pixel 7'];
  test.use({ ...phone, locale: 'en-US' });

  test('one pane at a time, nothing wider than the screen, and Enter makes a new line', async ({ page, server }) => {
    const long = 'maria.del.carmen.fernandez-rodriguez@muy-largo-dominio-ejemplo.com';
    await server.inbound({ channel: 'email', from: long, text: 'Hola, una consulta sobre mi factura' });
    await logIn(page, server);
    await row(page, long).getByRole('link').click();
    await expect(page.getByRole('list', { name: 'Conversations', exact: true })).toBeHidden();
    await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(page.viewportSize()!.width);

    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('Primera línea');
    await box.press('Enter');
    await box.pressSequentially('segunda');
    await expect(box).toHaveValue('Primera línea\nsegunda');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect(page.locator('.sb-msg--out .sb-msg__text')).toHaveText('Primera línea\nsegunda');

    // Answering took the conversation (once the feed says so): back leads to "Mine", where it now is.
    const back = page.getByRole('link', { name: 'Back to the list' });
    await expect(back).toHaveAttribute('href', /^\/inbox\/mine/);
    await back.click();
    await expect(page.getByRole('tab', { name: /^Mine/ })).toHaveAttribute('aria-selected', 'true');
    await expect(row(page, long)).toBeVisible();
  });
});
