// Clinical evaluation by subgroup of a DICOM attribute (scanner maker, sex, age band, site): the
// attribute readers and the per-group tables with their largest gaps. Isomorphic.
export { AGE_BANDS, ageBandOf, ageBandOfDataSet, yearsBetween, yearsOfAgeString } from './age-band.js';
export { subgroupAttribute, type SubgroupAttribute, type SubgroupAttributeOptions } from './subgroup-attribute.js';
export {
  evaluateSubgroups,
  GAP_METRICS,
  largestGaps,
  MISSING_VALUE,
  type GapMetric,
  type GroupValue,
  type Subgroup,
  type SubgroupAnalysis,
  type SubgroupGap,
} from './subgroup-evaluation.js';
