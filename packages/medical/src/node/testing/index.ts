// Test fixtures that start real components (Node only).
export { ORTHANC_DICOMWEB_PLUGIN, ORTHANC_PATH, orthancUnavailable, startOrthanc, type OrthancServer } from './orthanc.js';
