// Run the zhengshu command line (e.g. next to a running server, on the same data dir).
import { execFile } from 'node:child_process';
import { requireZhengshuBin } from './paths.js';

/**
 * Run `zhengshu ...args`; resolves to {stdout, stderr} and rejects (with both outputs in the
 * message) when it exits non-zero or takes longer than timeoutMs.
 */
export function runZhengshu(args, { timeoutMs = 60_000, env = {}, bin } = {}) {
  const exe = bin ?? requireZhengshuBin();
  return new Promise((resolve, reject) => {
    execFile(
      exe,
      args,
      {
        timeout: timeoutMs,
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: '1', RUST_BACKTRACE: '1', ...env },
      },
      (err, stdout, stderr) => {
        if (err) {
          const how = err.killed
            ? `was killed after ${timeoutMs / 1000} s`
            : `exited with ${err.code}`;
          reject(
            new Error(
              `\`zhengshu ${args.join(' ')}\` ${how}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`,
            ),
          );
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}

/** Run `zhengshu ...args` and parse its stdout as JSON. */
export async function runZhengshuJson(args, opts) {
  const { stdout, stderr } = await runZhengshu(args, opts);
  try {
    return JSON.parse(stdout);
  } catch (err) {
    throw new Error(
      `\`zhengshu ${args.join(' ')}\` did not print JSON on stdout (${err.message})\n` +
        `--- stdout ---\n${stdout.slice(0, 4000)}\n--- stderr ---\n${stderr.slice(0, 4000)}`,
    );
  }
}
