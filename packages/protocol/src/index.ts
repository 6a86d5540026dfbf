export * from './body-shape-problem.js';
export * from './describe-schema-error.js';
export * from './errors.js';
export * from './frames.js';
export * from './http.js';
export * from './ids.js';
export * from './limits.js';
export * from './parse-client-frame.js';
