import { RuntimeError } from '../errors.js';
import type { EventLoop } from '../kernel/EventLoop.js';
import { getRunningLoop } from '../kernel/runningLoop.js';

/**
 * @internal Base of every sync primitive and queue: binds it to an event loop lazily, the first
 * time it must create a waiter (asyncio's `_LoopBoundMixin`). Why lazily: a primitive can then be
 * built at module level, outside any loop, and an uncontended one works under successive `run`s.
 */
export class LoopBound {
  /** @internal The loop whose tasks wait on this primitive, once one had to wait. */
  _loop: EventLoop | null = null;

  /**
   * @internal The running loop, after binding to it.
   * @throws {RuntimeError} if the primitive is already bound to another loop.
   */
  _getLoop(): EventLoop {
    const loop = getRunningLoop();
    if (this._loop === null) this._loop = loop;
    else if (this._loop !== loop) {
      throw new RuntimeError(
        `${this} is bound to a different event loop: a lock or queue belongs to the loop whose ` +
          'tasks first waited on it; create one per loop (e.g. inside main())',
      );
    }
    return loop;
  }
}
