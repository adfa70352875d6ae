import type { EventEmitter } from 'node:events';
import type { Coroutine } from '../kernel/Awaitable.js';
import { getRunningLoop } from '../kernel/runningLoop.js';

/**
 * @internal Waits in a coroutine for `event` on `emitter` and returns its first argument; an
 * `'error'` first raises it (mapped by `mapError`). The listeners are removed however the wait
 * ends, so a cancelled wait leaves nothing behind (the caller decides what cancelling means for
 * the emitter: a half-open connection is destroyed, a running child is left alone).
 */
export function* onceEvent<T>(
  emitter: EventEmitter,
  event: string,
  mapError: (e: unknown) => unknown = (e) => e,
): Coroutine<T> {
  const loop = getRunningLoop();
  const fut = loop.createFuture<T>();
  const onEvent = (value: T) => {
    if (!fut.done() && !loop.isClosed()) fut.setResult(value);
  };
  const onError = (e: unknown) => {
    if (!fut.done() && !loop.isClosed()) fut.setException(mapError(e));
  };
  emitter.once(event, onEvent);
  if (event !== 'error') emitter.once('error', onError);
  try {
    return yield* fut;
  } finally {
    emitter.off(event, onEvent);
    emitter.off('error', onError);
  }
}
