/**
 * The route-matching patches in patches/ (ADR 017) keep compiled paths and ranked branches between calls. These tests
 * check that what is kept never answers for something else: another case rule, a prefix match, another route tree.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import type * as Router from "@remix-run/router";

// The server loads the CommonJS build, which is the one patched.
const require = createRequire(import.meta.url);
const { matchPath, matchRoutes } = require("@remix-run/router") as typeof Router;

describe("route matching with kept compiled paths", () => {
  it("keeps case-sensitive and case-insensitive patterns apart", () => {
    expect(matchPath({ path: "/Themen/:slug", caseSensitive: true, end: true }, "/themen/a")).toBeNull();
    expect(matchPath({ path: "/Themen/:slug", caseSensitive: false, end: true }, "/themen/a")?.params).toEqual({
      slug: "a",
    });
    expect(matchPath({ path: "/Themen/:slug", caseSensitive: true, end: true }, "/themen/a")).toBeNull();
  });

  it("keeps whole and prefix matches apart", () => {
    expect(matchPath({ path: "/diskussionen", caseSensitive: false, end: true }, "/diskussionen/neu")).toBeNull();
    expect(
      matchPath({ path: "/diskussionen", caseSensitive: false, end: false }, "/diskussionen/neu")?.pathnameBase,
    ).toBe("/diskussionen");
    expect(matchPath({ path: "/diskussionen", caseSensitive: false, end: true }, "/diskussionen/neu")).toBeNull();
  });

  it("gives the parameters of each request, not of an earlier one", () => {
    const routes = [
      {
        id: "root",
        path: "/",
        children: [
          { id: "thread", path: "diskussionen/:id" },
          { id: "new", path: "diskussionen/neu" },
        ],
      },
    ];
    const first = matchRoutes(routes, "/diskussionen/abc");
    const second = matchRoutes(routes, "/diskussionen/xyz");
    expect(first?.map((m) => m.route.id)).toEqual(["root", "thread"]);
    expect(first?.at(-1)?.params).toEqual({ id: "abc" });
    expect(second?.at(-1)?.params).toEqual({ id: "xyz" });
    // A static segment still ranks above a parameter when the branches are reused.
    expect(matchRoutes(routes, "/diskussionen/neu")?.at(-1)?.route.id).toBe("new");
    expect(matchRoutes(routes, "/gibt-es-nicht")).toBeNull();
  });

  it("matches each route tree by its own routes", () => {
    const a = [{ id: "a", path: "/materialien/:id" }];
    const b = [{ id: "b", path: "/materialien/neu" }];
    expect(matchRoutes(a, "/materialien/neu")?.[0].route.id).toBe("a");
    expect(matchRoutes(b, "/materialien/neu")?.[0].route.id).toBe("b");
    expect(matchRoutes(b, "/materialien/123")).toBeNull();
  });
});
