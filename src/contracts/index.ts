export * from './common.js';
export * from './households.js';
