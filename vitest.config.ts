import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'bench/**/*.test.ts',
      'test/**/*.test.ts',
      'examples/**/*.test.ts',
      'deploy/**/*.test.ts',
      'ui/**/*.test.ts',
      'ui/**/*.test.tsx',
    ],
    // Servers under test are real processes on loopback; give them time on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
  },
});
