import { expect, test } from "@playwright/test";
import { hydrated, open } from "./helpers";

test("the home page lists the seeded courses with prices", async ({ page }, info) => {
  await open(page, info, "/");
  await expect(page).toHaveTitle(/路飞学城/);
  const cards = page.locator(".course-card");
  await expect(cards).toHaveCount(6);
  await expect(cards.first().locator(".course-name")).toHaveText("Python 开发入门");
  await expect(cards.first().locator(".price")).toHaveText("¥99.00");
  await expect(page.locator(".course-card", { hasText: "Linux 运维基础" }).locator(".price")).toHaveText(
    "¥49.90",
  );
  if (!hydrated(info)) {
    await expect(page.locator("body[data-hydrated]")).toHaveCount(0);
  }
});

test("an unknown path shows a Chinese 404 page", async ({ page }, info) => {
  const resp = await page.goto("/no-such-page");
  expect(resp?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
  void info;
});
