/**
 * Removes rx-asyncio's internals from the emitted declaration files (`npm run build` runs it after
 * tsc): every class or interface member whose name starts with `_`. Those members exist for the
 * library's own modules; a user's editor should not offer them (a Task showed 19 of them in
 * completion). Members tagged `@internal` without the prefix stay: some implement a protocol the
 * types must show (a Future's `next`/`throw`/`return` make it an iterator for `yield*`).
 *
 * Why a pass over the output rather than the compiler's `stripInternal`: that flag needs an
 * `@internal` tag on each of ~250 members and silently keeps a member whose tag was forgotten;
 * the `_` prefix is already the project's rule for "not public", so the rule is applied as written.
 * TypeScript 7 has no JavaScript API, so this uses the 5.9 compiler kept for TypeDoc.
 */

import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ts = createRequire(import.meta.url)('typescript-docs');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, process.argv[2] ?? 'dist');

const isInternalName = (name) =>
  name !== undefined &&
  (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) &&
  /^#?_/.test(name.text);

/** The text ranges (with their leading comments) of the members to drop from one file. */
function internalRanges(file) {
  const ranges = [];
  const visit = (node) => {
    const member = ts.isClassElement(node) || ts.isTypeElement(node);
    if (member && isInternalName(node.name)) {
      ranges.push([node.getFullStart(), node.getEnd()]);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return ranges;
}

let files = 0;
let removed = 0;
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.d.ts')) strip(path);
  }
};
function strip(path) {
  const text = readFileSync(path, 'utf8');
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
  const ranges = internalRanges(file);
  if (ranges.length === 0) return;
  let out = text;
  for (const [start, end] of ranges.reverse()) out = out.slice(0, start) + out.slice(end);
  writeFileSync(path, out);
  files++;
  removed += ranges.length;
}
walk(dist);
console.log(
  `strip-internal-dts: removed ${removed} internal members from ${files} declaration files`,
);
