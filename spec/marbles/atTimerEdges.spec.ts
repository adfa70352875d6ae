import { atTimerEdges, InterleavingError, type Timeline } from '../../marbles/index.js';
import { type Coroutine, createTask, sleep, waitFor } from '../../src/index.js';

/** Work that takes `t` ms, guarded by a 100 ms waitFor. */
function guarded(t: number, tl: Timeline): Coroutine<string> {
  return (function* () {
    try {
      const v = yield* waitFor(sleep(t, 'done'), 100);
      tl.print(v);
      return v;
    } catch {
      tl.print('timeout');
      return 'timeout';
    }
  })();
}

/** A watchdog looks at a flag at 100 ms; the worker sets it at `t` ms. */
function watchdog(t: number): Coroutine<string> {
  return (function* () {
    let finished = false;
    const worker = createTask(
      (function* () {
        yield* sleep(t);
        finished = true;
      })(),
      { name: 'worker' },
    );
    yield* sleep(100);
    const verdict = finished ? 'in time' : 'late';
    yield* worker;
    return verdict;
  })();
}

describe('atTimerEdges (time as a test input)', () => {
  it('runs just before, at and just after the edge, exploring the tie at the edge', () => {
    const rows = atTimerEdges(guarded, { around: 100 });
    expect(rows.map((r) => [r.time, r.exploration.outcomes.map((g) => g.key)])).toEqual([
      [99, ['returned "done"']],
      [100, ['returned "timeout"']],
      [101, ['returned "timeout"']],
    ]);
    const atEdge = rows[1]?.exploration;
    expect(atEdge?.exhaustive).toBeTrue();
    expect(atEdge?.runs).toBe(2);
  });

  it('shows both outcomes where the order at the edge decides', () => {
    const rows = atTimerEdges((t) => watchdog(t), { around: 100, delta: 10 });
    expect(rows.map((r) => [r.time, r.exploration.outcomes.map((g) => g.key).sort()])).toEqual([
      [90, ['returned "in time"']],
      [100, ['returned "in time"', 'returned "late"']],
      [110, ['returned "late"']],
    ]);
  });

  it('fails with the time and the order when the check fails there', () => {
    const expectInTimeUpTo100 = (
      o: { ok: boolean; value?: unknown } | undefined,
      _r: unknown,
      t: number,
    ) => t > 100 || (o?.ok === true && o.value === 'in time');
    expect(() =>
      atTimerEdges((t) => watchdog(t), { around: 100, check: expectInTimeUpTo100 }),
    ).toThrowMatching(
      (e) =>
        e instanceof InterleavingError &&
        e.message.startsWith('at time input 100 ms:') &&
        e.message.includes('Failing order: FIFO') &&
        e.message.includes('101 ms: returned "late"'),
    );
  });

  it('accepts several edges and rejects a bad delta', () => {
    const rows = atTimerEdges(guarded, { around: [0, 50], delta: 5 });
    expect(rows.map((r) => r.time)).toEqual([0, 5, 45, 50, 55]);
    expect(() => atTimerEdges(guarded, { around: 1, delta: 0 })).toThrowError(RangeError);
  });
});
