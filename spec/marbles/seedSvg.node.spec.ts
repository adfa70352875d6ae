import { readFileSync, writeFileSync } from 'node:fs';
import { record, timelineSvg } from '../../marbles/index.js';
import { SEED_SVG_OPTIONS, seedMain } from './seedProgram.js';

const file = new URL('../../docs/seed-first.svg', import.meta.url);

describe('docs/seed-first.svg', () => {
  it('is the current rendering of the seed program (UPDATE_SVG=1 rewrites it)', () => {
    const svg = `${timelineSvg(record(seedMain).timeline, SEED_SVG_OPTIONS)}\n`;
    if (process.env.UPDATE_SVG === '1') writeFileSync(file, svg);
    expect(readFileSync(file, 'utf8')).toBe(svg);
  });
});
