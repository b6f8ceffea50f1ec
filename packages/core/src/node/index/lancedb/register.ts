import { registerDiskIndexAdapter } from '../../../index/disk-index.js';
import { lanceDbIndexAdapter } from './lancedb-adapter.js';

// Importing @cvf/core/node makes this process able to save and load `index.kind: lancedb` bundles
// (the CLI, the edge runtime, workers); the browser never imports it and refuses such bundles by name.
registerDiskIndexAdapter(lanceDbIndexAdapter);
