export * from './types';
export * from './schemas';
export * from './schemaParts';
export * from './forecastSchemas';
export * from './customSchema';
export * from './robustSchema';
export * from './score';
export { isTimeZone } from './forecastSchemas';
