import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import {
  bridgeAsyncLocalStorage,
  type Coroutine,
  createTask,
  getRunningLoop,
  RuntimeError,
  run,
  sleep,
} from '../../src/index.js';

// Real time (the default asyncScheduler): the point is Node's own async context, which only
// real host callbacks carry. Outcomes only, no timing.

// Both captures (AsyncLocalStorage.snapshot(), and one AsyncResource per task) must give the
// same states; each block runs once per capture.
const captures: [string, () => () => void][] = [
  ['snapshot()', () => bridgeAsyncLocalStorage(AsyncLocalStorage)],
  ['{ AsyncResource }', () => bridgeAsyncLocalStorage(AsyncLocalStorage, { AsyncResource })],
];

for (const [captureName, bridge] of captures)
  describe(`bridgeAsyncLocalStorage (Node), capture through ${captureName}`, () => {
    const als = new AsyncLocalStorage<string>();
    let unbridge: (() => void) | null = null;

    afterEach(() => {
      unbridge?.();
      unbridge = null;
    });

    function* readAfterSleep(ms: number): Coroutine<string | undefined> {
      yield* sleep(ms);
      return als.getStore();
    }

    it('a task reads, after a sleep, the store that was current when it was created', async () => {
      unbridge = bridge();
      const seen = await run(
        (function* () {
          const a = als.run('request-a', () => createTask(readAfterSleep(5)));
          const b = als.run('request-b', () => createTask(readAfterSleep(1)));
          const none = createTask(readAfterSleep(3));
          return [yield* a, yield* b, yield* none];
        })(),
      );
      expect(seen).toEqual(['request-a', 'request-b', undefined]);
    });

    it('a store one task enters does not leak to another task or to its parent', async () => {
      unbridge = bridge();
      const seen = await run(
        (function* () {
          const writer = createTask(
            (function* () {
              als.enterWith('entered by writer');
              yield* sleep(2);
              return als.getStore(); // its own, across the sleep
            })(),
          );
          const reader = createTask(readAfterSleep(4));
          const w = yield* writer;
          const r = yield* reader;
          return [w, r, als.getStore()];
        })(),
      );
      expect(seen).toEqual(['entered by writer', undefined, undefined]);
    });

    it('loop callbacks run in the store current when they were scheduled', async () => {
      unbridge = bridge();
      const seen = await run(
        (function* () {
          const loop = getRunningLoop();
          const got: (string | undefined)[] = [];
          als.run('cb', () => loop.callLater(2, () => got.push(als.getStore())));
          loop.callLater(3, () => got.push(als.getStore()));
          yield* sleep(5);
          return got;
        })(),
      );
      expect(seen).toEqual(['cb', undefined]);
    });

    it('refuses a second bridge and a class without snapshot(); removing twice is harmless', () => {
      unbridge = bridge();
      expect(() => bridgeAsyncLocalStorage(AsyncLocalStorage)).toThrowError(
        RuntimeError,
        /already/,
      );
      expect(() => bridgeAsyncLocalStorage({} as typeof AsyncLocalStorage)).toThrowError(
        TypeError,
        /snapshot/,
      );
      unbridge();
      unbridge();
      expect(() =>
        bridgeAsyncLocalStorage(AsyncLocalStorage, {
          AsyncResource: {} as typeof AsyncResource,
        }),
      ).toThrowError(TypeError, /AsyncResource class/);
      unbridge = bridge();
    });
  });
