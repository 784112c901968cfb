// The open data portal (数据开放) in a real browser and through a real CKAN client:
//   1. search in Chinese on /open → the dataset page → preview → "download CSV": the file
//      has a UTF-8 BOM and the rows datastore_search returns for the same dataset;
//   2. on a phone (390×844) the pages do not overflow sideways and the search box shows;
//   3. in English after /lang/en;
//   4. conditional opening: a new user registers, applies with a purpose, the platform
//      admin approves on /console/open, the user previews and downloads, creates an app key
//      and reads through the CKAN API with it (403 without);
//   5. e2e/clients/ckan_client.py (Python ckanapi, frictionless) against the same server.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { pathOf, signIn, useZhengshu } from '../lib/index.js';

const ckanClient = fileURLToPath(new URL('../clients/ckan_client.py', import.meta.url));
const BOM = [0xef, 0xbb, 0xbf];

/** RFC 4180 CSV: a list of rows (lists of cells). Quoted cells may hold commas, quotes, newlines. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** A value as text that a CSV cell, a table cell and a JSON value of the same datum agree on. */
function canon(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(Number.isInteger(v) ? v : Math.round(v * 1e6) / 1e6);
  const s = String(v).trim();
  if (/^(true|false)$/i.test(s)) return s.toLowerCase();
  if (/^-?\d+(\.\d+)?$/.test(s)) {
    const f = Number(s);
    return String(Number.isInteger(f) ? f : Math.round(f * 1e6) / 1e6);
  }
  const m = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(\.0+)?(Z|\+00:00)?$/.exec(s);
  if (m) return `${m[1]} ${m[2]}`;
  return s;
}

/** Multiset of rows as a Map(key → count). */
function bag(rows) {
  const m = new Map();
  for (const r of rows) {
    const k = JSON.stringify(r);
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

function bagDiff(a, b) {
  const out = [];
  for (const [k, n] of a) if ((b.get(k) ?? 0) !== n) out.push(`${k} ×${n} vs ×${b.get(k) ?? 0}`);
  for (const [k, n] of b) if (!a.has(k)) out.push(`${k} ×0 vs ×${n}`);
  return out;
}

/**
 * The CSV text (BOM removed) checked against datastore_search's records: same row count, and
 * the same rows (as a multiset) over the columns that match the datastore fields (by id or by
 * the field's label). Returns {header, body}.
 */
function assertCsvEqualsRecords(bytes, ds, what) {
  assert.deepEqual([...bytes.subarray(0, 3)], BOM, `${what}: starts with the UTF-8 BOM`);
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(3));
  const rows = parseCsv(text).filter((r) => !(r.length === 1 && r[0] === ''));
  const [header, ...body] = rows;
  assert.equal(body.length, ds.total, `${what}: ${body.length} data rows, datastore total ${ds.total}`);
  const fields = ds.fields.map((f) => f.id).filter((f) => f !== '_id');
  const cols = fields.map((f) => {
    let i = header.indexOf(f);
    const label = ds.fields.find((x) => x.id === f)?.info?.label;
    if (i < 0 && label) i = header.indexOf(label);
    return i;
  });
  assert.ok(
    cols.every((i) => i >= 0),
    `${what}: every datastore field is a CSV column; header ${JSON.stringify(header)}, fields ${JSON.stringify(fields)}`,
  );
  const fromCsv = bag(body.map((r) => cols.map((i) => canon(r[i]))));
  const fromApi = bag(ds.records.map((r) => fields.map((f) => canon(r[f]))));
  const diff = bagDiff(fromApi, fromCsv);
  assert.equal(diff.length, 0, `${what}: CSV rows differ from datastore_search records:\n${diff.slice(0, 6).join('\n')}`);
  return { header, body };
}

describe('open data portal', () => {
  const zs = useZhengshu();
  /** Shared between the tests (the suite runs them in order on one server). */
  const found = {};

  /** POST /api/3/action/NAME with a JSON body; returns {status, body}. */
  async function ckan(action, params = {}, headers = {}) {
    const r = await fetch(`${zs.baseUrl}/api/3/action/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(params),
    });
    const text = await r.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      assert.fail(`${action}: HTTP ${r.status}, not JSON: ${text.slice(0, 300)}`);
    }
    return { status: r.status, body };
  }

  async function ckanOk(action, params, headers) {
    const { status, body } = await ckan(action, params, headers);
    assert.equal(status, 200, `${action} ${JSON.stringify(params)}: HTTP ${status} ${JSON.stringify(body).slice(0, 400)}`);
    assert.equal(body.success, true, `${action}: success`);
    return body.result;
  }

  /**
   * Datasets with data, split by whether an anonymous datastore_search may read them:
   * {open: [pkg], conditional: [pkg]}. Cached.
   */
  async function datasets() {
    if (found.datasets) return found.datasets;
    const all = await ckanOk('package_search', { rows: 1000 });
    assert.ok(all.count > 0, 'package_search finds datasets');
    const withData = all.results.filter((p) => p.resources?.[0]?.datastore_active === true);
    const out = { open: [], conditional: [], all: all.results };
    for (const p of withData) {
      const { status, body } = await ckan('datastore_search', { resource_id: p.name, limit: 1 });
      if (status === 200 && body.success) out.open.push(p);
      else if (status === 403 && body.error?.__type === 'Authorization Error') out.conditional.push(p);
      else assert.fail(`datastore_search ${p.name}: HTTP ${status} ${JSON.stringify(body).slice(0, 300)}`);
    }
    assert.ok(out.open.length > 0, `a dataset with data is open to anyone (of ${withData.length} with data)`);
    // The refused ones are the conditionally opened ones (fq=open_type:conditional).
    const cond = await ckanOk('package_search', { fq: 'open_type:conditional', rows: 1000 });
    const condWithData = cond.results.filter((p) => p.resources?.[0]?.datastore_active === true).map((p) => p.name);
    assert.deepEqual(
      out.conditional.map((p) => p.name).sort(),
      condWithData.sort(),
      'datasets refused anonymously = conditionally opened datasets with data',
    );
    found.datasets = out;
    return out;
  }

  /** Every row of a dataset through datastore_search (limit 32000), with its fields and total. */
  async function allRows(code, headers) {
    const r = await ckanOk('datastore_search', { resource_id: code, limit: 32000, include_total: true }, headers);
    assert.ok(r.total <= 32000, `${code} has ${r.total} rows (the test reads them in one call)`);
    assert.equal(r.records.length, r.total, `${code}: all ${r.total} records in one page`);
    return r;
  }

  /** The longest run of Chinese characters in the title, at most 4 (a word a person types). */
  function chineseWord(title) {
    const runs = title.match(/[\u4e00-\u9fff]+/g) ?? [];
    assert.ok(runs.length, `title ${title} has Chinese text`);
    return runs.sort((a, b) => b.length - a.length)[0].slice(0, 4);
  }

  it('searches in Chinese, opens a dataset, previews it and downloads the CSV', (t) =>
    zs.page(t, async (page) => {
      const { open } = await datasets();
      const ds = open.find((p) => /[\u4e00-\u9fff]{2}/.test(p.title)) ?? open[0];
      const code = ds.name;
      const word = chineseWord(ds.title);
      const data = await allRows(code);
      assert.ok(data.total > 0, `${code} has rows`);

      await page.goto('/open');
      await page.locator('[data-testid="open-search"]').first().fill(word);
      await page.locator('[data-testid="open-search"]').first().press('Enter');
      await page.waitForURL((u) => u.pathname === '/open/datasets' && u.searchParams.get('q') === word);
      const card = page.locator(`[data-testid="open-result"][data-code="${code}"]`);
      await assert.doesNotReject(card.waitFor(), `searching ${word} lists ${code} (${ds.title})`);
      await card.locator('h3 a').click();
      await page.waitForURL((u) => decodeURIComponent(u.pathname) === `/open/datasets/${code}`);
      assert.equal((await page.locator('[data-testid="dataset-name"]').innerText()).trim(), ds.title);

      // The preview: the first rows, each one of the dataset's rows.
      const preview = page.locator('[data-testid="dataset-preview"]');
      await preview.waitFor();
      const heads = (await preview.locator('thead th').allInnerTexts()).map((s) => s.trim());
      const shown = await preview.locator('[data-testid="preview-row"]').evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
      );
      assert.equal(shown.length, Math.min(10, data.total), 'preview rows');
      const fields = data.fields.map((f) => f.id).filter((f) => f !== '_id');
      // A header cell names its field (the id, the label, or both on two lines).
      const colOf = (h) => {
        const parts = h.split('\n').map((s) => s.trim()).filter(Boolean);
        const byId = parts.find((x) => fields.includes(x));
        if (byId) return byId;
        return data.fields.find((f) => f.info?.label && parts.includes(f.info.label))?.id;
      };
      const previewFields = heads.map(colOf);
      assert.ok(previewFields.every(Boolean), `preview headers ${JSON.stringify(heads)} are fields ${JSON.stringify(fields)}`);
      const rowsApi = new Set(data.records.map((r) => JSON.stringify(previewFields.map((f) => canon(r[f])))));
      for (const row of shown) {
        const k = JSON.stringify(row.map(canon));
        assert.ok(rowsApi.has(k), `preview row ${k} is a row of the dataset`);
      }

      // Download CSV: the file the browser saves.
      const link = page.locator('[data-testid="dataset-downloads"] a[href$="/download/csv"]');
      assert.match((await link.innerText()).trim(), /CSV/i);
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      assert.equal(await download.failure(), null, 'the download completed');
      assert.match(download.suggestedFilename(), /\.csv$/i, `file name ${download.suggestedFilename()}`);
      const bytes = readFileSync(await download.path());
      assertCsvEqualsRecords(bytes, data, `downloaded ${download.suggestedFilename()}`);
      found.openCode = code;
    }));

  it('fits a phone screen (390×844)', (t) =>
    zs.page(
      t,
      async (page) => {
        const { open } = await datasets();
        const code = found.openCode ?? open[0].name;
        const noOverflow = async (what) => {
          const m = await page.evaluate(() => ({
            scroll: document.documentElement.scrollWidth,
            inner: window.innerWidth,
          }));
          assert.ok(m.scroll <= m.inner + 1, `${what}: page is ${m.scroll}px wide in a ${m.inner}px viewport`);
        };
        const searchVisible = async (what) => {
          const box = page.locator('[data-testid="open-search"]').first();
          assert.ok(await box.isVisible(), `${what}: the search box is visible`);
          const b = await box.boundingBox();
          assert.ok(b && b.x >= 0 && b.x + b.width <= 391 && b.width >= 150, `${what}: search box inside the screen ${JSON.stringify(b)}`);
        };
        await page.goto('/open');
        await noOverflow('/open');
        await searchVisible('/open');
        await page.goto(`/open/datasets?q=${encodeURIComponent(chineseWord(open[0].title))}`);
        await noOverflow('/open/datasets?q=…');
        await searchVisible('/open/datasets');
        await page.goto(`/open/datasets/${code}`);
        await page.locator('[data-testid="dataset-preview"]').waitFor();
        await noOverflow(`/open/datasets/${code}`);
        assert.ok(await page.locator('[data-testid="dataset-downloads"] a[href$="/download/csv"]').isVisible(),
          'the CSV button is visible on the phone');
      },
      { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 },
    ));

  it('speaks English after /lang/en', (t) =>
    zs.page(t, async (page) => {
      await page.goto('/lang/en?next=/open');
      assert.equal(pathOf(page), '/open');
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.equal((await page.locator('h1').first().innerText()).trim(), 'Open government data');
      const nav = await page.locator('nav.open-nav').innerText();
      for (const w of ['Datasets', 'Units', 'Themes']) assert.match(nav, new RegExp(w));
      const labels = await page.locator('.figure-label').allInnerTexts();
      assert.ok(labels.includes('Open datasets'), `figure labels ${JSON.stringify(labels)}`);
      assert.equal(await page.locator('[data-testid="open-search"]').first().getAttribute('placeholder').then((p) => /[\u4e00-\u9fff]/.test(p)), false,
        'the search placeholder is English');
      const { open } = await datasets();
      await page.goto(`/open/datasets/${found.openCode ?? open[0].name}`);
      const h2 = await page.locator('h2').allInnerTexts();
      for (const h of ['About this dataset', 'Get the data', 'Data items']) {
        assert.ok(h2.map((s) => s.trim()).includes(h), `dataset page heading ${h} in ${JSON.stringify(h2)}`);
      }
      await page.goto('/open/datasets');
      assert.equal((await page.locator('h1').first().innerText()).trim(), 'Open datasets');
    }));

  it('conditional opening: register → apply → admin approves → preview, download, app key', (t) =>
    zs.page(t, async (page, context) => {
      const { conditional } = await datasets();
      assert.ok(conditional.length > 0, 'a dataset with data is conditionally opened (refused anonymously)');
      const ds = conditional[0];
      const code = ds.name;
      const href = `/open/datasets/${code}`;
      // The search page's open-type facet lists it too.
      await page.goto('/open/datasets?open_type=conditional');
      const total = Number((await page.locator('[data-testid="open-total"]').innerText()).replace(/\D/g, ''));
      assert.ok(total >= conditional.length, `the conditional facet lists ${total} datasets`);
      await page.goto(`/open/datasets?open_type=conditional&q=${encodeURIComponent(ds.title)}`);
      assert.equal(await page.locator(`[data-testid="open-result"][data-code="${code}"]`).count(), 1, `${code} is under 有条件开放`);

      // 1. A new member of the public registers (and is signed in).
      const username = `e2e-open-${Date.now().toString(36)}`;
      const password = 'E2e-open-pass-2026';
      await page.goto('/open/register');
      const form = page.locator('[data-testid="register-form"]');
      await form.locator('input[name="username"]').fill(username);
      await form.locator('input[name="display_name"]').fill('端到端测试用户');
      await form.locator('input[name="password"]').fill(password);
      await form.locator('input[name="password2"]').fill(password);
      await form.locator('button[type="submit"]').click();
      await page.waitForURL((u) => u.pathname === '/open/account');

      // 2. Not approved yet: no preview, no download; the apply form.
      await page.goto(href);
      assert.ok(await page.locator('[data-testid="dataset-conditional"]').isVisible());
      assert.equal(await page.locator('[data-testid="dataset-preview"]').count(), 0, 'no preview before approval');
      assert.equal(await page.locator('[data-testid="dataset-downloads"]').count(), 0, 'no download buttons');
      const refused = await context.request.get(`${href}/download/csv`);
      assert.equal(refused.status(), 403, `download before approval: ${refused.status()}`);
      const purpose = '端到端测试：研究龙岗区公共服务设施的分布与使用情况';
      const apply = page.locator('[data-testid="apply-form"]');
      await apply.locator('textarea[name="purpose"]').fill(purpose);
      await apply.locator('input[name="organisation"]').fill('某大学研究组');
      await apply.locator('button[type="submit"]').click();
      await page.locator('[data-testid="account-message"]').waitFor();
      assert.match(await page.locator('[data-testid="account-message"]').innerText(), new RegExp(ds.title.slice(0, 4)));

      // 3. Pending on /open/account (and on the dataset page).
      await page.goto('/open/account');
      const row = page.locator('[data-testid^="application-"]', { has: page.locator(`a[href="${href}"]`) });
      assert.equal(await row.count(), 1, 'one application for the dataset');
      assert.match(await row.innerText(), new RegExp(purpose.slice(0, 8)));
      assert.equal((await row.locator('[data-testid="application-status"]').innerText()).trim(), '待审核');
      const appId = (await row.getAttribute('data-testid')).replace('application-', '');
      assert.match(appId, /^\d+$/);
      await page.goto(href);
      assert.ok(await page.locator('[data-testid="dataset-pending"]').isVisible(), 'the dataset page says pending');

      // 4. The platform admin approves it on /console/open (another browser context).
      await zs.page(t, async (admin) => {
        await signIn(admin, zs.server);
        await admin.goto('/console/open');
        const card = admin.locator(`[data-testid="open-application-${appId}"]`);
        await card.waitFor();
        const text = await card.innerText();
        assert.ok(text.includes(username) || text.includes('端到端测试用户'), `the applicant is named: ${text}`);
        assert.ok(text.includes(purpose), `the purpose is shown: ${text}`);
        await card.locator('[data-testid="open-approve"]').click();
        await admin.waitForURL((u) => u.pathname === '/console/open');
        assert.equal(await admin.locator(`[data-testid="open-application-${appId}"]`).count(), 0, 'no longer pending');
        const decided = admin.locator('[data-testid="open-decided"] tr', { has: admin.locator(`td:text-is("${appId}")`) });
        assert.match(await decided.innerText(), /已通过/);
      });

      // 5. The user: approved; the preview and the CSV download work.
      await page.goto('/open/account');
      assert.equal((await row.locator('[data-testid="application-status"]').innerText()).trim(), '已通过');
      await page.goto(href);
      await page.locator('[data-testid="dataset-preview"]').waitFor();
      assert.ok((await page.locator('[data-testid="preview-row"]').count()) > 0, 'preview rows after approval');
      const csv = await context.request.get(`${href}/download/csv`);
      assert.equal(csv.status(), 200, `download after approval: ${csv.status()}`);
      const csvBytes = await csv.body();

      // 6. An app key; the CKAN API reads the dataset with it, and refuses without.
      await page.goto('/open/account');
      await page.locator('[data-testid="key-form"] input[name="name"]').fill('端到端脚本');
      await page.locator('[data-testid="key-form"] button[type="submit"]').click();
      const key = (await page.locator('[data-testid="new-key-secret"]').innerText()).trim();
      assert.match(key, /^zso_/);
      const withKey = await ckan('datastore_search', { resource_id: code, limit: 32000 }, { authorization: key });
      assert.equal(withKey.status, 200, JSON.stringify(withKey.body).slice(0, 300));
      assert.equal(withKey.body.success, true);
      assert.ok(withKey.body.result.total > 0 && withKey.body.result.records.length === withKey.body.result.total);
      assertCsvEqualsRecords(csvBytes, withKey.body.result, `${code}.csv downloaded signed in`);
      const without = await ckan('datastore_search', { resource_id: code, limit: 5 });
      assert.equal(without.status, 403, JSON.stringify(without.body).slice(0, 300));
      assert.equal(without.body.success, false);
      assert.equal(without.body.error.__type, 'Authorization Error');
      // The GET form with the key as CKAN clients send it (bare Authorization header).
      const get = await fetch(`${zs.baseUrl}/api/3/action/datastore_search?resource_id=${encodeURIComponent(code)}&limit=1`, {
        headers: { authorization: key },
      });
      assert.equal(get.status, 200);
      assert.equal((await get.json()).result.total, withKey.body.result.total);
      found.key = key;
      found.conditionalCode = code;
    }));

  it('ckanapi and frictionless (e2e/clients/ckan_client.py)', (t) => {
    const probe = spawnSync('python3', ['-c', 'import ckanapi'], { encoding: 'utf8' });
    assert.equal(
      probe.status,
      0,
      `the Python package ckanapi is missing: run \`pip install ckanapi\` (.ci/run installs it)\n${probe.stderr}`,
    );
    const args = [ckanClient, zs.baseUrl];
    if (found.key) args.push('--key', found.key, '--conditional', found.conditionalCode);
    const r = spawnSync('python3', args, { encoding: 'utf8', timeout: 240_000 });
    const summary = /(\d+) checks passed, (\d+) failed/.exec(r.stdout ?? '');
    t.diagnostic(`ckan_client.py: ${summary ? summary[0] : 'no summary line'}`);
    assert.equal(r.status, 0, `ckan_client.py failed (exit ${r.status}):\n${r.stdout.slice(-6000)}\n${r.stderr.slice(-3000)}`);
    assert.match(r.stdout, /\d+ checks passed, 0 failed/);
    if (!found.key) assert.fail('the app key from the conditional-opening test is missing: the keyed checks did not run');
  });
});
