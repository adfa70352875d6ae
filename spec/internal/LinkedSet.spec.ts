import { type Linked, LinkedSet } from '../../src/internal/LinkedSet.js';

class Node implements Linked<Node> {
  _prevLinked: Node | null = null;
  _nextLinked: Node | null = null;
  constructor(readonly id: string) {}
}

const ids = (s: Iterable<Node>): string[] => [...s].map((n) => n.id);

describe('LinkedSet (the loop’s pending-task set)', () => {
  it('keeps insertion order and a size, like a Set', () => {
    const s = new LinkedSet<Node>();
    const [a, b, c] = [new Node('a'), new Node('b'), new Node('c')];
    s.add(a).add(b).add(c);
    expect(s.size).toBe(3);
    expect(ids(s)).toEqual(['a', 'b', 'c']);
    expect(ids(new Set(s))).toEqual(['a', 'b', 'c']);
  });

  it('ignores a second add of a member', () => {
    const s = new LinkedSet<Node>();
    const a = new Node('a');
    s.add(a).add(a);
    expect(s.size).toBe(1);
    expect(ids(s)).toEqual(['a']);
  });

  it('deletes the head, a middle member and the tail, and reports non-members', () => {
    const s = new LinkedSet<Node>();
    const nodes = ['a', 'b', 'c', 'd', 'e'].map((id) => new Node(id));
    for (const n of nodes) s.add(n);
    const [a, , c, , e] = nodes as [Node, Node, Node, Node, Node];
    expect(s.delete(c)).toBeTrue();
    expect(s.delete(a)).toBeTrue();
    expect(s.delete(e)).toBeTrue();
    expect(s.delete(e)).toBeFalse();
    expect(s.delete(new Node('x'))).toBeFalse();
    expect(ids(s)).toEqual(['b', 'd']);
    expect(s.size).toBe(2);
    expect(s.has(a)).toBeFalse();
    expect(s.has(nodes[1] as Node)).toBeTrue();
  });

  it('can re-add a deleted member (at the end) and empty itself', () => {
    const s = new LinkedSet<Node>();
    const [a, b] = [new Node('a'), new Node('b')];
    s.add(a).add(b);
    s.delete(a);
    s.add(a);
    expect(ids(s)).toEqual(['b', 'a']);
    s.delete(b);
    s.delete(a);
    expect(s.size).toBe(0);
    expect(ids(s)).toEqual([]);
    s.add(b);
    expect(ids(s)).toEqual(['b']);
  });

  it('iterates a snapshot: deleting or adding while iterating does not disturb it', () => {
    const s = new LinkedSet<Node>();
    const nodes = ['a', 'b', 'c'].map((id) => new Node(id));
    for (const n of nodes) s.add(n);
    const seen: string[] = [];
    for (const n of s) {
      seen.push(n.id);
      s.delete(n);
      if (n.id === 'a') s.add(new Node('late'));
    }
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(ids(s)).toEqual(['late']);
  });

  it('clear() unlinks every member, which can then join again', () => {
    const s = new LinkedSet<Node>();
    const [a, b] = [new Node('a'), new Node('b')];
    s.add(a).add(b);
    s.clear();
    expect(s.size).toBe(0);
    expect(s.has(a)).toBeFalse();
    expect(a._nextLinked).toBeNull();
    s.add(b);
    expect(ids(s)).toEqual(['b']);
    const seen: string[] = [];
    s.forEach((n) => {
      seen.push(n.id);
    });
    expect(seen).toEqual(['b']);
  });
});
