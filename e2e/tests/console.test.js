// The staff console and the public home page, end to end: real binary, real browser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOGIN_PATH, pathOf, submitLogin, useZhengshu, waitFor } from '../lib/index.js';

// One demo server (seeding takes a while) and one browser for the whole file; each test
// gets a fresh browser context (no cookies).
describe('console.test.js', () => {
  const zs = useZhengshu();

  describe('public home page', () => {
    it('answers 200 and has a <nav>', (t) =>
      zs.page(t, async (page) => {
        const res = await page.goto('/');
        assert.equal(res.status(), 200, `GET / answered ${res.status()}`);
        assert.ok((await page.locator('nav').count()) > 0, 'the home page has no <nav>');
      }));

    it('switches to English with [data-testid="lang-en"]', (t) =>
      zs.page(t, async (page) => {
        await page.goto('/');
        const html = page.locator('html');
        const before = await html.getAttribute('lang');
        assert.match(before ?? '', /^zh/i, `<html lang> should be Chinese first, got ${before}`);
        await page.locator('[data-testid="lang-en"]').first().click();
        await waitFor(async () => (await html.getAttribute('lang')) === 'en', {
          what: '<html lang="en"> after clicking the English link',
        });
      }));
  });

  describe('staff console', () => {
    it('rejects a wrong password with an error, staying on the login page', (t) =>
      zs.page(t, async (page) => {
        await page.goto(LOGIN_PATH);
        await submitLogin(page, { username: 'admin', password: `${zs.server.password}-wrong` });
        const error = page.locator('[data-testid="login-error"]');
        await error.waitFor({ state: 'visible' });
        assert.notEqual((await error.innerText()).trim(), '', 'the login error is empty');
        assert.equal(pathOf(page), LOGIN_PATH);
      }));

    it('redirects to the login page, signs admin in, and shows the unit count the CLI reports', (t) =>
      zs.page(t, async (page) => {
        await page.goto('/console');
        assert.equal(pathOf(page), LOGIN_PATH, `/console while signed out ended at ${page.url()}`);

        await submitLogin(page, { username: 'admin', password: zs.server.password });
        await page.waitForURL((u) => u.pathname.replace(/\/+$/, '') === '/console');

        const figure = page.locator('[data-testid="figure-units"]');
        const text = await waitFor(
          async () => {
            const s = await figure.innerText();
            return /\d/.test(s) ? s : null;
          },
          { what: 'a number in [data-testid="figure-units"]' },
        );
        const shown = Number(text.replace(/\D/g, ''));

        // The CLI reads the same data dir while the server is running.
        const units = await zs.cliJson(['unit', 'list', '--format', 'json']);
        assert.ok(
          Array.isArray(units),
          '`zhengshu unit list --format json` should print a JSON array',
        );
        assert.ok(units.length > 0, 'the demo should have seeded some units');
        assert.equal(
          shown,
          units.length,
          `console shows "${text.trim()}" units, the CLI lists ${units.length}`,
        );
      }));
  });
});
