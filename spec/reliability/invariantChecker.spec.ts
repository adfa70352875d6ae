/**
 * The property suites are only as good as their checker: these specs feed it programs that break
 * each invariant on purpose (through extension ops that misbehave) and expect it to say so.
 */
import { getRunningLoop } from '../../src/index.js';
import { runAndCheck } from './support/invariants.js';
import type { ExtensionRuntime, Op, Prog } from './support/program.js';

function prog(...ops: Op[]): Prog {
  return { ops, swallow: false, cleanupSleep: null, cleanupThrows: false };
}

const saboteur: ExtensionRuntime = {
  *run(run, rec, op) {
    const loop = getRunningLoop();
    switch (op.name) {
      case 'leakTimer':
        loop.callLater(1000, () => {});
        break;
      case 'loseFutureError': {
        const fut = loop.createFuture<number>();
        fut.setException(run.error(`t${rec.id} lost`));
        break;
      }
      case 'reportTwice': {
        const e = run.error(`t${rec.id} twice`);
        const context = {
          message: 'Task exception was never retrieved',
          exception: e,
          task: rec.task,
        };
        loop.callExceptionHandler(context);
        loop.callExceptionHandler(context);
        break;
      }
      case 'hang':
        yield* loop.createFuture<never>();
        break;
    }
  },
};

const ext = (name: string): Op => ({ k: 'ext', name, args: [] });

describe('reliability: the invariant checker', () => {
  it('accepts a clean program', () => {
    expect(runAndCheck(prog({ k: 'sleep', ms: 5 }), saboteur).violations).toEqual([]);
  });

  it('flags a timer left live after every task ended', () => {
    expect(runAndCheck(prog(ext('leakTimer')), saboteur).violations).toContain(
      '1 live timer(s) after every task ended',
    );
  });

  it('flags an error reported by something other than a task report', () => {
    const v = runAndCheck(prog(ext('loseFutureError')), saboteur).violations;
    expect(
      v.some((x) => x.startsWith('unexpected report: Future exception was never retrieved')),
    ).toBe(true);
  });

  it('flags an error reported twice', () => {
    const v = runAndCheck(prog(ext('reportTwice')), saboteur).violations;
    expect(v.some((x) => /reported 2 times/.test(x))).toBe(true);
  });

  it('flags a run that never ends', () => {
    const v = runAndCheck(prog(ext('hang')), saboteur).violations;
    expect(v.some((x) => x.startsWith('run() never finished'))).toBe(true);
  });
});
