// Starts the real `leasehold` binary ($LEASEHOLD_BIN) on a fresh PostgreSQL database and
// talks to it over HTTP. One database per test file (createDatabase), one or more server
// processes on it (startServer).

import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';

export const OPERATOR_KEY = 'test-operator-key-0123456789abcdef';

const READY_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 60_000;

/// The DSN of the test PostgreSQL; the caller skips when it is unset.
export function baseDsn() {
  return process.env.LEASEHOLD_TEST_DSN ?? '';
}

function withDbname(dsn, dbname) {
  const parts = dsn.split(/\s+/).filter((p) => p && !p.startsWith('dbname='));
  parts.push(`dbname=${dbname}`);
  return parts.join(' ');
}

function psql(dsn, sql) {
  return execFileSync('psql', [dsn, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/// Creates an empty database on `base` (default: the test PostgreSQL) and returns
/// { dsn, query(sql), drop() }.
export function createDatabase(base = baseDsn()) {
  const name = `lh_http_${randomBytes(6).toString('hex')}`;
  psql(base, `CREATE DATABASE ${name}`);
  return {
    name,
    dsn: withDbname(base, name),
    query: (sql) => psql(withDbname(base, name), sql).trim(),
    drop() {
      try {
        psql(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch {
        // A leftover test database is harmless; never fail a test run for it.
      }
    },
  };
}

/// A TCP port that was free a moment ago on 127.0.0.1.
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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/// Polls `probe` (async, returns a truthy value when done) every `intervalMs` until it
/// succeeds or `timeoutMs` passes; returns the value or throws `what` timed out.
export async function until(what, probe, { timeoutMs = 10_000, intervalMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await sleep(intervalMs);
  }
}

/// A running server process.
export class Server {
  constructor(proc, port, args) {
    this.proc = proc;
    this.port = port;
    this.args = args;
    this.base = `http://127.0.0.1:${port}`;
    this.output = '';
    this.exited = null;
    proc.stdout.on('data', (d) => this.collect(d));
    proc.stderr.on('data', (d) => this.collect(d));
    this.exitPromise = new Promise((resolve) => {
      proc.on('exit', (code, signal) => {
        this.exited = { code, signal };
        resolve(this.exited);
      });
    });
  }

  collect(data) {
    // The last 64 KiB are enough to explain a failure.
    this.output = (this.output + data.toString()).slice(-65536);
  }

  /// Sends a request; `body` objects are sent as JSON, strings as they are.
  async request(method, path, { body, token, headers = {}, operator = false } = {}) {
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    if (operator) h['x-operator-key'] = OPERATOR_KEY;
    let payload;
    if (body !== undefined) {
      payload = typeof body === 'string' || body instanceof Buffer ? body : JSON.stringify(body);
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) {
        h['content-type'] = 'application/json';
      }
    }
    // A hung server fails the test instead of hanging the suite.
    const res = await fetch(this.base + path, {
      method,
      headers: h,
      body: payload,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  get(path, opts) {
    return this.request('GET', path, opts);
  }

  post(path, body, opts = {}) {
    return this.request('POST', path, { ...opts, body });
  }

  patch(path, body, opts = {}) {
    return this.request('PATCH', path, { ...opts, body });
  }

  delete(path, opts) {
    return this.request('DELETE', path, opts);
  }

  async waitReady() {
    await until(
      `GET /ready on ${this.base}\n--- server output ---\n${this.output}`,
      async () => {
        if (this.exited) {
          throw new Error(
            `server exited (${JSON.stringify(this.exited)}) before it was ready:\n${this.output}`,
          );
        }
        try {
          const res = await fetch(`${this.base}/ready`);
          await res.arrayBuffer();
          return res.status === 200;
        } catch {
          return false;
        }
      },
      { timeoutMs: READY_TIMEOUT_MS, intervalMs: 100 },
    );
  }

  /// Stops the server gracefully (SIGTERM), then forcefully if it lingers.
  async stop() {
    if (this.exited) return this.exited;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10_000);
    const result = await this.exitPromise;
    clearTimeout(timer);
    return result;
  }

  /// Kills the server at once (a crash: nothing is flushed).
  async kill9() {
    if (this.exited) return this.exited;
    this.proc.kill('SIGKILL');
    return this.exitPromise;
  }
}

/// Starts `$LEASEHOLD_BIN` on `dsn` with extra `args` and waits until /ready answers 200.
export async function startServer(dsn, args = []) {
  const bin = process.env.LEASEHOLD_BIN;
  if (!bin) throw new Error('LEASEHOLD_BIN must name the leasehold binary');
  let lastError;
  // A free port can be taken between probing and binding: try a few.
  for (let attempt = 0; attempt < 3; ++attempt) {
    const port = await freePort();
    const argv = [
      'serve',
      '--listen', `127.0.0.1:${port}`,
      '--database', dsn,
      '--operator-key', OPERATOR_KEY,
      '--mode', 'development',
      '--log-level', 'warning',
      ...args,
    ];
    const proc = spawn(bin, argv, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? 'detect_leaks=0' },
    });
    const server = new Server(proc, port, argv);
    try {
      await server.waitReady();
      return server;
    } catch (err) {
      lastError = err;
      await server.kill9();
    }
  }
  throw lastError;
}
