// Runs the real `leasehold` binary ($LEASEHOLD_BIN) on a fresh PostgreSQL database and talks
// to it over HTTP. Test files get both through useServer() (suite.js).

import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';

import { until } from './waiting.js';

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

/// The leasehold server of a test suite, on one database (`db`, from createDatabase). start()
/// runs `$LEASEHOLD_BIN` and waits until /ready answers 200; after stop() or kill9(), start()
/// runs it again on the same database (a restart). The request methods talk to the process
/// running now.
export class Server {
  constructor(args = []) {
    this.extraArgs = args;
    this.db = null;
    this.postgres = null; // set when the suite runs its own PostgreSQL (private-postgres.js)
    this.proc = null;
    this.base = null;
    this.output = '';
    this.exited = null;
  }

  /// Starts a new process on `db`, on a free port; throws with the server output if it never
  /// becomes ready.
  async start() {
    if (!this.db) throw new Error('the server has no database yet: start it in or after before()');
    if (this.proc && !this.exited) throw new Error('the server is running already');
    let lastError;
    // A free port can be taken between probing and binding: try a few.
    for (let attempt = 0; attempt < 3; ++attempt) {
      this.spawn(await freePort());
      try {
        await this.waitReady();
        return this;
      } catch (err) {
        lastError = err;
        await this.kill9();
      }
    }
    throw lastError;
  }

  spawn(port) {
    const bin = process.env.LEASEHOLD_BIN;
    if (!bin) throw new Error('LEASEHOLD_BIN must name the leasehold binary');
    this.args = [
      'serve',
      '--listen', `127.0.0.1:${port}`,
      '--database', this.db.dsn,
      '--operator-key', OPERATOR_KEY,
      '--mode', 'development',
      '--log-level', 'warning',
      ...this.extraArgs,
    ];
    const proc = spawn(bin, this.args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? 'detect_leaks=0' },
    });
    this.proc = proc;
    this.port = port;
    this.base = `http://127.0.0.1:${port}`;
    this.output = '';
    this.exited = null;
    proc.stdout.on('data', (d) => this.collect(d));
    proc.stderr.on('data', (d) => this.collect(d));
    this.exitPromise = new Promise((resolve) => {
      proc.on('exit', (code, signal) => {
        // Only the process running now sets the state; an old one may exit late.
        if (this.proc === proc) this.exited = { code, signal };
        resolve({ code, signal });
      });
    });
  }

  collect(data) {
    // The last 64 KiB are enough to explain a failure.
    this.output = (this.output + data.toString()).slice(-65536);
  }

  /// Sends a request; `body` objects are sent as JSON, strings as they are.
  async request(method, path, { body, token, headers = {}, operator = false } = {}) {
    if (!this.base) throw new Error('the server was never started');
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
    if (!this.proc || this.exited) return this.exited;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10_000);
    const result = await this.exitPromise;
    clearTimeout(timer);
    return result;
  }

  /// Kills the server at once (a crash: nothing is flushed).
  async kill9() {
    if (!this.proc || this.exited) return this.exited;
    this.proc.kill('SIGKILL');
    return this.exitPromise;
  }
}
