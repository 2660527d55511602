export * from './alkire-foster.js';
export * from './alert-machine.js';
export * from './triggers.js';
export * from './six-dimensions.js';
export * from './monitoring-facts.js';
export * from './population.js';
