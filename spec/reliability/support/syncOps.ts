/**
 * Sync primitives and queues in generated programs. Every program run shares one `Lock`, one
 * `Semaphore(2)`, one `Event` and one `Queue(2)`; ops hold the lock or semaphore for a while, set,
 * clear and wait on the event, put and get items (waits are bounded by `waitFor`, so a program
 * never deadlocks on purpose). After the run the invariants are checked:
 * - mutual exclusion: never two lock holders, never three semaphore holders;
 * - FIFO fairness, no barging: the lock is granted in request order, the semaphore's waiters in
 *   the order they began waiting (requests whose wait was cancelled drop out);
 * - no lost wake-up: a waiter on the event that returned saw a `set()` (or a set event);
 * - no lost item: every item whose `put` returned was got or is still queued, nothing else was
 *   got, nothing twice, and what is left is the youngest items in put order (FIFO);
 * - a Condition waiter holds the lock again however its wait ends (notified, timed out,
 *   cancelled); a Barrier(3) gives indices 0 to 2 and never breaks when waiters time out.
 */
import fc from 'fast-check';
import {
  Barrier,
  Condition,
  type Coroutine,
  Event,
  Lock,
  Queue,
  Semaphore,
  sleep,
  TimeoutError,
  waitFor,
} from '../../../src/index.js';
import type { Extension, ExtensionRuntime, Op, Run, TaskRecord } from './program.js';

interface Shared {
  lock: Lock;
  sem: Semaphore;
  event: Event;
  queue: Queue<number>;
  cond: Condition;
  barrier: Barrier;
  lockHolders: number;
  semHolders: number;
  lockTickets: number;
  semTickets: number;
  lastLockGrant: number;
  lastSemGrant: number;
  eventSets: number;
  nextItem: number;
  put: number[];
  got: number[];
}

const ms = fc.constantFrom(0, 1, 2, 3, 5);
const wait = fc.constantFrom(1, 3, 10);

export function syncOps(): fc.Arbitrary<Op>[] {
  const ext = (name: string, args: fc.Arbitrary<number[]>): fc.Arbitrary<Op> =>
    fc.record({ k: fc.constant('ext' as const), name: fc.constant(name), args });
  return [
    ext('lock', fc.tuple(ms)),
    ext('semaphore', fc.tuple(ms)),
    ext('eventSet', fc.tuple(fc.boolean().map(Number))),
    ext('eventWait', fc.tuple(wait)),
    ext('put', fc.tuple(wait)),
    ext('get', fc.tuple(wait)),
    ext('condWait', fc.tuple(wait)),
    ext('condNotify', fc.tuple(fc.constantFrom(1, 2, Number.POSITIVE_INFINITY))),
    ext('barrier', fc.tuple(wait)),
  ];
}

/** A runtime for the sync ops; `finish` checks the invariants after the run. */
export function syncRuntime(): ExtensionRuntime & { names: ReadonlySet<string> } {
  const states = new WeakMap<Run, Shared>();
  const shared = (run: Run): Shared => {
    let s = states.get(run);
    if (s === undefined) {
      s = {
        lock: new Lock(),
        sem: new Semaphore(2),
        event: new Event(),
        queue: new Queue<number>(2),
        cond: new Condition(),
        barrier: new Barrier(3),
        lockHolders: 0,
        semHolders: 0,
        lockTickets: 0,
        semTickets: 0,
        lastLockGrant: -1,
        lastSemGrant: -1,
        eventSets: 0,
        nextItem: 0,
        put: [],
        got: [],
      };
      states.set(run, s);
    }
    return s;
  };
  return {
    names: new Set([
      'lock',
      'semaphore',
      'eventSet',
      'eventWait',
      'put',
      'get',
      'condWait',
      'condNotify',
      'barrier',
    ]),
    *run(run, rec, op) {
      const s = shared(run);
      switch (op.name) {
        case 'lock':
          return yield* holdLock(run, rec, op, s);
        case 'semaphore':
          return yield* holdSemaphore(run, rec, op, s);
        case 'eventSet':
          if (op.args[0] === 1) {
            s.eventSets++;
            s.event.set();
          } else {
            s.event.clear();
          }
          return;
        case 'eventWait':
          return yield* waitEvent(run, rec, op, s);
        case 'put':
          return yield* putItem(run, rec, op, s);
        case 'get':
          return yield* getItem(run, rec, op, s);
        case 'condWait':
          return yield* condWait(run, rec, op, s);
        case 'condNotify':
          yield* s.cond.acquire();
          try {
            s.cond.notify(op.args[0] ?? 1);
          } finally {
            s.cond.release();
          }
          return;
        case 'barrier':
          return yield* barrierWait(run, rec, op, s);
      }
    },
    finish(run, bad) {
      const s = states.get(run);
      if (s === undefined) return;
      const left: number[] = [];
      while (!s.queue.empty()) left.push(s.queue.getNowait());
      const show = `put ${JSON.stringify(s.put)}, got ${JSON.stringify(s.got)}, left ${JSON.stringify(left)}`;
      const seen = [...s.got, ...left].sort((a, b) => a - b);
      if (JSON.stringify(seen) !== JSON.stringify([...s.put].sort((a, b) => a - b))) {
        bad(`queue: lost or duplicated items: ${show}`);
      }
      // FIFO: what is left is the youngest items, in put order. (Who got what first depends on
      // when getters resume: rx-asyncio hands an item to the first waiting getter at put time.)
      const order = (x: number): number => s.put.indexOf(x);
      const maxGot = Math.max(-1, ...s.got.map(order));
      if (
        left.some(
          (x, i) => order(x) <= maxGot || (i > 0 && order(x) < order(left[i - 1] as number)),
        )
      ) {
        bad(`queue: items left out of FIFO order: ${show}`);
      }
      if (s.lock.locked()) bad('the lock is still held after the run');
      if (s.cond.locked()) bad("the condition's lock is still held after the run");
      if (s.lockHolders !== 0 || s.semHolders !== 0) bad('holders left after the run');
    },
  };
}

function* holdLock(run: Run, rec: TaskRecord, op: Extension, s: Shared): Coroutine<void> {
  const ticket = s.lockTickets++;
  yield* s.lock.acquire();
  try {
    if (ticket < s.lastLockGrant)
      run.violations.push(`lock: ticket ${ticket} granted after ${s.lastLockGrant} (t${rec.id})`);
    s.lastLockGrant = ticket;
    if (++s.lockHolders !== 1) run.violations.push(`lock: ${s.lockHolders} holders (t${rec.id})`);
    yield* sleep(op.args[0] ?? 0);
  } finally {
    s.lockHolders--;
    s.lock.release();
  }
}

function* holdSemaphore(run: Run, rec: TaskRecord, op: Extension, s: Shared): Coroutine<void> {
  // Only requests that have to wait are ordered: a slot handed to a woken waiter is already
  // its own, so a later request may take another free slot before that waiter resumes.
  const waits = s.sem.locked();
  const ticket = waits ? s.semTickets++ : -1;
  yield* s.sem.acquire();
  try {
    if (waits && ticket < s.lastSemGrant)
      run.violations.push(
        `semaphore: ticket ${ticket} granted after ${s.lastSemGrant} (t${rec.id})`,
      );
    if (waits) s.lastSemGrant = ticket;
    if (++s.semHolders > 2) run.violations.push(`semaphore: ${s.semHolders} holders (t${rec.id})`);
    yield* sleep(op.args[0] ?? 0);
  } finally {
    s.semHolders--;
    s.sem.release();
  }
}

function* waitEvent(run: Run, rec: TaskRecord, op: Extension, s: Shared): Coroutine<void> {
  const wasSet = s.event.isSet();
  const setsBefore = s.eventSets;
  try {
    yield* waitFor(s.event.wait(), op.args[0] ?? 1);
  } catch (e) {
    if (e instanceof TimeoutError) return;
    throw e;
  }
  if (!wasSet && s.eventSets === setsBefore)
    run.violations.push(`event: t${rec.id} woke without a set()`);
}

function* putItem(_run: Run, _rec: TaskRecord, op: Extension, s: Shared): Coroutine<void> {
  const item = s.nextItem++;
  try {
    yield* waitFor(s.queue.put(item), op.args[0] ?? 1);
  } catch (e) {
    if (e instanceof TimeoutError) return;
    throw e;
  }
  s.put.push(item);
}

function* getItem(_run: Run, _rec: TaskRecord, op: Extension, s: Shared): Coroutine<void> {
  try {
    s.got.push(yield* waitFor(s.queue.get(), op.args[0] ?? 1));
  } catch (e) {
    if (e instanceof TimeoutError) return;
    throw e;
  }
}

/** Waits on the condition with a deadline: however it ends, the lock must be held again. */
function* condWait(run: Run, rec: TaskRecord, op: Extension, s: Shared): Coroutine<void> {
  yield* s.cond.acquire();
  try {
    try {
      yield* waitFor(s.cond.wait(), op.args[0] ?? 1);
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
    } finally {
      if (!s.cond.locked())
        run.violations.push(`condition: t${rec.id} left wait() without the lock`);
    }
  } finally {
    s.cond.release();
  }
}

/** Waits at the barrier (3 parties) with a deadline; an index must be 0, 1 or 2. */
function* barrierWait(run: Run, rec: TaskRecord, op: Extension, s: Shared): Coroutine<void> {
  try {
    const index = yield* waitFor(s.barrier.wait(), op.args[0] ?? 1);
    if (!(index >= 0 && index < 3)) run.violations.push(`barrier: t${rec.id} got index ${index}`);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
  }
}
