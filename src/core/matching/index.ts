export * from './min-cost-flow.js';
export * from './dimacs.js';
export * from './match-needs.js';
export * from './synthetic.js';
