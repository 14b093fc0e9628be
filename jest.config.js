/** Jest: unit specs beside the code, end-to-end suites in test/. */
const shared = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json' }],
    // jose and oauth4webapi ship ES modules only. Node (>=20.19) require()s them natively in the
    // CommonJS build; Jest's module runtime cannot, so they are transpiled to CommonJS here.
    '/node_modules/(jose|oauth4webapi)/.+\\.js$': [
      'ts-jest',
      {
        tsconfig: {
          allowJs: true,
          isolatedModules: true,
          module: 'commonjs',
          target: 'ES2022',
        },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(jose|oauth4webapi)/)'],
  testEnvironment: 'node',
  // dist/nest-dance (npm run build) has a package.json named nest-dance, like the sources.
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  moduleNameMapper: {
    '^nest-dance$': '<rootDir>/libs/oauth-consumer/src',
    '^nest-dance/typeorm$': '<rootDir>/libs/oauth-consumer/src/typeorm',
    '^nest-dance/testing$': '<rootDir>/libs/oauth-consumer/src/testing',
  },
};

module.exports = {
  testTimeout: 60000,
  // Two workers on the project's 2-core machines: most suites wait on databases, child servers
  // and installs rather than the CPU (one worker: 9.7 min for the whole run, two: 4 min). Suites
  // keep to namespaces of their own (test/support/databases.ts), so they may run side by side.
  maxWorkers: 2,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      rootDir: __dirname,
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
};
