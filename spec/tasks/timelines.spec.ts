// The combinators as marble timelines: one lane per task, 1 frame = 1 ms.
import { expectTimeline, record } from '../../marbles/index.js';
import { asCompleted, createTask, gather, sleep, taskGroup, timeout } from '../../src/index.js';

describe('tasks and timeouts as timelines', () => {
  it('TaskGroup: b fails at 20, c is cancelled, main raises; a had finished', () => {
    const { timeline } = record((tl) =>
      (function* () {
        yield* taskGroup(function* (tg) {
          tg.createTask(
            (function* () {
              yield* sleep(10);
              tl.print('a');
            })(),
            { name: 'a' },
          );
          tg.createTask(
            (function* () {
              yield* sleep(20);
              throw new Error('b');
            })(),
            { name: 'b' },
          );
          tg.createTask(
            (function* () {
              yield* sleep(50);
            })(),
            { name: 'c' },
          );
        });
      })(),
    );
    expectTimeline(
      timeline,
      { a: '10ms (a|)', b: '20ms #', c: '20ms #', main: '20ms #' },
      { a: 'a' },
    );
  });

  it('gather: the first error raises at once, the sibling runs on', () => {
    const { timeline } = record((tl) =>
      (function* () {
        const sibling = createTask(
          (function* () {
            yield* sleep(30);
            tl.print('s');
          })(),
          { name: 'sibling' },
        );
        try {
          yield* gather(
            sibling,
            (function* () {
              yield* sleep(10);
              throw new Error('x');
            })(),
          );
        } catch {
          tl.print('e');
        }
        yield* sibling;
      })(),
    );
    expectTimeline(timeline, { sibling: '30ms (s|)', main: '10ms e 19ms |' }, { s: 's', e: 'e' });
  });

  it('asCompleted and timeout: results in completion order until the deadline', () => {
    const { timeline } = record((tl) =>
      (function* () {
        try {
          yield* timeout(25, function* () {
            for (const next of asCompleted([sleep(30, 'c'), sleep(10, 'a'), sleep(20, 'b')])) {
              tl.print(yield* next);
            }
          });
        } catch {
          tl.print('T');
        }
      })(),
    );
    expectTimeline(timeline, { main: '10ms a 9ms b 4ms (T|)' }, { a: 'a', b: 'b', T: 'T' });
  });
});
