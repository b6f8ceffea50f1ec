export { HogExtractor, type HogOptions } from './hog-extractor.js';
