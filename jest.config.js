// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const scaffold = require('./.config/jest.config');

// The service and common/ are plain Node code: same swc transform as the plugin, node environment.
const nodeProject = {
  transform: scaffold.transform,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
};

module.exports = {
  // Integration tests boot the embedded engine and write millions of rows: generous timeouts.
  testTimeout: 120000,
  projects: [
    // Jest configuration provided by Grafana scaffolding, for the plugin (jsdom). @grafana/data 13.1
    // pulls in d3 packages that ship only `.mjs`: they go through the same swc transform.
    {
      ...scaffold,
      displayName: 'plugin',
      rootDir: __dirname,
      transform: { ...scaffold.transform, '^.+\\.mjs$': Object.values(scaffold.transform)[0] },
    },
    {
      ...nodeProject,
      displayName: 'service',
      rootDir: __dirname,
      testMatch: ['<rootDir>/service/src/**/*.test.ts', '<rootDir>/common/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.integration\\.test\\.ts$', '/node_modules/'],
    },
    {
      ...nodeProject,
      displayName: 'integration',
      rootDir: __dirname,
      testMatch: ['<rootDir>/service/**/*.integration.test.ts', '<rootDir>/tests/**/*.test.ts'],
    },
  ],
};
