export * from './model.js';
export * from './portrait.js';
export * from './labels.js';
