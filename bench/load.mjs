// Loads and drives a Leasehold server for bench/run.sh (Node 20, no packages).
//
//   node load.mjs setup    registers the tenants (one owner each), gives them their licenses
//                          through the operator API and writes DATA/tenants.txt and tenants.json
//   node load.mjs release  releases every session listed in DATA/sessions.txt
//   node load.mjs memory   holds MEM_SESSIONS live sessions across MEM_TENANTS tenants, reads
//                          the server's RSS, then checks expiry precision at that size
//
// Configuration comes from the environment (run.sh sets it): LH_BASE (http://127.0.0.1:PORT),
// LH_OPERATOR_KEY, LH_BENCH_DATA, LH_BENCH_TENANTS, LH_BENCH_SEATS, LH_BENCH_MEM_TENANTS,
// LH_BENCH_MEM_SESSIONS, LH_BENCH_TTL_TENANTS, LH_SERVER_PID, LH_BENCH_RUN (unique per run).
// Every command prints one `LHRESULT key=value ...` line for run.sh.

import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';

const env = (name, fallback) => process.env[name] ?? fallback;
const base = env('LH_BASE', 'http://127.0.0.1:18080');
const operatorKey = env('LH_OPERATOR_KEY', '');
const data = env('LH_BENCH_DATA', '.');
const tenantCount = Number(env('LH_BENCH_TENANTS', '2000'));
const seats = Number(env('LH_BENCH_SEATS', '10'));
const memTenants = Number(env('LH_BENCH_MEM_TENANTS', '1000'));
const memSessions = Number(env('LH_BENCH_MEM_SESSIONS', '100000'));
const ttlTenants = Number(env('LH_BENCH_TTL_TENANTS', '20'));
const ttlSeconds = 2; // the smallest session_ttl the API allows
const run = env('LH_BENCH_RUN', String(Date.now()));

const now = () => performance.now();

// node:http with a keep-alive agent rather than fetch: on this 2-core machine fetch costs the
// load generator about twice the CPU per request, which the server under test would lose.
const target = new URL(base);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

function request(method, path, headers, payload) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: target.hostname, port: target.port, method, path, headers, agent },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/// One API call; returns {status, body (parsed JSON or null), ms, at}. Never throws for HTTP
/// errors; a transport error is retried a few times, then reported as status 0.
async function call(method, path, { token, operator, body } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (operator) headers['x-operator-key'] = operatorKey;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(payload);
  }
  const started = now();
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await request(method, path, headers, payload);
      let json = null;
      try {
        json = res.text ? JSON.parse(res.text) : null;
      } catch {
        json = { raw: res.text };
      }
      return { status: res.status, body: json, ms: now() - started, at: now() };
    } catch (err) {
      if (attempt >= 3) return { status: 0, body: { error: String(err) }, ms: now() - started };
      await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
    }
  }
}

/// Runs fn(i) for i in [0, n) with at most `limit` calls in flight.
async function pool(n, limit, fn) {
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
}

function expect(res, status, what) {
  if (res.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

function result(fields) {
  const line = Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : v}`)
    .join(' ');
  console.log(`LHRESULT ${line}`);
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function procStatus(pid) {
  const out = {};
  for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
    const m = line.match(/^(VmRSS|VmHWM|Threads):\s+(\d+)/);
    if (m) out[m[1]] = Number(m[2]); // kB for Vm*
  }
  return out;
}

const license = (product, seatsTotal, ttl, heartbeat) => ({
  product,
  tier: 'team',
  seats_total: seatsTotal,
  session_ttl: ttl,
  heartbeat_interval: heartbeat,
});

// ---------------------------------------------------------------------------------------------

async function setup() {
  const health = await waitHealthy();
  const tenants = new Array(tenantCount);
  let done = 0;
  const started = now();
  const memSeats = Math.ceil(memSessions / Math.max(1, memTenants));
  // Registration hashes a password with scrypt: CPU bound, so a small pool is enough.
  await pool(tenantCount, 16, async (i) => {
    const reg = expect(
      await call('POST', '/api/v1/auth/register', {
        body: {
          email: `bench-${run}-${i}@bench.example.com`,
          password: `bench-password-${i}`,
          name: `Bench User ${i}`,
          organization: `Bench Tenant ${run} ${i}`,
        },
      }),
      201,
      `register tenant ${i}`,
    );
    const tid = reg.tenant.id;
    const addLicense = async (body) =>
      expect(
        await call('POST', `/api/v1/admin/tenants/${tid}/licenses`, { operator: true, body }),
        201,
        `license ${body.product} for tenant ${i}`,
      ).id;
    const t = {
      index: i,
      tenant_id: tid,
      user_id: reg.user.id,
      token: reg.access_token,
      storm: await addLicense(license('storm', seats, 3600, 60)),
      pairs: await addLicense(license('pairs', seats, 3600, 60)),
    };
    if (i < memTenants) t.mem = await addLicense(license('mem', memSeats, 3600, 60));
    else if (i < memTenants + ttlTenants) t.ttl = await addLicense(license('ttl', 1, ttlSeconds, 1));
    tenants[i] = t;
    if (++done % 250 === 0) console.error(`setup: ${done}/${tenantCount} tenants`);
  });
  const seconds = (now() - started) / 1000;
  writeFileSync(
    `${data}/tenants.txt`,
    tenants.map((t) => `${t.index} ${t.tenant_id} ${t.token} ${t.storm} ${t.pairs}\n`).join(''),
  );
  writeFileSync(`${data}/tenants.json`, JSON.stringify(tenants));
  result({ step: 'setup', tenants: tenantCount, seconds, health_ms: health });
}

async function waitHealthy() {
  const started = now();
  for (;;) {
    const res = await call('GET', '/health');
    if (res.status === 200) return now() - started;
    if (now() - started > 60000) throw new Error('server not healthy after 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}

// ---------------------------------------------------------------------------------------------

async function release() {
  const tenants = JSON.parse(readFileSync(`${data}/tenants.json`, 'utf8'));
  const tokenOf = new Map(tenants.map((t) => [t.storm, t.token]));
  const lines = readFileSync(`${data}/sessions.txt`, 'utf8').split('\n').filter(Boolean);
  let ok = 0;
  let failed = 0;
  const started = now();
  await pool(lines.length, 64, async (i) => {
    const [lic, sid] = lines[i].split(' ');
    const res = await call('POST', '/api/v1/licenses/release', {
      token: tokenOf.get(lic),
      body: { session_id: sid },
    });
    if (res.status === 200) ok++;
    else if (failed++ < 3) console.error(`release: ${res.status} ${JSON.stringify(res.body)}`);
  });
  const seconds = (now() - started) / 1000;
  result({ step: 'release', released: ok, failed, seconds, per_s: ok / seconds });
}

// ---------------------------------------------------------------------------------------------

async function memory() {
  const pid = Number(env('LH_SERVER_PID', '0'));
  const tenants = JSON.parse(readFileSync(`${data}/tenants.json`, 'utf8'));
  const mem = tenants.filter((t) => t.mem);
  const perTenant = Math.ceil(memSessions / mem.length);
  const before = procStatus(pid);
  let granted = 0;
  let failed = 0;
  let peakRss = before.VmRSS;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, procStatus(pid).VmRSS);
  }, 250);
  const started = now();
  // Seat k of every tenant before seat k+1 of any: all tenants grow together.
  await pool(memSessions, 256, async (i) => {
    const t = mem[i % mem.length];
    const seat = Math.floor(i / mem.length);
    if (seat >= perTenant) return;
    const res = await call('POST', '/api/v1/licenses/acquire', {
      token: t.token,
      body: { license_id: t.mem, hardware_id: `mem-${seat}` },
    });
    if (res.status === 200) granted++;
    else if (failed++ < 3) console.error(`memory: acquire ${res.status} ${JSON.stringify(res.body)}`);
  });
  const loadSeconds = (now() - started) / 1000;
  clearInterval(sampler);
  // Let allocator and actors settle, then read what the process holds with every session live.
  await new Promise((r) => setTimeout(r, 2000));
  const after = procStatus(pid);
  peakRss = Math.max(peakRss, after.VmRSS);
  const expiry = await expiryCheck(tenants.filter((t) => t.ttl));
  const atEnd = procStatus(pid);
  result({
    step: 'memory',
    sessions: granted,
    failed,
    tenants: mem.length,
    load_seconds: loadSeconds,
    acquires_per_s: granted / loadSeconds,
    rss_before_kb: before.VmRSS,
    rss_after_kb: after.VmRSS,
    rss_peak_sampled_kb: peakRss,
    hwm_kb: Math.max(after.VmHWM, atEnd.VmHWM),
    bytes_per_session: granted > 0 ? Math.round(((after.VmRSS - before.VmRSS) * 1024) / granted) : 0,
    threads: after.Threads,
    ...expiry,
  });
}

/// With every memory-phase session still live: on each sample license (1 seat, session_ttl 2 s)
/// one client takes the seat and never heartbeats; a second client asks for a seat every 50 ms.
/// The seat must become free within 1 s of the first session's deadline. The deadline is taken
/// as the moment the first acquire was *sent* plus the TTL (the server's own deadline is no
/// earlier), and the moment the second client got its seat is when that answer *arrived*, so the
/// lag reported is an upper bound (it includes up to one poll interval and one request). The
/// audit log's `expire` event time is compared with the session's `expires_at` as well.
async function expiryCheck(sample) {
  if (sample.length === 0) return { expiry_samples: 0 };
  const lags = [];
  const auditLags = [];
  let auditResolution = 0;
  let problems = 0;
  await Promise.all(
    sample.map(async (t) => {
      const sent = now();
      const sentWall = Date.now();
      const hold = await call('POST', '/api/v1/licenses/acquire', {
        token: t.token,
        body: { license_id: t.ttl, hardware_id: 'ttl-holder' },
      });
      if (hold.status !== 200) {
        if (problems++ < 3) console.error(`expiry: hold ${hold.status} ${JSON.stringify(hold.body)}`);
        return;
      }
      const deadline = sent + ttlSeconds * 1000;
      let grantedAt = null;
      while (now() - deadline < 10000) {
        const res = await call('POST', '/api/v1/licenses/acquire', {
          token: t.token,
          body: { license_id: t.ttl, hardware_id: 'ttl-waiter' },
        });
        if (res.status === 200) {
          grantedAt = res.at;
          break;
        }
        if (res.status !== 429 && problems++ < 3) {
          console.error(`expiry: poll ${res.status} ${JSON.stringify(res.body)}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      if (grantedAt === null) {
        problems++;
        lags.push(Infinity);
        return;
      }
      lags.push(grantedAt - deadline);
      // The audit log: the holder's session's `expire` event against its deadline.
      const audit = await call('GET', `/api/v1/licenses/${t.ttl}/audit?limit=50`, { token: t.token });
      const events = audit.status === 200 && audit.body && audit.body.events ? audit.body.events : [];
      const expired = events.find(
        (e) => e.action === 'expire' && e.session_id === hold.body.session_id,
      );
      if (expired) {
        const serverDeadline = Date.parse(hold.body.expires_at);
        const clientDeadline = sentWall + ttlSeconds * 1000;
        // Second-resolution `expires_at` would make the server's value look early: use the
        // later of the two as the deadline the expiry is compared with.
        // An `at` without fractional seconds is truncated to the second: the expiry happened
        // up to 999 ms after it, so that is added (the figure stays an upper bound).
        const resolution = /\.\d+/.test(expired.at) ? 0 : 999;
        auditResolution = Math.max(auditResolution, resolution);
        auditLags.push(
          Date.parse(expired.at) + resolution - Math.max(serverDeadline || 0, clientDeadline),
        );
      }
    }),
  );
  lags.sort((a, b) => a - b);
  auditLags.sort((a, b) => a - b);
  return {
    expiry_samples: sample.length,
    expiry_problems: problems,
    expiry_lag_p50_ms: percentile(lags, 50),
    expiry_lag_max_ms: lags.length ? lags[lags.length - 1] : NaN,
    audit_expire_events: auditLags.length,
    audit_lag_max_ms: auditLags.length ? auditLags[auditLags.length - 1] : NaN,
    audit_resolution_ms: auditResolution + 1,
  };
}

// ---------------------------------------------------------------------------------------------

const commands = { setup, release, memory };
const command = commands[process.argv[2]];
if (!command) {
  console.error('usage: node load.mjs setup|release|memory');
  process.exit(2);
}
command().catch((err) => {
  console.error(`load.mjs ${process.argv[2]}: ${err.message}`);
  process.exit(1);
});
