export { PixelsExtractor, type PixelsOptions } from './pixels-extractor.js';
