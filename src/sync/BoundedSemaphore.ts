import { ValueError } from '../errors.js';
import { Semaphore } from './Semaphore.js';

/**
 * A {@link Semaphore} that refuses to be released more often than it was acquired (asyncio's
 * `BoundedSemaphore`): the count never exceeds its initial value.
 *
 * @example
 * ```ts
 * import { BoundedSemaphore, run } from 'rx-asyncio';
 * run(function* () {
 *   const sem = new BoundedSemaphore(1);
 *   yield* sem.acquire();
 *   sem.release();
 *   try { sem.release(); } catch (e) { console.log((e as Error).name); } // RuntimeError
 * }());
 * ```
 * @throws {TypeError} / {RangeError} if `value` is not an integer >= 0.
 */
export class BoundedSemaphore extends Semaphore {
  /** @internal See displayName.ts. */
  static override readonly _displayName: string = 'BoundedSemaphore';
  private readonly _bound: number;

  constructor(value = 1) {
    super(value);
    this._bound = value;
  }

  /**
   * Gives a slot back.
   * @throws {ValueError} (a `RangeError`) if every slot is already free (released too many
   * times), as asyncio ("BoundedSemaphore released too many times").
   */
  override release(): void {
    if (this._value >= this._bound) {
      throw new ValueError(
        `${this}.release(): BoundedSemaphore released too many times (more than acquired; initial value ${this._bound}); ` +
          'release once per successful acquire()',
      );
    }
    super.release();
  }
}
