/**
 * A cheap scan for the free identifiers of a function's source: names it uses but neither
 * declares nor finds among the globals. It is a tokenizer with a few rules, not a parser, and it
 * errs on one side only: it ignores scopes (a name declared anywhere counts as declared
 * everywhere) and reads every place that may declare a name as a declaration, so it never flags
 * a self-contained function, minified or not (spec/offload/freeIdentifiers.corpus.spec.ts), and
 * may miss a closure whose name is also declared somewhere inside. The worker then reports the
 * `ReferenceError`, which the pool translates into the same advice (see closureAdvice). Why not a
 * parser: it runs on the first `toThread(fn)` of each function, in browsers too, and a real
 * JavaScript parser would weigh more than the whole offload layer.
 *
 * @module
 */

interface Token {
  readonly text: string;
  readonly id: boolean;
}

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else export extends false ' +
    'finally for function if import in instanceof let new null of return super switch this throw ' +
    'true try typeof var void while with yield async await static get set undefined NaN ' +
    'Infinity arguments target meta as from'
  ).split(' '),
);

// After one of these, a `/` starts a regular expression rather than a division.
const REGEX_AFTER = new Set(
  '( , = : [ ! & | ? { } ; + - * % < > ~ ^ => return typeof case do else in of new delete void throw'.split(
    ' ',
  ),
);

const DECLARES = new Set(['function', 'class', 'const', 'let', 'var']);
const VARIABLES = new Set(['const', 'let', 'var']);
// A `(` after one of these opens a statement head: a `/` after its `)` starts a regex.
const CONTROL_HEADS = new Set(['if', 'while', 'for', 'with']);
// Before a label (`name:`): where a statement may start.
const STATEMENT_START = new Set([';', '{', '}', ')', ':', 'else', 'do']);

/** The free identifiers of `source` that are not globals here (sorted, unique). */
export function freeIdentifiers(source: string, isGlobal: (name: string) => boolean): string[] {
  const tokens = tokenize(source);
  const match = matchBrackets(tokens);
  const declared = new Set<string>();
  const used = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.id) {
      if (VARIABLES.has(tok.text)) declareList(tokens, match, i + 1, declared);
      classify(tokens, match, i, declared, used);
      continue;
    }
    const close = match[i];
    if (close === undefined) continue;
    if (isBindingGroup(tokens, match, i, close)) declarePattern(tokens, match, i, close, declared);
  }
  return [...used].filter((n) => !declared.has(n) && !RESERVED.has(n) && !isGlobal(n)).sort();
}

function classify(
  tokens: Token[],
  match: Array<number | undefined>,
  i: number,
  declared: Set<string>,
  used: Set<string>,
): void {
  const name = tokens[i]!.text;
  const prev = tokens[i - 1]?.text;
  const next = tokens[i + 1]?.text;
  if (prev === '.' || prev === '?.' || prev === '#') return; // a property or a private name
  if (next === ':' && (prev === '{' || prev === ',')) return; // an object key
  if (prev === 'break' || prev === 'continue') return; // a label
  if (next === ':' && (prev === undefined || STATEMENT_START.has(prev))) return; // a label
  // A class field (`{ x = 1;`); also skips a plain `x = 1` statement: a scan, not a parser.
  if (next === '=' && (prev === '{' || prev === ';' || prev === '}' || prev === 'static')) return;
  if (next === '=>' || (prev !== undefined && DECLARES.has(prev))) {
    declared.add(name);
    return;
  }
  if (prev === '*' && tokens[i - 2]?.text === 'function') {
    declared.add(name);
    return;
  }
  if (next === '(' && isMethodHead(tokens, match, i)) return; // a method's name
  used.add(name);
}

/** `name(...) {` after `{ , ; }` or a modifier: a method definition, not a call. */
function isMethodHead(tokens: Token[], match: Array<number | undefined>, i: number): boolean {
  const close = match[i + 1];
  if (close === undefined || tokens[close + 1]?.text !== '{') return false;
  const prev = tokens[i - 1]?.text;
  return prev === undefined || /^[{,;}*]$|^(get|set|static|async)$/.test(prev);
}

/** Parameter lists and destructuring patterns: every identifier inside is a binding. */
function isBindingGroup(
  tokens: Token[],
  match: Array<number | undefined>,
  open: number,
  close: number,
): boolean {
  const text = tokens[open]!.text;
  const before = tokens[open - 1];
  const after = tokens[close + 1]?.text;
  if (text === '(') {
    if (after === '=>') return true;
    if (before?.text === 'catch') return true;
    if (before?.text === 'function' || before?.text === '*') return true;
    if (before?.id && tokens[open - 2]?.text === 'function') return true;
    if (before?.id && after === '{' && isMethodHead(tokens, match, open - 1)) return true;
    return false;
  }
  return (text === '{' || text === '[') && before !== undefined && DECLARES.has(before.text);
}

/**
 * The declarator list after `let`/`const`/`var` from `i`: each declarator's name or pattern is
 * declared; initializers are skipped (their names are uses, classified by the main loop). Ends at
 * a `;`, a closing bracket, `of`/`in`, or anything but a `,` after an initializer (a statement
 * without a semicolon); misreading where it ends only declares more, never less.
 */
function declareList(
  tokens: Token[],
  match: Array<number | undefined>,
  i: number,
  declared: Set<string>,
): void {
  while (i < tokens.length) {
    const t = tokens[i]!;
    const close = match[i];
    if (t.id) {
      declared.add(t.text);
      i++;
    } else if (close !== undefined && (t.text === '{' || t.text === '[')) {
      declarePattern(tokens, match, i, close, declared);
      i = close + 1;
    } else {
      return;
    }
    if (tokens[i]?.text === '=') i = skipExpression(tokens, match, i + 1, tokens.length);
    if (tokens[i]?.text !== ',') return;
    i++;
  }
}

/**
 * A binding pattern (parameter list, `{...}` or `[...]`) from `open` to `close`: its names are
 * declared; default values and computed keys are expressions (their names are uses, classified
 * by the main loop), and the key of `key: binding` is not a name at all.
 */
function declarePattern(
  tokens: Token[],
  match: Array<number | undefined>,
  open: number,
  close: number,
  declared: Set<string>,
): void {
  const isObject = tokens[open]!.text === '{';
  let atElement = true; // at the start of an element: `[` there is a computed key in an object
  for (let j = open + 1; j < close; ) {
    const t = tokens[j]!;
    const end = match[j];
    if (t.text === '=') {
      j = skipExpression(tokens, match, j + 1, close);
      continue;
    }
    if (t.text === ',') {
      atElement = true;
      j++;
      continue;
    }
    if (end !== undefined && t.text === '[' && isObject && atElement) {
      j = end + 1; // a computed key: an expression
      atElement = false;
      continue;
    }
    if (end !== undefined && (t.text === '{' || t.text === '[')) {
      declarePattern(tokens, match, j, end, declared);
      j = end + 1;
      atElement = false;
      continue;
    }
    if (end !== undefined) {
      j = end + 1; // anything else in brackets is an expression
      continue;
    }
    if (t.id && tokens[j + 1]?.text !== ':') declared.add(t.text);
    atElement = false;
    j++;
  }
}

/** From `i`, past one expression: to the next `,` or `;` at this depth, or `end`. */
function skipExpression(
  tokens: Token[],
  match: Array<number | undefined>,
  i: number,
  end: number,
): number {
  while (i < end) {
    const t = tokens[i]!.text;
    if (t === ',' || t === ';' || t === ')' || t === ']' || t === '}') return i;
    const close = match[i];
    i = close === undefined ? i + 1 : close + 1;
  }
  return end;
}

function matchBrackets(tokens: Token[]): Array<number | undefined> {
  const match: Array<number | undefined> = [];
  const stack: number[] = [];
  tokens.forEach((t, i) => {
    if (t.id) return;
    if (t.text === '(' || t.text === '[' || t.text === '{') stack.push(i);
    else if (t.text === ')' || t.text === ']' || t.text === '}') {
      const open = stack.pop();
      if (open !== undefined) match[open] = i;
    }
  });
  return match;
}

/** Splits source into identifiers and punctuation; drops comments, strings, numbers, regexes. */
function tokenize(src: string): Token[] {
  const out: Token[] = [];
  // Template literals nest: each entry is the brace depth at which a `${` expression closes.
  const templates: number[] = [];
  // For each open `(`: does it start a statement head (`if (`, `while (`...)? After the `)` that
  // closes one, a `/` starts a regex (`if (x) /re/.test(s)`); after any other `)`, a division.
  const parens: boolean[] = [];
  let headClosed = false;
  let depth = 0;
  let i = 0;
  const push = (text: string, id: boolean): void => {
    out.push({ text, id });
  };
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '/' && src[i + 1] === '/') {
      i = src.indexOf('\n', i);
      if (i < 0) i = src.length;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? src.length : end + 2;
    } else if (c === '"' || c === "'") {
      i = skipQuoted(src, i, c);
      push('""', false);
    } else if (c === '`' || (c === '}' && templates.at(-1) === depth)) {
      if (c === '}') templates.pop();
      const r = skipTemplate(src, i + 1);
      i = r.end;
      if (r.expr) templates.push(depth);
      else push('""', false);
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][\w$]*/.exec(src.slice(i, i + 200))!;
      push(m[0], true);
      i += m[0].length;
    } else if (/\d/.test(c) || (c === '.' && /\d/.test(src[i + 1] ?? ''))) {
      i += /^[\d.]+[\w.]*/.exec(src.slice(i, i + 100))![0].length;
      push('0', false);
    } else if (
      c === '/' &&
      (REGEX_AFTER.has(out.at(-1)?.text ?? '(') || (out.at(-1)?.text === ')' && headClosed))
    ) {
      i = skipRegex(src, i + 1);
      push('/re/', false);
    } else {
      const p = /^(\.\.\.|\?\.|=>|[^\w\s])/.exec(src.slice(i, i + 3))![0];
      if (p === '{') depth++;
      else if (p === '}') depth--;
      else if (p === '(') parens.push(CONTROL_HEADS.has(out.at(-1)?.text ?? ''));
      else if (p === ')') headClosed = parens.pop() ?? false;
      push(p, false);
      i += p.length;
    }
  }
  return out;
}

function skipQuoted(src: string, i: number, q: string): number {
  for (i++; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === q) return i + 1;
  }
  return i;
}

/** From inside a template's text: ends at the closing backtick, or just after a `${`. */
function skipTemplate(src: string, i: number): { end: number; expr: boolean } {
  for (; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === '`') return { end: i + 1, expr: false };
    else if (src[i] === '$' && src[i + 1] === '{') return { end: i + 2, expr: true };
  }
  return { end: i, expr: false };
}

function skipRegex(src: string, i: number): number {
  let inClass = false;
  for (; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) break;
  }
  i++;
  while (i < src.length && /[a-z]/i.test(src[i]!)) i++;
  return i;
}
