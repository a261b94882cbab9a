export { buildServer, type ServerDeps } from './server.js';
