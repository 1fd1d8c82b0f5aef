import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, logIn, row, test } from './fixtures';

const samples = join(__dirname, '..', '..', 'crates', 'server', 'data', 'samples');
const receipt = readFileSync(join(samples, 'recibo.png'));

/** Uploads wait until the returned function is called. */
async function holdUploads(page: Page): Promise<() => void> {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/v1/conversations/*/attachments', async (route) => {
    await held;
    await route.continue();
  });
  return () => release();
}

test('an image chosen with the file chooser shows its thumbnail and progress, and goes with the reply', async ({ page, server }) => {
  await server.inbound({ channel: 'whatsapp', from: '+34 611 000 601', name: 'Olga Prieto', text: '¿Me mandas el recibo?' });
  await logIn(page, server);
  await row(page, 'Olga Prieto').getByRole('link').click();
  // Hold the upload's answer back, so its progress can be seen.
  const release = await holdUploads(page);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Attach files' }).click();
  await (await chooser).setFiles({ name: 'recibo.png', mimeType: 'image/png', buffer: receipt });

  const tray = page.getByRole('list', { name: 'Attachments' });
  await expect(tray.getByRole('progressbar', { name: 'Uploading recibo.png' })).toBeVisible();
  await expect(tray.getByRole('img', { name: 'recibo.png' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send' })).toBeDisabled();
  release();
  await expect(tray.getByRole('progressbar')).toHaveCount(0);
  await expect(tray.getByRole('button', { name: 'Remove recibo.png' })).toBeVisible();

  await page.getByRole('textbox', { name: 'Message' }).fill('Aquí lo tienes');
  await page.getByRole('button', { name: 'Send' }).click();
  const sent = page.locator('.sb-msg--out').filter({ hasText: 'Aquí lo tienes' });
  await expect(sent.getByRole('button', { name: 'Open recibo.png' })).toBeVisible();
  await expect(sent.getByRole('img', { name: 'Delivered' })).toBeVisible();
  await expect(tray).toHaveCount(0);
  // Full size, and back.
  await sent.getByRole('button', { name: 'Open recibo.png' }).click();
  const lightbox = page.getByRole('dialog', { name: 'recibo.png' });
  await expect(lightbox.getByRole('img', { name: 'recibo.png' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(lightbox).toHaveCount(0);
});

test('an upload can be cancelled while it runs', async ({ page, server }) => {
  await server.inbound({ channel: 'whatsapp', from: '+34 611 000 605', name: 'Tere Gil', text: 'Hola' });
  await logIn(page, server);
  await row(page, 'Tere Gil').getByRole('link').click();
  // The upload never finishes on its own.
  await page.route('**/api/v1/conversations/*/attachments', () => {});
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Attach files' }).click();
  await (await chooser).setFiles({ name: 'recibo.png', mimeType: 'image/png', buffer: receipt });
  const tray = page.getByRole('list', { name: 'Attachments' });
  await expect(tray.getByRole('progressbar', { name: 'Uploading recibo.png' })).toBeVisible();
  await tray.getByRole('button', { name: 'Cancel uploading recibo.png' }).click();
  await expect(tray).toHaveCount(0);
  await page.getByRole('textbox', { name: 'Message' }).fill('Sin adjunto');
  await expect(page.getByRole('button', { name: 'Send' })).toBeEnabled();
});

test('an upload goes on while the agent looks at another conversation', async ({ page, server }) => {
  await server.inbound({ channel: 'sms', from: '+34 611 000 606', name: 'Ulises Paz', text: 'Hola' });
  await server.inbound({ channel: 'sms', from: '+34 611 000 607', name: 'Vera Sanz', text: 'Buenas' });
  await logIn(page, server);
  await row(page, 'Ulises Paz').getByRole('link').click();
  const release = await holdUploads(page);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Attach files' }).click();
  await (await chooser).setFiles({ name: 'recibo.png', mimeType: 'image/png', buffer: receipt });
  await expect(page.getByRole('progressbar', { name: 'Uploading recibo.png' })).toBeVisible();
  await row(page, 'Vera Sanz').getByRole('link').click();
  await expect(page.getByRole('list', { name: 'Attachments' })).toHaveCount(0);
  release();
  await page.waitForTimeout(500);
  await row(page, 'Ulises Paz').getByRole('link').click();
  await expect(page.getByRole('list', { name: 'Attachments' }).getByRole('button', { name: 'Remove recibo.png' })).toBeVisible();
});

test('an image pasted into the box is attached', async ({ page, server }) => {
  await server.inbound({ channel: 'telegram', from: '@pilar', name: 'Pilar Mora', text: 'Hola' });
  await logIn(page, server);
  await row(page, 'Pilar Mora').getByRole('link').click();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.evaluate((element, bytes) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(bytes)], 'captura.png', { type: 'image/png' }));
    element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, [...receipt]);
  const tray = page.getByRole('list', { name: 'Attachments' });
  await expect(tray.getByRole('button', { name: 'Remove captura.png' })).toBeVisible();
  await expect(tray.getByRole('img', { name: 'captura.png' })).toBeVisible();
  // It is part of the draft: still there after a reload.
  await page.reload();
  await expect(page.getByRole('list', { name: 'Attachments' }).getByRole('button', { name: 'Remove captura.png' })).toBeVisible();
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('.sb-msg--out').getByRole('button', { name: 'Open captura.png' })).toBeVisible();
});

test('a document dropped on the thread is attached', async ({ page, server }) => {
  await server.inbound({ channel: 'sms', from: '+34 611 000 604', name: 'Sergio Lara', text: 'Hola' });
  await logIn(page, server);
  await row(page, 'Sergio Lara').getByRole('link').click();
  const pdf = readFileSync(join(samples, 'factura.pdf'));
  await page.locator('.sb-thread').evaluate((thread, bytes) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(bytes)], 'factura.pdf', { type: 'application/pdf' }));
    for (const type of ['dragover', 'drop']) {
      thread.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    }
  }, [...pdf]);
  await expect(page.getByRole('list', { name: 'Attachments' }).getByRole('button', { name: 'Remove factura.pdf' })).toBeVisible();
});

test('a file over the channel’s limit is refused before any upload, with the limit named', async ({ page, server }) => {
  await server.inbound({ channel: 'whatsapp', from: '+34 611 000 602', name: 'Quique Rey', text: 'Hola' });
  await logIn(page, server);
  await row(page, 'Quique Rey').getByRole('link').click();
  let uploads = 0;
  page.on('request', (request) => {
    if (request.url().endsWith('/attachments') && request.method() === 'POST') uploads += 1;
  });
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Attach files' }).click();
  const big = Buffer.alloc(6 * 1024 * 1024, 1);
  await (await chooser).setFiles({ name: 'foto-grande.jpg', mimeType: 'image/jpeg', buffer: big });
  await expect(page.getByRole('alert')).toHaveText("foto-grande.jpg is larger than WhatsApp's limit of 5 MB.");
  await expect(page.getByRole('list', { name: 'Attachments' })).toHaveCount(0);
  expect(uploads).toBe(0);
});

test('a customer’s picture, voice note and document show in the thread', async ({ page, server }) => {
  const data = (file: string) => readFileSync(join(samples, file)).toString('base64');
  const response = await fetch(`${server.url}/api/v1/sandbox/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await server.token()}` },
    body: JSON.stringify({
      channel: 'whatsapp', from: '+34 611 000 603', name: 'Rosa Vega', text: 'Os mando todo',
      attachments: [
        { name: 'recibo.png', data: data('recibo.png') },
        { name: 'nota-de-voz.wav', data: data('nota-de-voz.wav') },
        { name: 'factura.pdf', data: data('factura.pdf') },
      ],
    }),
  });
  expect(response.status).toBe(201);
  await logIn(page, server);
  await row(page, 'Rosa Vega').getByRole('link').click();
  const message = page.locator('.sb-msg--in').filter({ hasText: 'Os mando todo' });
  await expect(message.getByRole('button', { name: 'Open recibo.png' })).toBeVisible();
  await expect(message.locator('audio[aria-label="nota-de-voz.wav"]')).toHaveAttribute('controls', '');
  const pdf = message.getByRole('link', { name: 'Download factura.pdf' });
  await expect(pdf).toContainText('factura.pdf');
  const download = page.waitForEvent('download');
  await pdf.click();
  expect((await download).suggestedFilename()).toBe('factura.pdf');
});
