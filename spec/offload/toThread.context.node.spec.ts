import { createTask, run, sleep, toThread, workerFunction } from '../../src/index.js';
import { readRequestId, requestId } from './fixtures/contextModule.js';

// Decision (README, "What differs from asyncio"): asyncio's to_thread runs the function in a copy
// of the caller's context; a worker shares no objects with the caller, so in rx-asyncio the
// context does not travel. A ContextVar of a module the worker imports is that worker's own
// instance, with its default. Pass what the job needs as arguments.

describe('toThread and context variables (Node)', () => {
  it("the job does not see the caller's values; the caller keeps its own across the await", async () => {
    const readOnWorker = workerFunction<[], string>(
      new URL('./fixtures/contextModule.ts', import.meta.url),
      'readRequestId',
    );
    const seen = await run(
      (function* () {
        const task = createTask(
          (function* () {
            requestId.set('req-42');
            const onWorker = yield* toThread(readOnWorker);
            yield* sleep(1);
            return [readRequestId(), onWorker];
          })(),
        );
        return yield* task;
      })(),
      { handleSigint: false },
    );
    expect(seen).toEqual(['req-42', 'worker default']);
  });
});
