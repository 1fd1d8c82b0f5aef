import { expect, logIn, messagesWithText, row, test } from './fixtures';

test('scrolling up loads earlier messages, once each, in order', async ({ page, server }) => {
  for (let n = 0; n < 60; n++) {
    await server.inbound({ channel: 'webchat', from: 'visitor-history', name: 'Hanna Berg', text: `Mensaje ${n}` });
  }
  await logIn(page, server);
  await row(page, 'Hanna Berg').getByRole('link').click();
  await expect(messagesWithText(page, 'Mensaje 59')).toBeVisible();
  await expect(messagesWithText(page, 'Mensaje 0')).toHaveCount(0);

  // The oldest loaded message: after earlier ones load above it, it must stay where it was.
  const oldestLoaded = (await page.locator('.sb-thread .sb-msg__text').first().innerText()).trim();
  await page.locator('.sb-thread').evaluate((thread) => thread.scrollTo(0, 0));
  await expect(messagesWithText(page, 'Mensaje 0')).toHaveCount(1);
  const thread = await page.locator('.sb-thread').boundingBox();
  const anchor = await messagesWithText(page, oldestLoaded).boundingBox();
  expect(anchor!.y).toBeGreaterThanOrEqual(thread!.y - 5);
  expect(anchor!.y).toBeLessThan(thread!.y + thread!.height / 2);
  await expect(page.getByText('Start of the conversation')).toBeVisible();
  const texts = await page.locator('.sb-thread .sb-msg__text').allInnerTexts();
  expect(texts).toEqual(Array.from({ length: 60 }, (_, n) => `Mensaje ${n}`));
});
