import { sleep, switchCoroutine } from '../../src/index.js';
import { delayed, Log, operatorChecklist, swallowing, testScheduler } from './support.js';

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
    });
    expect(log.lines).toEqual([
      'start a@0',
      'cancel a@2',
      'finally a@2',
      'start b@2',
      'finally b@5',
    ]);
  });

  it('starts the next coroutine only after the cancelled one’s async cleanup', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('a-b----|').pipe(switchCoroutine(delayed<string>(log, 3, 2)));
      expectObservable(out).toBe('---------(b|)');
    });
    expect(log.lines).toEqual([
      'start a@0',
      'cancel a@2',
      'finally a@4',
      'start b@4',
      'finally b@9',
    ]);
  });

  it('starts only the latest of the values that arrived during a cleanup', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('a-bc---|').pipe(switchCoroutine(delayed<string>(log, 3, 2)));
      expectObservable(out).toBe('---------(c|)');
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
    });
    expect(log.lines).toEqual(['swallow a@2', 'late a@5']);
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
    });
    expect(log.lines).toEqual([
      'start a@0',
      'cancel a@1',
      'finally a@5',
      'start b@5',
      'finally b@10',
    ]);
  });
});
