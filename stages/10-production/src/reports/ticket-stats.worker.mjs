// Worker entry point. Under tsx on Node 20, a Worker cannot start from a .ts file: the loader
// hooks of the main thread do not reach the worker (tsx issue #354, node issue #47747).
// So the worker starts from this plain module, registers tsx itself, then loads the TypeScript.
// A build step (tsc/esbuild → .js) would make this file unnecessary.
import { register } from 'tsx/esm/api';

register();
await import('./ticket-stats.worker.ts');
