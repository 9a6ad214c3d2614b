// Waiting for observable state, with a deadline, instead of sleeping a guessed time.

import { setTimeout as delay } from 'node:timers/promises';

/// Polls `probe` (async, returns a truthy value when done) every `intervalMs` until it
/// succeeds or `timeoutMs` passes; returns the value or throws `what` timed out.
export async function until(what, probe, { timeoutMs = 10_000, intervalMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await delay(intervalMs);
  }
}

/// The tenant actors' figure `metric` on `server`, from its /metrics (0 when absent).
async function tenantFigure(server, metric) {
  const res = await server.get('/metrics');
  const name = `${metric}{kind="tenant"} `;
  const line = res.text.split('\n').find((l) => l.startsWith(name));
  return line ? Number(line.split(' ').pop()) : 0;
}

/// Acquires parked in wait queues on `server`.
export async function parkedAcquires(server) {
  return tenantFigure(server, 'leasehold_actor_parked_requests');
}

/// Tenant actors running on `server`.
export async function runningTenants(server) {
  return tenantFigure(server, 'leasehold_actors_supervised');
}

/// Waits until `count` acquires are parked on `server` (a parked acquire has no answer yet, so
/// the server's own figure is what shows it joined the queue).
export async function untilParked(server, count) {
  await until(`${count} parked acquire(s)`, async () => (await parkedAcquires(server)) === count);
}

/// Whether `promise` is still unsettled (checked after a turn of the event loop).
export async function isPending(promise) {
  const stillPending = Symbol('pending');
  const outcome = await Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    new Promise((resolve) => setImmediate(() => resolve(stillPending))),
  ]);
  return outcome === stillPending;
}
