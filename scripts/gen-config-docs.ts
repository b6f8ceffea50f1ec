// Writes docs/config.md, the pipeline YAML reference, from the zod schema's descriptions and
// defaults. Run after changing a config section: npx tsx --conditions=source scripts/gen-config-docs.ts
// (packages/core/src/config/config-reference.test.ts fails while docs/config.md is stale).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configReferenceMarkdown } from '@cvf/core';

const target = fileURLToPath(new URL('../docs/config.md', import.meta.url));
writeFileSync(target, configReferenceMarkdown());
console.log(`wrote ${target}`);
