// Test fixture: a "training process" that logs metric pairs as fast as it can until it is
// killed. Prints the run id, then one line per committed step. argv[2]: a store location.
import { openTrackingStore } from '../open-tracking-store.js';

const store = await openTrackingStore(process.argv[2]!);
const run = await store.startRun({ experiment: 'crash' });
console.log(`run ${run.id}`);
for (let step = 0; ; step++) {
  await store.logMetrics(run.id, { loss: 1 / (step + 1), accuracy: step / (step + 1) }, step);
  if (step % 50 === 0) console.log(`step ${step}`);
}
