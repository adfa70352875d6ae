// Throwaway check of the build/test tooling (tsx + jasmine in Node, esbuild + karma in Chromium).
// Safe to delete once real specs exist.
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { marbles } from 'rxjs-marbles/jasmine';

describe('tooling smoke', () => {
  it('runs a marble test with rxjs TestScheduler', () => {
    const testScheduler = new TestScheduler((actual, expected) => {
      expect(actual).toEqual(expected);
    });
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('a-b|', { a: 1, b: 2 });
      expectObservable(source.pipe(map((x) => x * 10))).toBe('a-b|', { a: 10, b: 20 });
    });
  });

  it(
    'runs a marble test with rxjs-marbles',
    marbles((m) => {
      const source = m.cold('a-b|', { a: 1, b: 2 });
      m.expect(source.pipe(map((x) => x * 10))).toBeObservable('a-b|', { a: 10, b: 20 });
    }),
  );
});
