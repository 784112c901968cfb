// Staff console helpers shared by test files.
import { pathOf } from './harness.js';
import { ADMIN_USERNAME } from './server.js';

export const LOGIN_PATH = '/console/login';

/**
 * Fill and submit the console login form (goes to /console/login first unless the page is
 * already there). Does not wait for the outcome: callers check where they end up.
 */
export async function submitLogin(page, { username = ADMIN_USERNAME, password }) {
  if (pathOf(page) !== LOGIN_PATH) await page.goto(LOGIN_PATH);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.locator('button[type=submit]').click();
}

/** Sign in as admin (or another user) and wait until the browser has left the login page. */
export async function signIn(
  page,
  server,
  { username = server.username, password = server.password } = {},
) {
  await submitLogin(page, { username, password });
  await page.waitForURL((u) => u.pathname.replace(/\/+$/, '') !== LOGIN_PATH);
}
