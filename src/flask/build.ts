/**
 * Builds the Flask model from the project model, in phases: apps and blueprints (every `Flask()`
 * and `Blueprint()` call, at module level or inside a factory), blueprint registrations (nested
 * ones included), routes in every form Flask accepts (`route` and the method shortcuts,
 * `add_url_rule` with functions or class-based views, Flask-RESTful and Flask-RESTX resources),
 * request hooks by scope, WSGI middleware, then extensions and configuration (their own modules).
 */

import type { PyNode } from "../python/ast.js";
import {
  argument,
  callArgs,
  child,
  decoratorExpression,
  decoratorsOf,
  enclosingFunction,
  statements,
  stringValue,
  walk,
} from "../python/ast.js";
import { calleeName, type Evaluator, matchesQualname, type Value } from "../python/evaluate.js";
import type { Module, Project } from "../python/project.js";
import { collectConfig } from "./config.js";
import { collectExtensions } from "./extensions.js";
import type { Blueprint, FlaskApp, FlaskModel, Handler, HookKind, Route } from "./model.js";
import { emptyFlaskModel } from "./model.js";
import * as N from "./names.js";

const ROUTE_SHORTCUTS: Record<string, string> = {
  get: "GET",
  post: "POST",
  put: "PUT",
  patch: "PATCH",
  delete: "DELETE",
};

const VIEW_METHODS = ["get", "post", "put", "patch", "delete", "head", "options"];

/** What an expression may refer to among the model's apps and blueprints. */
export interface Owners {
  apps: FlaskApp[];
  blueprints: Blueprint[];
}

export class FlaskModelBuilder {
  readonly model: FlaskModel = emptyFlaskModel();
  private readonly appBySite = new Map<PyNode, FlaskApp>();
  private readonly bpBySite = new Map<PyNode, Blueprint>();

  constructor(
    readonly project: Project,
    readonly ev: Evaluator,
  ) {}

  build(): FlaskModel {
    this.findAppsAndBlueprints();
    this.findRegistrations();
    this.findHooksAndMiddleware();
    const routes = [
      ...this.decoratedRoutes(),
      ...this.addUrlRuleRoutes(),
      ...this.resourceRoutes(),
      ...this.adminRoutes(),
    ];
    this.model.routes = dedupeRoutes(routes);
    collectConfig(this);
    collectExtensions(this);

    return this.model;
  }

  /** Apps and blueprints an expression may denote. */
  ownersOf(expr: PyNode, module: Module): Owners {
    const out: Owners = { apps: [], blueprints: [] };
    for (const v of this.ev.eval(expr, module)) {
      const site = siteOf(v);
      if (!site) {
        continue;
      }
      const app = this.appBySite.get(site);
      if (app && !out.apps.includes(app)) {
        out.apps.push(app);
      }
      const bp = this.bpBySite.get(site);
      if (bp && !out.blueprints.includes(bp)) {
        out.blueprints.push(bp);
      }
    }

    return out;
  }

  /** Apps a blueprint ends up on, with the URL prefix it has there. */
  mountsOf(
    bp: Blueprint,
    depth = 0,
  ): { app: FlaskApp; prefix: string | null; chain: Blueprint[] }[] {
    if (depth > 8) {
      return [];
    }
    const out: { app: FlaskApp; prefix: string | null; chain: Blueprint[] }[] = [];
    for (const reg of bp.registrations) {
      const own = reg.urlPrefix ?? bp.urlPrefix;
      if (reg.parent.kind === "app") {
        out.push({ app: reg.parent.app, prefix: own, chain: [bp] });
      } else {
        for (const m of this.mountsOf(reg.parent.blueprint, depth + 1)) {
          const prefix =
            m.prefix !== null && own !== null ? joinRule(m.prefix, own) : (own ?? m.prefix);
          out.push({ app: m.app, prefix, chain: [bp, ...m.chain] });
        }
      }
    }
    if (out.length === 0 && depth === 0 && !this.anyRegistration()) {
      // Registered in a way not followed (a loop over an import list, a plugin system): assume
      // the only app, or a stand-in app, so its routes are still analysed.
      out.push({ app: this.defaultApp(bp.module, bp.site), prefix: bp.urlPrefix, chain: [bp] });
    }

    return out;
  }

  /**
   * Whether the project registers blueprints anywhere we can see. When it does, a blueprint with
   * no registration is not served (Flask ignores it); when it does not (a blueprint module scanned
   * alone, registration done by a plugin loader), its routes are kept on a stand-in app.
   */
  private anyRegistration(): boolean {
    return this.model.blueprints.some((b) => b.registrations.length > 0);
  }

  private standIn: FlaskApp | null = null;

  private defaultApp(module: Module, site: PyNode): FlaskApp {
    if (this.model.apps.length === 1) {
      return this.model.apps[0]!;
    }
    if (!this.standIn) {
      this.standIn = {
        site,
        module,
        name: "app",
        factory: null,
        hooks: [],
        config: [],
        extensions: [],
        middleware: [],
      };
    }

    return this.standIn;
  }

  // -------------------------------------------------------------------------------------------
  // Phase 1: apps and blueprints.

  private findAppsAndBlueprints(): void {
    for (const { call, module } of this.ev.classCalls()) {
      const fn = child(call, "function");
      if (!fn) {
        continue;
      }
      const callee = this.ev.eval(fn, module);
      if (callee.some((v) => this.isClass(v, N.FLASK_APP))) {
        const app: FlaskApp = {
          site: call,
          module,
          name: assignedName(call) ?? "app",
          factory: enclosingFunction(call),
          hooks: [],
          config: [],
          extensions: [],
          middleware: [],
        };
        this.model.apps.push(app);
        this.appBySite.set(call, app);
      } else if (callee.some((v) => this.isClass(v, N.BLUEPRINT))) {
        const nameArg = argument(call, 0, "name");
        const prefixArg = argument(call, -1, "url_prefix");
        const bp: Blueprint = {
          site: call,
          module,
          name: (nameArg && this.constString(nameArg, module)) ?? assignedName(call) ?? "blueprint",
          urlPrefix: prefixArg ? this.constString(prefixArg, module) : null,
          registrations: [],
          hooks: [],
        };
        this.model.blueprints.push(bp);
        this.bpBySite.set(call, bp);
      }
    }
  }

  /** An external class among `names`, or a project class deriving from one. */
  isClass(v: Value, names: readonly string[]): boolean {
    if (v.kind === "external") {
      return matchesQualname(v.qualname, names);
    }
    if (v.kind === "class") {
      return this.ev.classDerivesFrom(v.def, v.module, names);
    }

    return false;
  }

  /** A string constant an expression evaluates to, when there is exactly one. */
  constString(expr: PyNode, module: Module): string | null {
    const direct = stringValue(expr);
    if (direct !== null) {
      return direct;
    }
    const values = this.ev.eval(expr, module).filter((v) => v.kind === "const");
    const first = values[0];

    return values.length === 1 && first?.kind === "const" && typeof first.value === "string"
      ? first.value
      : null;
  }

  // -------------------------------------------------------------------------------------------
  // Phase 2: blueprint registrations.

  private findRegistrations(): void {
    for (const { call, module } of this.ev.callsNamed("register_blueprint")) {
      const target = methodCallTarget(call, "register_blueprint");
      if (!target) {
        continue;
      }
      const owners = this.ownersOf(target, module);
      const bpArg = argument(call, 0, "blueprint");
      if (!bpArg) {
        continue;
      }
      const children = this.ownersOf(bpArg, module).blueprints;
      const prefixArg = argument(call, -1, "url_prefix");
      const urlPrefix = prefixArg ? this.constString(prefixArg, module) : null;
      for (const bp of children) {
        for (const app of owners.apps) {
          bp.registrations.push({ parent: { kind: "app", app }, urlPrefix, site: call, module });
        }
        for (const parent of owners.blueprints) {
          if (parent !== bp) {
            bp.registrations.push({
              parent: { kind: "blueprint", blueprint: parent },
              urlPrefix,
              site: call,
              module,
            });
          }
        }
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Phase 3: hooks and middleware.

  private findHooksAndMiddleware(): void {
    const hookNames: HookKind[] = ["before_request", "before_app_request"];
    // Decorated hooks: `@bp.before_request` above a def.
    for (const kind of hookNames) {
      for (const { decorator: dec, module } of this.ev.decoratorsNamed(kind)) {
        const expr = decoratorExpression(dec);
        const def = dec.parent ? child(dec.parent, "definition") : undefined;
        const object = expr?.type === "attribute" ? child(expr, "object") : undefined;
        if (object && def?.type === "function_definition") {
          const target = [{ kind: "function", def, module, self: null } as Value];
          this.addHook(object, module, kind, target, child(def, "name") ?? def, dec);
        }
      }
    }
    for (const kind of hookNames) {
      for (const { call, module } of this.ev.callsNamed(kind)) {
        const object = methodCallTarget(call, kind);
        const fnArg = argument(call, 0, "f");
        if (object && fnArg) {
          this.addHook(object, module, kind, this.ev.eval(fnArg, module), fnArg, call);
        }
      }
    }
    // `app.wsgi_app = Middleware(app.wsgi_app)`.
    for (const module of this.project.modules) {
      walk(module.root, (n) => {
        if (n.type === "assignment") {
          const left = child(n, "left");
          const right = child(n, "right");
          if (
            left?.type === "attribute" &&
            child(left, "attribute")?.text === "wsgi_app" &&
            right
          ) {
            const object = child(left, "object");
            for (const app of object ? this.ownersOf(object, module).apps : []) {
              app.middleware.push({ value: this.ev.eval(right, module), site: n, module });
            }
          }
        }
        return true;
      });
    }
  }

  private addHook(
    object: PyNode,
    module: Module,
    kind: HookKind,
    target: Value[],
    expr: PyNode,
    site: PyNode,
  ): void {
    const owners = this.ownersOf(object, module);
    for (const app of owners.apps) {
      // An app has no before_app_request; Flask raises. Treat it as before_request.
      app.hooks.push({ kind: "before_request", target, expr, site, module });
    }
    for (const bp of owners.blueprints) {
      bp.hooks.push({ kind, target, expr, site, module });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Phase 4: routes.

  private *decoratedRoutes(): Generator<Route> {
    for (const { def, module } of this.decoratedDefinitions("function_definition")) {
      const decorators = decoratorsOf(def);
      for (const dec of decorators) {
        const expr = decoratorExpression(dec);
        if (expr?.type !== "call") {
          continue;
        }
        const fn = child(expr, "function");
        const aliased = fn?.type === "identifier" ? this.routeAlias(fn, module) : null;
        const method =
          aliased?.method ?? (fn?.type === "attribute" ? child(fn, "attribute")?.text : undefined);
        const object = fn?.type === "attribute" ? child(fn, "object") : undefined;
        if (
          !method ||
          !(method === "route" || method in ROUTE_SHORTCUTS) ||
          (!object && !aliased)
        ) {
          continue;
        }
        const owners = aliased?.owners ?? this.ownersOf(object!, module);
        if (owners.apps.length === 0 && owners.blueprints.length === 0) {
          continue;
        }
        const ruleArg = argument(expr, 0, "rule");
        const rule = ruleArg ? this.constString(ruleArg, module) : null;
        if (rule === null) {
          continue;
        }
        const methods =
          method === "route" ? this.methodsOf(expr, module) : [ROUTE_SHORTCUTS[method]!];
        const endpoint = this.endpointOf(expr, module) ?? defNameOf(def);
        const handler = this.handlerFor(def, module, null);
        yield* this.placeRoutes(
          owners,
          rule,
          methods,
          endpoint,
          handler,
          expr,
          module,
          decorators[0] ?? def,
          "function",
          [],
        );
      }
    }
  }

  /**
   * `route = app.route` (or `post = bp.post`) then `@route("/x")`: the decorator names the bound
   * method of an app or blueprint through a variable.
   */
  private routeAlias(fn: PyNode, module: Module): { method: string; owners: Owners } | null {
    for (const v of this.ev.eval(fn, module)) {
      if (v.kind !== "member" || !(v.name === "route" || v.name in ROUTE_SHORTCUTS)) {
        continue;
      }
      const site = siteOf(v.of);
      const app = site ? this.appBySite.get(site) : undefined;
      const bp = site ? this.bpBySite.get(site) : undefined;
      if (app || bp) {
        return { method: v.name, owners: { apps: app ? [app] : [], blueprints: bp ? [bp] : [] } };
      }
    }

    return null;
  }

  private *addUrlRuleRoutes(): Generator<Route> {
    for (const { call, module } of this.ev.callsNamed("add_url_rule")) {
      const object = methodCallTarget(call, "add_url_rule");
      if (!object) {
        continue;
      }
      const owners = this.ownersOf(object, module);
      if (owners.apps.length === 0 && owners.blueprints.length === 0) {
        continue;
      }
      const ruleArg = argument(call, 0, "rule");
      const rule = ruleArg ? this.constString(ruleArg, module) : null;
      const viewArg = argument(call, 2, "view_func");
      if (rule === null || !viewArg) {
        continue;
      }
      const endpointArg = argument(call, 1, "endpoint");
      const endpoint = endpointArg ? this.constString(endpointArg, module) : null;
      const explicitMethods = callArgs(call).keywords.has("methods")
        ? this.methodsOf(call, module)
        : null;
      yield* this.viewFuncRoutes(owners, rule, endpoint, explicitMethods, viewArg, module, call);
    }
  }

  /** Routes for a `view_func`: a function, `Cls.as_view(...)`, or either wrapped by decorators. */
  private *viewFuncRoutes(
    owners: Owners,
    rule: string,
    endpoint: string | null,
    explicitMethods: string[] | null,
    viewArg: PyNode,
    module: Module,
    registration: PyNode,
  ): Generator<Route> {
    const wrappers: { expr: PyNode; module: Module }[] = [];
    // `view = NoteAPI.as_view("notes")` then `add_url_rule(..., view_func=view)`.
    let view = this.asViewBehind(viewArg, module) ?? viewArg;
    // `login_required(update)` or `admin_only(ItemView.as_view("item"))`: peel the wrappers.
    while (
      view.type === "call" &&
      child(child(view, "function") ?? view, "attribute")?.text !== "as_view"
    ) {
      const inner = argument(view, 0);
      const fn = child(view, "function");
      if (!inner || !fn) {
        break;
      }
      wrappers.push({ expr: fn, module });
      view = inner;
    }
    if (view.type === "call") {
      const fn = child(view, "function");
      const clsExpr = fn ? child(fn, "object") : undefined;
      const nameArg = argument(view, 0, "name");
      const name = nameArg ? this.constString(nameArg, module) : null;
      for (const cls of clsExpr ? this.ev.eval(clsExpr, module) : []) {
        if (cls.kind === "class") {
          yield* this.classViewRoutes(
            owners,
            rule,
            endpoint ?? name ?? "",
            explicitMethods,
            cls.def,
            cls.module,
            registration,
            module,
            wrappers,
          );
        }
      }
      return;
    }
    for (const v of this.ev.eval(view, module)) {
      if (v.kind === "function") {
        const handler = this.handlerFor(v.def, v.module, null);
        const methods = explicitMethods ?? ["GET"];
        yield* this.placeRoutes(
          owners,
          rule,
          methods,
          endpoint ?? handler.name,
          handler,
          registration,
          module,
          decoratorsOf(v.def)[0] ?? v.def,
          "function",
          wrappers,
        );
      }
    }
  }

  /** The `X.as_view(...)` call a name was assigned, when the name holds one. */
  private asViewBehind(expr: PyNode, module: Module): PyNode | null {
    if (expr.type !== "identifier") {
      return null;
    }
    const fn = enclosingFunction(expr);
    const bindings = fn
      ? this.ev.bindingsOf(fn, module).get(expr.text ?? "")
      : module.bindings.get(expr.text ?? "");
    for (const b of bindings ?? []) {
      if (
        b.kind === "assign" &&
        b.value?.type === "call" &&
        child(child(b.value, "function") ?? b.value, "attribute")?.text === "as_view"
      ) {
        return b.value;
      }
    }

    return null;
  }

  /** One route per HTTP-method function of a class-based view (MethodView, Resource). */
  private *classViewRoutes(
    owners: Owners,
    rule: string,
    endpoint: string,
    explicitMethods: string[] | null,
    cls: PyNode,
    clsModule: Module,
    registration: PyNode,
    registrationModule: Module,
    wrappers: { expr: PyNode; module: Module }[],
    kind: Route["kind"] = "method-view",
  ): Generator<Route> {
    const classWrappers = [...wrappers, ...this.classDecorators(cls, clsModule)];
    const defs = this.viewMethods(cls, clsModule);
    for (const [name, def] of defs) {
      const method = name === "dispatch_request" ? null : name.toUpperCase();
      const methods = method
        ? [method]
        : (explicitMethods ?? this.classMethodsAttr(cls, clsModule) ?? ["GET"]);
      if (explicitMethods && method && !explicitMethods.includes(method)) {
        continue;
      }
      // Flask calls the method with the rule's variables as keyword arguments: `post(self)` on
      // `/notes/<note_id>` raises TypeError before any line runs, so that route does not exist.
      if (method && !acceptsRuleVariables(def, rule)) {
        continue;
      }
      const handler = this.handlerFor(def, clsModule, cls);
      yield* this.placeRoutes(
        owners,
        rule,
        methods,
        endpoint,
        handler,
        registration,
        registrationModule,
        decoratorsOf(def)[0] ?? def,
        kind,
        classWrappers,
      );
    }
  }

  /** HTTP-method functions of a view class, following project base classes. */
  private viewMethods(cls: PyNode, module: Module, depth = 0): Map<string, PyNode> {
    const out = new Map<string, PyNode>();
    for (const stmt of statements(child(cls, "body"))) {
      const def = stmt.type === "decorated_definition" ? child(stmt, "definition") : stmt;
      const name = def?.type === "function_definition" ? child(def, "name")?.text : undefined;
      if (def && name && (VIEW_METHODS.includes(name) || name === "dispatch_request")) {
        out.set(name, def);
      }
    }
    if (depth < 6) {
      for (const base of this.ev.baseClasses(cls, module)) {
        if (base.kind === "class") {
          for (const [k, v] of this.viewMethods(base.def, base.module, depth + 1)) {
            if (!out.has(k)) {
              out.set(k, v);
            }
          }
        }
      }
    }
    if (out.size > 1) {
      out.delete("dispatch_request");
    }

    return out;
  }

  /** `decorators = [...]` (Flask views) and `method_decorators = [...]` (Flask-RESTful). */
  private classDecorators(cls: PyNode, module: Module): { expr: PyNode; module: Module }[] {
    const out: { expr: PyNode; module: Module }[] = [];
    for (const stmt of statements(child(cls, "body"))) {
      const assign = stmt.type === "expression_statement" ? stmt.children[0] : undefined;
      const name = assign?.type === "assignment" ? child(assign, "left")?.text : undefined;
      const right = assign ? child(assign, "right") : undefined;
      if ((name === "decorators" || name === "method_decorators") && right) {
        const items =
          right.type === "dictionary"
            ? right.children.map((p) => child(p, "value"))
            : right.children;
        for (const e of items) {
          if (e) {
            out.push({ expr: e, module });
          }
        }
      }
    }

    return out;
  }

  private classMethodsAttr(cls: PyNode, module: Module): string[] | null {
    for (const stmt of statements(child(cls, "body"))) {
      const assign = stmt.type === "expression_statement" ? stmt.children[0] : undefined;
      if (assign?.type === "assignment" && child(assign, "left")?.text === "methods") {
        const right = child(assign, "right");

        return right ? this.methodList(right, module) : null;
      }
    }

    return null;
  }

  /** Flask-RESTful `api.add_resource(...)` and Flask-RESTX `@ns.route(...)` resources. */
  private *resourceRoutes(): Generator<Route> {
    const apis = new Map<PyNode, { owners: Owners; prefix: string; module: Module }>();
    const namespaces = new Map<
      PyNode,
      { path: string; apis: { owners: Owners; prefix: string }[] }
    >();
    // Api objects: `Api(app)`, `Api(bp, prefix="/v1")`, or `Api()` + `api.init_app(app)`.
    for (const { call, module } of this.ev.classCalls()) {
      const fn = child(call, "function");
      if (!fn) {
        continue;
      }
      const callee = this.ev.eval(fn, module);
      if (callee.some((v) => this.isClass(v, [...N.RESTFUL_API, ...N.RESTX_API]))) {
        const appArg = argument(call, 0, "app");
        const prefixArg = argument(call, -1, "prefix");
        const owners = appArg ? this.ownersOf(appArg, module) : { apps: [], blueprints: [] };
        apis.set(call, {
          owners,
          prefix: (prefixArg && this.constString(prefixArg, module)) ?? "",
          module,
        });
      }
    }
    for (const { call, module } of this.ev.callsNamed("init_app")) {
      const object = methodCallTarget(call, "init_app");
      const appArg = argument(call, 0, "app");
      if (!object || !appArg) {
        continue;
      }
      for (const v of this.ev.eval(object, module)) {
        const api = v.kind === "call" ? apis.get(v.site) : undefined;
        if (api) {
          const owners = this.ownersOf(appArg, module);
          api.owners.apps.push(...owners.apps);
          api.owners.blueprints.push(...owners.blueprints);
        }
      }
    }
    const apiOf = (expr: PyNode, module: Module) =>
      this.ev
        .eval(expr, module)
        .flatMap((v) => (v.kind === "call" && apis.has(v.site) ? [apis.get(v.site)!] : []));

    // Namespaces and where they are added.
    for (const { call, module } of this.ev.classCalls()) {
      const fn = child(call, "function");
      if (fn && this.ev.eval(fn, module).some((v) => this.isClass(v, N.RESTX_NAMESPACE))) {
        const nameArg = argument(call, 0, "name");
        const pathArg = argument(call, -1, "path");
        const name = nameArg ? this.constString(nameArg, module) : null;
        const path = (pathArg && this.constString(pathArg, module)) ?? `/${name ?? ""}`;
        namespaces.set(call, { path, apis: [] });
      }
    }
    for (const { call, module } of this.ev.callsNamed("add_namespace")) {
      const object = methodCallTarget(call, "add_namespace");
      const nsArg = argument(call, 0, "ns");
      if (!object || !nsArg) {
        continue;
      }
      const pathArg = argument(call, 1, "path");
      const path = pathArg ? this.constString(pathArg, module) : null;
      for (const v of this.ev.eval(nsArg, module)) {
        const ns = v.kind === "call" ? namespaces.get(v.site) : undefined;
        if (!ns) {
          continue;
        }
        if (path !== null) {
          ns.path = path;
        }
        for (const api of apiOf(object, module)) {
          ns.apis.push({ owners: api.owners, prefix: api.prefix });
        }
      }
    }

    // `api.add_resource(Resource, "/a", "/b", endpoint=...)`.
    for (const { call, module } of this.ev.callsNamed("add_resource")) {
      const object = methodCallTarget(call, "add_resource");
      if (!object) {
        continue;
      }
      const args = callArgs(call);
      const [clsExpr, ...urls] = args.positional;
      if (!clsExpr) {
        continue;
      }
      const endpointArg = args.keywords.get("endpoint");
      for (const api of apiOf(object, module)) {
        for (const urlExpr of urls) {
          const url = this.constString(urlExpr, module);
          if (url === null) {
            continue;
          }
          for (const cls of this.ev.eval(clsExpr, module)) {
            if (cls.kind === "class") {
              const endpoint =
                (endpointArg && this.constString(endpointArg, module)) ??
                (child(cls.def, "name")?.text ?? "").toLowerCase();
              yield* this.classViewRoutes(
                api.owners,
                joinRule(api.prefix || "", url),
                endpoint,
                null,
                cls.def,
                cls.module,
                call,
                module,
                [],
                "resource",
              );
            }
          }
        }
      }
    }

    // `@ns.route("/x")` / `@api.route("/x")` on a Resource class.
    for (const { def: cls, module } of this.decoratedDefinitions("class_definition")) {
      for (const dec of decoratorsOf(cls)) {
        const expr = decoratorExpression(dec);
        const object = expr?.type === "call" ? methodCallTarget(expr, "route") : null;
        if (!expr || !object) {
          continue;
        }
        const urlArg = argument(expr, 0);
        const url = urlArg ? this.constString(urlArg, module) : null;
        if (url === null) {
          continue;
        }
        const endpoint = (child(cls, "name")?.text ?? "").toLowerCase();
        for (const v of this.ev.eval(object, module)) {
          const ns = v.kind === "call" ? namespaces.get(v.site) : undefined;
          const api = v.kind === "call" ? apis.get(v.site) : undefined;
          const mounts = ns
            ? ns.apis.map((a) => ({
                owners: a.owners,
                prefix: joinRule(a.prefix || "", ns.path),
              }))
            : api
              ? [{ owners: api.owners, prefix: api.prefix }]
              : [];
          for (const mount of mounts) {
            yield* this.classViewRoutes(
              mount.owners,
              joinRule(mount.prefix || "", url),
              endpoint,
              null,
              cls,
              module,
              expr,
              module,
              [],
              "resource",
            );
          }
        }
      }
    }
  }

  /**
   * Flask-Admin: `Admin(app)` (or `init_app`) plus `admin.add_view(View(..., endpoint="x"))` for a
   * model view generates `/admin/x/new/`, `/edit/`, `/delete/` and `/action/`, which call the
   * view's `create_model`, `update_model`, `delete_model` and `@action` methods.
   */
  private *adminRoutes(): Generator<Route> {
    const admins = new Map<PyNode, { apps: FlaskApp[]; url: string }>();
    for (const { call, module } of this.ev.classCalls()) {
      const fn = child(call, "function");
      if (fn && this.ev.eval(fn, module).some((v) => this.isClass(v, N.FLASK_ADMIN))) {
        const appArg = argument(call, 0, "app");
        const urlArg = argument(call, -1, "url");
        admins.set(call, {
          apps: appArg ? this.ownersOf(appArg, module).apps : [],
          url: (urlArg && this.constString(urlArg, module)) ?? "/admin",
        });
      }
    }
    if (admins.size === 0) {
      return;
    }
    for (const { call, module } of this.ev.callsNamed("init_app")) {
      const object = methodCallTarget(call, "init_app");
      const appArg = argument(call, 0, "app");
      for (const v of object && appArg ? this.ev.eval(object, module) : []) {
        const admin = v.kind === "call" ? admins.get(v.site) : undefined;
        admin?.apps.push(...this.ownersOf(appArg!, module).apps);
      }
    }
    const VIEWS: [NonNullable<Route["generated"]>["view"], string][] = [
      ["new", "create_model"],
      ["edit", "update_model"],
      ["delete", "delete_model"],
    ];
    for (const { call, module } of this.ev.callsNamed("add_view")) {
      const object = methodCallTarget(call, "add_view");
      const viewArg = argument(call, 0, "view");
      if (!object || !viewArg) {
        continue;
      }
      const targets = this.ev
        .eval(object, module)
        .flatMap((v) => (v.kind === "call" && admins.has(v.site) ? [admins.get(v.site)!] : []));
      for (const view of this.ev.eval(viewArg, module)) {
        if (
          view.kind !== "instance" ||
          !view.site ||
          !this.ev.classDerivesFrom(view.cls, view.clsModule, N.ADMIN_MODEL_VIEW)
        ) {
          continue;
        }
        const endpointArg = argument(view.site, -1, "endpoint");
        const urlArg = argument(view.site, -1, "url");
        const endpoint =
          (endpointArg && this.constString(endpointArg, view.module)) ??
          (child(view.cls, "name")?.text ?? "").toLowerCase();
        const url = urlArg ? this.constString(urlArg, view.module) : null;
        for (const admin of targets) {
          const base = url?.startsWith("/") ? url : joinRule(admin.url, url ?? endpoint);
          const methods: [NonNullable<Route["generated"]>["view"], PyNode | undefined][] =
            VIEWS.map(([v, name]) => [v, this.methodOf(view.cls, view.clsModule, name)]);
          methods.push(["action", this.actionMethod(view.cls)]);
          for (const [kind, def] of methods) {
            if (!def) {
              continue;
            }
            const handler = this.handlerFor(def, view.clsModule, view.cls);
            for (const app of admin.apps) {
              yield {
                app,
                blueprint: null,
                path: joinRule(base, `${kind}/`),
                methods: ["POST"],
                endpoint: `${endpoint}.${kind}_view`,
                handler,
                wrappers: [],
                registration: call,
                registrationModule: module,
                anchor: decoratorsOf(def)[0] ?? def,
                kind: "generated",
                generated: {
                  library: "flask-admin",
                  view: kind,
                  viewClass: view.cls,
                  module: view.clsModule,
                },
              };
            }
          }
        }
      }
    }
  }

  private methodOf(cls: PyNode, module: Module, name: string): PyNode | undefined {
    const found = this.ev.attributeOf({ kind: "class", def: cls, module }, name, module);
    const fn = found.find((v) => v.kind === "function");

    return fn?.kind === "function" ? fn.def : undefined;
  }

  /** The first method decorated with Flask-Admin's `@action(...)`. */
  private actionMethod(cls: PyNode): PyNode | undefined {
    for (const stmt of statements(child(cls, "body"))) {
      const def = stmt.type === "decorated_definition" ? child(stmt, "definition") : undefined;
      if (
        def &&
        decoratorsOf(def).some((d) =>
          /^action\b|\.action\b/.test(
            decoratorExpression(d)?.type === "call"
              ? (child(decoratorExpression(d)!, "function")?.text ?? "")
              : "",
          ),
        )
      ) {
        return def;
      }
    }

    return undefined;
  }

  /** Decorated functions or classes, in source order, from the evaluator's decorator index. */
  private decoratedDefinitions(
    type: "function_definition" | "class_definition",
  ): { def: PyNode; module: Module }[] {
    const out: { def: PyNode; module: Module }[] = [];
    const seen = new Set<PyNode>();
    for (const { decorator, module } of this.ev.decorators()) {
      const def = decorator.parent ? child(decorator.parent, "definition") : undefined;
      if (def?.type === type && !seen.has(def)) {
        seen.add(def);
        out.push({ def, module });
      }
    }

    return out;
  }

  /** Places a rule on every app it reaches, directly or through blueprint mounts. */
  private *placeRoutes(
    owners: Owners,
    rule: string,
    methods: string[],
    endpoint: string,
    handler: Handler,
    registration: PyNode,
    registrationModule: Module,
    anchor: PyNode,
    kind: Route["kind"],
    wrappers: { expr: PyNode; module: Module }[],
  ): Generator<Route> {
    for (const app of owners.apps) {
      yield {
        app,
        blueprint: null,
        path: rule,
        methods,
        endpoint,
        handler,
        wrappers,
        registration,
        registrationModule,
        anchor,
        kind,
      };
    }
    for (const bp of owners.blueprints) {
      for (const mount of this.mountsOf(bp)) {
        const path = mount.prefix !== null ? joinRule(mount.prefix, rule) : rule;
        yield {
          app: mount.app,
          blueprint: bp,
          path,
          methods,
          endpoint: `${bp.name}.${endpoint}`,
          handler,
          wrappers,
          registration,
          registrationModule,
          anchor,
          kind,
        };
      }
    }
  }

  private handlerFor(def: PyNode, module: Module, viewClass: PyNode | null): Handler {
    const name = defNameOf(def);
    const owner = viewClass ? `${child(viewClass, "name")?.text ?? ""}.` : "";

    return {
      module,
      def,
      name: viewClass ? `${owner}${name}` : name,
      qualname: `${module.name}.${viewClass ? owner : ""}${name}`,
      viewClass,
    };
  }

  /** `methods=[...]` of a route call, upper-cased; GET when absent. */
  private methodsOf(call: PyNode, module: Module): string[] {
    const arg = callArgs(call).keywords.get("methods");
    if (!arg) {
      return ["GET"];
    }

    return this.methodList(arg, module) ?? ["GET"];
  }

  methodList(expr: PyNode, module: Module): string[] | null {
    const out: string[] = [];
    const items = this.ev
      .eval(expr, module)
      .flatMap((v) =>
        v.kind === "sequence" ? v.node.children.map((c) => ({ c, m: v.module })) : [],
      );
    for (const { c, m } of items) {
      const s = this.constString(c, m);
      if (s !== null && !out.includes(s.toUpperCase())) {
        out.push(s.toUpperCase());
      }
    }

    return items.length > 0 ? out : null;
  }

  private endpointOf(call: PyNode, module: Module): string | null {
    const arg = callArgs(call).keywords.get("endpoint");

    return arg ? this.constString(arg, module) : null;
  }
}

/** Whether a view function can be called with the rule's URL variables as keyword arguments. */
export function acceptsRuleVariables(def: PyNode, rule: string): boolean {
  const variables = [...rule.matchAll(/<(?:[^:<>]+:)?([A-Za-z_][A-Za-z0-9_]*)>/g)].map(
    (m) => m[1]!,
  );
  const params = child(def, "parameters")?.children ?? [];
  let hasKwargs = false;
  const names: string[] = [];
  const required: string[] = [];
  params.forEach((p, i) => {
    if (p.type === "dictionary_splat_pattern") {
      hasKwargs = true;
      return;
    }
    if (
      p.type === "list_splat_pattern" ||
      p.type === "keyword_separator" ||
      p.type === "positional_separator"
    ) {
      return;
    }
    const name =
      p.type === "identifier"
        ? p.text
        : (child(p, "name")?.text ?? p.children.find((c) => c.type === "identifier")?.text);
    if (!name || (i === 0 && (name === "self" || name === "cls"))) {
      return;
    }
    names.push(name);
    if (p.type === "identifier" || p.type === "typed_parameter") {
      required.push(name);
    }
  });

  return (
    required.every((r) => variables.includes(r)) &&
    (hasKwargs || variables.every((v) => names.includes(v)))
  );
}

/** For `obj.name(...)`, the `obj` expression; null for other calls. */
export function methodCallTarget(call: PyNode, name: string): PyNode | null {
  const fn = child(call, "function");
  if (fn?.type !== "attribute" || child(fn, "attribute")?.text !== name) {
    return null;
  }

  return child(fn, "object") ?? null;
}

/** Flask's rule join: `prefix.rstrip("/") + "/" + rule.lstrip("/")`, or the prefix for an empty rule. */
export function joinRule(prefix: string, rule: string): string {
  if (!rule) {
    return prefix;
  }

  return `${prefix.replace(/\/+$/, "")}/${rule.replace(/^\/+/, "")}`;
}

function defNameOf(def: PyNode): string {
  return child(def, "name")?.text ?? "";
}

function assignedName(call: PyNode): string | null {
  const p = call.parent;
  if (p?.type === "assignment" && child(p, "right") === call) {
    const left = child(p, "left");
    if (left?.type === "identifier") {
      return left.text ?? null;
    }
    if (left?.type === "attribute") {
      return child(left, "attribute")?.text ?? null;
    }
  }

  return null;
}

/** The creation site of an abstract object, when it has one. */
export function siteOf(v: Value): PyNode | null {
  if (v.kind === "call") {
    return v.site;
  }
  if (v.kind === "instance") {
    return v.site;
  }

  return null;
}

function dedupeRoutes(routes: Route[]): Route[] {
  const seen = new Set<string>();
  const out: Route[] = [];
  for (const r of routes) {
    const key = `${r.app.site.start}:${r.app.module.path}|${r.path}|${r.methods.join(",")}|${r.handler.module.path}:${r.handler.def.start}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(r);
    }
  }

  return out;
}

export { calleeName };
