// Issue 19, item 4: a memory-reducing GC (a background tab, memory pressure, `gc()`) must not
// throw away the kernel's optimized code. V8 holds the hidden classes that optimized code checks
// only weakly and does not retain them in such a GC: a class with no live instance lost its map,
// and every function that embedded it was deoptimized ("weak objects" in --trace-deopt). The
// kernel parks one live instance of each hot class (EventLoop.ts, _anchorShapes). The verdict
// is V8's own deopt log, not a timing: a child runs Queue ping-pong in four run()s, each after
// two forced gc() calls, and no rx-asyncio function may be deoptimized for "weak objects" once
// the first two runs have warmed it up.
import { CHILD_SPEC_TIMEOUT_MS, runChild } from '../support/childProcess.js';

const fixture = new URL('./fixtures/memoryReducingGc.ts', import.meta.url);

// Functions of the loop, tasks, futures and queues that were deoptimized after every forced GC
// before the anchors (names as --trace-deopt prints them; a bundler may add a digit).
const KERNEL = new Set([
  '_step',
  'runStep',
  '_run',
  '_runOnce',
  '_runBatch',
  '_checkLoop',
  '_getLoop',
  'get _mustCancel',
  'get size',
  'push',
  'shift',
  'Future',
  'WaiterFuture',
  'Put',
  'put',
  'get',
  'next',
  'wait',
  'wakeOne',
  '_consume',
  '_startGet',
  '_startPut',
  '_accept',
  '_addCallback',
  '_wakeup',
  'setResult',
  'set _description',
  '<instance_members_initializer>',
]);

describe('kernel hidden classes across a memory-reducing GC', () => {
  it(
    'keep the optimized code of the loop, tasks and queues ("weak objects" deopts after warm-up: none)',
    async () => {
      const r = await runChild(fixture, { nodeArgs: ['--expose-gc', '--trace-deopt'] });
      expect(r.code).withContext(r.err).toBe(0);
      expect(r.out).toContain('--- done');
      let run = -1;
      const dropped: string[] = [];
      for (const line of r.out.split('\n')) {
        if (line.startsWith('--- run ')) run = Number(line.slice(8));
        else if (run >= 2 && line.includes('reason: weak objects')) {
          const name = /<SharedFunctionInfo ([^>]+)>/.exec(line)?.[1]?.replace(/\d+$/, '');
          if (name !== undefined && KERNEL.has(name)) dropped.push(`run ${run}: ${name}`);
        }
      }
      expect(dropped).toEqual([]);
    },
    CHILD_SPEC_TIMEOUT_MS,
  );
});
