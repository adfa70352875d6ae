import { ExceptionGroup } from '../../src/index.js';

class AppError extends Error {
  override name = 'AppError';
}

describe('ExceptionGroup', () => {
  const a = new TypeError('a');
  const b = new AppError('b');
  const c = new RangeError('c');
  const inner = new ExceptionGroup('inner', [b, c]);
  const group = new ExceptionGroup('outer', [a, inner], { cause: 'why' });

  it('is an AggregateError with errors (alias exceptions) and a message', () => {
    expect(group instanceof AggregateError).toBeTrue();
    expect(group instanceof Error).toBeTrue();
    expect(group.name).toBe('ExceptionGroup');
    expect(group.message).toBe('outer');
    expect(group.errors).toEqual([a, inner]);
    expect(group.exceptions).toBe(group.errors);
    expect(group.cause).toBe('why');
  });

  it('prints its leaf errors indented under it, nested groups as trees (String and stack)', () => {
    const tree = [
      'ExceptionGroup: outer (2 sub-errors)',
      '+-+---------------- 1 ----------------',
      '  | TypeError: a',
      '  +---------------- 2 ----------------',
      '  | ExceptionGroup: inner (2 sub-errors)',
      '  +-+---------------- 1 ----------------',
      '    | AppError: b',
      '    +---------------- 2 ----------------',
      '    | RangeError: c',
      '    +------------------------------------',
      '  +------------------------------------',
    ].join('\n');
    expect(String(group)).toBe(tree);
    // The printed form of an uncaught error is its stack: the tree, then the frames.
    expect(group.stack?.startsWith(`${tree}\n`)).toBeTrue();
    expect(group.stack?.slice(tree.length)).toMatch(/\n\s+at /); // the frames follow
    const single = new ExceptionGroup('unhandled errors in a TaskGroup', [
      new Error('boom\nline 2'),
    ]);
    expect(String(single)).toBe(
      [
        'ExceptionGroup: unhandled errors in a TaskGroup (1 sub-error)',
        '+-+---------------- 1 ----------------',
        '  | Error: boom',
        '  | line 2',
        '  +------------------------------------',
      ].join('\n'),
    );
  });

  it('split by class keeps the nesting, like except*', () => {
    const [match, rest] = group.split(AppError);
    expect(match?.message).toBe('outer');
    expect(match?.cause).toBe('why');
    expect(match?.errors.length).toBe(1);
    const nested = match?.errors[0] as ExceptionGroup;
    expect(nested instanceof ExceptionGroup).toBeTrue();
    expect(nested.message).toBe('inner');
    expect(nested.errors).toEqual([b]);
    expect(rest?.errors[0]).toBe(a);
    expect((rest?.errors[1] as ExceptionGroup | undefined)?.errors).toEqual([c]);
  });

  it('split by predicate; a part with nothing in it is null', () => {
    expect(group.split(() => true)).toEqual([group, null]);
    const [none, all] = group.split((e) => e === 'nothing');
    expect(none).toBeNull();
    expect(all).toBe(group);
    const [errs] = group.split(Error);
    expect(errs).toBe(group);
  });

  it('a group that matches the condition goes whole', () => {
    const [match, rest] = group.split((e) => e === inner);
    expect(match?.errors).toEqual([inner]);
    expect(rest?.errors).toEqual([a]);
  });

  it('subgroup returns the matching part, or the group itself when all match', () => {
    expect(group.subgroup(RangeError)?.errors.map((e) => (e as ExceptionGroup).errors)).toEqual([
      [c],
    ]);
    expect(group.subgroup(Error)).toBe(group);
    expect(group.subgroup(SyntaxError)).toBeNull();
  });

  it('rejects an empty or missing list and a bad matcher', () => {
    expect(() => new ExceptionGroup('m', [])).toThrowError(RangeError);
    expect(() => new ExceptionGroup([a] as never, 'm' as never)).toThrowError(
      TypeError,
      /message comes first/,
    );
    expect(() => group.split('TypeError' as never)).toThrowError(TypeError);
  });

  it('freezes its errors', () => {
    expect(Object.isFrozen(group.errors)).toBeTrue();
  });
});
