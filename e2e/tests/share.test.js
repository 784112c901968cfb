// Data sharing end to end in a real browser: a scenario developer registers a scenario and
// asks for the demo enterprise register (有条件共享) limited to one street; the provider
// unit's reviewer approves it in the console; the developer issues a token on the scenario
// page; a program calls the share API with it and gets only that street's rows, with the
// legal representative masked; the platform admin sees the call and an intact audit chain.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signIn, useZhengshu } from '../lib/index.js';

describe('share.test.js', () => {
  const zs = useZhengshu();

  it('register → request → provider approves → token → masked, filtered rows', (t) =>
    zs.page(t, async (page) => {
      const as = async (username) => {
        await page.context().clearCookies();
        await signIn(page, zs.server, { username, password: zs.server.password });
      };

      // 1. The scenario team registers its application and asks for data.
      await as('developer');
      await page.goto('/console/share');
      await page.locator('[data-testid="share-new-scenario"]').click();
      await page.locator('[data-testid="scenario-name"]').fill('端到端智慧社区');
      await page.locator('[data-testid="scenario-purpose"]').fill('社区网格核对坂田街道辖区企业的登记信息');
      await page.locator('[data-testid="scenario-basis"]').fill('《广东省政务数据资源共享管理办法（试行）》');
      await page.locator('[data-testid="scenario-contact"]').fill('王场景');
      await page.locator('[data-testid="scenario-phone"]').fill('13800138000');
      await page.locator('[data-testid="scenario-submit"]').click();
      await page.waitForURL((u) => /^\/console\/share\/scenarios\/\d+$/.test(u.pathname));
      const scenarioPath = new URL(page.url()).pathname;
      assert.equal((await page.locator('[data-testid="scenario-title"]').innerText()).trim(), '端到端智慧社区');

      await page.locator('[data-testid="request-resource"]').fill('enterprises');
      await page.locator('[data-testid="request-columns"]').fill('credit_code, name, legal_rep, street');
      await page.locator('[data-testid="request-filter-column"]').fill('street');
      await page.locator('[data-testid="request-filter-op"]').selectOption('in');
      await page.locator('[data-testid="request-filter-values"]').fill('坂田街道');
      await page.locator('[data-testid="request-purpose"]').fill('网格员上门核查企业经营状态');
      await page.locator('[data-testid="request-submit"]').click();
      await page.waitForURL((u) => /^\/console\/share\/requests\/\d+$/.test(u.pathname));
      const requestPath = new URL(page.url()).pathname;
      // The demo register is 有条件共享: it waits for the provider, with a due day.
      assert.match(await page.locator('[data-testid="request-status"]').innerText(), /待审核/);
      assert.match(await page.locator('[data-testid="request-due"]').innerText(), /in time|due soon/);
      // The developer cannot decide it.
      assert.equal(await page.locator('[data-testid="decision-form"]').count(), 0);

      // 2. The provider unit's reviewer finds it in the review list and approves.
      await as('marketreviewer');
      await page.goto('/console/share');
      const list = page.locator('[data-testid="share-review-list"]');
      assert.match(await list.innerText(), /端到端智慧社区/);
      await list.locator(`a[href="${requestPath}"]`).first().click();
      await page.waitForURL((u) => u.pathname === requestPath);
      await page.locator('[data-testid="decision-approve"]').click();
      await page.waitForURL((u) => u.pathname === requestPath);
      assert.match(await page.locator('[data-testid="request-status"]').innerText(), /已授权/);

      // 3. The developer issues a token (shown once).
      await as('developer');
      await page.goto(scenarioPath);
      assert.match(await page.locator('[data-testid="grant-list"]').innerText(), /有效|active/);
      await page.locator('[data-testid="token-name"]').fill('网格系统');
      await page.locator('[data-testid="token-create"]').click();
      const secret = (await page.locator('[data-testid="token-secret"]').innerText()).trim();
      assert.match(secret, /^zsx_/);

      // 4. A program reads with the token: only 坂田街道, legal_rep masked, no other columns.
      const auth = { authorization: `Bearer ${secret}`, 'x-user-id': 'grid-worker-007' };
      const r = await fetch(`${zs.baseUrl}/api/v1/share/enterprises/rows?limit=50&sort=credit_code`, { headers: auth });
      assert.equal(r.status, 200, await r.clone().text());
      const body = await r.json();
      assert.ok(body.rows.length > 0, 'rows returned');
      for (const row of body.rows) {
        assert.deepEqual(Object.keys(row).sort(), ['credit_code', 'legal_rep', 'name', 'street']);
        assert.equal(row.street, '坂田街道');
        if (row.legal_rep) assert.match(row.legal_rep, /\*/, `masked: ${row.legal_rep}`);
      }
      const sql = await fetch(`${zs.baseUrl}/api/v1/share/sql`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ sql: 'SELECT street, count(*) AS n FROM enterprises GROUP BY street' }),
      });
      assert.equal(sql.status, 200, await sql.clone().text());
      const groups = (await sql.json()).rows;
      assert.equal(groups.length, 1);
      assert.equal(groups[0].street, '坂田街道');
      // Outside the grant: refused.
      const escape = await fetch(`${zs.baseUrl}/api/v1/share/sql`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ sql: 'SELECT id_number FROM enterprises' }),
      });
      assert.equal(escape.status, 400);

      // 5. The platform sees the calls and an intact audit chain.
      await as('admin');
      await page.goto('/console/share/usage');
      assert.ok(Number((await page.locator('[data-testid="usage-calls"]').innerText()).trim()) >= 2);
      assert.match(await page.locator('[data-testid="usage-by-scenario"]').innerText(), /端到端智慧社区/);
      assert.match(await page.locator('[data-testid="audit-state"]').innerText(), /审计链完整|Chain intact/);
      assert.match(await page.locator('[data-testid="audit-recent"]').innerText(), /share\.rows/);
    }));
});
