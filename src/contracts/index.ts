export * from './common.js';
export * from './households.js';
export * from './security.js';
export * from './monitoring.js';
export * from './charity.js';
export * from './ledger.js';
