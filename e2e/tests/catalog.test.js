// The data resource catalog end to end: a data officer registers a resource through the
// console form and submits it, a reviewer approves it, and the public finds it by a
// simplified-Chinese search although its summary is written in traditional characters
// with pinyin annotations.
//
// Assumes the demo's accounts `officer` (data officer of 区政务服务数据管理局) and
// `reviewer` (reviewer), with the same password as admin.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathOf, signIn, useZhengshu, waitFor } from '../lib/index.js';

const RESOURCE_PATH = /^\/console\/catalog\/\d+$/;

async function logOut(page) {
  await page.locator('form[action="/console/logout"] button[type=submit]').click();
  await page.waitForLoadState('load');
  // Start from a fresh page so the next login form carries a matching CSRF token.
  await page.goto('/');
}

async function statusOf(page) {
  return (await page.locator('[data-testid="catalog-status"]').innerText()).trim();
}

describe('catalog.test.js', () => {
  const zs = useZhengshu();

  it('officer registers and submits, reviewer publishes, the public finds it', (t) =>
    zs.page(t, async (page) => {
      const name = `端到端测试资源${Date.now() % 100000}`;
      const password = zs.server.password;

      // 1. The data officer fills in the form.
      await signIn(page, zs.server, { username: 'officer', password });
      await page.goto('/console/catalog');
      await page.locator('[data-testid="catalog-new"]').click();
      await page.waitForURL((u) => u.pathname === '/console/catalog/new');
      const form = page.locator('[data-testid="catalog-form"]');
      await form.locator('input[name=name]').fill(name);
      await form.locator('textarea[name=summary]').fill('依託大數(shù)據(jù)平臺匯聚的端到端測試資源');
      await form.locator('input[name=classification]').fill('201003');
      await form.locator('input[name=theme]').fill('公共服务');
      await form.locator('select[name=format]').selectOption({ label: '电子表格' });
      await form.locator('select[name=sharing_type]').selectOption({ label: '有条件共享' });
      await form.locator('input[name=sharing_conditions]').fill('仅用于政务服务办理');
      await form.locator('select[name=open_type]').selectOption({ label: '无条件开放' });
      await form.locator('select[name=update_cycle]').selectOption({ label: '每月' });
      await form.locator('select[name=security_grade]').selectOption({ label: '一般' });
      await form.locator('input[name=item_name]').nth(0).fill('fwsx');
      await form.locator('input[name=item_label]').nth(0).fill('服务事项名称');
      await form.locator('input[name=item_length]').nth(0).fill('200');
      await form.locator('input[name=item_name]').nth(1).fill('lxdh');
      await form.locator('input[name=item_label]').nth(1).fill('联系电话');
      await form.locator('select[name=item_pii]').nth(1).selectOption({ label: '手机号' });
      await form.locator('[data-testid="catalog-save"]').click();
      await page.waitForURL((u) => RESOURCE_PATH.test(u.pathname));
      const resourcePath = pathOf(page);
      assert.equal((await page.locator('[data-testid="catalog-name"]').innerText()).includes(name), true);
      assert.equal(await statusOf(page), '草稿');
      const items = await page.locator('[data-testid="catalog-items"] tbody tr').count();
      assert.equal(items, 2, 'the two data items are stored');

      // 2. ... and submits it for review.
      await page.locator('[data-testid="catalog-submit"]').click();
      await waitFor(async () => (await statusOf(page)) === '待审核', { what: 'status 待审核 after submitting' });
      await logOut(page);

      // 3. The reviewer approves it from the review queue.
      await signIn(page, zs.server, { username: 'reviewer', password });
      await page.goto('/console/catalog/review');
      await page.locator('[data-testid="catalog-queue-row"] a', { hasText: name }).click();
      await page.waitForURL((u) => u.pathname === resourcePath);
      await page.locator('[data-testid="catalog-review-input"]').fill('同意发布');
      await page.locator('[data-testid="catalog-approve"]').click();
      await waitFor(async () => (await statusOf(page)) === '已发布', { what: 'status 已发布 after approving' });
      await logOut(page);

      // 4. Signed out, the public catalog finds it by 大数据 (simplified) and the name.
      const res = await page.goto(`/catalog?q=${encodeURIComponent(`大数据 ${name}`)}`);
      assert.equal(res.status(), 200);
      const hit = page.locator('[data-testid="catalog-result"] a', { hasText: name });
      await hit.waitFor({ state: 'visible' });
      await hit.click();
      await page.waitForURL((u) => u.pathname.startsWith('/catalog/'));
      assert.match(await page.locator('[data-testid="catalog-summary"]').innerText(), /大數/);

      // 5. Its DCAT-AP JSON-LD is public too.
      const code = (await page.locator('[data-testid="catalog-code"]').innerText()).trim();
      const jsonld = await page.request.get(`/catalog/${code}.jsonld`);
      assert.equal(jsonld.status(), 200);
      const doc = await jsonld.json();
      assert.equal(doc['@type'], 'dcat:Dataset');
      assert.ok(doc['@context'], 'JSON-LD has a @context');
    }));
});
