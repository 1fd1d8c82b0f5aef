import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const binary = process.env.SWITCHBOARD_SERVER ?? join(root, 'target', 'debug', 'switchboard-server');

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export type Inbound = { channel: string; from: string; name?: string; text: string; at?: string };

/** An ISO time this many seconds before now. */
export function secondsAgo(seconds: number): string {
  return new Date(Date.now() - seconds * 1000).toISOString();
}

/** A real Switchboard server with its own SQLite file, serving the built app. */
export class Server {
  readonly url: string;
  private process?: ChildProcess;
  private output: string[] = [];
  private tokens = new Map<string, string>();

  private constructor(readonly port: number, readonly dataDir: string, readonly extraArgs: string[]) {
    this.url = `http://127.0.0.1:${port}`;
  }

  static async start(extraArgs: string[]): Promise<Server> {
    const server = new Server(await freePort(), mkdtempSync(join(tmpdir(), 'switchboard-e2e-')), extraArgs);
    await server.boot();
    return server;
  }

  async boot(): Promise<void> {
    const defaults: Record<string, string> = {
      '--simulator': 'off',
      '--sandbox-delays-ms': '400,1200,2400',
      '--sandbox-failure-rate': '0',
    };
    const args = ['--port', String(this.port), '--data-dir', this.dataDir, '--static-dir', join(root, 'dist')];
    for (const [flag, value] of Object.entries(defaults)) {
      if (!this.extraArgs.includes(flag)) args.push(flag, value);
    }
    args.push(...this.extraArgs);
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: 'warn' } });
    child.stdout?.on('data', (chunk) => this.output.push(String(chunk)));
    child.stderr?.on('data', (chunk) => this.output.push(String(chunk)));
    this.process = child;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`server exited:\n${this.output.join('')}`);
      try {
        if ((await fetch(`${this.url}/api/v1/health`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`server did not start:\n${this.output.join('')}`);
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.boot();
  }

  dispose(): void {
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** A bearer token for a demo agent, as a program would get one. */
  async token(email = 'luis@example.com'): Promise<string> {
    const known = this.tokens.get(email);
    if (known) return known;
    const response = await fetch(`${this.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'demo1234' }),
    });
    expect(response.status).toBe(200);
    const { token } = await response.json();
    this.tokens.set(email, token);
    return token;
  }

  /** A customer writes, through the sandbox provider's endpoint. */
  async inbound(message: Inbound): Promise<{ conversation_id: number; created: boolean }> {
    const response = await fetch(`${this.url}/api/v1/sandbox/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.token()}` },
      body: JSON.stringify(message),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    return response.json();
  }
}

export const test = base.extend<{ serverArgs: string[]; server: Server }>({
  serverArgs: [[], { option: true }],
  server: async ({ serverArgs }, use) => {
    const server = await Server.start(serverArgs);
    await use(server);
    await server.stop();
    server.dispose();
  },
});

export { expect };

export async function logIn(page: Page, server: Server, email = 'ana@example.com'): Promise<void> {
  await page.goto(`${server.url}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('demo1234');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('tab', { name: /Inbox/ })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Conversations' }).getByRole('listitem').first()).toBeVisible();
}

/** The number a tab shows. */
export async function tabCount(page: Page, name: string): Promise<number> {
  const text = await page.getByRole('tab', { name: new RegExp(`^${name}`) }).locator('.sb-tab__count').innerText();
  return Number(text);
}

/** The row of the conversation with this contact in the visible list. */
export function row(page: Page, contact: string) {
  return page.getByRole('listitem').filter({ hasText: contact });
}

/**
 * The row of the conversation with this contact, scrolled to: the list is windowed, so a row
 * far down is in the DOM only once the list is scrolled near it.
 */
export async function scrolledToRow(page: Page, contact: string) {
  const found = row(page, contact);
  const list = page.locator('.sb-list');
  await expect(page.locator('.sb-row').first()).toBeVisible();
  await list.evaluate((el) => el.scrollTo(0, 0));
  await expect
    .poll(
      async () => {
        if ((await found.count()) > 0) return true;
        await list.evaluate((el) => el.scrollBy(0, el.clientHeight));
        return false;
      },
      { intervals: [100] },
    )
    .toBe(true);
  return found;
}

/** The thread's messages with exactly this text. */
export function messagesWithText(page: Page, text: string) {
  return page.locator('.sb-thread .sb-msg__text', { hasText: text }).filter({ hasText: new RegExp(`^${escape(text)}$`) });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
