/** The benefit ledger: model, import rows, linkage to the registry, and duplicate-assistance detection. See docs/ledger.md. */
export * from './model.js';
export * from './detect.js';
export * from './import-rows.js';
export * from './link.js';
export * from './charity.js';
