// One writer process of bench/tracking: STEPS steps of two metrics into RUN_ID at LOCATION, as a
// training logs them. Prints {"start","end"} (epoch ms) around the writes, after the store is open.
import { openTrackingStore } from '@cvf/core/node';

const [location, runId, writer, steps] = process.argv.slice(2) as [string, string, string, string];
const store = await openTrackingStore(location);
const start = Date.now();
for (let step = 0; step < Number(steps); step++) await store.logMetrics(runId, { [`w${writer}.loss`]: 1 / (step + 1), [`w${writer}.accuracy`]: step / Number(steps) }, step);
const end = Date.now();
await store.close();
console.log(JSON.stringify({ start, end }));
