/**
 * The events a `Timeline` records: a task's lifecycle edges and its outputs.
 *
 * @module
 */
/** What happened to a task (lifecycle) or what it produced (output). */
export type TimelineEventKind =
  | 'start'
  | 'suspend'
  | 'resume'
  | 'cancel'
  | 'print'
  | 'emit'
  | 'return'
  | 'raise'
  | 'cancelled';

/** One recorded event. `seq` orders events that share a `time`. */
export interface TimelineEvent {
  readonly time: number;
  readonly seq: number;
  /** The lane: the task's name (unnamed tasks are `Task-1`, `Task-2`... in creation order). */
  readonly task: string;
  readonly kind: TimelineEventKind;
  /** Printed text, emitted value, return value, raised error, or what a suspension awaits. */
  readonly value?: unknown;
}

/** The kinds that make up a lane's marble diagram: outputs and endings. */
export const OUTPUT_KINDS: readonly TimelineEventKind[] = [
  'print',
  'emit',
  'return',
  'raise',
  'cancelled',
];
