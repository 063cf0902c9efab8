import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // setup and cleanup of real builds (GBs of scratch trees) outlast vitest's 10 s default under load
    hookTimeout: 180_000,
    pool: 'forks',
    // the tester's own user config file (~/.config/imgc/config.toml) must not change results;
    // the slow tests build about seven different trees on one shared cache: with the default of
    // four snapshots each build evicted the next one's tree and bootstrapped again
    env: { IMGC_USER_CONFIG: '', IMGC_KEEP_TREES: '16' },
  },
});
