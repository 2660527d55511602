/**
 * Helpers for the end-to-end tests: start a server child process, wait for it, read the demo
 * accounts it prints, sign in over HTTP, launch Chromium, sign in through the login page, take
 * screenshots, measure horizontal overflow.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const SCREENSHOTS = join(REPO, 'test', 'e2e', 'screenshots');

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

export interface DemoAccount {
  role: string;
  username: string;
  password: string;
  scope: string;
}

export interface RunningServer {
  baseUrl: string;
  child: ChildProcess;
  /** Everything the server printed so far (for failure messages). */
  output: () => string;
  /** The demo accounts the server printed on stderr, by role. */
  accounts: ReadonlyMap<string, DemoAccount>;
  /** The demo account of a role; fails with the server's output when it printed none. */
  account: (role: string) => DemoAccount;
  stop: () => Promise<void>;
}

/**
 * The demo account table `zhongfu start` prints: a header line `role  username  password  scope  area`,
 * a rule, then one row per role (columns separated by two or more spaces).
 */
export function parseDemoAccounts(stderr: string): Map<string, DemoAccount> {
  const out = new Map<string, DemoAccount>();
  for (const line of stderr.split(/\r?\n/)) {
    const m = /^([a-z_]+) {2,}(demo-\S+) {2,}(\S+) {2,}(\d+)\b/.exec(line.trim());
    if (m) out.set(m[1]!, { role: m[1]!, username: m[2]!, password: m[3]!, scope: m[4]! });
  }
  return out;
}

/** The newest modification time under a file or directory. */
function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newestMtime(join(path, name))), st.mtimeMs);
}

/** Builds web/dist when it is missing or older than the web sources, so the server serves the current app. */
export function ensureWebBuild(): void {
  const built = join(REPO, 'web', 'dist', 'index.html');
  const sources = ['web/src', 'web/public', 'web/index.html', 'web/vite.config.ts', 'src/contracts'].map((p) => join(REPO, p)).filter((p) => existsSync(p));
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  const r = spawnSync(process.execPath, [join(REPO, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts'], {
    cwd: REPO,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('vite build failed');
}

/**
 * Starts `zhongfu start` on a free port with a fresh data directory and a demo population;
 * resolves once the API answers (GET /api/v1/auth/me: 401 without a session) and the demo
 * accounts have been printed.
 */
export async function startServer(households: number, timeoutMs = 240_000): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'zhongfu-e2e-'));
  const args = ['bin/zhongfu.js', 'start', '--port', String(port), '--data-dir', dataDir, '--demo-households', String(households)];
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let err = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString('utf8')));
  child.stderr?.on('data', (b: Buffer) => {
    const text = b.toString('utf8');
    out += text;
    err += text;
  });
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));

  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (exited === undefined && child.exitCode === null) {
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== undefined) {
      await stop();
      throw new Error(`server exited with code ${String(exited)} before it was ready:\n${out.slice(-4000)}`);
    }
    try {
      const res = await fetch(`${baseUrl}/api/v1/auth/me`);
      if ((res.status === 401 || res.status === 200) && parseDemoAccounts(err).has('audit_admin')) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server not ready after ${timeoutMs} ms:\n${out.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const accounts = parseDemoAccounts(err);
  const account = (role: string): DemoAccount => {
    const a = accounts.get(role);
    if (!a) throw new Error(`the server printed no demo account for ${role}:\n${out.slice(-3000)}`);
    return a;
  };
  return { baseUrl, child, output: () => out, accounts, account, stop };
}

/** A fresh desktop browser context (1440 × 900, zh-CN) and its page; page errors go to `errors`. */
export async function newDesktopPage(browser: Browser, errors: string[]): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page };
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: apt-get install -y chromium fonts-noto-cjk (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A signed-in HTTP client (session cookie and CSRF token), for checking what the UI shows. */
export interface ApiSession {
  getJson: <T>(path: string) => Promise<T>;
  postJson: <T>(path: string, body: unknown) => Promise<T>;
  logout: () => Promise<void>;
}

export async function apiLogin(baseUrl: string, account: DemoAccount): Promise<ApiSession> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: account.username, password: account.password }),
  });
  if (!res.ok) throw new Error(`login as ${account.username} → ${res.status}: ${await res.text()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return {
    getJson: async <T>(path: string): Promise<T> => {
      const r = await fetch(`${baseUrl}${path}`, { headers: { cookie } });
      if (!r.ok) throw new Error(`GET ${path} → ${r.status}: ${await r.text()}`);
      return (await r.json()) as T;
    },
    postJson: async <T>(path: string, body: unknown): Promise<T> => {
      const r = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!r.ok) throw new Error(`POST ${path} → ${r.status}: ${await r.text()}`);
      return (await r.json()) as T;
    },
    logout: async () => {
      await fetch(`${baseUrl}/api/v1/auth/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } });
    },
  };
}

/** Fills the login form (the page must be showing it) and waits for the app shell. */
export async function signIn(page: Page, account: DemoAccount): Promise<void> {
  await page.getByTestId('login-form').waitFor();
  await page.getByTestId('login-username').fill(account.username);
  await page.getByTestId('login-password').fill(account.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('account-bar').waitFor();
}

/**
 * A full-page screenshot into test/e2e/screenshots/<name>.png: back to the top first (a sticky
 * header would otherwise be painted mid-page), the pointer out of the way (no tooltip), and a pause
 * for antd transitions and chart animations. `clipTo`: only that element (by test id).
 */
export async function screenshot(page: Page, name: string, options: { clipTo?: string; waitMs?: number } = {}): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(0, 0);
  await page.waitForTimeout(options.waitMs ?? 500);
  const clip = options.clipTo ? await page.getByTestId(options.clipTo).boundingBox() : undefined;
  if (options.clipTo && !clip) throw new Error(`${options.clipTo} is not visible`);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, ...(clip ? { clip } : {}) });
}

/** How many pixels the page is wider than the viewport (0: no horizontal scroll). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/**
 * Opens an antd Select (by test id), optionally types to filter, and clicks the option with this
 * label, until the dropdown has closed. Under load a click during the dropdown's opening motion can
 * be lost (the list re-renders under the pointer), so the option is clicked again while it still
 * shows. What was chosen is for the caller's next assertions to check.
 */
export async function pickOption(page: Page, testId: string, label: string, search = false): Promise<void> {
  await page.getByTestId(testId).click();
  if (search) await page.keyboard.type(label);
  const option = page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${label}"]`).first();
  await option.click();
  await expect
    .poll(async () => {
      const open = await page.locator('.ant-select-dropdown:visible').count();
      if (open > 0 && (await option.isVisible())) await option.click({ timeout: 2_000 }).catch(() => undefined);
      return open;
    })
    .toBe(0);
}

