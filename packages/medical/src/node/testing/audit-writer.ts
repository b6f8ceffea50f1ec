// A process that appends audit records as fast as it can, for the concurrency test of the audit
// log: `audit-writer.ts STORE COUNT TAG` appends COUNT records whose decision class is TAG.
import { AuditLog } from '../audit-log.js';

const [store, count, tag] = process.argv.slice(2);
const log = await AuditLog.open(store!);
for (let i = 0; i < Number(count); i++) {
  await log.append([
    {
      source: 'cli',
      model: { name: 'writer', version: 1, configHash: 'c0ffee' },
      decision: { outcome: 'predicted', class: tag!, probability: i / Number(count), thresholds: null },
      instance: await log.hashInstance(`1.2.826.0.1.${tag}.${i}`),
    },
  ]);
}
process.stdout.write('done\n');
