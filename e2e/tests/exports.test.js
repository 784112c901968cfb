// The catalog's exports read by the real clients of each standard (Python: rdflib for
// DCAT-AP Turtle/JSON-LD, frictionless for the Data Package, openpyxl for the XLSX that
// Excel opens). .ci/run installs them from PyPI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { useZhengshu } from '../lib/index.js';

const script = fileURLToPath(new URL('../clients/validate_exports.py', import.meta.url));

describe('catalog exports', () => {
  const zs = useZhengshu({ browser: false });

  it('validate as DCAT-AP, Data Package and XLSX', () => {
    const r = spawnSync('python3', [script, zs.baseUrl, zs.server.password], { encoding: 'utf8', timeout: 180_000 });
    assert.equal(r.status, 0, `validate_exports.py failed:\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /isomorphic/);
    assert.match(r.stdout, /Data Package: valid/);
    assert.match(r.stdout, /XLSX export: sheet/);
  });
});
