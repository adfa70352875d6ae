/**
 * `rx-asyncio/bullmq`: offloaded work past one machine. {@link BullMQExecutor} is an `Executor`
 * whose jobs run on worker processes anywhere, through a BullMQ queue on Redis;
 * {@link startBullMQWorker} (or the `rx-asyncio-worker` command) runs those workers. Needs the
 * optional peer dependencies `bullmq` and `ioredis`; the core `rx-asyncio` entry never loads them.
 *
 * @module
 */

export { JobRefusedError } from '../errors.js';
export { BullMQExecutor, type BullMQExecutorOptions, FleetJobFuture } from './BullMQExecutor.js';
export { jsonSerializer, type Serializer } from './Serializer.js';
export {
  type BullMQWorkerHandle,
  type BullMQWorkerOptions,
  type FleetJobContext,
  startBullMQWorker,
} from './startBullMQWorker.js';
