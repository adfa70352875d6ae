/**
 * `npm start` runs the seed article's examples: `npm start -- first` or `npm start -- second`,
 * and asyncio's TCP echo client and server (`npm start -- echo`); no argument runs them all, in
 * order. `npm start -- fleet` (a Redis-backed fleet of worker processes) runs only when named.
 */

import { runEcho } from './echo.js';
import { runFirst } from './first.js';
import { runFleet } from './fleet.js';
import { runSecond } from './second.js';
import { runTypeahead } from './typeahead.js';

const examples: Record<string, () => Promise<void>> = {
  first: runFirst,
  second: runSecond,
  typeahead: () => runTypeahead(),
  fleet: () => runFleet(),
  echo: runEcho,
};
// Run only when named: it needs a redis-server binary.
const onlyByName = new Set(['fleet']);

const names = process.argv.slice(2);
for (const name of names) {
  if (!(name in examples)) {
    console.error(`unknown example "${name}"; choose from: ${Object.keys(examples).join(', ')}`);
    process.exit(2);
  }
}
for (const name of names.length > 0
  ? names
  : Object.keys(examples).filter((n) => !onlyByName.has(n))) {
  await examples[name]!();
}
