/**
 * Layer rules and cycle check for rx-asyncio, run by `npm run check:layers` (part of `npm test`).
 * See docs/design.md, "Layers".
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'kernel-imports-nothing-above',
      severity: 'error',
      comment:
        'The kernel (src/kernel: loop, Future, Task, the await protocol) stands alone: it may import ' +
        'only itself, src/errors.ts, src/internal/, src/schedulers/ and rxjs, types included. ' +
        'What it must call ' +
        'upward goes through a hook the upper layer installs (see docs/design.md, "Layers").',
      from: { path: '^src/kernel/' },
      to: { path: '^src/', pathNot: '^src/(kernel/|internal/|schedulers/|errors[.]ts$)' },
    },
    {
      name: 'internal-is-the-bottom',
      severity: 'error',
      comment: 'src/internal/ holds data structures and helpers with no rx-asyncio concepts.',
      from: { path: '^src/internal/' },
      to: { path: '^src/', pathNot: '^src/internal/' },
    },
    {
      name: 'schedulers-are-below-the-kernel',
      severity: 'error',
      comment: 'src/schedulers/ holds RxJS schedulers (real-time code the loop may default to).',
      from: { path: '^src/schedulers/' },
      to: { path: '^src/', pathNot: '^src/(internal|schedulers)/' },
    },
    {
      name: 'errors-import-only-the-kernel',
      severity: 'error',
      comment: 'src/errors.ts is below every layer but the kernel (whose types its errors carry).',
      from: { path: '^src/errors[.]ts$' },
      to: { path: '^src/', pathNot: '^src/(kernel/|internal/)' },
    },
    {
      name: 'toolkit-below-offload-interop-diagnostics-io',
      severity: 'error',
      comment:
        'The toolkit (tasks, timing, sync, queues, runners) uses only the kernel and the layers ' +
        'below it; offload, interop, operators, diagnostics and I/O are built on it (DESIGN.md ' +
        'section 10). Known exceptions are listed in .dependency-cruiser-known-violations.json.',
      from: { path: '^src/(tasks|timing|sync|queues|runners)/' },
      to: { path: '^src/(offload|interop|operators|diagnostics|streams|node|signals|bullmq)/' },
    },
    {
      name: 'offload-interop-below-diagnostics-io',
      severity: 'error',
      comment: 'Offload, interop and operators do not use diagnostics or the I/O layer.',
      from: { path: '^src/(offload|interop|operators)/' },
      to: { path: '^src/(diagnostics|streams|node|signals|bullmq)/' },
    },
    {
      name: 'diagnostics-below-io',
      severity: 'error',
      comment: 'Diagnostics do not use the I/O layer or the integrations.',
      from: { path: '^src/diagnostics/' },
      to: { path: '^src/(streams|node|signals|bullmq)/' },
    },
    {
      name: 'integrations-and-node-behind-their-entry-points',
      severity: 'error',
      comment:
        'src/bullmq (rx-asyncio/bullmq) and src/node (rx-asyncio/node) are reached only through ' +
        'their own entry points, so the main bundle never carries BullMQ or a node: import.',
      from: { path: '^src/', pathNot: '^src/(bullmq|node)/' },
      to: { path: '^src/(bullmq|node)/' },
    },
    {
      name: 'node-entry-point-not-from-bullmq',
      severity: 'error',
      comment: 'The BullMQ integration does not pull in rx-asyncio/node.',
      from: { path: '^src/bullmq/' },
      to: { path: '^src/node/' },
    },
    {
      name: 'src-never-imports-marbles',
      severity: 'error',
      comment: 'The testing kit is built on the library, never the other way round.',
      from: { path: '^src/' },
      to: { path: '^marbles/' },
    },
    {
      name: 'marbles-uses-the-public-surface',
      severity: 'error',
      comment:
        'marbles/ uses the public API (src/index.ts; src/errors.ts, whose classes are all public, ' +
        "some through rx-asyncio/marbles) and the kernel's declared internal surface " +
        '(src/kernel/internals.ts), nothing else of src/.',
      from: { path: '^marbles/' },
      to: { path: '^src/', pathNot: '^src/(index|errors|kernel/internals)[.]ts$' },
    },
    {
      name: 'no-runtime-cycle',
      severity: 'error',
      comment:
        'An import cycle at run time (type-only imports excluded): module initialisation order ' +
        'then depends on which module is imported first. Break it by moving the shared part down.',
      from: { path: '^(src|marbles)/' },
      to: {
        circular: true,
        dependencyTypesNot: ['type-only'],
        viaOnly: { dependencyTypesNot: ['type-only'] },
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|dist)/' },
  },
};
