// Where things are: the repository root, the zhengshu binary, the results folder.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (the folder that holds e2e/). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Folder for screenshots and logs of failed tests (git-ignored). */
export const resultsDir = path.join(repoRoot, 'e2e', 'test-results');

/**
 * The zhengshu binary under test:
 *   1. $ZHENGSHU_BIN (a relative path is taken from the current directory), else
 *   2. $CARGO_TARGET_DIR/debug/zhengshu, else
 *   3. <repo root>/target/debug/zhengshu.
 */
export function zhengshuBin() {
  if (process.env.ZHENGSHU_BIN) return path.resolve(process.env.ZHENGSHU_BIN);
  const targetDir = process.env.CARGO_TARGET_DIR
    ? path.resolve(process.env.CARGO_TARGET_DIR)
    : path.join(repoRoot, 'target');
  return path.join(targetDir, 'debug', 'zhengshu');
}

/** Like zhengshuBin(), but throws a helpful error when the file is missing. */
export function requireZhengshuBin() {
  const bin = zhengshuBin();
  if (!existsSync(bin)) {
    throw new Error(
      `zhengshu binary not found at ${bin}.\n` +
        'Build it with `cargo build -p zhengshu`, or point ZHENGSHU_BIN at it ' +
        '(CARGO_TARGET_DIR is respected when ZHENGSHU_BIN is unset).',
    );
  }
  return bin;
}
