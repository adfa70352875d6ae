import type { Attempt } from './fixtures/cspPage.js';

/**
 * Offload on a page whose Content-Security-Policy is `worker-src 'self'` with no `blob:` and no
 * `'unsafe-eval'` (issue 15): karma.conf.js serves /csp/page.html (spec/offload/fixtures/cspPage.ts)
 * and the worker entry /csp/worker.js under that policy; the page runs in an iframe and posts
 * back what each attempt gave.
 */
function cspPage(): Promise<Record<string, Attempt>> {
  const iframe = document.createElement('iframe');
  const results = new Promise<Record<string, Attempt>>((resolve) => {
    const onMessage = (e: MessageEvent): void => {
      const data = e.data as { cspResults?: Record<string, Attempt> } | null;
      if (e.source !== iframe.contentWindow || !data?.cspResults) return;
      removeEventListener('message', onMessage);
      resolve(data.cspResults);
    };
    addEventListener('message', onMessage);
  });
  iframe.src = '/csp/page.html';
  document.body.appendChild(iframe);
  return results.finally(() => iframe.remove());
}

describe('offload under a Content-Security-Policy without blob: and unsafe-eval (issue 15)', () => {
  let results: Record<string, Attempt>;

  beforeAll(async () => {
    results = await cspPage();
  }, 30_000);

  it('runs module functions on workers started from the served worker entry', () => {
    expect(results.page).toBeUndefined();
    expect(results.moduleFunction).toEqual({ ok: true, value: 42 });
    expect(results.defaultPool).toEqual({ ok: true, value: 8 });
  });

  it('says that the policy refused the default blob: worker, and what to do', () => {
    const blob = results.blob as Attempt;
    expect(blob.ok).toBe(false);
    if (blob.ok) return;
    expect(blob.name).toBe('WorkerCrashedError');
    expect(blob.message).toContain("the page's Content-Security-Policy (worker-src) refused it");
    expect(blob.message).toMatch(/rx-asyncio\/worker.*WorkerPool\(\{ workerUrl \}\).*setWorkerUrl/);
  });

  it('says that a function passed by value needs eval, and that workerFunction works', () => {
    const source = results.source as Attempt;
    expect(source.ok).toBe(false);
    if (source.ok) return;
    expect(source.name).toBe('EvalError');
    expect(source.message).toMatch(/Content Security Policy/i);
    expect(source.message).toContain("without 'unsafe-eval' only module functions run on a worker");
    expect(source.message).toContain('workerFunction(url, name)');
  });
});
