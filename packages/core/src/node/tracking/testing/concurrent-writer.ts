// Test fixture: one of several processes writing to one store at once.
//   concurrent-writer.ts URL metrics RUN_ID WRITER COUNT — COUNT one-metric steps, key writer.<WRITER>, value = step
//   concurrent-writer.ts URL versions MODEL COUNT       — COUNT versions of MODEL; prints the numbers it got
//   concurrent-writer.ts URL open                       — opens the store (creating it) and closes it
import { openTrackingStore } from '../open-tracking-store.js';

const [url, mode, ...rest] = process.argv.slice(2) as [string, string, ...string[]];
const store = await openTrackingStore(url);
try {
  if (mode === 'metrics') {
    const [runId, writer, count] = rest as [string, string, string];
    for (let step = 0; step < Number(count); step++) await store.logMetrics(runId, { [`writer.${writer}`]: step }, step);
  } else if (mode === 'versions') {
    const [model, count] = rest as [string, string];
    const numbers: number[] = [];
    for (let k = 0; k < Number(count); k++) numbers.push((await store.registerVersion(model, { bundle: `/bundles/${process.pid}/${k}`, metrics: {} })).version);
    console.log(JSON.stringify(numbers));
  } else if (mode !== 'open') {
    throw new Error(`unknown mode "${mode}": metrics, versions or open`);
  }
} finally {
  await store.close();
}
