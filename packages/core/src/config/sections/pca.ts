import * as z from 'zod';

export const pcaSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('reduce features with PCA (fitted on the train split only)'),
    components: z.int().positive().default(64).describe('number of principal components kept'),
    whiten: z.boolean().default(false).describe('scale components to unit variance'),
    method: z
      .enum(['auto', 'covariance', 'gram', 'randomized'])
      .default('auto')
      .describe(
        'auto: the fastest fit for the data shape (never the features×features covariance when samples are fewer than features); ' +
          'covariance: exact eigendecomposition of the features×features covariance; ' +
          'gram: exact, from the samples×samples Gram matrix (fewer samples than features); ' +
          'randomized: randomized subspace iteration, faster for high-dimensional features',
      ),
  })
  .prefault({})
  .describe('principal component analysis between the features and the head/index');
