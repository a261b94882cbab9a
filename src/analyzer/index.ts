/** The analyzer's door: analyze an image from any source into a versioned analysis document. */
export { analyzeImage, type AnalyzeOptions } from './analyze.js';
export { analysisDocumentSchema, analysisSchemaVersion, type AnalysisDocument } from './document.js';
export { parseSecretRule, defaultSecretRules, type SecretRule } from './secrets/rules.js';
export { parseSource } from './sources/index.js';
