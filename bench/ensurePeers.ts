import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Installs the peers into bench/node_modules on first use (they are not rx-asyncio dependencies). */
export function ensurePeers(): void {
  if (existsSync(join(here, 'node_modules'))) return;
  const cmd = existsSync(join(here, 'package-lock.json'))
    ? 'npm ci --prefix bench --no-audit --no-fund'
    : 'npm install --prefix bench --no-audit --no-fund';
  console.log(`installing the benchmark peers: ${cmd}`);
  try {
    execSync(cmd, { cwd: join(here, '..'), stdio: 'inherit' });
  } catch (e) {
    console.warn(`could not install the peers (${String(e)}); they are skipped`);
  }
}
