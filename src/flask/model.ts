/**
 * The Flask application model: apps (module-level or built in factories), blueprints with their
 * registrations and prefixes, routes, request hooks, extensions and configuration. Filled in by
 * `build.ts` from the project model; read by the concept layer and the rules.
 */

import type { PyNode } from "../python/ast.js";
import type { Value } from "../python/evaluate.js";
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
  hooks: Hook[];
  config: ConfigEntry[];
  /** Extensions bound to this app (by constructor argument or `init_app`). */
  extensions: ExtensionBinding[];
  /** `app.wsgi_app = Middleware(app.wsgi_app)` wrappers, outermost last. */
  middleware: { value: Value[]; site: PyNode; module: Module }[];
}

export interface Blueprint {
  site: PyNode;
  module: Module;
  /** The blueprint's own name, the first argument of `Blueprint(...)`. */
  name: string;
  urlPrefix: string | null;
  registrations: BlueprintRegistration[];
  hooks: Hook[];
}

export interface BlueprintRegistration {
  parent: { kind: "app"; app: FlaskApp } | { kind: "blueprint"; blueprint: Blueprint };
  urlPrefix: string | null;
  site: PyNode;
  module: Module;
}

export type HookKind = "before_request" | "before_app_request";

export interface Hook {
  kind: HookKind;
  /** The function the hook runs (a project function, or an external such as `csrf.protect`). */
  target: Value[];
  /** The expression naming the function (decorated def name or the call argument). */
  expr: PyNode;
  site: PyNode;
  module: Module;
}

export type ExtensionKind =
  | "csrfprotect"
  | "seasurf"
  | "login"
  | "jwt"
  | "cors"
  | "limiter"
  | "talisman"
  | "admin"
  | "security";

export interface Extension {
  kind: ExtensionKind;
  /** The constructor call. */
  site: PyNode;
  module: Module;
}

export interface ExtensionBinding {
  extension: Extension;
  /** The constructor call with the app, or the `init_app(app)` call. */
  site: PyNode;
  module: Module;
  /** Keyword arguments given at construction and at `init_app`, merged. */
  options: Map<string, { node: PyNode; module: Module }>;
  /** False when the binding runs only under a condition known to be false. */
  active: boolean;
  /** Set when the binding runs under a condition flaskguard could not decide. */
  condition: PyNode | null;
}

export type ConfigEnv = "production" | "development" | "test";

export interface ConfigEntry {
  key: string;
  /** The value expression (null when unknown, as with a splat). */
  value: PyNode | null;
  module: Module;
  /** The assignment, call or class attribute that sets it: the anchor of config findings. */
  site: PyNode;
  env: ConfigEnv;
  /** Config class the entry comes from, when it does. */
  className: string | null;
  /** Position in the order the app applies its configuration. */
  order: number;
}

export interface Handler {
  module: Module;
  /** The function definition that answers the request. */
  def: PyNode;
  name: string;
  /** Dotted `module.function` as Flask-WTF and SeaSurf name views. */
  qualname: string;
  /** For class-based views: the class. */
  viewClass: PyNode | null;
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
  /** Extra decorators applied at registration (`add_url_rule(view_func=login_required(f))`). */
  wrappers: { expr: PyNode; module: Module }[];
  /** The route decorator or `add_url_rule` call that registers it. */
  registration: PyNode;
  registrationModule: Module;
  /** First decorator of the handler, or its `def` (the anchor of route-level findings). */
  anchor: PyNode;
  kind: "function" | "method-view" | "resource" | "generated";
  /**
   * Views a library generates (Flask-Admin's create/edit/delete/action views): the handler is the
   * model view's method the generated view calls after validating its form.
   */
  generated?: {
    library: "flask-admin";
    view: "new" | "edit" | "delete" | "action";
    viewClass: PyNode;
    module: Module;
  };
}

export interface RouteFacts {
  auth: AuthKind[];
  csrf: CsrfDefenceKind[];
  dynamo: RouteDynamoOp[];
}

export interface FlaskModel {
  apps: FlaskApp[];
  blueprints: Blueprint[];
  extensions: Extension[];
  routes: Route[];
  facts: Map<Route, RouteFacts>;
}

export function emptyFlaskModel(): FlaskModel {
  return { apps: [], blueprints: [], extensions: [], routes: [], facts: new Map() };
}
