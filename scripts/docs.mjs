/**
 * Builds the API reference (`npm run docs` → docs/api) with TypeDoc.
 *
 * Why this wrapper: the project compiles with TypeScript 7 (the native compiler), which has no
 * JavaScript compiler API, and TypeDoc needs one. package.json pins an older compiler for docs
 * only (`typescript-docs`, an npm alias of typescript 5.9) and this script runs TypeDoc with every
 * import of `typescript` resolved to that alias. Extra arguments are passed on to TypeDoc.
 */
import { createRequire, register } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const hook = `
export async function resolve(specifier, context, next) {
  if (specifier === 'typescript') return next('typescript-docs', context);
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`, import.meta.url);

const ts = (await import('typescript')).default;
if (!/^5\./.test(ts.version)) {
  console.error(`docs: expected the typescript-docs alias (5.x), got typescript ${ts.version}`);
  process.exit(1);
}
// TypeDoc's CLI module is not in its package exports: import it by path.
const typedocDir = dirname(createRequire(import.meta.url).resolve('typedoc/package.json'));
await import(pathToFileURL(join(typedocDir, 'dist', 'cli.js')).href);
