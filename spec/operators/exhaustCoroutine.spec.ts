import { exhaustCoroutine } from '../../src/index.js';
import { delayed, Log, operatorChecklist, testScheduler } from './support.js';

operatorChecklist('exhaustCoroutine', (project) => exhaustCoroutine(project));

describe('exhaustCoroutine', () => {
  it('ignores values that arrive while a coroutine runs', () => {
    const log = new Log();
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('a-b---c|').pipe(exhaustCoroutine(delayed<string>(log, 3)));
      expectObservable(out).toBe('---a-----(c|)');
    });
    expect(log.lines.filter((l) => l.startsWith('start'))).toEqual(['start a@0', 'start c@6']);
  });

  it('also ignores values during the running coroutine’s async cleanup', () => {
    const log = new Log();
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('a---b-c|').pipe(exhaustCoroutine(delayed<string>(log, 3, 2)));
      expectObservable(out).toBe('-----a-----(c|)');
    });
    expect(log.lines.filter((l) => l.startsWith('start'))).toEqual(['start a@0', 'start c@6']);
  });
});
