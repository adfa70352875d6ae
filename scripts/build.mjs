/**
 * `npm run build`: a clean dist/ from tsc (tsconfig.build.json), then the internals stripped from
 * its declaration files (scripts/strip-internal-dts.mjs). A clean start, so a module deleted from
 * src/ never lingers in a published tarball.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
execFileSync(process.execPath, [join(root, 'scripts', 'strip-internal-dts.mjs')], {
  stdio: 'inherit',
});
