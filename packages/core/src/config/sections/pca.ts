import * as z from 'zod';

export const pcaSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('reduce features with PCA (fitted on the train split only)'),
    components: z.int().positive().default(64).describe('number of principal components kept'),
    whiten: z.boolean().default(false).describe('scale components to unit variance'),
    method: z
      .enum(['covariance', 'randomized'])
      .default('covariance')
      .describe('covariance: exact eigendecomposition; randomized: faster for high-dimensional features'),
  })
  .prefault({})
  .describe('principal component analysis between the features and the head/index');
