/**
 * rx-asyncio/marbles: the testing kit. Run coroutines in virtual time on an RxJS `TestScheduler`,
 * record their timelines, compare them with marble diagrams, draw them, catch spins and
 * deadlocks, and explore the other orders of same-instant events.
 * @module rx-asyncio/marbles
 */
export { DeadlockError, InterleavingError, TimelineMismatchError } from '../src/errors.js';
export { atTimerEdges, type TimerEdgeRow, type TimerEdgesOptions } from './atTimerEdges.js';
export { CoroutineHarness } from './CoroutineHarness.js';
export {
  type ConnectionPair,
  type ConnectionPairOptions,
  connectionPair,
} from './connectionPair.js';
export { type Difference, deepEqual, firstDifference } from './deepEqual.js';
export { type ExpectTimelineOptions, expectTimeline } from './expectTimeline.js';
export {
  assertEveryOrder,
  type Check,
  type Exploration,
  type ExploreOptions,
  explore,
  type InterleavingFailure,
  type OutcomeGroup,
  replay,
  type Scenario,
} from './explore.js';
export {
  FakeExecutor,
  type FakeJob,
  type FakeOutcome,
  type FakeScript,
} from './FakeExecutor.js';
export type { MarbleOptions, RenderedMarbles } from './marbleText.js';
export { type RecordedRun, type RecordOptions, record } from './record.js';
export {
  detectDeadlock,
  runVirtual,
  type VirtualRun,
  type VirtualRunOptions,
  virtualScheduler,
} from './runVirtual.js';
export {
  type Decision,
  deviation,
  type ExploreScope,
  formatSchedule,
  parseSchedule,
  type Schedule,
} from './Schedule.js';
export { Timeline } from './Timeline.js';
export type { TimelineEvent, TimelineEventKind } from './TimelineEvent.js';
export { type TimelineSvgOptions, timelineSvg } from './timelineSvg.js';
