import { describe } from './Awaitable.js';
import { creationSite } from './creationSite.js';
import type { ExceptionContext } from './EventLoopOptions.js';

/**
 * The default exception handler's text: the message, the task or future, where the task was
 * created (debug mode: asyncio's "created at"), and the stack. Never throws.
 */
export function formatExceptionContext(context: ExceptionContext): string {
  const parts = [context.message];
  if (context.task) parts.push(`task: ${describe(context.task)}`);
  else if (context.future) parts.push(`future: ${describe(context.future)}`);
  const created = context.task?._createdAt;
  if (created !== undefined) parts.push(`task created at ${creationSite(created)}`);
  const exc = context.exception;
  if (exc !== undefined) parts.push(describeException(exc));
  return parts.join('\n');
}

/**
 * An exception as text, never throwing: the default handler is the last resort, so a value that
 * cannot be converted (a null-prototype object, a throwing `stack` getter) must not escape it.
 */
function describeException(e: unknown): string {
  try {
    if (e instanceof Error && typeof e.stack === 'string' && e.stack !== '') return e.stack;
  } catch {
    // fall through to describe(), which never throws
  }
  return describe(e);
}
