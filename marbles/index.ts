/**
 * rxio/marbles: the testing kit. Run coroutines in virtual time on an RxJS `TestScheduler`.
 * @module
 */
export { runVirtual, type VirtualRun, virtualScheduler } from './runVirtual.js';
