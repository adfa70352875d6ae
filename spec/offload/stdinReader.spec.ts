// The process's one reader of stdin (issue 14, items 2 and 9), driven through a fake stream: lines
// go to readers in the order they asked, a withdrawn request leaves its bytes, lines given back
// come first, and the stream is read only while someone waits.
import { type LineOutcome, StdinReader } from '../../src/offload/stdinReader.js';

class FakeStdin {
  readonly written: string[] = [];
  flowing = false;
  referenced = true;
  private readonly fns: Record<string, Array<(arg?: unknown) => void>> = {};
  on(event: string, fn: (arg?: unknown) => void): this {
    this.fns[event] ??= [];
    this.fns[event].push(fn);
    return this;
  }
  emit(event: string, arg?: unknown): void {
    for (const fn of this.fns[event] ?? []) fn(arg);
  }
  push(text: string): void {
    this.emit('data', new TextEncoder().encode(text));
  }
  pause(): void {
    this.flowing = false;
  }
  resume(): void {
    this.flowing = true;
  }
  ref(): void {
    this.referenced = true;
  }
  unref(): void {
    this.referenced = false;
  }
  write(text: string): void {
    this.written.push(text);
  }
}

function setup(): {
  stdin: FakeStdin;
  reader: StdinReader;
  got: string[];
  ask(prompt?: string): ReturnType<StdinReader['request']>;
} {
  const stdin = new FakeStdin();
  const reader = new StdinReader(() => ({ input: stdin as never, output: stdin }));
  const got: string[] = [];
  const record = (o: LineOutcome): void => {
    got.push(
      o.kind === 'line' ? o.line : o.kind === 'eof' ? '<eof>' : `<error ${String(o.error)}>`,
    );
  };
  return { stdin, reader, got, ask: (prompt = '') => reader.request(prompt, record) };
}

describe('StdinReader (the one reader of stdin)', () => {
  it('hands whole lines in the order asked, strips \\r\\n, writes prompts', () => {
    const { stdin, got, ask } = setup();
    ask('a> ');
    ask('b> ');
    stdin.push('one\r\ntw');
    expect(got).toEqual(['one']);
    stdin.push('o\nthree\n');
    expect(got).toEqual(['one', 'two']);
    expect(stdin.written).toEqual(['a> ', 'b> ']);
    ask();
    expect(got).toEqual(['one', 'two', 'three']);
  });

  it('reads only while someone waits: paused and unreferenced otherwise', () => {
    const { stdin, ask } = setup();
    const r = ask();
    expect(stdin.flowing).toBeTrue();
    expect(stdin.referenced).toBeTrue();
    r.cancel();
    expect(stdin.flowing).toBeFalse();
    expect(stdin.referenced).toBeFalse();
    ask();
    stdin.push('x\n');
    expect(stdin.flowing).toBeFalse();
    expect(stdin.referenced).toBeFalse();
  });

  it('a withdrawn request leaves the bytes that came to the next one', () => {
    const { stdin, got, ask } = setup();
    const first = ask();
    stdin.push('hel');
    first.cancel();
    stdin.push('lo\n');
    expect(got).toEqual([]);
    ask();
    expect(got).toEqual(['hello']);
  });

  it('lines given back come first, in their order', () => {
    const { stdin, reader, got, ask } = setup();
    ask().cancel(); // opens stdin
    stdin.push('later\n');
    reader.unread(['a', 'b']);
    ask();
    ask();
    ask();
    expect(got).toEqual(['a', 'b', 'later']);
  });

  it('at the end: a last line without a break, then EOF for everyone', () => {
    const { stdin, got, ask } = setup();
    ask();
    stdin.push('tail');
    stdin.emit('end');
    ask();
    ask();
    expect(got).toEqual(['tail', '<eof>', '<eof>']);
  });

  it('a stream error fails the waiting readers with it', () => {
    const { stdin, got, ask } = setup();
    ask();
    stdin.emit('error', new Error('EIO'));
    expect(got).toEqual(['<error Error: EIO>']);
  });
});
