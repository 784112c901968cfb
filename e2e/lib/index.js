// Everything a test file needs: `import { useZhengshu, ... } from '../lib/index.js'`.
export * from './paths.js';
export * from './server.js';
export * from './cli.js';
export * from './browser.js';
export * from './harness.js';
export * from './console.js';
