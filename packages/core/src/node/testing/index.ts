// @cvf/core/testing: what the tests of every package share (Node only). Not for production code.
export { commandRuns } from './command.js';
export { gpuForTests } from './gpu-for-tests.js';
export { NATS_SERVER_PATH, natsUnavailable, startNats, type NatsServer } from './nats.js';
export { FFMPEG_PATH, ffmpegUnavailable, writeTestClip, type TestClip } from './test-clips.js';
export { idxTrainingEnvironment } from './idx-training-environment.js';
export { idxBytes, PATTERN_SHAPES, patternPixels, type PatternShape } from './patterns.js';
export { POSTGRES_BIN, postgresUnavailable, startPostgres, type PostgresServer } from './postgres.js';
export { pythonModules, SYSTEM_PYTHON } from './python.js';
export { REDIS_SERVER_PATH, redisUnavailable, startRedis, type RedisServer } from './redis.js';
export { requireInCi, type Availability } from './require-in-ci.js';
export { freeLoopbackPort, spawnServerProcess, waitUntilReady, type ServerProcess, type ServerProcessOptions } from './server-process.js';
