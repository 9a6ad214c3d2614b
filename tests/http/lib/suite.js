// The life of a test suite's server: one fresh database per suite (a `describe`), a server on
// it while the suite runs, and both gone afterwards.

import { after, before } from 'node:test';

import { startPrivatePostgres } from './private-postgres.js';
import { Server, baseDsn, createDatabase } from './server.js';

/// Options for `describe` of a suite that needs the test PostgreSQL ($LEASEHOLD_TEST_DSN).
export const requiresPostgres = { skip: !baseDsn() && 'LEASEHOLD_TEST_DSN is not set' };

/// Registers before/after hooks in the enclosing `describe` and returns its Server right away,
/// so the suite's closures can use it; it answers requests once `before` ran.
/// - before: creates a fresh database (server.db) and starts the server on it with the extra
///   flags `args`. A test may kill9() or stop() it and start() it again on the same database.
/// - with `privatePostgres: true` the database lives on a PostgreSQL of the suite's own
///   (server.postgres, see private-postgres.js), which the tests may stop and start.
/// - after: stops the server and drops the database (or destroys the private PostgreSQL), also
///   when a test or `before` failed half-way.
export function useServer({ args = [], privatePostgres = false } = {}) {
  const server = new Server(args);
  before(async () => {
    if (privatePostgres) server.postgres = await startPrivatePostgres();
    server.db = createDatabase(server.postgres?.dsn ?? baseDsn());
    await server.start();
  });
  after(async () => {
    try {
      await server.stop();
    } finally {
      if (server.postgres) await server.postgres.destroy();
      else server.db?.drop();
    }
  });
  return server;
}
