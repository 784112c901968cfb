// The data lake end to end: the platform admin uploads a GBK CSV with one bad row into the
// demo's enterprise table in a real browser and follows the live job page to its report;
// the SQL page finds the new rows; and Python's deltalake, polars and DuckDB read the Delta
// table zhengshu wrote (e2e/clients/read_delta.py).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { signIn, useZhengshu, waitFor } from '../lib/index.js';

const reader = fileURLToPath(new URL('../clients/read_delta.py', import.meta.url));

// Two valid rows (credit codes and resident IDs with their check characters) and one whose
// resident ID fails the checksum, written in GBK as many units' systems export.
function gbkCsv() {
  const text =
    '统一社会信用代码,企业名称,法定代表人,身份证号,联系电话,街道,注册资本（万元）,成立日期,登记状态\n' +
    '91440307000000001N,端到端甲科技有限公司,王伟,110101199003074514,13800138000,平湖街道,100,2024年5月6日,存续\n' +
    '91440307000000002R,端到端乙科技有限公司,李芳,110101199003074522,13800138001,坂田街道,"1,200.5",20240507,在业\n' +
    '91440307000000003W,端到端丙科技有限公司,张敏,110101199003074531,13800138002,布吉街道,50,2024-05-08,存续\n';
  // GBK via iconv-free route: Python is on the CI machine.
  const r = spawnSync('python3', ['-c', 'import sys; sys.stdout.buffer.write(sys.stdin.read().encode("gbk"))'], {
    input: text,
  });
  assert.equal(r.status, 0, String(r.stderr));
  return r.stdout;
}

describe('lake.test.js', () => {
  const zs = useZhengshu();

  it('admin uploads a GBK file; the job page shows the quarantined row; SQL finds the rest', (t) =>
    zs.page(t, async (page) => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zs-lake-')), 'batch.csv');
      fs.writeFileSync(file, gbkCsv());
      await signIn(page, zs.server, {});
      await page.goto('/console/lake');
      await page.locator('a[href="/console/lake/enterprises"]').first().click();
      await page.waitForURL((u) => u.pathname === '/console/lake/enterprises');
      const before = Number((await page.locator('[data-testid="table-rows"]').innerText()).trim());
      assert.ok(before > 0, 'the demo table has rows');
      await page.locator('[data-testid="upload-file"]').setInputFiles(file);
      await page.locator('[data-testid="upload-batch"]').fill('e2e-batch-1');
      await page.locator('[data-testid="upload-submit"]').click();
      await page.waitForURL((u) => /^\/console\/lake\/jobs\/\d+$/.test(u.pathname));
      // The live status polls until the job is done.
      await waitFor(
        async () => (await page.locator('[data-testid="job-status"]').getAttribute('data-status')) !== 'running',
        { timeoutMs: 60_000, what: 'job to finish' },
      );
      await page.reload();
      assert.equal(await page.locator('[data-testid="job-status"]').getAttribute('data-status'), 'succeeded');
      assert.equal((await page.locator('[data-testid="job-rows-written"]').innerText()).trim(), '2');
      assert.equal((await page.locator('[data-testid="job-rows-quarantined"]').innerText()).trim(), '1');
      const q = await page.locator('[data-testid="quarantine"]').innerText();
      assert.match(q, /4/); // the bad row is on line 4 of the file
      assert.match(q, /resident ID/);
      // The quarantine downloads as CSV with the original columns, line and reason.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('[data-testid="quarantine-download"]').click(),
      ]);
      const csv = fs.readFileSync(await download.path(), 'utf8');
      assert.match(csv, /端到端丙科技有限公司/);
      assert.match(csv, /_line,_reason/);

      // SQL in the console.
      await page.goto('/console/lake/sql');
      await page
        .locator('[data-testid="sql-input"]')
        .fill("SELECT name, registered_capital FROM enterprises WHERE name LIKE '端到端%' ORDER BY name");
      await page.locator('[data-testid="sql-run"]').click();
      await page.waitForLoadState('load');
      const result = await page.locator('[data-testid="sql-result"]').innerText();
      assert.match(result, /端到端甲科技有限公司/);
      assert.match(result, /1200\.5/);
      assert.doesNotMatch(result, /端到端丙/);
      await page.goto('/console/lake/enterprises');
      const after = Number((await page.locator('[data-testid="table-rows"]').innerText()).trim());
      assert.equal(after, before + 2);
    }));

  it('a data officer starts a resource from a sample file and adjusts the proposal', (t) =>
    zs.page(t, async (page) => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zs-sample-')), 'sample.csv');
      fs.writeFileSync(
        file,
        '\ufeff姓名,身份证号,手机,参保日期,缴费基数\n' +
          '王伟,110101199003074514,13800138000,2024年5月6日,"8,500.00"\n' +
          '李芳,110101199003074522,13900139000,20240601,9200\n',
      );
      await signIn(page, zs.server, {});
      await page.goto('/console/lake');
      await page.locator('[data-testid="lake-new"]').click();
      await page.waitForURL((u) => u.pathname === '/console/lake/new');
      await page.locator('[data-testid="sample-file"]').setInputFiles(file);
      await page.locator('[data-testid="sample-name"]').fill('参保人员信息（端到端）');
      await page.locator('[data-testid="sample-table"]').fill('insured_e2e');
      await page.locator('[data-testid="sample-propose"]').click();
      await page.waitForLoadState('load');
      const items = page.locator('[data-testid="proposed-items"]');
      await items.waitFor();
      // Proposed from content: the ID column is a resident ID, the base a number.
      assert.equal(await page.locator('[data-testid="pii-id_number"]').inputValue(), 'resident_id');
      assert.equal(await page.locator('[data-testid="type-phone"]').inputValue(), 'string');
      // The officer adjusts one: the base becomes an integer? No — keep it a number, but
      // mark the phone as a mobile number explicitly.
      await page.locator('[data-testid="pii-phone"]').selectOption('mobile');
      await page.locator('[data-testid="propose-save"]').click();
      await page.waitForURL((u) => /^\/console\/lake\/jobs\/\d+$/.test(u.pathname));
      await waitFor(
        async () => (await page.locator('[data-testid="job-status"]').getAttribute('data-status')) === 'succeeded',
        { timeoutMs: 30_000, what: 'sample load' },
      );
      assert.equal((await page.locator('[data-testid="job-rows-written"]').innerText()).trim(), '2');
      await page.goto('/console/lake/insured_e2e');
      assert.equal((await page.locator('[data-testid="table-rows"]').innerText()).trim(), '2');
      assert.match(await page.locator('[data-testid="rules"]').innerText(), /身份证号校验/);
    }));

  it('other engines read the Delta table zhengshu wrote', async () => {
    const tables = await zs.cliJson(['lake', 'list', '--format', 'json']);
    const ent = tables.find((x) => x.table === 'enterprises');
    assert.ok(ent, JSON.stringify(tables));
    const counts = await zs.cliJson([
      'sql',
      '--format',
      'json',
      "SELECT count(*) AS n, sum(registered_capital) AS s, count(*) FILTER (WHERE street = '平湖街道') AS p FROM enterprises",
    ]);
    // The column order as the table has it (CSV header; JSON objects sort their keys).
    const { stdout: head } = await zs.cli(['sql', '--format', 'csv', 'SELECT * FROM enterprises LIMIT 1']);
    const expected = {
      rows: Number(counts[0].n),
      columns: head.split('\n')[0].trim().split(','),
      sum: { registered_capital: Number(counts[0].s) },
      where: { street: '平湖街道', count: Number(counts[0].p) },
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zs-delta-'));
    const exp = path.join(dir, 'expected.json');
    fs.writeFileSync(exp, JSON.stringify(expected));
    const tableDir = fileURLToPath(ent.url);
    const r = spawnSync('python3', [reader, tableDir, exp], { encoding: 'utf8', timeout: 180_000 });
    assert.equal(r.status, 0, `read_delta.py failed:\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /deltalake ok/);
    assert.match(r.stdout, /polars ok/);
  });
});
