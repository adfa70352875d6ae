/**
 * The class name rx-asyncio shows in messages and dumps (`<Queue maxsize=0 ...>`, `Semaphore.acquire()`).
 *
 * Why not just `constructor.name`: bundlers rename a class whose name collides with another in the
 * bundle (rx-asyncio's `TimeoutError` next to RxJS's becomes `TimeoutError2`) and minifiers shorten
 * names, so rx-asyncio's own classes carry their name as a static `_displayName`. A user's subclass
 * has no own `_displayName` and shows its own constructor name, as Python shows `type(x).__name__`.
 */

/** A constructor that may carry its display name. */
type Named = { readonly name: string; readonly _displayName?: string };

/** The display name of a class (`new.target` in a constructor). */
export function displayNameOf(ctor: Named): string {
  return Object.hasOwn(ctor, '_displayName') ? (ctor._displayName as string) : ctor.name;
}

/** The display name of an object's class. */
export function displayName(obj: object): string {
  return displayNameOf(obj.constructor as Named);
}
