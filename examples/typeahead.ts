/**
 * Type-ahead search: an RxJS pipeline with a coroutine inside. Keystrokes are debounced, then each
 * query runs as a coroutine under `switchCoroutine`: typing again cancels the search in flight
 * with `CancelledError`, its `finally` closes the (pretend) connection, and the next search starts
 * once that cleanup is done. Each search reports progress with `ctx.emit` before its results.
 *
 * Run it with `npm start -- typeahead` (about 1.4 seconds of real time). The input closes right after
 * the last keystroke, so `debounceTime` lets that one through at once.
 */
import { concatMap, debounceTime, from, map, type Observable, timer } from 'rxjs';
import { type Coroutine, type CoroutineContext, sleep, switchCoroutine } from '../src/index.js';

const WORDS = ['async', 'asyncio', 'asyncScheduler', 'await', 'awaitable', 'rxjs', 'rx-asyncio'];

/** What the user types: [ms after the previous keystroke, the input's text]. */
export const TYPING: ReadonlyArray<readonly [number, string]> = [
  [0, 'a'],
  [100, 'as'],
  [100, 'asy'],
  [200, 'asyn'],
  [700, 'asyncio'],
];

/** The keystrokes of {@link TYPING} as an Observable of the input's text. */
export function keystrokes(typing = TYPING): Observable<string> {
  return from(typing).pipe(concatMap(([ms, text]) => timer(ms).pipe(map(() => text))));
}

/** A pretend server: answers after 300 ms; closing a cancelled request takes 20 ms. */
function* search(
  query: string,
  ctx: CoroutineContext<string>,
  print: (line: string) => void,
): Coroutine<string> {
  ctx.emit(`searching "${query}"…`);
  let answered = false;
  try {
    yield* sleep(300);
    answered = true;
    const hits = WORDS.filter((w) => w.startsWith(query));
    return `"${query}": ${hits.join(', ') || 'no results'}`;
  } finally {
    if (!answered) {
      yield* sleep(20); // async cleanup: the next search waits for it
      print(`cancelled "${query}", connection closed`);
    }
  }
}

/** The pipeline: debounced queries, one search at a time, the newest one wins. */
export function typeahead(
  keys: Observable<string>,
  print: (line: string) => void,
): Observable<string> {
  return keys.pipe(
    debounceTime(150),
    switchCoroutine((query: string, ctx: CoroutineContext<string>) => search(query, ctx, print)),
  );
}

/** Runs the example in real time, printing each line with its time since the start. */
export function runTypeahead(print: (line: string) => void = console.log): Promise<void> {
  const t0 = Date.now();
  const stamp = (line: string) => print(`${String(Date.now() - t0).padStart(5)} ms  ${line}`);
  return new Promise((resolve, reject) => {
    typeahead(keystrokes(), stamp).subscribe({ next: stamp, error: reject, complete: resolve });
  });
}
