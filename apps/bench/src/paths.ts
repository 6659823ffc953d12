import { resolve } from 'node:path';

// This file sits in src/ (jest) or dist/ (node): either way one level under apps/bench. Targets
// always run from dist/, so a child process never needs a TypeScript loader.
export const benchRoot = resolve(__dirname, '..');
export const repoRoot = resolve(benchRoot, '../..');
export const distDir = resolve(benchRoot, 'dist');
