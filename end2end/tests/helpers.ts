import { expect, Page, TestInfo } from "@playwright/test";

/** Whether this run has JavaScript (the "hydrated" project) or proves plain SSR ("nojs"). */
export function hydrated(info: TestInfo): boolean {
  return info.project.name === "hydrated";
}

/** Opens `path`; in the hydrated project waits for the app's hydration marker before returning. */
export async function open(page: Page, info: TestInfo, path: string): Promise<void> {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(path);
  if (hydrated(info)) {
    await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
    expect(errors, "no uncaught errors while hydrating").toEqual([]);
  }
}
