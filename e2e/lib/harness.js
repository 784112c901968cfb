// One-line setup for a test file: a zhengshu demo server and a browser for its suite.
import { after, before } from 'node:test';
import { launchBrowser, withPage } from './browser.js';
import { runZhengshu, runZhengshuJson } from './cli.js';
import { startServer } from './server.js';

/**
 * Call inside a `describe(...)` callback. Registers before/after hooks that start a fresh
 * `zhengshu demo` (own port, own data dir) and Chromium, and stop both afterwards.
 *
 *   describe('catalog', () => {
 *     const zs = useZhengshu();
 *     it('lists resources', (t) => zs.page(t, async (page) => { await page.goto('/catalog'); }));
 *   });
 *
 * @param {{browser?: boolean, server?: Parameters<typeof startServer>[0]}} [opts]
 */
export function useZhengshu({ browser = true, server: serverOpts = {} } = {}) {
  const zs = {
    /** @type {Awaited<ReturnType<typeof startServer>>} */
    server: undefined,
    /** @type {import('playwright-core').Browser} */
    browser: undefined,
    get baseUrl() {
      return zs.server.baseUrl;
    },
    get dataDir() {
      return zs.server.dataDir;
    },
    /** Run fn(page, context) in a fresh context; screenshot + logs on failure. */
    page(t, fn, contextOptions) {
      return withPage(t, { browser: zs.browser, server: zs.server, contextOptions }, fn);
    },
    /**
     * Run the CLI on this server's data dir: `--data-dir DIR` goes right after the
     * subcommand words, e.g. ['unit', 'list', '--format', 'json'] runs
     * `zhengshu unit list --data-dir DIR --format json`.
     */
    cli(args, opts) {
      return runZhengshu(withDataDir(args, zs.server.dataDir), opts);
    },
    /** Like cli(), and parses stdout as JSON. */
    cliJson(args, opts) {
      return runZhengshuJson(withDataDir(args, zs.server.dataDir), opts);
    },
  };
  before(
    async () => {
      zs.server = await startServer(serverOpts);
      if (browser) zs.browser = await launchBrowser();
    },
    { timeout: 240_000 },
  );
  after(
    async () => {
      await zs.browser?.close().catch(() => {});
      await zs.server?.stop();
    },
    { timeout: 60_000 },
  );
  return zs;
}

function withDataDir(args, dataDir) {
  const i = args.findIndex((a) => a.startsWith('-'));
  const at = i === -1 ? args.length : i;
  return [...args.slice(0, at), '--data-dir', dataDir, ...args.slice(at)];
}

/**
 * Poll `fn` until it returns a truthy value (errors count as "not yet", e.g. while a page
 * navigates); returns that value, or throws the last error / a timeout error.
 */
export async function waitFor(
  fn,
  { timeoutMs = 15_000, intervalMs = 100, what = 'condition' } = {},
) {
  const deadline = Date.now() + timeoutMs;
  let lastErr;
  let lastValue;
  for (;;) {
    try {
      lastValue = await fn();
      if (lastValue) return lastValue;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) {
      const why = lastErr
        ? `; last error: ${lastErr.message}`
        : `; last value: ${JSON.stringify(lastValue)}`;
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The path of the page's current URL, without a trailing slash (but "/" stays "/"). */
export function pathOf(page) {
  const p = new URL(page.url()).pathname;
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}
