export * from './create-db.js';
export * from './schema.js';
export * from './bulk.js';
export * from './repositories/household.repository.js';
export * from './repositories/classification.repository.js';
export * from './repositories/policy.repository.js';
export * from './repositories/region.repository.js';
