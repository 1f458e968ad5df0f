// Child process for the crash-safety test: writes datasets as fast as it can (single
// puts, small transactions, purges) until it is killed.
import { Butler } from '../../../core/butler/index.js';

const [root, run] = process.argv.slice(2);
const butler = Butler.open(root, { run });
const dataIdOf = (i: number) => ({ instrument: 'Cam', detector: i % 50, exposure: 100 + Math.floor(i / 50) });
process.stdout.write('ready\n');
const recent = [];
for (let i = 0; i < 50 * 200; i++) {
  if (i % 11 === 5) {
    await butler.transaction(async () => {
      for (let k = 0; k < 4 && i < 50 * 200 - 1; k++, i++) recent.push(await butler.put({ i, payload: 'x'.repeat(i % 300) }, 'metric', dataIdOf(i)));
    });
  } else {
    recent.push(await butler.put({ i, payload: 'y'.repeat(i % 200) }, 'metric', dataIdOf(i)));
  }
  if (i % 7 === 3 && recent.length >= 3) await butler.pruneDatasets(recent.splice(0, 3), { purge: true, unstore: true });
}
process.stdout.write('done\n');
