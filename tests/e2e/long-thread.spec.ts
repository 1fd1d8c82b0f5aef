import { expect, logIn, row, test } from './fixtures';

// In a long thread a new message adds its own bubble and touches no other: the bubbles already
// shown keep their DOM nodes, and the agent's reply is one node from "Sending" to "Read"
// (its ticks change it in place). Marks on the nodes tell a kept node from a redrawn one.
test('a new message adds one bubble and leaves the others as they were', async ({ page, server }) => {
  const from = { channel: 'whatsapp', from: '+34 611 222 333', name: 'Marta Hilo' };
  await server.inbound({ ...from, text: 'Mensaje 0' });
  for (let i = 1; i < 120; i += 10) {
    await Promise.all(Array.from({ length: 10 }, (_, k) => server.inbound({ ...from, text: `Mensaje ${i + k}` })));
  }
  await logIn(page, server);
  await row(page, 'Marta Hilo').getByRole('link').click();
  const bubbles = page.locator('.sb-msg');
  await expect(bubbles.first()).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Loading earlier messages…' })).toHaveCount(0);

  const mark = () => page.evaluate(() => {
    const lines = [...document.querySelectorAll('.sb-thread__items > li')] as (Element & { kept?: boolean })[];
    for (const line of lines) line.kept = true;
    return lines.length;
  });
  // [lines, of which kept, bubbles, kept lines no longer in the list]
  const look = () => page.evaluate(() => {
    const lines = [...document.querySelectorAll('.sb-thread__items > li')] as (Element & { kept?: boolean })[];
    return [lines.length, lines.filter((l) => l.kept).length, document.querySelectorAll('.sb-msg').length];
  });

  const shown = await mark();
  const before = await bubbles.count();
  await server.inbound({ ...from, text: 'Una más, por favor' });
  await expect(bubbles.last()).toContainText('Una más, por favor');
  expect(await look()).toEqual([shown + 1, shown, before + 1]);

  // The reply: answering from the queue also adds the "took the conversation" event.
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('Claro, Marta.');
  await box.press('Enter');
  const reply = page.locator('.sb-msg--out').filter({ hasText: 'Claro, Marta.' });
  await expect(reply).toHaveCount(1);
  await reply.evaluate((node) => { (node as Element & { reply?: boolean }).reply = true; });
  await expect(reply.getByRole('img', { name: 'Read' })).toBeVisible();
  expect(await reply.evaluate((node) => (node as Element & { reply?: boolean }).reply === true)).toBe(true);
  const [lines, kept, count] = await look();
  expect(count).toBe(before + 2);
  expect(kept).toBe(shown);
  expect(lines).toBeGreaterThanOrEqual(shown + 2);
});
