// Debian's Chromium driven by playwright-core (never a browser Playwright downloads itself).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { resultsDir } from './paths.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** Launch headless Chromium. Close it with `await browser.close()`. */
export function launchBrowser(opts = {}) {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    ...opts,
  });
}

/** A file-name-safe version of a test's name. */
export function slug(s) {
  return (
    String(s)
      .normalize('NFKD')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 100) || 'test'
  );
}

/**
 * Run `fn(page, context)` in a fresh browser context (no cookies; Accept-Language zh-CN;
 * relative URLs resolve against the server's baseUrl). When fn throws, a full-page
 * screenshot, the page's HTML and the server's output go to e2e/test-results/, the
 * browser console and the server output are printed, and the error is re-thrown.
 *
 * @param {import('node:test').TestContext} t
 * @param {{browser: import('playwright-core').Browser, server?: object, baseURL?: string,
 *   contextOptions?: object}} env
 * @param {(page: import('playwright-core').Page, context: import('playwright-core').BrowserContext) => Promise<any>} fn
 */
export async function withPage(t, { browser, server, baseURL, contextOptions = {} }, fn) {
  const context = await browser.newContext({
    baseURL: baseURL ?? server?.baseUrl,
    locale: 'zh-CN',
    viewport: { width: 1280, height: 900 },
    ...contextOptions,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.setDefaultNavigationTimeout(30_000);
  const consoleLines = [];
  page.on('console', (m) => {
    if (m.type() !== 'verbose' && m.type() !== 'debug') consoleLines.push(`[console.${m.type()}] ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
  page.on('requestfailed', (r) =>
    consoleLines.push(`[requestfailed] ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`),
  );
  try {
    return await fn(page, context);
  } catch (err) {
    await reportFailure(t, page, server, consoleLines);
    throw err;
  } finally {
    await context.close().catch(() => {});
  }
}

async function reportFailure(t, page, server, consoleLines) {
  const name = slug(t?.fullName ?? t?.name ?? 'test');
  const out = [];
  try {
    mkdirSync(resultsDir, { recursive: true });
    const png = path.join(resultsDir, `${name}.png`);
    await page.screenshot({ path: png, fullPage: true, timeout: 10_000 });
    out.push(`screenshot: ${png}`);
    const html = path.join(resultsDir, `${name}.html`);
    writeFileSync(html, await page.content());
    out.push(`page HTML: ${html}`);
  } catch (e) {
    out.push(`(could not save screenshot/HTML: ${e.message})`);
  }
  if (server?.saveLogs) out.push(`server output: ${server.saveLogs(name)}`);
  out.push(`page URL at failure: ${page.url()}`);
  for (const line of out) t?.diagnostic?.(line);
  process.stderr.write(
    `\n===== failure in "${t?.name}" =====\n${out.join('\n')}\n` +
      `--- browser console (${consoleLines.length} lines) ---\n${consoleLines.slice(-200).join('\n')}\n`,
  );
  server?.printLogs?.(`zhengshu output (test "${t?.name}" failed)`);
}
