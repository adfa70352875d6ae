import {
  type MapError,
  type NodeReadableLike,
  NodeReadableTransport,
  type NodeWritableLike,
  NodeWritableTransport,
} from './nodeStreamTransports.js';
import { StreamProtocol } from './StreamProtocol.js';
import type { StreamReader } from './StreamReader.js';
import type { StreamTransport } from './StreamTransport.js';
import { WebReadableTransport, WebWritableTransport } from './webStreamTransports.js';

/** What `StreamReader.from` reads: a WHATWG `ReadableStream` or a Node `Readable`. */
export type ReadableSource = ReadableStream<Uint8Array | string> | NodeReadableLike;
/** What `StreamWriter.from` writes to: a WHATWG `WritableStream` or a Node `Writable`. */
export type WritableSink = WritableStream<Uint8Array> | NodeWritableLike;

/** @internal Feeds `reader` from `source`, with read flow control; returns the protocol. */
export function attachSource(
  reader: StreamReader,
  source: ReadableSource,
  mapError?: MapError,
): StreamProtocol {
  let protocol: StreamProtocol | null = null;
  const get = () => protocol as StreamProtocol;
  let transport: StreamTransport;
  if (isWebReadable(source)) {
    const t = new WebReadableTransport(source, get);
    protocol = new StreamProtocol(t, reader);
    t.start();
    transport = t;
  } else if (isNodeReadable(source)) {
    transport = new NodeReadableTransport(source, get, mapError);
    protocol = new StreamProtocol(transport, reader);
  } else {
    throw new TypeError(
      `StreamReader.from(source): expected a ReadableStream or a Node Readable, got ${describe(source)}`,
    );
  }
  return protocol;
}

/** @internal A transport and protocol writing to `sink`, with write flow control. */
export function attachSink(sink: WritableSink, mapError?: MapError): StreamProtocol {
  let protocol: StreamProtocol | null = null;
  const get = () => protocol as StreamProtocol;
  let transport: StreamTransport;
  if (isWebWritable(sink)) transport = new WebWritableTransport(sink, get);
  else if (isNodeWritable(sink)) transport = new NodeWritableTransport(sink, get, mapError);
  else {
    throw new TypeError(
      `StreamWriter.from(sink): expected a WritableStream or a Node Writable, got ${describe(sink)}`,
    );
  }
  protocol = new StreamProtocol(transport, null);
  return protocol;
}

function isWebReadable(x: unknown): x is ReadableStream<Uint8Array | string> {
  return typeof (x as { getReader?: unknown } | null)?.getReader === 'function';
}

function isWebWritable(x: unknown): x is WritableStream<Uint8Array> {
  return typeof (x as { getWriter?: unknown } | null)?.getWriter === 'function';
}

function isNodeReadable(x: unknown): x is NodeReadableLike {
  const r = x as Partial<NodeReadableLike> | null;
  return (
    typeof r?.on === 'function' && typeof r.pause === 'function' && typeof r.resume === 'function'
  );
}

function isNodeWritable(x: unknown): x is NodeWritableLike {
  const w = x as Partial<NodeWritableLike> | null;
  return (
    typeof w?.on === 'function' && typeof w.write === 'function' && typeof w.end === 'function'
  );
}

function describe(x: unknown): string {
  return x === null
    ? 'null'
    : typeof x === 'object'
      ? (x.constructor?.name ?? 'an object')
      : typeof x;
}
