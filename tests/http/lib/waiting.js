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

/// Whether `promise` is still unsettled `ms` milliseconds from now. For what can only be seen
/// as "nothing happened yet" (a request parked on the server), where there is no event to await.
export async function pendingAfter(promise, ms) {
  const stillPending = Symbol('pending');
  const outcome = await Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    delay(ms, stillPending),
  ]);
  return outcome === stillPending;
}
