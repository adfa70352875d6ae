/**
 * Under frozen intrinsics (`node --frozen-intrinsics`, SES `lockdown()`), `Error.stackTraceLimit`
 * cannot be assigned, and in strict code the assignment throws. CancelledError set it to skip its
 * stack trace: every cancel threw a TypeError from inside the kernel, and since issue 19 the
 * module's load-time probe made importing rx-asyncio itself throw. Now the probe notices the frozen
 * `Error` and CancelledError keeps its trace there.
 */
import { CHILD_SPEC_TIMEOUT_MS, runChild } from '../../support/childProcess.js';

describe('regression: a frozen Error broke every cancel (and the import)', () => {
  it(
    'cancels a task, a timeout and a TaskGroup under node --frozen-intrinsics',
    async () => {
      const run = await runChild(new URL('./fixtures/frozenIntrinsics.ts', import.meta.url), {
        nodeArgs: ['--frozen-intrinsics', '--no-warnings'],
      });
      expect(run.err).toBe('');
      expect(run.out.trim().split('\n')).toEqual([
        'task: true CancelledError: enough',
        'timeout: true CancelledError',
        'group: true',
        'done',
      ]);
      expect(run.code).toBe(0);
    },
    CHILD_SPEC_TIMEOUT_MS,
  );
});
