// The closure scan behind toThread's "self-contained function" check.
import { freeIdentifiers } from '../../src/offload/freeIdentifiers.js';

const isGlobal = (n: string): boolean => ['Math', 'JSON', 'Date', 'console'].includes(n);
const free = (src: string): string[] => freeIdentifiers(src, isGlobal);

describe('freeIdentifiers', () => {
  it('finds names used but declared nowhere', () => {
    expect(free('(a) => a + outside * other.prop')).toEqual(['other', 'outside']);
  });

  it('accepts parameters, destructuring, locals, catch bindings and nested functions', () => {
    const src = `function f(a, { b, c: [d] }, ...rest) {
      const [x, y] = [a, b]; let z = d; var w = rest;
      function inner(p) { return p + x; }
      const arrow = q => q * y;
      try { z++; } catch (err) { console.log(err); }
      for (const k of w) z += k;
      return inner(z) + arrow(Math.max(x, y));
    }`;
    expect(free(src)).toEqual([]);
  });

  it('ignores properties, object keys, strings, comments, templates and regexes', () => {
    const src = `(o) => {
      // comment mentions hidden
      /* block mentions hidden2 */
      const s = 'hidden3' + "hidden4";
      const t = \`text hidden5 \${o.key} more \${\`nested \${o.k2}\`}\`;
      const r = /hidden6[/]x/g;
      return { key: o.value, other: JSON.stringify(s + t), r };
    }`;
    expect(free(src)).toEqual([]);
  });

  it('sees a closure inside a template expression', () => {
    expect(free(['(a) => `x $', '{a + captured} y`'].join(''))).toEqual(['captured']);
  });

  it('skips method names and class fields inside the body', () => {
    const src = `() => { class A { n = 1; static m = 2; get v() { return this.n; } run(q) { return q; } }
      return new A().run(2); }`;
    expect(free(src)).toEqual([]);
  });
});
