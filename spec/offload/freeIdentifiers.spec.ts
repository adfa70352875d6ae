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

describe('freeIdentifiers on what minifiers and real code write (issue 15)', () => {
  it('reads every declarator of one declaration, also in a for head', () => {
    expect(free('function f(){let a=1,b=2,c=[a,b];return c}')).toEqual([]);
    expect(
      free('function f(n){for(let t=0,r=n.length;t<r;t++);var x=1,{y}=n,[z]=n;return x+y+z}'),
    ).toEqual([]);
  });

  it('skips labels and the names after break and continue', () => {
    expect(free('function f(g){e:for(const r of g){for(;;){if(r)continue e;break e}}}')).toEqual(
      [],
    );
  });

  it('takes a / after the ) of an if or while head for a regex, after other ) for a division', () => {
    expect(free('function f(x, s) { if (x) /re[a-z]+/.test(s); return (x + 1) / 2 / x }')).toEqual(
      [],
    );
    expect(free('(s) => { while (s) /q(u)it/g.exec(s) }')).toEqual([]);
  });

  it('skips private names', () => {
    expect(free('() => { class A { #p = 1; has(o) { return #p in o && this.#p } } }')).toEqual([]);
  });

  it('sees closures in default parameters and computed keys', () => {
    expect(free('(a = outside) => a')).toEqual(['outside']);
    expect(free('({ [key]: v }) => v')).toEqual(['key']);
    expect(free('(o) => { const { [k]: v, w = dflt, x: { y } } = o; return v + w + y }')).toEqual([
      'dflt',
      'k',
    ]);
    expect(free('(o) => ({ [k2]: o })')).toEqual(['k2']);
  });
});
