export * from './errors.js';
export * from './compute/index.js';
