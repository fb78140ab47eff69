/** @type {import('jest').Config} */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: { "^.+\\.ts$": ["ts-jest", { useESM: true }] },
  testMatch: ["<rootDir>/shared/**/*.test.ts", "<rootDir>/test/**/*.test.ts", "<rootDir>/plugins/**/*.test.ts"],
  testTimeout: 30000,
  // Two workers on the 2-core machines: most tests wait on git, sockets and the throttle, not on the CPU.
  maxWorkers: 2,
};
