import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['uet-tag-source'] },
  ssr: { resolve: { conditions: ['uet-tag-source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
  },
});
