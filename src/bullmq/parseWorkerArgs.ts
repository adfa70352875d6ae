import { pathToFileURL } from 'node:url';
import type { BullMQWorkerOptions } from './startBullMQWorker.js';

const USAGE =
  'usage: rx-asyncio-worker --queue NAME --module NAME=PATH_OR_URL [--module ...] ' +
  '[--redis redis://[user:password@]host:port[/db]] [--concurrency N] [--prefix P] ' +
  '[--lock-duration MS] [--stalled-interval MS] [--max-stalled-count N]';

/**
 * @internal The options `rx-asyncio-worker`'s command line asks for. The Redis password may come
 * from the `REDIS_PASSWORD` environment variable instead of the URL (which `ps` shows).
 */
export function parseWorkerArgs(
  argv: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): BullMQWorkerOptions {
  const modules: Record<string, string> = {};
  let queueName: string | undefined;
  let redis = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const numbers: Record<string, number> = {};
  let prefix: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--'))
      throw new Error(`${flag} needs a value; ${USAGE}`);
    i++;
    switch (flag) {
      case '--queue':
        queueName = value;
        break;
      case '--redis':
        redis = value;
        break;
      case '--prefix':
        prefix = value;
        break;
      case '--module': {
        const eq = value.indexOf('=');
        if (eq <= 0) throw new Error(`--module expects NAME=PATH_OR_URL, got ${value}; ${USAGE}`);
        const target = value.slice(eq + 1);
        modules[value.slice(0, eq)] = /^[a-z][a-z0-9+.-]*:/i.test(target)
          ? target
          : pathToFileURL(`${cwd}/${target}`).href;
        break;
      }
      case '--concurrency':
      case '--lock-duration':
      case '--stalled-interval':
      case '--max-stalled-count': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0)
          throw new Error(`${flag} expects a whole number, got ${value}`);
        numbers[flag] = n;
        break;
      }
      default:
        throw new Error(`unknown option ${flag}; ${USAGE}`);
    }
  }
  if (queueName === undefined) throw new Error(`--queue is required; ${USAGE}`);
  if (Object.keys(modules).length === 0)
    throw new Error(`at least one --module is required; ${USAGE}`);
  return {
    connection: redisConnection(redis, env.REDIS_PASSWORD),
    queueName,
    modules,
    ...(prefix !== undefined ? { prefix } : {}),
    ...(numbers['--concurrency'] !== undefined ? { concurrency: numbers['--concurrency'] } : {}),
    ...(numbers['--lock-duration'] !== undefined
      ? { lockDuration: numbers['--lock-duration'] }
      : {}),
    ...(numbers['--stalled-interval'] !== undefined
      ? { stalledInterval: numbers['--stalled-interval'] }
      : {}),
    ...(numbers['--max-stalled-count'] !== undefined
      ? { maxStalledCount: numbers['--max-stalled-count'] }
      : {}),
  };
}

/** ioredis options from a `redis://` or `rediss://` (TLS) URL. */
function redisConnection(
  text: string,
  password: string | undefined,
): BullMQWorkerOptions['connection'] {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--redis expects a URL such as redis://127.0.0.1:6379, got ${text}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new Error(`--redis expects a redis:// or rediss:// URL, got ${text}`);
  }
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? 6379 : Number(url.port),
    ...(url.username !== '' ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password !== '' || password !== undefined
      ? { password: url.password !== '' ? decodeURIComponent(url.password) : password }
      : {}),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}
