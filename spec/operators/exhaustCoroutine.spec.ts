import { exhaustCoroutine } from '../../src/index.js';
import { delayed, Log, operatorChecklist, STEPS, testScheduler } from './support.js';

operatorChecklist('exhaustCoroutine', (project) => exhaustCoroutine(project));

describe('exhaustCoroutine', () => {
  it('ignores values that arrive while a coroutine runs', () => {
    const log = new Log();
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('a-b---c|').pipe(exhaustCoroutine(delayed<string>(log, 3)));
      expectObservable(out).toBe('---a-----(c|)');
      expectObservable(log.lane('a')).toBe('s--f', STEPS);
      expectObservable(log.lane('b')).toBe('-', STEPS);
      expectObservable(log.lane('c')).toBe('------s--f', STEPS);
    });
  });

  it('also ignores values during the running coroutine’s async cleanup', () => {
    const log = new Log();
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('a---b-c|').pipe(exhaustCoroutine(delayed<string>(log, 3, 2)));
      expectObservable(out).toBe('-----a-----(c|)');
      expectObservable(log.lane('a')).toBe('s----f', STEPS);
      expectObservable(log.lane('b')).toBe('-', STEPS);
      expectObservable(log.lane('c')).toBe('------s----f', STEPS);
    });
  });
});
