/**
 * @internal The script every pool worker runs, as source text: the same text starts a Node
 * `worker_threads` worker (`eval: true`) and a browser Web Worker (from a Blob URL), so the pool
 * needs no separate entry file for bundlers to find.
 *
 * Protocol. In: `{ jobs, specs?, forget?, claims? }`, a batch: `jobs` is flat, five entries a job
 * (`id, fn, args, cell, ticket`); `fn` numbers the function, whose spec comes once, in `specs`
 * (flat `fn, spec` pairs, known from that message's jobs on); `forget` lists function ids to drop
 * after that message's jobs (the pool keeps a bounded set per worker, WorkerSlot); `claims` (first message only) is the worker's claim board
 * (claimBoard.ts): a job with a `cell` >= 0 runs only if the worker claims its ticket. Out:
 * `{ done }`, flat `id, ok, value` triples in the order the jobs were sent (a job taken back by
 * the pool is skipped), where a failure's value is `{ name, className, message, stack, code }`;
 * `{ stray, detail, job, exact, previous? }` for an error no job awaits, or a `process.exit()`
 * (strayError.ts); and, from `input()` (input.ts), `{ rxio: 'stdin', prompt, port }`. Results wrapped with `transfer(value, list)` are
 * posted with those transfer lists.
 */
export const WORKER_SOURCE = `'use strict';
(() => {
  // Node's modules: require() when evaluated (eval: true), process.getBuiltinModule when started
  // from the worker entry file (an ES module, rx-asyncio/worker).
  const builtin = typeof require === 'function' ? require
    : typeof process === 'object' && typeof process.getBuiltinModule === 'function'
      ? (name) => process.getBuiltinModule(name) : null;
  const wt = builtin ? builtin('node:worker_threads') : null;
  // The worker entry imported outside a worker (by mistake, or a bundler's check): do nothing.
  if (wt ? wt.isMainThread : typeof WorkerGlobalScope === 'undefined') return;
  const port = wt ? wt.parentPort : self;
  const tsLoader = wt && wt.workerData ? wt.workerData.tsLoader : null;
  const TRANSFER = Symbol.for('rx-asyncio.transfer');
  // esbuild (tsx, bundlers with keepNames) wraps inner functions in __name(f, "f").
  if (typeof globalThis.__name !== 'function') globalThis.__name = (f) => f;
  const fns = new Map();
  let tsReady = null;
  const needsTs = (url) => tsLoader && /\\.[cm]?tsx?$/.test(new URL(url).pathname);
  const specs = new Map();
  async function load(id) {
    let fn = fns.get(id);
    if (fn) return fn;
    const spec = specs.get(id);
    if (spec === undefined) throw new Error('rx-asyncio worker: unknown function id ' + id);
    if (spec.kind === 'source') {
      try {
        fn = (0, eval)('(' + spec.source + '\\n)');
      } catch (e) {
        if (!(e instanceof EvalError)) throw e;
        throw new EvalError('this worker may not evaluate source text, and a function passed by ' +
          'value travels as source: ' + e.message + ' Under a Content-Security-Policy without ' +
          "'unsafe-eval' only module functions run on a worker: workerFunction(url, name)");
      }
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
  // Why total: a thrown null-prototype object, a Proxy or an object whose message, name or
  // toString throws made this throw, which crashed and restarted the worker (issue 14, item 12).
  function wireError(e) {
    try {
      if (e !== null && typeof e === 'object' && 'message' in e) {
        const className = e.constructor && typeof e.constructor.name === 'string' ? e.constructor.name : 'Error';
        return { name: String(e.name || className), className, message: String(e.message),
          stack: typeof e.stack === 'string' ? e.stack : undefined,
          code: typeof e.code === 'string' ? e.code : undefined };
      }
      return { name: 'Error', className: 'Error', message: 'the job threw a non-Error value: ' + String(e) };
    } catch {
      return { name: 'Error', className: 'Error',
        message: 'the job threw a value that cannot be described (reading its message, name or ' +
          'string form threw): ' + safeTag(e) + '; throw an Error instead' };
    }
  }
  function safeTag(e) {
    try {
      return Object.prototype.toString.call(e);
    } catch {
      return 'an unreadable ' + typeof e;
    }
  }
  // Replies wait in out (id, ok, value triples) and leave together: one message for a run of
  // quick jobs. A reply is held only while the next job is of a function that returned within
  // QUICK_MS on each of its last STREAK calls (bulk tiny jobs): a result must not wait behind a
  // job that may be long. So replies leave before a job of any other function, before any await,
  // and once the oldest is FLUSH_MS old; input()'s stdin request (input.ts) must not overtake
  // them either. The price, documented on WorkerPool: a quick function's
  // result can wait for one unexpectedly slow call of it that follows on the same worker.
  const QUICK_MS = 0.2;
  const STREAK = 16;
  const FLUSH_MS = 1;
  const now = typeof performance === 'object' ? () => performance.now() : () => Date.now();
  const streaks = new Map(); // function id -> consecutive quick calls
  let out = [];
  let outLists = null; // [index in out, transfer list] pairs, for results wrapped by transfer()
  let outSince = 0;
  function post(msg, transfer, id) {
    try {
      port.postMessage(msg, transfer);
      return true;
    } catch (e) {
      if (id === undefined) return false;
      const error = wireError(e);
      error.message = 'the result cannot be sent back from the worker (only structured-cloneable ' +
        'values can): ' + error.message;
      port.postMessage({ done: [id, false, error] });
      return true;
    }
  }
  function flush() {
    if (out.length === 0) return;
    const done = out;
    const lists = outLists;
    out = [];
    outLists = null;
    const transfer = [];
    if (lists !== null) for (let i = 1; i < lists.length; i += 2) transfer.push(...lists[i]);
    if (post({ done }, transfer)) return;
    // Something in the batch cannot be cloned: send one by one, so only its job fails.
    for (let i = 0; i < done.length; i += 3) {
      const k = lists === null ? -1 : lists.indexOf(i);
      post({ done: [done[i], done[i + 1], done[i + 2]] }, k >= 0 ? lists[k + 1] : [], done[i]);
    }
  }
  function finish(board, cell, ticket, id, ok, value) {
    if (board !== null && cell >= 0) Atomics.store(board, cell, ticket + 2);
    if (ok && value !== null && typeof value === 'object' && value[TRANSFER]) {
      (outLists ??= []).push(out.length, value[TRANSFER]);
      value = value.value;
    }
    if (out.length === 0) outSince = now();
    out.push(id, ok, value);
  }
  // Errors a job leaves behind (issue 14, item 7): thrown by a timer or callback after the job
  // returned, or a rejection nobody handled. The worker reports them ({ stray }) and runs on; a
  // process.exit() is reported the same way before the worker dies. Each is blamed on the job
  // whose code left it: in Node exactly (each job runs in an AsyncLocalStorage context; on Node
  // 20 and 22 that costs about 100 ns per Promise the worker's code creates), in browsers on the
  // job that started last, with the one before it (the host cannot say more).
  const als = wt ? new (builtin('node:async_hooks').AsyncLocalStorage)() : null;
  let lastTag = null;
  let prevTag = null;
  const named = (tag) => tag === null ? null : { id: tag.id, kind: tag.spec.kind,
    name: tag.spec.name, url: tag.spec.url, exportName: tag.spec.exportName };
  function stray(kind, detail) {
    flush();
    if (als !== null) post({ stray: kind, detail, job: named(als.getStore() ?? null), exact: true });
    else post({ stray: kind, detail, job: named(lastTag), previous: named(prevTag), exact: false });
  }
  let board = null;
  const inbox = [];
  let next = 0;
  let busy = false;
  // One job at a time, even async ones, in the order sent: the pool counts on it.
  async function drain() {
    busy = true;
    while (next < inbox.length) {
      const m = inbox[next];
      inbox[next++] = undefined;
      // A message's specs apply from its own jobs on; its forget list after them (WorkerSlot).
      const specsSent = m.specs;
      if (specsSent) for (let i = 0; i < specsSent.length; i += 2) specs.set(specsSent[i], specsSent[i + 1]);
      const jobs = m.jobs;
      for (let i = 0; i < jobs.length; i += 5) {
        const id = jobs[i], fnId = jobs[i + 1], args = jobs[i + 2], cell = jobs[i + 3], ticket = jobs[i + 4];
        let fn = fns.get(fnId);
        if (fn === undefined || !(streaks.get(fnId) >= STREAK) || now() - outSince > FLUSH_MS) {
          flush();
        }
        let t0 = now(); // after the flush: a job's speed is its own
        const b = board;
        const tag = { id, spec: specs.get(fnId) };
        prevTag = lastTag;
        lastTag = tag;
        if (fn === undefined) {
          try {
            fn = await (als !== null ? als.run(tag, load, fnId) : load(fnId));
            t0 = now();
          } catch (e) {
            // A cancelled job does not report its load failure: the pool took it back.
            if (b === null || cell < 0 || Atomics.compareExchange(b, cell, ticket, ticket + 1) === ticket) {
              finish(b, cell, ticket, id, false, wireError(e));
            }
            continue;
          }
        }
        if (b !== null && cell >= 0 && Atomics.compareExchange(b, cell, ticket, ticket + 1) !== ticket) {
          continue; // taken back by the pool: it never runs
        }
        let value;
        try {
          value = als !== null ? als.run(tag, fn, ...args) : fn(...args);
          if (value !== null && (typeof value === 'object' || typeof value === 'function') &&
              typeof value.then === 'function') {
            flush();
            value = await value;
          }
        } catch (e) {
          finish(b, cell, ticket, id, false, wireError(e));
          continue;
        }
        streaks.set(fnId, now() - t0 < QUICK_MS ? (streaks.get(fnId) ?? 0) + 1 : 0);
        finish(b, cell, ticket, id, true, value);
      }
      const forget = m.forget;
      if (forget) {
        for (const fnId of forget) {
          specs.delete(fnId);
          fns.delete(fnId);
          streaks.delete(fnId);
        }
      }
    }
    inbox.length = 0;
    next = 0;
    flush();
    busy = false;
  }
  function receive(m) {
    if (m.claims) board = new Int32Array(m.claims);
    inbox.push(m);
    if (!busy) void drain();
  }
  if (wt) {
    process.on('uncaughtException', (e) => stray('exception', wireError(e)));
    process.on('unhandledRejection', (e) => stray('rejection', wireError(e)));
    // A job that ends the worker (process.exit) still lets the replies before it out, and says
    // who ended it.
    process.on('exit', (code) => stray('exit', code));
    port.on('message', receive);
  } else {
    self.addEventListener('error', (ev) => {
      ev.preventDefault();
      stray('exception', wireError(ev.error ?? new Error(ev.message)));
    });
    self.addEventListener('unhandledrejection', (ev) => {
      ev.preventDefault();
      stray('rejection', wireError(ev.reason));
    });
    self.addEventListener('message', (ev) => receive(ev.data));
  }
})();
`;
