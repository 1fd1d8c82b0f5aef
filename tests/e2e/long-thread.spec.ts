import { expect, logIn, messagesWithText, row, test } from './fixtures';

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

// A customer who wrote 400 messages: the thread is read back to its first message and down
// again with at most 120 lines in the DOM at any time (thread_window.rs), the lines in the DOM
// always a run of consecutive messages, and the line being read kept where it stands while
// the window moves above it.
test('a long thread is read back and down again with a bounded DOM, in order, in place', async ({ page, server }) => {
  test.setTimeout(120_000);
  const from = { channel: 'whatsapp', from: '+34 611 444 555', name: 'Rosa Larga' };
  for (let i = 0; i < 400; i++) await server.inbound({ ...from, text: `Mensaje ${i}` });
  await logIn(page, server);
  await row(page, 'Rosa Larga').getByRole('link').click();
  await expect(messagesWithText(page, 'Mensaje 399')).toBeVisible();

  const thread = page.locator('.sb-thread');
  // The message numbers in the DOM, and how many lines (messages, days, events) hold them.
  const inDom = () => page.evaluate(() => ({
    lines: document.querySelectorAll('.sb-thread__items > li').length,
    numbers: [...document.querySelectorAll('.sb-thread .sb-msg__text')].map((t) => Number(t.textContent!.replace('Mensaje ', ''))),
  }));
  const consecutive = (numbers: number[]) => numbers.every((n, i) => i === 0 || n === numbers[i - 1] + 1);
  const seen = new Set<number>();
  const look = async () => {
    const { lines, numbers } = await inDom();
    expect(lines).toBeLessThanOrEqual(120);
    expect(consecutive(numbers), numbers.join(' ')).toBe(true);
    for (const n of numbers) seen.add(n);
    return numbers;
  };
  expect((await look()).at(-1)).toBe(399);

  // Near the top of what is shown: the message read at the top of the view stays where it is
  // while earlier lines come in above it (and later ones leave below).
  const before = await look();
  const reading = await thread.evaluate((el) => {
    el.scrollTop = 150;
    const top = el.getBoundingClientRect().top;
    const line = [...el.querySelectorAll('.sb-msg__text')].find((t) => t.getBoundingClientRect().bottom > top)!;
    return { text: line.textContent!, offset: line.getBoundingClientRect().top - top };
  });
  await expect.poll(async () => (await inDom()).numbers[0]).toBeLessThan(before[0]);
  const offset = await messagesWithText(page, reading.text).evaluate((line) =>
    line.getBoundingClientRect().top - line.closest('.sb-thread')!.getBoundingClientRect().top);
  expect(Math.abs(offset - reading.offset)).toBeLessThanOrEqual(2);

  // Reading back by the wheel, earlier pages loading on the way, to the first message.
  await thread.hover();
  for (let turn = 0; turn < 200 && !(await page.getByText('Start of the conversation').isVisible()); turn++) {
    await page.mouse.wheel(0, -2500);
    await look();
  }
  await expect(page.getByText('Start of the conversation')).toBeVisible();
  expect((await look())[0]).toBe(0);
  expect(seen.size).toBe(400);

  // Another conversation, then this one again: it opens at its newest message, not where it
  // was read back to.
  await page.getByRole('list', { name: 'Conversations' }).getByRole('link').filter({ hasNotText: 'Rosa Larga' }).first().click();
  await expect(messagesWithText(page, 'Mensaje 399')).toHaveCount(0);
  await row(page, 'Rosa Larga').getByRole('link').click();
  await expect(messagesWithText(page, 'Mensaje 399')).toBeVisible();
  expect((await look()).at(-1)).toBe(399);
  await thread.hover();
  for (let turn = 0; turn < 200 && !(await page.getByText('Start of the conversation').isVisible()); turn++) {
    await page.mouse.wheel(0, -2500);
    await look();
  }

  // While the agent reads the start, a new message waits below, said by a button.
  await server.inbound({ ...from, text: 'Mensaje 400' });
  const unseen = page.getByRole('button', { name: /New messages/ });
  await expect(unseen).toBeVisible();
  await expect(messagesWithText(page, 'Mensaje 400')).toHaveCount(0);
  await unseen.click();
  await expect(messagesWithText(page, 'Mensaje 400')).toBeVisible();
  expect((await look()).at(-1)).toBe(400);

  // At the bottom again, the thread follows new messages by itself.
  await server.inbound({ ...from, text: 'Mensaje 401' });
  await expect(messagesWithText(page, 'Mensaje 401')).toBeVisible();
  await expect(unseen).toHaveCount(0);

  // And down by the wheel from the start, to the newest.
  await thread.evaluate((el) => { el.scrollTop = 0; });
  for (let turn = 0; turn < 60 && (await look())[0] > 0; turn++) await page.mouse.wheel(0, -2500);
  expect((await look())[0]).toBe(0);
  for (let turn = 0; turn < 200 && !(await messagesWithText(page, 'Mensaje 401').isVisible()); turn++) {
    await page.mouse.wheel(0, 2500);
    await look();
  }
  await expect(messagesWithText(page, 'Mensaje 401')).toBeVisible();
});
