export { createJsonLinesLogger, type JsonLinesLoggerOptions, silentLogger } from '../logger.ts';
