import { defineConfig } from "@playwright/test";

// Debian's Chromium, never a downloaded browser. Every spec runs twice against the server-rendered
// site: hydrated, and with JavaScript off (proving the server-rendered HTML works alone), then a
// third time against the client-side Trunk build (`make csr`), served by a second coursepay with
// COURSEPAY_FRONTEND=csr.
const chromium = {
  browserName: "chromium" as const,
  baseURL: process.env.BASE_URL ?? "http://127.0.0.1:3000",
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  },
};

const csrBaseURL = process.env.CSR_BASE_URL ?? "http://127.0.0.1:3002";

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  // Release servers on fresh databases (scripts/e2e-server.sh); `make e2e` builds them first.
  webServer: [
    {
      command: "../scripts/e2e-server.sh ssr",
      url: chromium.baseURL,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: "../scripts/e2e-server.sh csr",
      url: csrBaseURL,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
  projects: [
    { name: "hydrated", use: { ...chromium, javaScriptEnabled: true } },
    { name: "nojs", use: { ...chromium, javaScriptEnabled: false } },
    {
      name: "csr",
      use: { ...chromium, baseURL: csrBaseURL, javaScriptEnabled: true },
    },
  ],
});
