// toThread accepts self-contained functions as written and as esbuild --minify and terser ship
// them (the corpus: fixtures/selfContainedCorpus.ts, minified in fixtures/minifiedCorpus.ts), in
// Node and in Chromium, and runs every version on a real worker with the same result.
import { getRunningLoop, run, WorkerPool } from '../../src/index.js';
import { toWorkSpec } from '../../src/offload/workSpec.js';
import { MINIFIED } from './fixtures/minifiedCorpus.js';
import { CORPUS, type CorpusEntry } from './fixtures/selfContainedCorpus.js';

type AnyFn = (...args: never[]) => unknown;

function fromSource(source: string): AnyFn {
  return new Function(`return (${source}\n);`)() as AnyFn;
}

function versions(e: CorpusEntry): Array<[string, AnyFn]> {
  const min = MINIFIED[e.name];
  if (min === undefined) throw new Error(`minifiedCorpus.ts lacks "${e.name}": regenerate it`);
  return [
    ['as written', e.fn],
    ['esbuild --minify', fromSource(min.esbuild)],
    ['terser', fromSource(min.terser)],
  ];
}

describe('toThread on a corpus of self-contained functions, minified and not', () => {
  it('has at least 30 functions, each minified both ways', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
    expect(Object.keys(MINIFIED).sort()).toEqual(CORPUS.map((e) => e.name).sort());
  });

  for (const e of CORPUS) {
    it(`accepts "${e.name}" in every version`, () => {
      for (const [label, fn] of versions(e)) {
        expect(() => toWorkSpec(fn, 'toThread'))
          .withContext(`${label}: ${Function.prototype.toString.call(fn)}`)
          .not.toThrow();
      }
    });
  }

  it('runs every version on a worker with the result of a local call', async () => {
    const pool = new WorkerPool({ maxWorkers: 1 });
    try {
      const expected = await Promise.all(CORPUS.map((e) => e.fn(...(e.args as never[]))));
      const got = await run(
        (function* () {
          const loop = getRunningLoop();
          const out: unknown[][] = [];
          for (const e of CORPUS) {
            const row: unknown[] = [];
            for (const [, fn] of versions(e)) {
              row.push(yield* loop.runInExecutor(pool, fn, ...(e.args as never[])));
            }
            out.push(row);
          }
          return out;
        })(),
        { handleSigint: false },
      );
      CORPUS.forEach((e, i) => {
        const want = expected[i];
        expect(got[i]).withContext(e.name).toEqual([want, want, want]);
      });
    } finally {
      await pool.shutdown();
    }
  });
});
