export { startEdgeServer, type EdgeServer } from './server.js';
