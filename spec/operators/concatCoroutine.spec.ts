import { concatCoroutine } from '../../src/index.js';
import { delayed, Log, operatorChecklist, STEPS, testScheduler } from './support.js';

operatorChecklist('concatCoroutine', (project) => concatCoroutine(project));

describe('concatCoroutine', () => {
  it('runs one coroutine at a time, in source order', () => {
    const log = new Log();
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('(abc|)').pipe(concatCoroutine(delayed<string>(log, 2)));
      expectObservable(out).toBe('--a-b-(c|)');
      expectObservable(log.lane('a')).toBe('s-f', STEPS);
      expectObservable(log.lane('b')).toBe('--s-f', STEPS);
      expectObservable(log.lane('c')).toBe('----s-f', STEPS);
    });
  });

  it('starts the next one only after the previous async cleanup', () => {
    const log = new Log();
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('(ab|)').pipe(concatCoroutine(delayed<string>(log, 2, 3)));
      expectObservable(out).toBe('-----a----(b|)');
      expectObservable(log.lane('a')).toBe('s----f', STEPS);
      expectObservable(log.lane('b')).toBe('-----s----f', STEPS);
    });
  });
});
