/**
 * Role checks: the facts that show a request comes from an administrator (or some other privileged
 * role) before it goes on. A fact is a role check when it compares a role-like value of the caller
 * (`current_user.role`, `g.user["role"]`, `session["role"]`, `get_jwt()["roles"]`, `claims.get("role")`)
 * with something the client does not choose, tests a flag such as `current_user.is_admin`, or calls
 * `has_role(...)`, `has_permission(...)`, `is_admin()` and the like, in the direction that lets the
 * request through. A check found where a unit (hook, decorator, Flask-Admin `is_accessible`) lets
 * the request through, or among the conditions that hold at a write, guards it.
 */

import type { AnalysisContext } from "../analysis/context.js";
import type { Route } from "../flask/model.js";
import type { PyNode } from "../python/ast.js";
import {
  argument,
  child,
  comparisonOperands,
  comparisonOperators,
  enclosingFunction,
  stringValue,
  unparen,
  walk,
} from "../python/ast.js";
import type { Module } from "../python/project.js";
import type { Evidence } from "../report/types.js";
import { proceedFacts } from "./csrf.js";
import { decideUnderRoute } from "./decide.js";
import type { GuardUnit } from "./route.js";
import { originsOf } from "./sources.js";
import { atomicFacts, type Fact, Walker } from "./walker.js";

/** Attribute, key and variable names that hold a caller's role or privilege flag. */
const ROLE_NAME =
  /^(roles?|role_name|user_role|user_roles|is_admin|isadmin|is_staff|isstaff|is_superuser|is_superadmin|is_administrator|admin|superuser|is_manager|is_owner|permissions?|perms|groups|access_level|user_type|account_type|scopes?)$/i;
/** Calls that answer "does the caller have this role or permission?". */
const ROLE_CALL =
  /^(has_roles?|has_any_role|has_all_roles|is_admin|is_staff|is_superuser|is_administrator|has_permissions?|has_perm|has_scope|check_permissions?|check_role|require_role|can)$/;
/** Library decorators that refuse callers without a role or permission. */
const ROLE_DECORATOR =
  /(^|[.#])(roles_required|roles_accepted|permissions_required|permissions_accepted|admin_required|staff_required|superuser_required|role_required|requires_roles?|has_role|staff_member_required)$|^flask_principal\.(Permission|RoleNeed)#require$/;

export interface RoleCheck {
  node: PyNode;
  module: Module;
  note: string;
}

/** A role check among facts, or null. */
export function roleCheckIn(ctx: AnalysisContext, facts: readonly Fact[]): RoleCheck | null {
  for (const f of atomicFacts(facts)) {
    if (isRoleFact(ctx, f)) {
      return {
        node: f.cond,
        module: f.module,
        note: `role check \`${snippet(f.module, f.cond)}\``,
      };
    }
  }

  return null;
}

/** The role check a hook, decorator or `is_accessible` makes before the view runs, if any. */
export function unitRoleCheck(
  ctx: AnalysisContext,
  unit: GuardUnit,
  method: string,
  route: Route,
): RoleCheck | null {
  if (unit.library && ROLE_DECORATOR.test(unit.library)) {
    return {
      node: unit.expr,
      module: unit.module,
      note: `\`${snippet(unit.module, unit.expr)}\` refuses callers without the role`,
    };
  }
  if (!unit.body) {
    // A decorator the scan cannot read (from an unresolved module) is taken at its name.
    const callee = unit.expr.type === "call" ? child(unit.expr, "function") : unit.expr;
    const name = callee?.type === "attribute" ? child(callee, "attribute")?.text : callee?.text;
    const named = unit.kind === "decorator" && !unit.library && name && ROLE_DECORATOR.test(name);

    return named
      ? {
          node: unit.expr,
          module: unit.module,
          note: `\`@${snippet(unit.module, unit.expr)}\` is named for a role check`,
        }
      : null;
  }
  const found = bodyRoleCheck(ctx, unit, unit.body.fn, method, route);

  return found
    ? {
        ...found,
        note: `${describeUnit(unit)} lets the request through only after a ${found.note}`,
      }
    : null;
}

/**
 * The role check a unit's body makes, remembered per function: the same hook or decorator runs
 * before many routes, and walking it again for each would repeat the same work.
 */
const bodyChecks = new WeakMap<PyNode, Map<string, RoleCheck | null>>();

function bodyRoleCheck(
  ctx: AnalysisContext,
  unit: GuardUnit,
  fn: PyNode,
  method: string,
  route: Route,
): RoleCheck | null {
  const key = `${unit.kind}:${unit.owner === "is_accessible"}:${method}:${route.path}`;
  let known = bodyChecks.get(fn);
  if (!known) {
    known = new Map();
    bodyChecks.set(fn, known);
  }
  const cached = known.get(key);
  if (cached !== undefined) {
    return cached;
  }
  const facts =
    unit.owner === "is_accessible"
      ? accessibleFacts(ctx, unit, method)
      : proceedFacts(ctx, unit, method);
  const found = facts ? roleCheckIn(ctx, [...facts, ...decidedForRoute(ctx, facts, route)]) : null;
  known.set(key, found);

  return found;
}

/** Role checks of every unit of a route, for requests of `method`. */
export function unitsRoleCheck(
  ctx: AnalysisContext,
  units: readonly GuardUnit[],
  method: string,
  route: Route,
): RoleCheck | null {
  for (const u of units) {
    const found = unitRoleCheck(ctx, u, method, route);
    if (found) {
      return found;
    }
  }

  return null;
}

/**
 * What a compound fact says once the parts that depend only on the request path are decided for
 * this route. `if request.path.startswith("/admin") and current_user.role != "admin": abort(403)`
 * lets a request to `/admin/users` through only when the role check fails, so for that route the
 * role comparison holds false; for `/me` nothing follows.
 */
function decidedForRoute(ctx: AnalysisContext, facts: readonly Fact[], route: Route): Fact[] {
  const out: Fact[] = [];
  for (const f of facts) {
    const n = unparen(f.cond);
    const op =
      n.type === "boolean_operator" ? n.children.find((c) => c.field === "operator")?.text : null;
    // `A and B` false, or `A or B` true: one undecided part is left when the others are settled.
    if (!((op === "and" && !f.holds) || (op === "or" && f.holds))) {
      continue;
    }
    const parts = flatten(n, op);
    const decided = parts.map((p) => decideUnderRoute(ctx.ev, p, f.module, route));
    const settled = op === "and";
    const open = parts.filter((_, i) => decided[i] === null);
    if (open.length === 1 && decided.every((d) => d === null || d === settled)) {
      out.push(...atomicFacts([{ cond: open[0]!, module: f.module, holds: f.holds }]));
    }
  }

  return out;
}

function flatten(n: PyNode, op: string): PyNode[] {
  const u = unparen(n);
  const own =
    u.type === "boolean_operator" ? u.children.find((c) => c.field === "operator")?.text : null;
  if (own !== op) {
    return [u];
  }
  const l = child(u, "left");
  const r = child(u, "right");

  return [...(l ? flatten(l, op) : []), ...(r ? flatten(r, op) : [])];
}

/**
 * Facts under which Flask-Admin's `is_accessible()` answers true: the conditions on the way to
 * each `return` of something other than False/None, and the returned expression itself.
 */
function accessibleFacts(ctx: AnalysisContext, unit: GuardUnit, method: string): Fact[] | null {
  if (!unit.body) {
    return null;
  }
  const trace = Walker.run(ctx.ev, unit.body.fn, unit.body.module, { method });
  const paths: Fact[][] = [];
  for (const exit of trace.exits) {
    if (exit.kind !== "return" || exit.chain.length > 0 || !exit.value) {
      continue;
    }
    const v = unparen(exit.value);
    if (v.type === "false" || v.type === "none") {
      continue;
    }
    paths.push([...exit.guards, { cond: v, module: exit.module, holds: true }]);
  }
  if (paths.length === 0) {
    return null;
  }
  const [first, ...rest] = paths.map((p) => atomicFacts(p));

  return (first ?? []).filter((f) =>
    rest.every((p) => p.some((g) => g.cond === f.cond && g.holds === f.holds)),
  );
}

function isRoleFact(ctx: AnalysisContext, f: Fact): boolean {
  const n = unparen(f.cond);
  if (n.type === "comparison_operator") {
    const ops = comparisonOperators(n);
    const operands = comparisonOperands(n);
    if (ops.length !== 1 || operands.length !== 2) {
      return false;
    }
    const op = ops[0]!;
    const equalOnPass =
      (["==", "in", "is"].includes(op) && f.holds) ||
      (["!=", "not in", "is not"].includes(op) && !f.holds);
    const ordering = ["<", "<=", ">", ">="].includes(op);
    if (!equalOnPass && !ordering) {
      return false;
    }
    const [a, b] = operands as [PyNode, PyNode];
    const roleSide = mentionsRole(a, ctx, f.module) ? a : mentionsRole(b, ctx, f.module) ? b : null;
    if (!roleSide) {
      return false;
    }

    // Comparing with something the client sends proves nothing about the caller.
    if (fromRequest(ctx, a, f.module) || fromRequest(ctx, b, f.module)) {
      return false;
    }
    // Requiring an ordinary role (`role == "customer"`, `account_type == "business"`) lets every
    // ordinary user through: only a privileged literal, or a value not written here (a decorator
    // factory's `roles`), makes it a function-level check.
    const other = roleSide === a ? b : a;
    const literals = literalValues(other);

    return literals === null || ordering || literals.some((v) => !ORDINARY.test(v));
  }
  if (!f.holds) {
    return false;
  }
  if (n.type === "call") {
    const fn = child(n, "function");
    const name = fn?.type === "attribute" ? child(fn, "attribute")?.text : fn?.text;
    if (name && ROLE_CALL.test(name) && !fromRequest(ctx, n, f.module)) {
      const first = argument(n, 0);
      const literals = first ? literalValues(first) : null;

      return literals === null || literals.some((v) => !ORDINARY.test(v));
    }
    // `getattr(current_user, "is_admin", False)`
    if (fn?.type === "identifier" && fn.text === "getattr") {
      const attr = argument(n, 1);
      const s = attr ? stringValue(attr) : null;
      return s !== null && ROLE_NAME.test(s);
    }
  }

  // `current_user.is_admin`, `set(roles) & current_user.roles`, `claims.get("admin")`.
  return mentionsRole(n, ctx, f.module) && !fromRequest(ctx, n, f.module);
}

/**
 * Role names every ordinary signed-in user has: requiring one of them is not a function-level
 * authorisation check. Any other role literal (`admin`, `dispatcher`, `auditor`) is taken as a
 * privileged role.
 */
const ORDINARY =
  /^(user|users|member|members|customer|customers|patient|patients|client|clients|guest|student|basic|free|viewer|reader|business|personal|individual|consumer|buyer|seller|standard|regular|default)$/i;

/** The string literals an expression is made of, or null when it is not literal. */
function literalValues(node: PyNode): string[] | null {
  const n = unparen(node);
  const s = stringValue(n);
  if (s !== null) {
    return [s];
  }
  if (n.type === "tuple" || n.type === "list" || n.type === "set") {
    const items = n.children.map((c) => stringValue(c));

    return items.every((x): x is string => x !== null) ? items : null;
  }

  return null;
}

/** Whether an expression reads a role-like attribute, key or variable. */
function mentionsRole(node: PyNode, ctx?: AnalysisContext, module?: Module, depth = 0): boolean {
  let found = false;
  walk(unparen(node), (n) => {
    if (found) {
      return false;
    }
    if (n.type === "identifier" && ROLE_NAME.test(n.text ?? "")) {
      found = true;
    } else if (n.type === "identifier" && ctx && module && depth < 2 && n.field !== "attribute") {
      // `granted = get_jwt()["permissions"]` ... `all(p in granted for p in needed)`.
      const fn = enclosingFunction(n);
      const bindings = fn ? (ctx.ev.bindingsOf(fn, module).get(n.text ?? "") ?? []) : [];
      found = bindings.some(
        (b) =>
          b.kind === "assign" && b.value !== null && mentionsRole(b.value, ctx, module, depth + 1),
      );
    } else if (n.type === "subscript") {
      const key = child(n, "subscript");
      const s = key ? stringValue(key) : null;
      found = s !== null && ROLE_NAME.test(s);
    } else if (n.type === "call") {
      // `claims.get("role")`, `getattr(current_user, "role", None)`
      const fn = child(n, "function");
      const isGet = fn?.type === "attribute" && child(fn, "attribute")?.text === "get";
      const isGetattr = fn?.type === "identifier" && fn.text === "getattr";
      const key = isGet ? argument(n, 0) : isGetattr ? argument(n, 1) : undefined;
      const s = key ? stringValue(key) : null;
      found = s !== null && ROLE_NAME.test(s);
    }
    return !found;
  });

  return found;
}

function fromRequest(ctx: AnalysisContext, node: PyNode, module: Module): boolean {
  return originsOf(node, module, ctx.ev).some((o) => o.kind === "request");
}

function describeUnit(unit: GuardUnit): string {
  if (unit.owner === "is_accessible") {
    return "Flask-Admin's `is_accessible()`";
  }

  return unit.kind === "hook"
    ? `the ${unit.owner ?? "request"} hook`
    : `the \`@${snippet(unit.module, unit.expr)}\` decorator`;
}

export function snippet(module: Module, node: PyNode): string {
  const text = module.text(node).replace(/\s+/g, " ");

  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function roleEvidence(check: RoleCheck): Evidence {
  return { file: check.module.path, line: check.module.line(check.node), note: check.note };
}
