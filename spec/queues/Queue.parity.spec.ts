/**
 * asyncio parity, round 2 (issue 16): ValueError where asyncio raises it (item 9), for the three
 * queue classes, and the maxsize decision (item 13).
 */
import {
  createTask,
  getRunningLoop,
  LifoQueue,
  PriorityQueue,
  Queue,
  QueueShutDown,
  sleep,
  ValueError,
} from '../../src/index.js';
import { value } from '../support/outcome.js';

const classes = [
  ['Queue', (n = 0) => new Queue<string>(n)],
  ['LifoQueue', (n = 0) => new LifoQueue<string>(n)],
  ['PriorityQueue', (n = 0) => new PriorityQueue<string>(n)],
] as const;

for (const [name, make] of classes) {
  describe(`${name} (asyncio parity, issue 16)`, () => {
    it('taskDone() once too often raises ValueError, a RangeError (test_queues test_task_done_underflow)', () => {
      const q = make();
      expect(() => q.taskDone()).toThrowError(ValueError, /called too many times/);
      expect(() => q.taskDone()).toThrowError(RangeError);
    });

    it('test_queues test_shutdown_nonempty: put raises QueueShutDown, get drains, then taskDone underflows with ValueError', () => {
      expect(
        value(
          (function* () {
            const loop = getRunningLoop();
            const q = make(1);
            q.putNowait('data');
            const joinTask = loop.createTask(q.join());
            const putTask = loop.createTask(q.put('data2'));
            yield* sleep(0);
            const log: unknown[] = [putTask.done()];
            q.shutdown({ immediate: false });
            log.push(q.qsize());
            yield* sleep(0);
            log.push(joinTask.done());
            yield* sleep(0);
            log.push(putTask.done(), putTask.exception() instanceof QueueShutDown);
            log.push(yield* q.get());
            q.taskDone();
            yield* sleep(0);
            log.push(joinTask.done());
            yield* joinTask;
            try {
              q.taskDone();
            } catch (e) {
              log.push((e as Error).name);
            }
            return log;
          })(),
        ),
      ).toEqual([false, 1, false, true, true, 'data', true, 'ValueError']);
    });

    it('test_queues test_shutdown_immediate_with_unfinished: discarded items count done; one more taskDone is a ValueError', () => {
      expect(
        value(
          (function* () {
            const q = make();
            q.putNowait('data');
            q.putNowait('data');
            const joinTask = createTask(q.join());
            yield* sleep(0);
            const first = yield* q.get();
            q.shutdown({ immediate: true });
            yield* sleep(0);
            const log: unknown[] = [first, q.qsize(), joinTask.done()];
            q.taskDone();
            yield* sleep(0);
            log.push(joinTask.done());
            try {
              q.taskDone();
            } catch (e) {
              log.push((e as Error).name);
            }
            return log;
          })(),
        ),
      ).toEqual(['data', 0, false, true, 'ValueError']);
    });
  });
}

describe('Queue maxsize (issue 16, item 13: kept, documented)', () => {
  it('a fractional or negative maxsize is refused with ValueError (asyncio accepts them: test_float_maxsize)', () => {
    expect(() => new Queue(1.3)).toThrowError(ValueError, /maxsize/);
    expect(() => new Queue(-1)).toThrowError(ValueError, /maxsize/);
    expect(new Queue(0).maxsize).toBe(0); // 0: no limit, as asyncio
  });
});
