export * from './facts.js';
export * from './thresholds.js';
export * from './classify.js';
export { allocateFactColumns, setFactRow, classifyBatch, decodeFlags, decodeCategory, type FactColumns, type BatchResult } from './batch.js';
export { ParameterTable } from './parameter-table.js';
