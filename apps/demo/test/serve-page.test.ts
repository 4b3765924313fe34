import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFirstLine } from '@dual-auth/testkit';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServedUrls } from '../src/serve-demo.ts';

const CHROMIUM = '/usr/bin/chromium';
const artifacts = new URL('../artifacts/', import.meta.url).pathname;

let demo: ChildProcess;
let stderr = '';
let urls: ServedUrls;
let browser: BrowserContext;
let page: Page;
let profileDir: string;

async function runTask(agent: string, flow: string): Promise<string> {
  await page.selectOption('#agent', agent);
  await page.selectOption('#flow', flow);
  await page.click('#run');
  await page.waitForSelector('#decision.ALLOW, #decision.DENY');
  return (await page.textContent('#decision')) ?? '';
}

describe('--serve page in headless Chromium', () => {
  beforeAll(async () => {
    // npm test provisions Chromium (tools/provision), so a missing one fails instead of skipping.
    if (!existsSync(CHROMIUM))
      throw new Error(
        `${CHROMIUM} is missing: \`npm test\` installs it as root, or apt-get install chromium`,
      );
    demo = spawn(process.execPath, ['--conditions=dev-source', 'src/main.ts', '--serve'], {
      cwd: new URL('..', import.meta.url).pathname,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    demo.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    urls = JSON.parse(await readFirstLine(demo, { timeoutMs: 30_000 }));
    profileDir = mkdtempSync(join(tmpdir(), 'dual-auth-chromium-'));
    // A new, empty profile folder (the persistent-context API is how Playwright takes --user-data-dir).
    browser = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      // The embedded IdP's login page is served with the testkit's test CA.
      ignoreHTTPSErrors: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(urls.page);
    await page.waitForSelector('body[data-ready="true"]');
    mkdirSync(artifacts, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    if (demo && demo.exitCode === null) demo.kill('SIGKILL');
  });

  it('prints the base URL of every service', () => {
    expect(Object.keys(urls).sort()).toEqual(['agent', 'api', 'app', 'idp', 'mcp', 'page']);
    expect(urls.agent).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(urls.mcp).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(urls.api).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('signs alice in at the IdP login page (OIDC code flow + PKCE)', async () => {
    expect(await page.isDisabled('#run')).toBe(true);
    await page.selectOption('#vendor', 'keycloak');
    await page.click('#sign-in');
    // The embedded IdP's own login page, on its origin.
    await page.waitForURL(
      (url) => url.href.startsWith(`${urls.idp}/realms/`) && url.pathname.includes('/interaction/'),
    );
    expect(await page.textContent('body')).toContain('test identity provider');
    await page.fill('#username', 'mallory');
    await page.click('#sign-in');
    expect(await page.textContent('#error')).toContain('Unknown user');
    await page.fill('#username', 'alice');
    await page.screenshot({ path: join(artifacts, 'demo-idp-login.png') });
    await page.click('#sign-in');
    await page.waitForURL(urls.page);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.textContent('#who')).toBe('Alice Approved via keycloak');
    expect(await page.textContent('#human-hint')).toContain('approved agents: finance-agent');
    // Cookies are per host, not per port: the IdP's own (_session…) are on 127.0.0.1 too.
    const cookies = (await browser.cookies(urls.app)).filter((cookie) => cookie.name === 'demo_session');
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(cookies[0]?.value).toMatch(/^[\w-]{43}$/);
    expect(await page.evaluate('document.cookie')).toBe('');
  }, 30_000);

  it('ALLOW: alice with finance-agent, out-of-session', async () => {
    expect(await runTask('finance-agent', 'out-of-session')).toBe('ALLOW');
    expect(await page.textContent('#token')).toContain('"agbac_ver": "1.0"');
    expect(await page.locator('#trail tr').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(artifacts, 'demo-page-allow.png'), fullPage: true });
  }, 30_000);

  it('DENY: alice with rogue-agent, in-session, stopped at the API (Keycloak issues a token without act)', async () => {
    expect(await runTask('rogue-agent', 'in-session')).toBe('DENY');
    expect(await page.textContent('#stopped')).toBe('API (verifier)');
    expect(await page.textContent('#failed')).toBe('token');
    await page.screenshot({ path: join(artifacts, 'demo-page-deny.png'), fullPage: true });
  }, 30_000);

  it('ALLOW: alice with finance-agent, as an MCP tool call', async () => {
    expect(await runTask('finance-agent', 'mcp')).toBe('ALLOW');
    expect(await page.textContent('#result')).toContain('"tool":"post_summary"');
  }, 30_000);

  it('shows no raw token and no full email on the page', async () => {
    const html = await page.content();
    expect(html).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/);
    expect(html).not.toContain('alice@example.com');
  });

  it('signs out', async () => {
    await page.click('#sign-out');
    await page.waitForSelector('#sign-in', { state: 'visible' });
    expect(await page.isDisabled('#run')).toBe(true);
  });

  it('stops cleanly on SIGTERM, with nothing secret in its logs', async () => {
    const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
    demo.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('stopped');
    expect(stderr).not.toMatch(/@example\.com|-secret-|eyJ/);
  }, 15_000);
});
