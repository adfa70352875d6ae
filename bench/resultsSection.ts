/**
 * bench/RESULTS.md is written by several benchmark scripts (`npm run bench`, the size, streams,
 * browser and fleet benchmarks). Each owns one section between `<!-- section:NAME -->` and
 * `<!-- /section:NAME -->` markers and rewrites only that, so one script's run never erases
 * another's numbers. A section that is not there yet is appended at the end.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The default results file: bench/RESULTS.md. */
export const RESULTS_PATH = join(dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');

/** Replaces (or appends) section `name` of `path` with `markdown`; the rest of the file is kept. */
export function writeResultsSection(name: string, markdown: string, path = RESULTS_PATH): void {
  if (!/^[\w-]+$/.test(name)) throw new RangeError(`writeResultsSection: bad section name ${name}`);
  const open = `<!-- section:${name} -->`;
  const close = `<!-- /section:${name} -->`;
  const block = `${open}\n${markdown.trim()}\n${close}`;
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  const next =
    start >= 0 && end > start
      ? text.slice(0, start) + block + text.slice(end + close.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
}

/** Section `name` of `path` without its markers, or `undefined` when there is none. */
export function readResultsSection(name: string, path = RESULTS_PATH): string | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  const open = `<!-- section:${name} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(`<!-- /section:${name} -->`);
  return start >= 0 && end > start ? text.slice(start + open.length, end).trim() : undefined;
}
