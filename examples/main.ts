/**
 * `npm start` runs the seed article's examples: `npm start -- first` or `npm start -- second`;
 * no argument runs them all, in order.
 */
import { runFirst } from './first.js';
import { runSecond } from './second.js';
import { runTypeahead } from './typeahead.js';

const examples: Record<string, () => Promise<void>> = {
  first: runFirst,
  second: runSecond,
  typeahead: () => runTypeahead(),
};

const names = process.argv.slice(2);
for (const name of names) {
  if (!(name in examples)) {
    console.error(`unknown example "${name}"; choose from: ${Object.keys(examples).join(', ')}`);
    process.exit(2);
  }
}
for (const name of names.length > 0 ? names : Object.keys(examples)) {
  await examples[name]!();
}
