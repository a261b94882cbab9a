export { createHttpClient, HttpError, type HttpClientOptions } from './client.js';
