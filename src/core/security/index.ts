export * from './masking.js';
export * from './totp.js';
export * from './audit-chain.js';
export * from './roles.js';
