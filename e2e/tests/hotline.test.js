// 12345 hotline work orders, end to end (issue 7): an operator takes a call and dispatches
// it, the unit's handler signs and replies, the supervisor sees it closed.
// Needs the demo users `operator`, `handler` (of 龙岗区城市管理和综合执法局) and
// `supervisor`, all with the admin password.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathOf, signIn, useZhengshu, waitFor } from '../lib/index.js';

const UNIT = '龙岗区城市管理和综合执法局';
const CONTENT = '五和大道地铁站C出口人行道上有流动摊贩占道经营，行人无法通行，e2e 测试';

describe('hotline.test.js', () => {
  const zs = useZhengshu();
  let orderNo;

  const as = (page, username) => signIn(page, zs.server, { username, password: zs.server.password });
  const state = (page) => page.locator('[data-testid="order-state"]').first().innerText();

  it('an operator takes a call, sees the suggestion and dispatches it', (t) =>
    zs.page(t, async (page) => {
      await as(page, 'operator');
      await page.goto('/console/hotline/new');
      await page.locator('input[name=caller_name]').fill('陈女士');
      await page.locator('input[name=caller_phone]').fill('13800138000');
      await page.locator('select[name=appeal_type]').selectOption('complaint');
      await page.locator('[data-testid="content"]').fill(CONTENT);
      await page.locator('[data-testid="street"]').selectOption('坂田街道');
      await page.locator('[data-testid="suggest"]').click();
      const suggested = page.locator('[data-testid="suggested-category"]');
      await suggested.waitFor({ state: 'visible', timeout: 15_000 });
      assert.match(await suggested.innerText(), /占道经营/);
      // Take the suggested category, then dispatch to the city management bureau.
      await suggested.locator('button').click();
      assert.equal(await page.locator('[data-testid="category"]').inputValue(), 'CS02');
      await page.locator('[data-testid="lead-unit"]').selectOption({ label: UNIT });
      await page.locator('[data-testid="submit-order"]').click();
      await page.waitForURL((u) => u.pathname.startsWith('/console/hotline/orders/'));
      orderNo = (await page.locator('[data-testid="order-no"]').innerText()).trim();
      assert.match(orderNo, /^GD\d{12,}$/);
      assert.equal(await state(page), '已派单');
      assert.equal((await page.locator('[data-testid="lead-unit"]').innerText()).trim(), UNIT);
    }));

  it('the unit\'s handler signs for it and replies', (t) =>
    zs.page(t, async (page) => {
      assert.ok(orderNo, 'the operator test created no order');
      await as(page, 'handler');
      await page.goto(`/console/hotline/orders/${orderNo}`);
      await page.locator('[data-testid="sign"]').click();
      await waitFor(async () => (await state(page)) === '已签收', { what: 'state 已签收 after signing' });
      await page.locator('[data-testid="reply-text"]').fill('已联合街道执法队清理占道摊贩，并安排每日巡查。');
      await page.locator('[data-testid="reply-submit"]').click();
      await waitFor(async () => (await state(page)) === '已办结', { what: 'state 已办结 after replying' });
      assert.match(await page.locator('[data-testid="timeline"]').innerText(), /签收[\s\S]*答复办结/);
    }));

  it('the supervisor sees it closed, and the statistics', (t) =>
    zs.page(t, async (page) => {
      assert.ok(orderNo, 'the operator test created no order');
      await as(page, 'supervisor');
      await page.goto(`/console/hotline?q=${orderNo}`);
      const row = page.locator(`tr[data-order="${orderNo}"]`);
      await row.waitFor({ state: 'visible' });
      assert.equal((await row.locator('[data-testid="order-state"]').innerText()).trim(), '已办结');
      await row.locator('a').first().click();
      await page.waitForURL((u) => u.pathname === `/console/hotline/orders/${orderNo}`);
      assert.equal(pathOf(page), `/console/hotline/orders/${orderNo}`);
      assert.match(await page.locator('[data-testid="reply"]').innerText(), /清理占道摊贩/);
      await page.goto('/console/hotline/stats');
      const received = Number((await page.locator('[data-testid="stat-received"]').innerText()).replace(/\D/g, ''));
      assert.ok(received > 0, `the statistics show ${received} received orders`);
      assert.ok((await page.locator('#chart-trend canvas, #chart-trend svg').count()) > 0, 'the trend chart was drawn');
      assert.match(await page.locator('[data-testid="export-csv"]').getAttribute('href'), /stats\.csv/);
    }));
});
