import { sleep, switchCoroutine } from '../../src/index.js';
import { delayed, Log, operatorChecklist, STEPS, swallowing, testScheduler } from './support.js';

operatorChecklist('switchCoroutine', (project) => switchCoroutine(project));

describe('switchCoroutine', () => {
  let log: Log;
  beforeEach(() => {
    log = new Log();
  });

  it('cancels the running coroutine with CancelledError when a new value arrives', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('a-b----|').pipe(switchCoroutine(delayed<string>(log, 3)));
      expectObservable(out).toBe('-----b-|');
      expectObservable(log.lane('a')).toBe('s-(cf)', STEPS);
      expectObservable(log.lane('b')).toBe('--s--f', STEPS);
    });
  });

  it('starts the next coroutine only after the cancelled one’s async cleanup', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('a-b----|').pipe(switchCoroutine(delayed<string>(log, 3, 2)));
      expectObservable(out).toBe('---------(b|)');
      expectObservable(log.lane('a')).toBe('s-c-f', STEPS);
      expectObservable(log.lane('b')).toBe('----s----f', STEPS);
    });
  });

  it('starts only the latest of the values that arrived during a cleanup', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('a-bc---|').pipe(switchCoroutine(delayed<string>(log, 3, 2)));
      expectObservable(out).toBe('---------(c|)');
      expectObservable(log.lane('a')).toBe('s-c-f', STEPS);
      expectObservable(log.lane('c')).toBe('----s----f', STEPS);
    });
    expect(log.lines.filter((l) => l.startsWith('start'))).toEqual(['start a@0', 'start c@4']);
  });

  it('drops what a cancelled coroutine emits or returns; one that swallows delays the next', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('a-b|').pipe(
        switchCoroutine(function* (x: string, ctx) {
          const inner = swallowing(log, 5, 3, `late ${x}`);
          const r = yield* inner(x);
          ctx.emit(`emitted after ${x}`);
          return r;
        }),
      );
      expectObservable(out).toBe('----------(xb|)', { x: 'emitted after b', b: 'b' });
      expectObservable(log.lane('a')).toBe('--w--l', STEPS);
    });
  });

  it('errors the output if a cancelled coroutine’s cleanup fails', () => {
    const cleanup = new Error('cleanup failed');
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('a-b----|').pipe(
        switchCoroutine(function* (x: string) {
          try {
            yield* sleep(3);
            return x;
          } finally {
            yield* sleep(1);
            if (x === 'a') throw cleanup;
          }
        }),
      );
      expectObservable(out).toBe('---#', undefined, cleanup);
    });
  });

  it('completes only after the last coroutine, cleanup included, has returned', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('ab|').pipe(switchCoroutine(delayed<string>(log, 1, 4)));
      expectObservable(out).toBe('----------(b|)');
      expectObservable(log.lane('a')).toBe('sc---f', STEPS);
      expectObservable(log.lane('b')).toBe('-----s----f', STEPS);
    });
  });
});
