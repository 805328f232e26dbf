/**
 * Role checks: function-level authorisation that runs before a handler's work. A check counts
 * when a library decorator requires a role (`roles_required`, `roles_accepted`,
 * `permissions_required`), or when a hook, a decorator's wrapper or the handler itself stops the
 * request unless the identity's role matches: `current_user.role == "admin"`,
 * `g.user["role"] in ("admin", "owner")`, `current_user.is_admin`, `current_user.has_role("x")`.
 */

import type { AnalysisContext } from "../analysis/context.js";
import type { PyNode } from "../python/ast.js";
import { child, comparisonOperands, stringValue, unparen, walk } from "../python/ast.js";
import type { Module } from "../python/project.js";
import { proceedFacts } from "./csrf.js";
import type { RouteAnalysis } from "./route.js";
import { identityRead, sessionRead } from "./sources.js";
import { atomicFacts, type Fact } from "./walker.js";

/** Attribute names that hold a role or an admin flag. */
const ROLE_NAMES =
  /^(role|roles|user_role|is_admin|is_staff|is_superuser|admin|superuser|permissions?|scopes?|groups?|access_level|tier_admin)$/;
const ROLE_CALLS =
  /^(has_role|has_roles|has_permission|has_permissions|is_admin|is_staff|can|allowed_to)$/;
const LIBRARY_ROLE =
  /(^|\.)(roles_required|roles_accepted|permissions_required|permissions_accepted|admin_required|staff_required|superuser_required)$/;

export interface RoleCheck {
  node: PyNode;
  module: Module;
  where: "decorator" | "hook" | "handler";
}

/** The first role check that guards the route under `method`, if any. */
export function roleCheck(
  ctx: AnalysisContext,
  a: RouteAnalysis,
  method: string,
): RoleCheck | null {
  for (const unit of a.units) {
    if (unit.library && LIBRARY_ROLE.test(unit.library)) {
      return { node: unit.expr, module: unit.module, where: "decorator" };
    }
    if (unit.owner === "is_accessible" && unit.body) {
      // Flask-Admin: is_accessible() gates every generated view; a role there is a role check.
      if (mentionsRole(ctx, unit.body.fn, unit.body.module)) {
        return { node: unit.body.fn, module: unit.body.module, where: "hook" };
      }
      continue;
    }
    const facts = proceedFacts(ctx, unit, method);
    const f = facts ? roleFact(ctx, facts) : null;
    if (f) {
      return { node: f.cond, module: f.module, where: unit.kind };
    }
  }
  const m = a.methods.get(method);
  if (m) {
    for (const sink of m.ops) {
      const f = roleFact(ctx, sink.segment.guards);
      if (f) {
        return { node: f.cond, module: f.module, where: "handler" };
      }
    }
  }

  return null;
}

/** A fact that holds only for privileged identities. */
export function roleFact(ctx: AnalysisContext, facts: readonly Fact[]): Fact | null {
  for (const f of atomicFacts(facts)) {
    if (isRoleCondition(ctx, f)) {
      return f;
    }
  }

  return null;
}

function isRoleCondition(ctx: AnalysisContext, f: Fact): boolean {
  const n = unparen(f.cond);
  if (n.type === "comparison_operator") {
    const ops = n.children.filter((c) => c.field === "operators").map((c) => c.text);
    const [a, b] = comparisonOperands(n);
    if (!a || !b) {
      return false;
    }
    const positive = (ops[0] === "==" || ops[0] === "in" || ops[0] === "is") === f.holds;
    if (!positive) {
      return false;
    }

    return (
      (isRoleRead(ctx, a, f.module) && isConstant(b)) ||
      (isRoleRead(ctx, b, f.module) && isConstant(a)) ||
      (isConstant(a) && isRoleRead(ctx, b, f.module))
    );
  }
  if (n.type === "call" && f.holds) {
    const fn = child(n, "function");
    const name = fn?.type === "attribute" ? child(fn, "attribute")?.text : fn?.text;
    const obj = fn?.type === "attribute" ? child(fn, "object") : undefined;

    return !!name && ROLE_CALLS.test(name) && (!obj || isIdentity(ctx, obj, f.module));
  }
  // `if not current_user.is_admin: abort(403)` leaves `current_user.is_admin` holding.
  if ((n.type === "attribute" || n.type === "subscript") && f.holds) {
    return isRoleRead(ctx, n, f.module) && /admin|staff|superuser/.test(lastName(n) ?? "");
  }

  return false;
}

/** `current_user.role`, `g.user["role"]`, `session["role"]`, `claims["roles"]`. */
function isRoleRead(ctx: AnalysisContext, n: PyNode, module: Module): boolean {
  const u = unparen(n);
  const name = lastName(u);
  if (!name || !ROLE_NAMES.test(name)) {
    return false;
  }
  if (u.type === "subscript" && sessionRead(u, module, ctx.ev)) {
    return true;
  }
  const base =
    u.type === "attribute"
      ? child(u, "object")
      : u.type === "subscript"
        ? child(u, "value")
        : undefined;

  return !!base && (isIdentity(ctx, base, module) || base.type === "identifier");
}

function isIdentity(ctx: AnalysisContext, n: PyNode, module: Module): boolean {
  let found = false;
  walk(n, (c) => {
    if (identityRead(c, module, ctx.ev) || sessionRead(c, module, ctx.ev)) {
      found = true;
    }
    return !found;
  });

  return found;
}

function lastName(n: PyNode): string | null {
  if (n.type === "attribute") {
    return child(n, "attribute")?.text ?? null;
  }
  if (n.type === "subscript") {
    const key = child(n, "subscript");
    return key ? stringValue(key) : null;
  }
  if (n.type === "call") {
    const fn = child(n, "function");
    return fn ? lastName(fn) : null;
  }

  return null;
}

function isConstant(n: PyNode): boolean {
  const u = unparen(n);
  if (stringValue(u) !== null || u.type === "true" || u.type === "integer") {
    return true;
  }
  if (u.type === "tuple" || u.type === "list" || u.type === "set") {
    return u.children.every((c) => stringValue(c) !== null);
  }

  // A named constant, or a decorator factory's argument (`require_role(*roles)` → `roles`).
  return u.type === "identifier";
}

function mentionsRole(ctx: AnalysisContext, fn: PyNode, module: Module): boolean {
  let found = false;
  walk(fn, (n) => {
    if ((n.type === "attribute" || n.type === "subscript") && isRoleRead(ctx, n, module)) {
      found = true;
    }
    if (n.type === "call") {
      const f = child(n, "function");
      const name = f?.type === "attribute" ? child(f, "attribute")?.text : undefined;
      if (name && ROLE_CALLS.test(name)) {
        found = true;
      }
    }
    return !found;
  });

  return found;
}
