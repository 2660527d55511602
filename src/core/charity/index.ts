export * from './model.js';
export * from './portrait.js';
