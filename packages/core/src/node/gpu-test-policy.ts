// The old path of gpuForTests, kept only for the tests of pipeline/, image/ and index/ that other
// work in progress still imports it from; new code imports @cvf/core/testing (or ../testing/index.js).
export { gpuForTests } from '../testing/gpu-for-tests.js';
