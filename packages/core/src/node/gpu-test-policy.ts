// The old path of gpuForTests, kept only for pipeline/augment-batch.test.ts (pipeline/ is being
// rewritten elsewhere); everything else imports @cvf/core/testing (or ../testing/index.js).
export { gpuForTests } from '../testing/gpu-for-tests.js';
