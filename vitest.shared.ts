import { defineConfig, type ViteUserConfig } from "vitest/config";

// Workspace packages resolve to their TypeScript sources through this export condition,
// so tests run without a build.
const conditions = ["@asyncio-ts/source", "module", "node", "import", "default"];

export function sharedConfig(overrides: ViteUserConfig["test"] = {}): ViteUserConfig {
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: conditions } },
    test: {
      include: ["test/**/*.test.ts"],
      reporters: ["default", ["json", { outputFile: ".vitest-report.json" }]],
      typecheck: {
        enabled: true,
        include: ["test/**/*.test-d.ts"],
        tsconfig: "./tsconfig.test.json",
      },
      ...overrides,
    },
  });
}
