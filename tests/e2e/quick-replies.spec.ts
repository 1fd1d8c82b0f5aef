import { expect, logIn, row, scrolledToRow, test } from './fixtures';

test('/ and a shortcut insert the team’s reply with the contact’s name filled in', async ({ page, server }) => {
  await server.inbound({ channel: 'whatsapp', from: '+34 611 000 401', name: 'Lucía Quintana', text: 'Hola, ¿dónde está mi pedido?' });
  await logIn(page, server);
  await row(page, 'Lucía Quintana').getByRole('link').click();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.pressSequentially('/salu');
  const list = page.getByRole('listbox', { name: 'Quick replies' });
  await expect(list.getByRole('option').first()).toContainText('/saludo');
  await box.press('Enter');
  await expect(box).toHaveValue('Hola Lucía, soy Ana. ¿En qué puedo ayudarte?');
  await expect(list).toHaveCount(0);
  await box.press('Enter');
  await expect(page.locator('.sb-msg--out .sb-msg__text')).toHaveText('Hola Lucía, soy Ana. ¿En qué puedo ayudarte?');
});

test('a variable that cannot be filled is marked and holds the send back', async ({ page, server }) => {
  // No name known: {{contact.first_name}} has nothing to stand for.
  await server.inbound({ channel: 'sms', from: '+34 611 000 402', text: 'Hola' });
  await logIn(page, server);
  await row(page, '+34611000402').getByRole('link').click();
  await page.getByRole('button', { name: 'Quick replies' }).click();
  await page.getByRole('searchbox', { name: 'Search quick replies' }).fill('gracias');
  await page.getByRole('option').filter({ hasText: '/gracias' }).click();
  const box = page.getByRole('textbox', { name: 'Message' });
  await expect(box).toHaveValue('Gracias por escribirnos, {{contact.first_name}}. Si necesitas algo más, aquí estamos.');
  await expect(page.locator('.sb-composer__backdrop mark')).toHaveText('{{contact.first_name}}');
  await expect(page.getByText('Fill in or remove {{contact.first_name}} before sending.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send' })).toBeDisabled();
  await box.fill('Gracias por escribirnos. Si necesitas algo más, aquí estamos.');
  await expect(page.getByRole('button', { name: 'Send' })).toBeEnabled();
});

test('a quick reply made in settings is there for / at once, and can be changed and removed', async ({ page, server }) => {
  await server.inbound({ channel: 'telegram', from: '@marta', name: 'Marta Ríos', text: '¿Abrís el sábado?' });
  await logIn(page, server);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'New quick reply' }).click();
  await page.getByLabel('Shortcut').fill('/Horario');
  await page.getByLabel('Title').fill('Horario de fin de semana');
  await page.getByLabel('Text').fill('Hola {{contact.first_name}}: el sábado abrimos de 10 a 14 h.');
  await page.getByRole('button', { name: 'Save' }).click();
  const item = page.getByRole('list', { name: 'Quick replies' }).getByRole('listitem').filter({ hasText: '/horario' });
  await expect(item).toContainText('Only me');

  // The same shortcut twice in one place is refused, in words.
  await page.getByRole('button', { name: 'New quick reply' }).click();
  await page.getByLabel('Shortcut').fill('horario');
  await page.getByLabel('Title').fill('Otro');
  await page.getByLabel('Text').fill('Otro texto');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toHaveText('Another quick reply there already has this shortcut.');
  await page.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('link', { name: 'Back to the inbox' }).click();
  await page.getByRole('tab', { name: /^Inbox/ }).click();
  await row(page, 'Marta Ríos').getByRole('link').click();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.pressSequentially('/hor');
  await page.getByRole('option').filter({ hasText: '/horario' }).click();
  await expect(box).toHaveValue('Hola Marta: el sábado abrimos de 10 a 14 h.');

  await page.getByRole('link', { name: 'Settings' }).click();
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Delete /horario (Only me)' }).click();
  await expect(page.getByRole('list', { name: 'Quick replies' }).getByRole('listitem').filter({ hasText: '/horario' })).toHaveCount(0);
});

test('where only a template may go, the picker offers the templates', async ({ page, server }) => {
  await server.inbound({ channel: 'whatsapp', from: '+34 611 000 403', name: 'Nico Bravo', text: 'Hola', at: new Date(Date.now() - 30 * 3600 * 1000).toISOString() });
  await logIn(page, server);
  await (await scrolledToRow(page, 'Nico Bravo')).getByRole('link').click();
  await page.getByRole('button', { name: 'Browse templates' }).click();
  await page.getByRole('searchbox', { name: 'Search templates' }).fill('cita');
  await page.getByRole('listbox').getByRole('option').filter({ hasText: 'recordatorio_cita' }).click();
  await expect(page.getByRole('combobox', { name: 'Template' })).toHaveValue(/.+/);
  await expect(page.getByRole('combobox', { name: 'Template' }).locator('option:checked')).toHaveText('recordatorio_cita (es)');
});

test('Escape closes the list for that word only: a new / opens it again', async ({ page, server }) => {
  await server.inbound({ channel: 'sms', from: '+34 611 000 404', name: 'Ramón Gil', text: 'Hola' });
  await logIn(page, server);
  await row(page, 'Ramón Gil').getByRole('link').click();
  const box = page.getByRole('textbox', { name: 'Message' });
  const list = page.getByRole('listbox', { name: 'Quick replies' });
  await box.pressSequentially('/env');
  await expect(list).toBeVisible();
  await box.press('Escape');
  await expect(list).toHaveCount(0);
  await box.fill('');
  await box.pressSequentially('/gra');
  await expect(list.getByRole('option').first()).toContainText('/gracias');
  // The lightning button's list closes with a click outside it, as on a phone.
  await box.fill('');
  await page.getByRole('button', { name: 'Quick replies' }).click();
  await expect(page.getByRole('searchbox', { name: 'Search quick replies' })).toBeFocused();
  await page.locator('.sb-popover-backdrop').click({ position: { x: 10, y: 10 } });
  await expect(page.getByRole('searchbox', { name: 'Search quick replies' })).toHaveCount(0);
});
