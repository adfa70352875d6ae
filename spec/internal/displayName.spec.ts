import {
  BoundedSemaphore,
  EventLoop,
  Future,
  LifoQueue,
  PriorityQueue,
  Queue,
  Semaphore,
} from '../../src/index.js';
import { displayName, displayNameOf } from '../../src/internal/displayName.js';

/** Runs `body` with `ctor.name` replaced, as a bundler renaming a colliding class would. */
function renamed(ctor: object, name: string, body: () => void): void {
  const own = Object.getOwnPropertyDescriptor(ctor, 'name');
  Object.defineProperty(ctor, 'name', { value: name, configurable: true });
  try {
    body();
  } finally {
    if (own !== undefined) Object.defineProperty(ctor, 'name', own);
  }
}

describe('displayName', () => {
  it("shows rx-asyncio's own class names even when a bundler renamed the classes", () => {
    renamed(Queue, 'Queue2', () => {
      expect(String(new Queue())).toMatch(/^<Queue maxsize=0 /);
      expect(String(new Queue().get())).toBe('Queue.get()');
    });
    renamed(LifoQueue, 'e', () => {
      expect(String(new LifoQueue())).toMatch(/^<LifoQueue /);
    });
    renamed(Semaphore, 's', () => {
      expect(String(new Semaphore(1))).toBe('<Semaphore [unlocked, value:1]>');
    });
    renamed(BoundedSemaphore, 'b', () => {
      expect(() => new BoundedSemaphore(-1)).toThrowError(RangeError, /BoundedSemaphore\(value\)/);
    });
    const loop = new EventLoop();
    renamed(Future, 'Future2', () => {
      expect(String(new Future(loop))).toBe('<Future pending>');
      expect(String(loop.callSoon(() => {}))).toMatch(/^<Handle /);
    });
    loop.close();
  });

  it("shows a user's subclass by its own name, as Python shows type(x).__name__", () => {
    class JobQueue<T> extends PriorityQueue<T> {}
    Object.defineProperty(JobQueue, 'name', { value: 'JobQueue' }); // pinned: bundlers rename
    expect(displayNameOf(JobQueue)).toBe('JobQueue');
    expect(String(new JobQueue())).toMatch(/^<JobQueue maxsize=0 /);
    expect(displayName(new PriorityQueue())).toBe('PriorityQueue');
  });
});
