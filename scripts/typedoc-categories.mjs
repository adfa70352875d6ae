/**
 * TypeDoc plugin (typedoc.json "plugin"): puts every export of the reference under a category
 * named after the folder that defines it (src/sync -> Synchronization, marbles/ -> Testing...).
 *
 * Why a plugin rather than an `@category` tag on each export: the folders already are the
 * architecture (one concept per folder), so deriving the category keeps ~300 doc comments free of
 * a tag that would drift; an explicit `@category` tag on an export still wins.
 */
import { Comment, CommentTag, Converter, ReflectionKind } from 'typedoc';

/** Folder (or file) prefixes under the repo root, most specific first. */
const CATEGORIES = [
  [/^src\/errors\.ts$/, 'Errors'],
  [/Context(Var)?\.ts$|\/context\//i, 'Context variables'],
  [/^src\/(kernel|tasks|runners)\//, 'Tasks'],
  [/^src\/timing\//, 'Timing'],
  [/^src\/sync\//, 'Synchronization'],
  [/^src\/queues\//, 'Queues'],
  [/^src\/(offload|bullmq)\//, 'Offload'],
  [/^src\/(interop|operators)\//, 'RxJS interop'],
  [/^src\/diagnostics\//, 'Diagnostics'],
  [/^src\/(streams|subprocess|signals|node)\//, 'Streams and subprocesses'],
  [/^marbles\//, 'Testing'],
];

/** @param {import('typedoc').Application} app */
export function load(app) {
  const files = new Map();
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.parent?.kindOf(ReflectionKind.Module | ReflectionKind.Project)) return;
    const decl = context.getSymbolFromReflection(reflection)?.declarations?.[0];
    if (decl) files.set(reflection, decl.getSourceFile().fileName);
  });
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, () => {
    const root = `${process.cwd().replaceAll('\\', '/')}/`;
    for (const [reflection, file] of files) {
      const rel = file.replaceAll('\\', '/').replace(root, '');
      const category = CATEGORIES.find(([re]) => re.test(rel))?.[1];
      if (!category) continue;
      reflection.comment ??= new Comment();
      if (reflection.comment.blockTags.some((t) => t.tag === '@category')) continue;
      reflection.comment.blockTags.push(
        new CommentTag('@category', [{ kind: 'text', text: category }]),
      );
    }
    files.clear();
  });
}
