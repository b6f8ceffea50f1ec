import * as z from 'zod';

// Fields every index kind has; `hnsw` options exist only on the hnsw kind.
const common = {
  metric: z.enum(['cosine', 'dot', 'l2']).default('cosine').describe('similarity between embeddings'),
  k: z.int().positive().default(10).describe('number of similar cases returned per query'),
};

/** Search threads when none are configured: the cores, but no more than this (a batch's share per thread must stay large enough to pay). */
export const DEFAULT_MAX_SEARCH_THREADS = 8;

const flatIndex = z.strictObject({
  kind: z.enum(['flat', 'flat-f16', 'flat-int8']).describe('exact search over f32, f16 or int8-quantized vectors'),
  ...common,
  threads: z
    .int()
    .min(0)
    .max(256)
    .optional()
    .describe(`threads that search the index together where shared memory exists (Node worker threads; the same hits as one thread); 0 or absent (the default): one per core, at most ${DEFAULT_MAX_SEARCH_THREADS}; 1: the calling thread only`),
});

const hnswIndex = z
  .strictObject({
    kind: z.literal('hnsw').describe('approximate search over a navigable small-world graph'),
    ...common,
    hnsw: z
      .strictObject({
        m: z.int().min(2).max(128).default(16).describe('links per node'),
        efConstruction: z.int().positive().default(200).describe('candidate list size while building'),
        efSearch: z.int().positive().default(64).describe('candidate list size while searching; at least k'),
      })
      .prefault({})
      .describe('HNSW graph options'),
  })
  .superRefine((index, ctx) => {
    if (index.hnsw.efSearch < index.k) {
      ctx.addIssue({
        code: 'custom',
        path: ['hnsw', 'efSearch'],
        message: `efSearch must be at least k (${index.k}), got ${index.hnsw.efSearch}`,
      });
    }
  });

const lancedbIndex = z.strictObject({
  kind: z.literal('lancedb').describe('exact search over a LanceDB table on disk, inside the bundle, for case indexes beyond memory (Node only: the CLI, the edge runtime and workers serve it; the browser viewer refuses it)'),
  ...common,
});

export const indexSchema = z
  .discriminatedUnion('kind', [flatIndex, hnswIndex, lancedbIndex])
  .prefault({ kind: 'flat' })
  .describe('vector index of the training cases, for similar-case retrieval (and the knn head)');
