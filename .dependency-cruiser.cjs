/**
 * Layer rules and cycle check for rx-asyncio, run by `npm run check:layers` (part of `npm test`).
 * See docs/design.md, "Layers".
 */
/** A rule: imports from `from` to `to` fail `npm test`, with `comment` as the reason. */
const forbid = (name, comment, from, to) => ({ name, severity: 'error', comment, from, to });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    forbid(
      'kernel-imports-nothing-above',
      'The kernel (src/kernel: loop, Future, Task, the await protocol) stands alone: it may import ' +
        'only itself, src/errors.ts, src/internal/, src/schedulers/ and rxjs, types included. ' +
        'What it must call ' +
        'upward goes through a hook the upper layer installs (see docs/design.md, "Layers").',
      { path: '^src/kernel/' },
      { path: '^src/', pathNot: '^src/(kernel/|internal/|schedulers/|errors[.]ts$)' },
    ),
    forbid(
      'internal-is-the-bottom',
      'src/internal/ holds data structures and helpers with no rx-asyncio concepts.',
      { path: '^src/internal/' },
      { path: '^src/', pathNot: '^src/internal/' },
    ),
    forbid(
      'schedulers-are-below-the-kernel',
      'src/schedulers/ holds RxJS schedulers (real-time code the loop may default to).',
      { path: '^src/schedulers/' },
      { path: '^src/', pathNot: '^src/(internal|schedulers)/' },
    ),
    forbid(
      'errors-import-only-the-kernel',
      'src/errors.ts is below every layer but the kernel (whose types its errors carry).',
      { path: '^src/errors[.]ts$' },
      { path: '^src/', pathNot: '^src/(kernel/|internal/)' },
    ),
    forbid(
      'toolkit-below-offload-interop-diagnostics-io',
      'The toolkit (tasks, timing, sync, queues, runners) uses only the kernel and the layers ' +
        'below it; offload, interop, operators, diagnostics and I/O are built on it (DESIGN.md ' +
        'section 10). Known exceptions are listed in .dependency-cruiser-known-violations.json.',
      { path: '^src/(tasks|timing|sync|queues|runners)/' },
      { path: '^src/(offload|interop|operators|diagnostics|streams|node|signals|bullmq)/' },
    ),
    forbid(
      'offload-interop-below-diagnostics-io',
      'Offload, interop and operators do not use diagnostics or the I/O layer.',
      { path: '^src/(offload|interop|operators)/' },
      { path: '^src/(diagnostics|streams|node|signals|bullmq)/' },
    ),
    forbid(
      'diagnostics-below-io',
      'Diagnostics do not use the I/O layer or the integrations.',
      { path: '^src/diagnostics/' },
      { path: '^src/(streams|node|signals|bullmq)/' },
    ),
    forbid(
      'integrations-and-node-behind-their-entry-points',
      'src/bullmq (rx-asyncio/bullmq) and src/node (rx-asyncio/node) are reached only through ' +
        'their own entry points, so the main bundle never carries BullMQ or a node: import.',
      { path: '^src/', pathNot: '^src/(bullmq|node)/' },
      { path: '^src/(bullmq|node)/' },
    ),
    forbid(
      'node-entry-point-not-from-bullmq',
      'The BullMQ integration does not pull in rx-asyncio/node.',
      { path: '^src/bullmq/' },
      { path: '^src/node/' },
    ),
    forbid(
      'src-never-imports-marbles',
      'The testing kit is built on the library, never the other way round.',
      { path: '^src/' },
      { path: '^marbles/' },
    ),
    forbid(
      'marbles-uses-the-public-surface',
      'marbles/ uses the public API (src/index.ts; src/errors.ts, whose classes are all public, ' +
        "some through rx-asyncio/marbles) and the kernel's declared internal surface " +
        '(src/kernel/internals.ts), nothing else of src/.',
      { path: '^marbles/' },
      { path: '^src/', pathNot: '^src/(index|errors|kernel/internals)[.]ts$' },
    ),
    forbid(
      'no-runtime-cycle',
      'An import cycle at run time (type-only imports excluded): module initialisation order ' +
        'then depends on which module is imported first. Break it by moving the shared part down.',
      { path: '^(src|marbles)/' },
      {
        circular: true,
        dependencyTypesNot: ['type-only'],
        viaOnly: { dependencyTypesNot: ['type-only'] },
      },
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|dist)/' },
  },
};
