import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { asyncScheduler } from 'rxjs';
import { virtualScheduler } from '../../marbles/index.js';
import {
  type Coroutine,
  coroutine,
  EventLoop,
  type ExceptionContext,
  sleep,
} from '../../src/index.js';

// Node only: reach the garbage collector without the --expose-gc command-line flag.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Lets the host run FinalizationRegistry callbacks (they are queued as host tasks after a GC). */
async function collect(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const forgotten = coroutine(function* forgotten(): Coroutine<void> {
  yield* sleep(1);
});

describe('garbage collection (Node, real GC)', () => {
  it('reports a watched coroutine collected without ever being started, while the loop is open', async () => {
    const scheduler = virtualScheduler();
    // A threshold no busy machine reaches: only never-awaited reports are wanted here.
    const loop = new EventLoop(scheduler, { debug: true, slowCallbackDuration: 60_000 });
    const reports: ExceptionContext[] = [];
    loop.setExceptionHandler((_l, c) => {
      reports.push(c);
    });
    loop.callSoon(() => {
      forgotten(); // dropped at once: only the GC can tell
    });
    scheduler.flush();
    await collect();
    expect(reports.map((r) => r.coroutineName)).toEqual(['forgotten']);
    loop.close();
    expect(reports.length).toBe(1); // not reported twice
  });

  it('keeps a pending task alive although nobody references it (the loop holds it strongly)', async () => {
    const scheduler = virtualScheduler();
    const loop = new EventLoop(scheduler);
    let finished = false;
    loop.createTask(
      (function* () {
        yield* sleep(1000);
        finished = true;
      })(),
    );
    await collect();
    scheduler.flush();
    expect(finished).toBeTrue();
    loop.close();
  });
});

describe('never-awaited report in real time (issue 15)', () => {
  it('is made at loop close even when the GC took the coroutine before the close', async () => {
    // Real time (asyncScheduler). The GC clears the loop's weak reference at once, but runs the
    // FinalizationRegistry callback only in a later host turn, here after the close: the close
    // itself must still report it (it used to find the reference empty and say nothing).
    const loop = new EventLoop(asyncScheduler, { debug: true, slowCallbackDuration: 60_000 });
    const reports: ExceptionContext[] = [];
    loop.setExceptionHandler((_l, c) => {
      reports.push(c);
    });
    await new Promise<void>((resolve) => {
      loop.callSoon(() => {
        forgotten(); // dropped at once
        resolve();
      });
    });
    await new Promise((resolve) => setImmediate(resolve)); // nothing holds it now
    gc();
    loop.close();
    expect(reports.map((r) => r.coroutineName)).toEqual(['forgotten']);
    await collect(); // the late registry callback must not report it again
    expect(reports.length).toBe(1);
  });
});
