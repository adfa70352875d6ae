/**
 * @internal The script every pool worker runs, as source text: the same text starts a Node
 * `worker_threads` worker (`eval: true`) and a browser Web Worker (from a Blob URL), so the pool
 * needs no separate entry file for bundlers to find.
 *
 * Protocol. In: `{ id, fn, spec?, args }`; `fn` numbers the function, whose `spec` comes with its
 * first job only. Out: `{ id, ok: true, value }` or
 * `{ id, ok: false, error: { name, className, message, stack, code } }`. A result wrapped with
 * `transfer(value, list)` is posted with that transfer list.
 */
export const WORKER_SOURCE = `'use strict';
(() => {
  const wt = typeof require === 'function' ? require('node:worker_threads') : null;
  const port = wt ? wt.parentPort : self;
  const tsLoader = wt && wt.workerData ? wt.workerData.tsLoader : null;
  const TRANSFER = Symbol.for('rxio.transfer');
  // esbuild (tsx, bundlers with keepNames) wraps inner functions in __name(f, "f").
  if (typeof globalThis.__name !== 'function') globalThis.__name = (f) => f;
  const fns = new Map();
  let tsReady = null;
  const needsTs = (url) => tsLoader && /\\.[cm]?tsx?$/.test(new URL(url).pathname);
  const specs = new Map();
  async function load(id, sent) {
    let fn = fns.get(id);
    if (fn) return fn;
    if (sent !== undefined) specs.set(id, sent);
    const spec = specs.get(id);
    if (spec === undefined) throw new Error('rxio worker: unknown function id ' + id);
    if (spec.kind === 'source') {
      fn = (0, eval)('(' + spec.source + '\\n)');
    } else {
      if (needsTs(spec.url)) await (tsReady ??= import(tsLoader).then((m) => m.register()));
      const mod = await import(spec.url);
      fn = mod[spec.exportName];
      if (typeof fn !== 'function') {
        throw new TypeError('the module ' + spec.url + ' has no function export named "' +
          spec.exportName + '" (found ' + typeof fn + ')');
      }
    }
    fns.set(id, fn);
    return fn;
  }
  function wireError(e) {
    if (e !== null && typeof e === 'object' && 'message' in e) {
      const className = e.constructor && typeof e.constructor.name === 'string' ? e.constructor.name : 'Error';
      return { name: String(e.name || className), className, message: String(e.message),
        stack: typeof e.stack === 'string' ? e.stack : undefined,
        code: typeof e.code === 'string' ? e.code : undefined };
    }
    return { name: 'Error', className: 'Error', message: 'the job threw a non-Error value: ' + String(e) };
  }
  function reply(msg, transfer) {
    try {
      port.postMessage(msg, transfer);
    } catch (e) {
      const error = wireError(e);
      error.message = 'the result cannot be sent back from the worker (only structured-cloneable ' +
        'values can): ' + error.message;
      port.postMessage({ id: msg.id, ok: false, error });
    }
  }
  async function runJob(job) {
    try {
      const fn = await load(job.fn, job.spec);
      let value = await fn(...job.args);
      let transfer = [];
      if (value !== null && typeof value === 'object' && value[TRANSFER]) {
        transfer = value[TRANSFER];
        value = value.value;
      }
      reply({ id: job.id, ok: true, value }, transfer);
    } catch (e) {
      reply({ id: job.id, ok: false, error: wireError(e) });
    }
  }
  // One job at a time, even async ones: the pool counts on the first job it sent being the one
  // running.
  let chain = Promise.resolve();
  const enqueue = (job) => {
    chain = chain.then(() => runJob(job));
  };
  if (wt) port.on('message', enqueue);
  else self.addEventListener('message', (ev) => enqueue(ev.data));
})();
`;
