// A PostgreSQL of the test's own (scripts/test-postgres.sh in a fresh directory), for tests
// that stop and start the database under a running server.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../scripts/test-postgres.sh');

/// Starts a private PostgreSQL; returns { dir, dsn, stop(), start(), destroy() }. stop() and
/// start() do not block the event loop, so load keeps running while the database goes away.
export async function startPrivatePostgres() {
  // The socket lives in the directory: keep its path short.
  const dir = mkdtempSync('/tmp/lhpg-');
  const env = { ...process.env, LEASEHOLD_TEST_PG_DIR: dir };
  const control = (command) => run(script, [command], { env, encoding: 'utf8', timeout: 60_000 });
  const start = async () => {
    const { stdout } = await control('start');
    const match = /LEASEHOLD_TEST_DSN='([^']+)'/.exec(stdout);
    if (!match) throw new Error(`test-postgres.sh start printed no DSN: ${stdout}`);
    return match[1];
  };
  let dsn;
  try {
    dsn = await start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    dir,
    dsn,
    start,
    stop: () => control('stop'),
    async destroy() {
      try {
        await control('destroy');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
