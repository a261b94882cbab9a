export { configSchema, type Config } from './schema.js';
export { loadConfig, envName, type ConfigSources } from './load.js';
