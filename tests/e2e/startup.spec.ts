import { expect, logIn, test } from './fixtures';

test('after login the first screen fetches the workspace once', async ({ page, server }) => {
  const asked: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/api/')) asked.push(pathname);
  });
  await logIn(page, server);
  await expect(page.getByRole('combobox', { name: /availability/i })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(asked.filter((path) => path === '/api/v1/workspace')).toHaveLength(1);
  expect(asked.filter((path) => path.startsWith('/api/v1/conversations'))).toHaveLength(1);
});
