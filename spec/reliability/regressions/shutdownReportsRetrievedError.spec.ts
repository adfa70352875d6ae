/**
 * Found by the kernel property suite: `run()`'s shutdown reported the error of a task that another
 * task had awaited (and caught) during the shutdown, as "unhandled exception during run()
 * shutdown"; a parent re-raising it got the same error reported twice. asyncio reports it anyway;
 * rx-asyncio reports each error once, and only if nobody retrieved it.
 */

import { runVirtual } from '../../../marbles/runVirtual.js';
import { type Coroutine, createTask, sleep } from '../../../src/index.js';

function* failingCleanup(): Coroutine<void> {
  try {
    yield* sleep(10);
  } finally {
    throw new Error('cleanup failed');
  }
}

describe('regression: shutdown reports a retrieved error', () => {
  it('does not report a child error that its parent caught during shutdown', () => {
    const caught: unknown[] = [];
    const r = runVirtual(
      (function* () {
        createTask(
          (function* () {
            const child = createTask(failingCleanup(), { name: 'child' });
            try {
              yield* child;
            } catch (e) {
              caught.push(e);
            }
          })(),
          { name: 'parent' },
        );
        yield* sleep(1);
      })(),
    );
    expect(r.outcome).toEqual({ ok: true, value: undefined });
    expect(caught.map(String)).toEqual(['Error: cleanup failed']);
    expect(r.reports).toEqual([]);
  });

  it('reports an error re-raised by the parent once, for the parent', () => {
    const r = runVirtual(
      (function* () {
        createTask(
          (function* () {
            yield* createTask(failingCleanup(), { name: 'child' });
          })(),
          { name: 'parent' },
        );
        yield* sleep(1);
      })(),
    );
    expect(r.reports.length).toBe(1);
    expect(String(r.reports[0]?.exception)).toBe('Error: cleanup failed');
    expect(r.reports[0]?.task?.getName()).toBe('parent');
  });

  it('still reports an error nobody retrieved, once', () => {
    const r = runVirtual(
      (function* () {
        createTask(failingCleanup(), { name: 'orphan' });
        yield* sleep(1);
      })(),
    );
    expect(r.reports.map((x) => [x.message, x.task?.getName()])).toEqual([
      ['unhandled exception during run() shutdown', 'orphan'],
    ]);
  });
});
