import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{boards,generator,sim,verify,host,cli,bench,test}/**/*.test.ts'],
    // Real-tool tests run Verilator and Yosys; the slow ones set their own limits.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    maxConcurrency: 4,
    reporters: ['default', ['json', { outputFile: 'out/test-results.json' }]],
  },
});
