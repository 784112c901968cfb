// Start `zhengshu demo` on a free port with a fresh data dir, and stop it again.
//
// Contract with the binary (see e2e/README.md):
//   zhengshu demo --listen 127.0.0.1:PORT --data-dir DIR
//   prints on stdout, once seeding is done and the socket is bound:
//     admin password: <password>
//     zhengshu is listening on http://127.0.0.1:PORT
//   (in either order; other lines, log prefixes and ANSI colours are ignored).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { requireZhengshuBin, resultsDir } from './paths.js';

export const ADMIN_USERNAME = 'admin';
const START_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 10_000;
const MAX_LOG_LINES = 4000;
const LISTENING_RE = /zhengshu is listening on (https?:\/\/\S+)/;
const PASSWORD_RE = /admin password:\s*(\S+)/;
// eslint-disable-next-line no-control-regex
const ANSI_RE = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const verbose = () => process.env.ZHENGSHU_E2E_VERBOSE === '1';
const keepData = () => process.env.ZHENGSHU_E2E_KEEP_DATA === '1';

// Servers not stopped yet: killed when the test process exits, however it exits.
const live = new Set();
let exitHooksInstalled = false;

function killAllNow() {
  for (const s of live) {
    try {
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
    if (!keepData() && s.ownsDataDir) rmSync(s.dataDir, { recursive: true, force: true });
  }
  live.clear();
}

function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', killAllNow);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      killAllNow();
      process.exit(128 + (os.constants.signals[sig] ?? 1));
    });
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Start `zhengshu demo` and wait until it listens.
 *
 * @param {object} [opts]
 * @param {string} [opts.bin]        binary (default: paths.zhengshuBin())
 * @param {string[]} [opts.extraArgs] more arguments after the standard ones
 * @param {object} [opts.env]        extra environment variables
 * @param {number} [opts.timeoutMs]  how long to wait for the listening line (120 s)
 * @returns {Promise<{baseUrl: string, port: number, username: string, password: string,
 *   dataDir: string, bin: string, child: import('node:child_process').ChildProcess,
 *   logs: () => string, printLogs: (why?: string) => void, saveLogs: (name: string) => string,
 *   stop: () => Promise<void>}>}
 */
export async function startServer(opts = {}) {
  const bin = opts.bin ?? requireZhengshuBin();
  let lastError;
  // A port picked by freePort() can be taken by someone else before zhengshu binds it:
  // retry with a new port (and a new data dir) when that is what went wrong.
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    try {
      return await startOnce(bin, port, opts);
    } catch (err) {
      lastError = err;
      if (!err.addressInUse) throw err;
    }
  }
  throw lastError;
}

async function startOnce(bin, port, opts) {
  installExitHooks();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'zhengshu-e2e-'));
  const listen = `127.0.0.1:${port}`;
  const baseUrl = `http://${listen}`;
  const args = ['demo', '--listen', listen, '--data-dir', dataDir, ...(opts.extraArgs ?? [])];
  const timeoutMs = opts.timeoutMs ?? START_TIMEOUT_MS;

  const lines = [];
  const record = (stream, line) => {
    lines.push(`[${stream}] ${line}`);
    if (lines.length > MAX_LOG_LINES) lines.splice(0, lines.length - MAX_LOG_LINES);
    if (verbose()) process.stderr.write(`[zhengshu ${stream}] ${line}\n`);
  };
  const logs = () =>
    `$ ${bin} ${args.join(' ')}\n` + (lines.length ? lines.join('\n') : '(no output)');

  const child = spawn(bin, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', RUST_BACKTRACE: '1', ...(opts.env ?? {}) },
  });
  const entry = { child, dataDir, ownsDataDir: true };
  live.add(entry);

  let stopping = false;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  const server = {
    baseUrl,
    port,
    username: ADMIN_USERNAME,
    password: undefined,
    dataDir,
    bin,
    child,
    logs,
    printLogs(why = 'zhengshu output') {
      process.stderr.write(`\n----- ${why} -----\n${logs()}\n----- end of zhengshu output -----\n`);
    },
    /** Write the server's output to e2e/test-results/<name>.server.log; returns the path. */
    saveLogs(name) {
      mkdirSync(resultsDir, { recursive: true });
      const file = path.join(resultsDir, `${name}.server.log`);
      writeFileSync(file, logs() + '\n');
      return file;
    },
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      live.delete(entry);
      if (!keepData()) rmSync(dataDir, { recursive: true, force: true });
    },
  };

  // Wait for both the password line and the listening line (in either order).
  let listeningSeen = false;
  try {
    await new Promise((resolve, reject) => {
      let settled = false;
      const done = (err) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      const timer = setTimeout(
        () =>
          done(
            new Error(
              `zhengshu did not print "zhengshu is listening on ${baseUrl}"` +
                (server.password ? '' : ' and "admin password: …"') +
                ` within ${timeoutMs / 1000} s`,
            ),
          ),
        timeoutMs,
      );
      const onLine = (stream) => (raw) => {
        const line = raw.replace(ANSI_RE, '');
        record(stream, line);
        if (settled) return;
        const pw = PASSWORD_RE.exec(line);
        if (pw && !server.password) server.password = pw[1];
        const ls = LISTENING_RE.exec(line);
        if (ls) {
          const printed = ls[1].replace(/\/+$/, '');
          if (printed !== baseUrl) {
            done(new Error(`zhengshu says it listens on ${printed}, expected ${baseUrl}`));
            return;
          }
          listeningSeen = true;
        }
        if (listeningSeen && server.password) done();
      };
      readline.createInterface({ input: child.stdout }).on('line', onLine('out'));
      readline.createInterface({ input: child.stderr }).on('line', onLine('err'));
      child.once('error', (err) => done(new Error(`cannot run ${bin}: ${err.message}`)));
      exited.then(({ code, signal }) => {
        // Let the last buffered lines reach `record` before reporting.
        setTimeout(() => {
          const err = new Error(
            `zhengshu exited before it was ready (code ${code}, signal ${signal})`,
          );
          err.addressInUse = /address already in use|os error 98|EADDRINUSE/i.test(
            lines.join('\n'),
          );
          done(err);
        }, 100);
      });
    });
  } catch (err) {
    await server.stop().catch(() => {});
    err.message += `\n----- zhengshu output -----\n${logs()}\n----- end of zhengshu output -----`;
    throw err;
  }

  // A crash while the tests run is reported at once, with the output.
  exited.then(({ code, signal }) => {
    if (!stopping) {
      server.printLogs(`zhengshu exited unexpectedly (code ${code}, signal ${signal})`);
    }
  });

  return server;
}
