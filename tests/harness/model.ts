/**
 * Annotated Flask-model fixtures: `# $` comments in `tests/model/` say which routes the scan's
 * route inventory must hold. One annotation per line, written just above the handler it is about
 * (above its first decorator, or its `def`); the route's handler must live in the annotated file.
 *
 *   # $ route="POST /items/<int:item_id>" auth=flask-login csrf=csrfprotect dynamo=update_item:write
 *   # $ no-route="GET /items/<int:item_id>"
 *   # $ routes=7
 *
 * Keys beside `route`: `auth` and `csrf` (the exact set of kinds, joined with `+`), `dynamo` (the
 * exact set of operations, each optionally `:write` or `:read`; `none` for no operation),
 * `methods` (the exact set of methods, HEAD and OPTIONS ignored unless listed), `blueprint`
 * (the blueprint's name, `none` for a route on the app) and `handler` (the handler's name).
 * `routes=N` pins the number of entries in the inventory; `no-route` says a method and path pair
 * is absent.
 */

import type { AuthKind, CsrfDefenceKind, RouteJson } from "../../src/report/types.js";
import type { TextFileEntry } from "./entries.js";
import { parseRouteSpec } from "./expectations.js";
import { fail, type Outcome, PASS } from "./outcome.js";

export const AUTH_KINDS = [
  "session-cookie",
  "flask-login",
  "jwt-header",
  "jwt-cookie",
  "basic",
  "api-key-header",
  "custom",
  "none",
] as const satisfies readonly AuthKind[];

export const CSRF_KINDS = [
  "csrfprotect",
  "seasurf",
  "form-validate",
  "manual-token",
  "jwt-double-submit",
  "custom-header",
  "origin-check",
  "exempt",
  "none",
] as const satisfies readonly CsrfDefenceKind[];

const ROUTE_KEYS = new Set(["route", "auth", "csrf", "dynamo", "methods", "blueprint", "handler"]);
/** Methods Flask may add on its own; ignored in `methods=` unless the annotation lists them. */
const AUTOMATIC_METHODS = new Set(["HEAD", "OPTIONS"]);

export type ModelAnnotation =
  | {
      kind: "route";
      file: string;
      line: number;
      text: string;
      method: string;
      path: string;
      keys: Map<string, string>;
    }
  | { kind: "no-route"; file: string; line: number; text: string; method: string; path: string }
  | { kind: "routes"; file: string; line: number; text: string; count: number };

/** Splits `a=b c="d e"` into pairs; null when something else is on the line. */
export function tokenize(body: string): [string, string][] | null {
  const pairs: [string, string][] = [];
  const token = /\s*([a-z-]+)=(?:"([^"]*)"|([^\s"]+))\s*/y;
  let at = 0;
  while (at < body.length) {
    token.lastIndex = at;
    const m = token.exec(body);
    if (!m?.[1]) {
      return null;
    }
    pairs.push([m[1], m[2] ?? m[3] ?? ""]);
    at = token.lastIndex;
  }

  return pairs;
}

export function parseModelFiles(files: readonly TextFileEntry[]): {
  annotations: ModelAnnotation[];
  problems: string[];
} {
  const annotations: ModelAnnotation[] = [];
  const problems: string[] = [];
  for (const { file, text } of files) {
    for (const [i, raw] of text.split(/\r?\n/).entries()) {
      const m = /^\s*#\s*\$(.*)$/.exec(raw);
      if (!m) {
        continue;
      }
      const where = `${file}:${i + 1}`;
      const parsed = parseAnnotation(m[1]?.trim() ?? "", file, i + 1);
      if (typeof parsed === "string") {
        problems.push(`${where}: ${parsed} in "${raw.trim()}"`);
      } else {
        annotations.push(parsed);
      }
    }
  }
  if (annotations.filter((a) => a.kind === "routes").length > 1) {
    problems.push("more than one `# $ routes=N` annotation");
  }

  return { annotations, problems };
}

/** One `# $` line; a string is the reason it is malformed. */
function parseAnnotation(body: string, file: string, line: number): ModelAnnotation | string {
  const pairs = tokenize(body);
  if (!pairs || pairs.length === 0) {
    return 'expected key=value pairs (quote values with spaces: route="POST /x")';
  }
  const keys = new Map<string, string>();
  for (const [k, v] of pairs) {
    if (keys.has(k)) {
      return `key ${k} given twice`;
    }
    keys.set(k, v);
  }
  const text = body;
  const only = (key: string) => keys.size === 1 && keys.has(key);

  if (keys.has("routes")) {
    const count = Number(keys.get("routes"));
    if (!only("routes") || !Number.isInteger(count) || count < 0) {
      return "`routes=N` stands alone with a whole number";
    }

    return { kind: "routes", file, line, text, count };
  }
  if (keys.has("no-route")) {
    const spec = parseRouteSpec(keys.get("no-route") ?? "");
    if (!only("no-route") || !spec) {
      return '`no-route="METHOD /path"` stands alone';
    }

    return { kind: "no-route", file, line, text, ...spec };
  }
  const spec = parseRouteSpec(keys.get("route") ?? "");
  if (!spec) {
    return 'needs route="METHOD /path"';
  }
  const unknown = [...keys.keys()].filter((k) => !ROUTE_KEYS.has(k));
  if (unknown.length > 0) {
    return `unknown key ${unknown.join(", ")}`;
  }
  const bad = badValue(keys);
  if (bad) {
    return bad;
  }
  keys.delete("route");

  return { kind: "route", file, line, text, ...spec, keys };
}

function badValue(keys: Map<string, string>): string | null {
  const check = (key: string, allowed: readonly string[]) => {
    const value = keys.get(key);
    const wrong = value === undefined ? [] : value.split("+").filter((v) => !allowed.includes(v));
    return wrong.length > 0 ? `${key}: unknown kind ${wrong.join(", ")}` : null;
  };
  const dynamo = keys.get("dynamo");
  if (
    dynamo !== undefined &&
    dynamo !== "none" &&
    !/^[a-z_]+(:(read|write))?(\+[a-z_]+(:(read|write))?)*$/.test(dynamo)
  ) {
    return "dynamo: expected none or op[:read|:write] joined with +";
  }
  const methods = keys.get("methods");
  if (methods !== undefined && !/^[A-Z]+(\+[A-Z]+)*$/.test(methods)) {
    return "methods: expected upper-case methods joined with +";
  }

  return check("auth", AUTH_KINDS) ?? check("csrf", CSRF_KINDS);
}

const sameSet = (a: Iterable<string>, b: Iterable<string>) => {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
};

/** What differs between a route and the keys of an annotation; empty when it fits. */
export function routeMismatches(route: RouteJson, keys: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [key, want] of keys) {
    switch (key) {
      case "auth":
      case "csrf": {
        const have = route[key];
        if (!sameSet(want.split("+"), have)) {
          out.push(`${key}: want ${want}, have ${have.join("+") || "(empty)"}`);
        }
        break;
      }
      case "dynamo": {
        const problem = dynamoMismatch(route, want);
        if (problem) {
          out.push(problem);
        }
        break;
      }
      case "methods": {
        const listed = want.split("+");
        const have = route.methods.map((m) => m.toUpperCase());
        const keep = (m: string) => !AUTOMATIC_METHODS.has(m) || listed.includes(m);
        if (!sameSet(listed, have.filter(keep))) {
          out.push(`methods: want ${want}, have ${have.join("+")}`);
        }
        break;
      }
      case "blueprint": {
        const expected = want === "none" ? null : want;
        if (route.blueprint !== expected) {
          out.push(`blueprint: want ${want}, have ${route.blueprint ?? "none"}`);
        }
        break;
      }
      case "handler":
        if (route.handler.name !== want) {
          out.push(`handler: want ${want}, have ${route.handler.name}`);
        }
        break;
    }
  }

  return out;
}

function dynamoMismatch(route: RouteJson, want: string): string | null {
  const have = route.dynamo.map((d) => `${d.op}:${d.write ? "write" : "read"}@${d.file}:${d.line}`);
  const shown = `want ${want}, have ${have.join(" + ") || "none"}`;
  const expected = want === "none" ? [] : want.split("+").map((s) => s.split(":"));
  if (
    !sameSet(
      expected.map(([op]) => op ?? ""),
      route.dynamo.map((d) => d.op),
    )
  ) {
    return `dynamo: ${shown}`;
  }
  for (const [op, mode] of expected) {
    if (mode && route.dynamo.some((d) => d.op === op && d.write !== (mode === "write"))) {
      return `dynamo: ${op} should be ${mode}; ${shown}`;
    }
  }

  return null;
}

export function describeRoute(r: RouteJson): string {
  const ops = r.dynamo.map((d) => `${d.op}:${d.write ? "write" : "read"}`).join("+") || "none";

  return (
    `${r.methods.join(",")} ${r.path} handler=${r.handler.name} (${r.handler.file}:${r.handler.line}) ` +
    `blueprint=${r.blueprint ?? "none"} auth=${r.auth.join("+")} csrf=${r.csrf.join("+")} dynamo=${ops}`
  );
}

function inventory(routes: readonly RouteJson[]): string {
  return `routes in the model (${routes.length}):\n${routes.map((r) => `  ${describeRoute(r)}`).join("\n")}`;
}

const answers = (r: RouteJson, method: string, path: string) =>
  r.path === path && r.methods.some((m) => m.toUpperCase() === method);

/** Judges one annotation against the route inventory of its fixture. */
export function judgeModelAnnotation(a: ModelAnnotation, routes: readonly RouteJson[]): Outcome {
  switch (a.kind) {
    case "routes":
      return routes.length === a.count
        ? PASS
        : fail(`expected ${a.count} route entries, found ${routes.length}.\n${inventory(routes)}`);
    case "no-route": {
      const found = routes.filter((r) => answers(r, a.method, a.path));
      return found.length === 0
        ? PASS
        : fail(
            `expected no route for ${a.method} ${a.path}, found:\n${found.map(describeRoute).join("\n")}`,
          );
    }
    case "route": {
      const candidates = routes.filter((r) => answers(r, a.method, a.path));
      if (candidates.length === 0) {
        return fail(`no route answers ${a.method} ${a.path}.\n${inventory(routes)}`);
      }
      const inFile = candidates.filter((r) => r.handler.file === a.file);
      if (inFile.length === 0) {
        return fail(
          `${a.method} ${a.path} is answered by a handler outside ${a.file}:\n` +
            candidates.map(describeRoute).join("\n"),
        );
      }
      const reasons = inFile.map((r) => routeMismatches(r, a.keys));
      if (reasons.some((r) => r.length === 0)) {
        return PASS;
      }

      return fail(
        `${a.method} ${a.path} differs from the annotation:\n` +
          inFile
            .map((r, i) => `  ${describeRoute(r)}\n    ${reasons[i]?.join("\n    ")}`)
            .join("\n"),
      );
    }
  }
}
