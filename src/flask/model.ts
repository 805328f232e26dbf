/**
 * The Flask application model: apps (module-level or built in factories), blueprints with their
 * registrations and prefixes, routes, request hooks, extensions and configuration. Filled in by
 * `build.ts` from the project model; read by the concept layer and the rules.
 */

import type { PyNode } from "../python/ast.js";
import type { Module } from "../python/project.js";
import type { AuthKind, CsrfDefenceKind, RouteDynamoOp } from "../report/types.js";

export interface FlaskApp {
  /** The `Flask(...)` call that creates it. */
  site: PyNode;
  module: Module;
  /** Variable name the app is bound to where it is created (`app`), for reports. */
  name: string;
  /** The factory function that creates it, when it is not created at module level. */
  factory: PyNode | null;
}

export interface Blueprint {
  site: PyNode;
  module: Module;
  /** The blueprint's own name, the first argument of `Blueprint(...)`. */
  name: string;
  urlPrefix: string | null;
  /** Where it is registered: on an app (directly or through parents), with the prefix used. */
  registrations: BlueprintRegistration[];
}

export interface BlueprintRegistration {
  parent: { kind: "app"; app: FlaskApp } | { kind: "blueprint"; blueprint: Blueprint };
  urlPrefix: string | null;
  site: PyNode;
  module: Module;
}

export interface Handler {
  module: Module;
  /** The function definition that answers the request. */
  def: PyNode;
  name: string;
  /** Dotted `module.function` as Flask-WTF and SeaSurf name views. */
  qualname: string;
}

export interface Route {
  app: FlaskApp;
  blueprint: Blueprint | null;
  /** Full URL rule, prefixes joined, converters as written. */
  path: string;
  /** Methods the handler answers, upper case, without the automatic HEAD/OPTIONS. */
  methods: string[];
  endpoint: string;
  handler: Handler;
  /** The route decorator or `add_url_rule` call that registers it. */
  registration: PyNode;
  registrationModule: Module;
  /** First decorator of the handler, or its `def` (the anchor of route-level findings). */
  anchor: PyNode;
  kind: "function" | "method-view" | "resource" | "generated";
}

export interface RouteFacts {
  auth: AuthKind[];
  csrf: CsrfDefenceKind[];
  dynamo: RouteDynamoOp[];
}

export interface FlaskModel {
  apps: FlaskApp[];
  blueprints: Blueprint[];
  routes: Route[];
  facts: Map<Route, RouteFacts>;
}

export function emptyFlaskModel(): FlaskModel {
  return { apps: [], blueprints: [], routes: [], facts: new Map() };
}
