// The committed minified corpus (read by the Chromium run) is what esbuild and terser write today.
import { MINIFIED } from './fixtures/minifiedCorpus.js';
import { minifyCorpus } from './fixtures/minifyCorpus.js';
import { CORPUS } from './fixtures/selfContainedCorpus.js';

describe('the minified corpus', () => {
  it('matches a fresh esbuild --minify and terser run (else: node --import tsx spec/offload/fixtures/minifyCorpus.ts)', async () => {
    const fresh = await minifyCorpus(CORPUS.map((e) => e.name));
    expect(MINIFIED).toEqual(fresh);
  });
});
