import { expect, it } from "vitest";
import { summarize } from "./stats";

it("summarizes odd and even counts", () => {
  expect(summarize([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, n: 3 });
  expect(summarize([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, n: 4 });
  expect(summarize([]).n).toBe(0);
});
