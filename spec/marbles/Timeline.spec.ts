import { record, Timeline, virtualScheduler } from '../../marbles/index.js';
import { CancelledError, createTask, EventLoop, sleep } from '../../src/index.js';

function kindsOf(timeline: Timeline, lane: string): string[] {
  return timeline.events.filter((e) => e.task === lane).map((e) => `${e.time} ${e.kind}`);
}

describe('Timeline (the recorder)', () => {
  it('records start, suspend, resume, print and return with virtual timestamps', () => {
    const { timeline } = record((tl) =>
      (function* () {
        tl.print('hello', 42);
        yield* sleep(10);
        tl.emit({ n: 1 });
        return 'ok';
      })(),
    );
    expect(kindsOf(timeline, 'main')).toEqual([
      '0 start',
      '0 print',
      '0 suspend',
      '10 resume',
      '10 emit',
      '10 return',
    ]);
    const [print, suspend] = timeline.events.slice(1, 3);
    expect(print?.value).toBe('hello 42');
    expect(suspend?.value).toBe('<sleep(10) pending>');
    expect(timeline.events.at(-1)?.value).toBe('ok');
  });

  it('records a raise, and does not count as retrieving the error', () => {
    const { timeline, reports } = record(() =>
      (function* () {
        createTask(
          (function* () {
            yield* sleep(5);
            throw new Error('boom');
          })(),
          { name: 'bad' },
        );
        yield* sleep(20);
      })(),
    );
    expect(kindsOf(timeline, 'bad')).toEqual(['0 start', '0 suspend', '5 resume', '5 raise']);
    expect(timeline.select(['raise'])[0]?.value).toEqual(new Error('boom'));
    expect(reports.map((r) => r.message)).toContain('Task exception was never retrieved');
  });

  it('records a cancellation delivered while suspended, cleanup included', () => {
    const { timeline } = record((tl) =>
      (function* () {
        const t = createTask(
          (function* () {
            try {
              yield* sleep(100);
            } finally {
              yield* sleep(3);
              tl.print('cleaned');
            }
          })(),
          { name: 'worker' },
        );
        yield* sleep(10);
        t.cancel('stop');
        yield* sleep(50);
      })(),
    );
    expect(kindsOf(timeline, 'worker')).toEqual([
      '0 start',
      '0 suspend',
      '10 resume',
      '10 cancel',
      '10 suspend',
      '13 resume',
      '13 print',
      '13 cancelled',
    ]);
    const end = timeline.events.find((e) => e.kind === 'cancelled');
    expect(end?.value).toEqual(jasmine.any(CancelledError));
    expect((end as { value: Error }).value.message).toBe('stop');
  });

  it('records a task cancelled before it started: it never runs its body', () => {
    const { timeline } = record((tl) =>
      (function* () {
        const t = createTask(
          (function* () {
            tl.print('never');
            yield* sleep(1);
          })(),
          { name: 'early' },
        );
        t.cancel();
        yield* sleep(1);
      })(),
    );
    expect(kindsOf(timeline, 'early')).toEqual(['0 start', '0 cancel', '0 cancelled']);
    expect(timeline.select(['print'])).toEqual([]);
  });

  it('names unnamed tasks Task-1, Task-2... per recording, whatever ran before', () => {
    const make = (): string[] =>
      record(() =>
        (function* () {
          const a = createTask(
            (function* () {
              yield* sleep(1);
            })(),
          );
          const b = createTask(
            (function* () {
              yield* sleep(2);
            })(),
          );
          yield* a;
          yield* b;
        })(),
      ).timeline.lanes();
    expect(make()).toEqual(['main', 'Task-1', 'Task-2']);
    expect(make()).toEqual(['main', 'Task-1', 'Task-2']);
  });

  it('records prints made outside any task in the (loop) lane', () => {
    const { timeline } = record((tl) => {
      tl.print('before the loop started');
      return (function* () {})();
    });
    expect(timeline.events[0]).toEqual(jasmine.objectContaining({ task: '(loop)', kind: 'print' }));
  });

  it('echoes printed lines when asked', () => {
    const lines: string[] = [];
    record(
      (tl) =>
        (function* () {
          tl.print('a');
          yield* sleep(1);
          tl.print('b');
        })(),
      { echo: (l) => lines.push(l) },
    );
    expect(lines).toEqual(['a', 'b']);
  });

  it('serves each lane as a live Observable: values, then complete or error', () => {
    const seen: string[] = [];
    const scheduler = virtualScheduler();
    const loop = new EventLoop(scheduler);
    loop.setExceptionHandler(() => {});
    const tl = new Timeline().attach(loop);
    tl.lane('ok').subscribe({
      next: (v) => seen.push(`ok:${v}@${scheduler.now()}`),
      complete: () => seen.push(`ok:|@${scheduler.now()}`),
    });
    tl.lane('bad').subscribe({ error: (e) => seen.push(`bad:#${(e as Error).message}`) });
    loop.createTask(
      (function* () {
        yield* sleep(1);
        tl.print('x');
      })(),
      { name: 'ok' },
    );
    loop.createTask(
      (function* () {
        yield* sleep(2);
        throw new Error('no');
      })(),
      { name: 'bad' },
    );
    scheduler.flush();
    expect(seen).toEqual(['ok:x@1', 'ok:|@1', 'bad:#no']);
    loop.close();
  });

  it('refuses a second recorder on one loop, and costs nothing once detached', () => {
    const loop = new EventLoop();
    const tl = new Timeline().attach(loop);
    expect(() => new Timeline().attach(loop)).toThrowError(/already has a recorder/);
    expect(Timeline.attachedTo(loop)).toBe(tl);
    tl.detach();
    expect(loop._observer).toBeNull();
    expect(Timeline.attachedTo(loop)).toBeNull();
    loop.close();
  });

  it('prints a readable event log', () => {
    const { timeline } = record((tl) =>
      (function* () {
        yield* sleep(1000);
        tl.print('tick');
      })(),
    );
    expect(timeline.toString()).toContain('    1000ms main print "tick"');
  });
});
