import { concatCoroutine } from '../../src/index.js';
import { delayed, Log, operatorChecklist, testScheduler } from './support.js';

operatorChecklist('concatCoroutine', (project) => concatCoroutine(project));

describe('concatCoroutine', () => {
  it('runs one coroutine at a time, in source order', () => {
    const log = new Log();
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('(abc|)').pipe(concatCoroutine(delayed<string>(log, 2)));
      expectObservable(out).toBe('--a-b-(c|)');
    });
    expect(log.lines).toEqual([
      'start a@0',
      'finally a@2',
      'start b@2',
      'finally b@4',
      'start c@4',
      'finally c@6',
    ]);
  });

  it('starts the next one only after the previous async cleanup', () => {
    const log = new Log();
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold('(ab|)').pipe(concatCoroutine(delayed<string>(log, 2, 3)));
      expectObservable(out).toBe('-----a----(b|)');
    });
    expect(log.lines).toContain('start b@5');
  });
});
