/**
 * The project model: every analysed Python module with its dotted name, its module-level bindings
 * and its imports, and name resolution across modules (absolute and relative imports, `as`
 * aliases, re-exports through a package's `__init__`). Anything imported from outside the project
 * resolves to an external qualified name such as `flask_wtf.csrf.CSRFProtect`.
 */

import type { ParsedModule } from "../parse/types.js";
import type { Comment, PyNode, SyntaxProblem } from "./ast.js";
import { child, childrenByField, dottedParts, lineOf, statements } from "./ast.js";

/** A name bound at module level (or, for `locals`, inside one function). */
export type Binding =
  | { kind: "def"; node: PyNode }
  | { kind: "class"; node: PyNode }
  | {
      kind: "assign";
      target: PyNode;
      value: PyNode | null;
      stmt: PyNode;
      /**
       * For `a, b = helper()`: the unpacked expression and this name's position in it (the value
       * itself is unknown without looking into what `helper` returns).
       */
      unpacked?: { source: PyNode; index: number[] };
    }
  /** `import a.b as c` gives {module: "a.b"}; `import a.b` binds `a` as {module: "a"}. */
  | { kind: "import"; module: string; stmt: PyNode }
  /** `from m import n as x` gives {module: "m", name: "n"}. */
  | { kind: "from"; module: string; name: string; stmt: PyNode };

export class Module {
  readonly bindings = new Map<string, Binding[]>();
  /** Modules this one imports, absolute dotted names (relative ones resolved). */
  readonly importedModules = new Set<string>();
  /** `from m import *` sources. */
  readonly starImports: string[] = [];

  constructor(
    readonly name: string,
    readonly path: string,
    readonly isPackage: boolean,
    readonly source: string,
    readonly lineStarts: number[],
    readonly root: PyNode,
    readonly comments: Comment[],
    readonly syntaxErrors: SyntaxProblem[],
  ) {}

  line(node: PyNode): number {
    return lineOf(this.lineStarts, node.start);
  }

  text(node: PyNode): string {
    return this.source.slice(node.start, node.end);
  }

  /** True for modules under a tests folder or named like a test module. */
  get isTest(): boolean {
    return isTestPath(this.path);
  }
}

/**
 * The folder a module's dotted name starts from (`examples/fixed` for
 * `examples/fixed/pettycash/views.py` named `pettycash.views`).
 */
export function sourceRootOf(m: Module): string {
  const depth = m.name.split(".").length + (m.isPackage ? 1 : 0);
  const parts = m.path.split("/");

  return parts.slice(0, Math.max(0, parts.length - depth)).join("/");
}

export function isTestPath(path: string): boolean {
  return (
    /(^|\/)(tests?|testing)\//.test(path) ||
    /(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$/.test(path)
  );
}

/** What a name resolves to. */
export type Resolved =
  | { kind: "module"; module: Module }
  | { kind: "def"; module: Module; node: PyNode }
  | { kind: "class"; module: Module; node: PyNode }
  | { kind: "value"; module: Module; node: PyNode; target: PyNode }
  | { kind: "external"; qualname: string };

export class Project {
  readonly modules: Module[] = [];
  /** Modules by dotted name; several apps in one tree can each have a `pkg.views`. */
  private readonly byName = new Map<string, Module[]>();
  private readonly byPath = new Map<string, Module>();

  /** Namespace-package names (see `namespaceAliases`), consulted when no module has the name. */
  private readonly byAlias = new Map<string, Module[]>();

  constructor(parsed: readonly ParsedModule[], options: { rootName?: string } = {}) {
    const paths = new Set(parsed.map((p) => p.path));
    for (const p of parsed) {
      const { name, isPackage } = moduleNameFor(p.path, paths, options.rootName);
      const m = new Module(
        name,
        p.path,
        isPackage,
        p.source,
        p.lineStarts,
        p.root,
        p.comments,
        p.syntaxErrors,
      );
      this.modules.push(m);
      // Two files can claim one dotted name (two apps side by side, each with its own `app`
      // package): lookups prefer the one under the importing module's source root.
      const same = this.byName.get(name);
      if (same) {
        same.push(m);
      } else {
        this.byName.set(name, [m]);
      }
      this.byPath.set(p.path, m);
      for (const alias of namespaceAliases(p.path, name)) {
        const list = this.byAlias.get(alias) ?? [];
        list.push(m);
        this.byAlias.set(alias, list);
      }
    }
    for (const m of this.modules) {
      collectBindings(m, m.root, m.bindings, this);
    }
  }

  /** The module called `name`, preferring one in the same source tree as `from`. */
  module(name: string, from?: Module): Module | undefined {
    const candidates = this.byName.get(name) ?? this.byAlias.get(name);
    if (!candidates || candidates.length === 0) {
      return undefined;
    }
    if (candidates.length === 1 || !from) {
      return candidates[0];
    }
    const root = sourceRootOf(from);

    return candidates.find((c) => sourceRootOf(c) === root) ?? candidates[0];
  }

  moduleByPath(path: string): Module | undefined {
    return this.byPath.get(path);
  }

  /** Resolves `name` as seen at the top level of `module`. */
  resolveGlobal(module: Module, name: string, seen = new Set<string>()): Resolved[] {
    const key = `${module.path}:${name}`;
    if (seen.has(key)) {
      return [];
    }
    seen.add(key);
    const bindings = module.bindings.get(name);
    if (bindings && bindings.length > 0) {
      return bindings.flatMap((b) => this.resolveBinding(module, b, seen));
    }
    for (const star of module.starImports) {
      const target = this.module(star, module);
      if (target) {
        const r = this.resolveGlobal(target, name, seen);
        if (r.length > 0) {
          return r;
        }
      }
    }
    if (BUILTINS.has(name)) {
      return [{ kind: "external", qualname: `builtins.${name}` }];
    }

    return [];
  }

  resolveBinding(module: Module, b: Binding, seen = new Set<string>()): Resolved[] {
    switch (b.kind) {
      case "def":
        return [{ kind: "def", module, node: b.node }];
      case "class":
        return [{ kind: "class", module, node: b.node }];
      case "assign":
        return b.value ? [{ kind: "value", module, node: b.value, target: b.target }] : [];
      case "import": {
        const target = this.module(b.module, module);

        return target
          ? [{ kind: "module", module: target }]
          : [{ kind: "external", qualname: b.module }];
      }
      case "from":
        return this.resolveMember(b.module, b.name, seen, module);
    }
  }

  /** Resolves `from moduleName import name`. */
  resolveMember(
    moduleName: string,
    name: string,
    seen = new Set<string>(),
    from?: Module,
  ): Resolved[] {
    const target = this.module(moduleName, from);
    if (!target) {
      const sub = this.module(`${moduleName}.${name}`, from);
      if (sub) {
        return [{ kind: "module", module: sub }];
      }

      return [{ kind: "external", qualname: `${moduleName}.${name}` }];
    }
    const inModule = this.resolveGlobal(target, name, seen);
    if (inModule.length > 0) {
      return inModule;
    }
    const sub = this.module(`${moduleName}.${name}`, from);
    if (sub) {
      return [{ kind: "module", module: sub }];
    }

    return [];
  }

  /** Resolves a dotted reference such as `pkg.mod.func` or `pkg.mod.Class` from the project root. */
  resolveDotted(dotted: string, from?: Module): Resolved[] {
    const parts = dotted.split(".");
    for (let i = parts.length; i > 0; i--) {
      const mod = this.module(parts.slice(0, i).join("."), from);
      if (!mod) {
        continue;
      }
      if (i === parts.length) {
        return [{ kind: "module", module: mod }];
      }
      let current: Resolved[] = this.resolveGlobal(mod, parts[i]!);
      for (let j = i + 1; j < parts.length && current.length > 0; j++) {
        const attr = parts[j]!;
        current = current.flatMap((r) =>
          r.kind === "module" ? this.resolveGlobal(r.module, attr) : [],
        );
      }

      return current;
    }

    return [];
  }
}

/**
 * A file's dotted module name: folders climb while they hold an `__init__.py`, so
 * `src/ledger/api/views.py` under a `ledger` package is `ledger.api.views`.
 */
export function moduleNameFor(
  path: string,
  allPaths: ReadonlySet<string>,
  rootName?: string,
): { name: string; isPackage: boolean } {
  const parts = path.replace(/\.py$/, "").split("/");
  const isPackage = parts[parts.length - 1] === "__init__";
  if (isPackage) {
    parts.pop();
  }
  const nameParts: string[] = [parts.pop() ?? ""];
  while (parts.length > 0) {
    const dir = parts.join("/");
    if (!allPaths.has(`${dir}/__init__.py`)) {
      break;
    }
    nameParts.unshift(parts.pop()!);
  }
  // The scan root is itself a package (`scan myapp/` where myapp holds `__init__.py`): its
  // modules are `myapp.x`, as Python imports them, so relative imports resolve.
  if (parts.length === 0 && rootName && allPaths.has("__init__.py")) {
    nameParts.unshift(rootName);
  }

  return { name: nameParts.filter((p) => p !== "").join(".") || "__init__", isPackage };
}

/**
 * Other dotted names a file answers to when folders without `__init__.py` are namespace
 * packages (PEP 420): `web/routes.py` is `routes` from its own folder and `web.routes` from the
 * folder above.
 */
function namespaceAliases(path: string, name: string): string[] {
  const parts = path.replace(/\.py$/, "").split("/");
  if (parts[parts.length - 1] === "__init__") {
    parts.pop();
  }
  const out: string[] = [];
  for (let i = parts.length - 1; i >= 0; i--) {
    const alias = parts.slice(i).join(".");
    if (
      alias.length > name.length &&
      alias.endsWith(name) &&
      /^[A-Za-z_][A-Za-z0-9_.]*$/.test(alias)
    ) {
      out.push(alias);
    }
  }

  return out;
}

/** Absolute module name for a (possibly relative) import as written in `module`. */
export function absoluteImport(module: Module, written: string): string {
  if (!written.startsWith(".")) {
    return written;
  }
  const dots = written.length - written.replace(/^\.+/, "").length;
  const rest = written.slice(dots);
  const base = module.name.split(".");
  // A package's own name is its __init__; a plain module's base is its parent package.
  const keep = module.isPackage ? base.length - (dots - 1) : base.length - dots;
  const prefix = base.slice(0, Math.max(0, keep));

  return [...prefix, ...(rest ? rest.split(".") : [])].join(".");
}

/**
 * Collects bindings of a module body (or a function body when `into` is a local map). Statements
 * under `if`, `try`, `with`, `for` and `while` bind too; nested functions and classes do not leak.
 */
export function collectBindings(
  module: Module,
  scope: PyNode,
  into: Map<string, Binding[]>,
  project: Project | null,
): void {
  const add = (name: string, b: Binding) => {
    const list = into.get(name);
    if (list) {
      list.push(b);
    } else {
      into.set(name, [b]);
    }
  };

  const visitBlock = (block: PyNode | undefined) => {
    for (const stmt of statements(block)) {
      visitStatement(stmt);
    }
  };

  const visitStatement = (stmt: PyNode) => {
    switch (stmt.type) {
      case "function_definition":
        add(child(stmt, "name")?.text ?? "", { kind: "def", node: stmt });
        return;
      case "class_definition":
        add(child(stmt, "name")?.text ?? "", { kind: "class", node: stmt });
        return;
      case "decorated_definition": {
        const def = child(stmt, "definition");
        if (def) {
          visitStatement(def);
        }
        return;
      }
      case "expression_statement":
        for (const e of stmt.children) {
          if (e.type === "assignment" || e.type === "augmented_assignment") {
            bindAssignment(e, stmt);
          }
        }
        return;
      case "import_statement":
        for (const n of childrenByField(stmt, "name")) {
          if (n.type === "aliased_import") {
            const mod = child(n, "name")?.text ?? "";
            const alias = child(n, "alias")?.text ?? "";
            add(alias, { kind: "import", module: mod, stmt });
            project && module.importedModules.add(mod);
          } else {
            const mod = n.text ?? "";
            add(mod.split(".")[0] ?? mod, {
              kind: "import",
              module: mod.split(".")[0] ?? mod,
              stmt,
            });
            // `import a.b` also makes `a.b` reachable as an attribute of `a`.
            module.importedModules.add(mod);
          }
        }
        return;
      case "import_from_statement": {
        const modNode = child(stmt, "module_name");
        const written = modNode ? module.source.slice(modNode.start, modNode.end) : "";
        const from = absoluteImport(module, written.replace(/\s+/g, ""));
        module.importedModules.add(from);
        if (stmt.children.some((c) => c.type === "wildcard_import")) {
          module.starImports.push(from);
          return;
        }
        for (const n of childrenByField(stmt, "name")) {
          if (n.type === "aliased_import") {
            const name = child(n, "name")?.text ?? "";
            const alias = child(n, "alias")?.text ?? name;
            add(alias, { kind: "from", module: from, name, stmt });
            module.importedModules.add(`${from}.${name}`);
          } else {
            const name = n.text ?? "";
            add(name, { kind: "from", module: from, name, stmt });
            module.importedModules.add(`${from}.${name}`);
          }
        }
        return;
      }
      case "if_statement":
        visitBlock(child(stmt, "consequence"));
        for (const alt of childrenByField(stmt, "alternative")) {
          visitBlock(child(alt, "consequence") ?? child(alt, "body") ?? alt);
          // elif clauses nest their own alternatives as siblings; handled by the loop.
        }
        return;
      case "try_statement":
        visitBlock(child(stmt, "body"));
        for (const c of stmt.children) {
          if (
            c.type === "except_clause" ||
            c.type === "finally_clause" ||
            c.type === "else_clause"
          ) {
            visitBlock(c.children.find((x) => x.type === "block"));
          }
        }
        return;
      case "with_statement":
      case "for_statement":
      case "while_statement":
        visitBlock(child(stmt, "body"));
        return;
      default:
        return;
    }
  };

  const bindAssignment = (assign: PyNode, stmt: PyNode) => {
    const left = child(assign, "left");
    const right = child(assign, "right");
    if (!left) {
      return;
    }
    // Chained assignment `a = b = value`: tree-sitter nests the second assignment as the right side.
    if (right?.type === "assignment") {
      bindAssignment(right, stmt);
      const inner = innermostValue(right);
      bindTarget(left, inner, stmt);
      return;
    }
    bindTarget(left, assign.type === "augmented_assignment" ? null : (right ?? null), stmt);
  };

  const bindTarget = (
    target: PyNode,
    value: PyNode | null,
    stmt: PyNode,
    unpacked?: { source: PyNode; index: number[] },
  ) => {
    if (target.type === "identifier") {
      add(target.text ?? "", { kind: "assign", target, value, stmt, unpacked });
    } else if (
      target.type === "pattern_list" ||
      target.type === "tuple_pattern" ||
      target.type === "list_pattern"
    ) {
      const values =
        value && (value.type === "expression_list" || value.type === "tuple")
          ? value.children
          : null;
      target.children.forEach((t, i) => {
        const element = values?.[i] ?? null;
        const source = unpacked ?? (value && !values ? { source: value, index: [] } : undefined);
        bindTarget(
          t,
          element,
          stmt,
          element ? undefined : source && { source: source.source, index: [...source.index, i] },
        );
      });
    }
  };

  if (scope.type === "module") {
    visitBlock(scope);
  } else {
    visitBlock(child(scope, "body"));
  }
}

function innermostValue(assign: PyNode): PyNode | null {
  let n: PyNode | undefined = assign;
  while (n && n.type === "assignment") {
    n = child(n, "right");
  }

  return n ?? null;
}

/** `a.b.c` of an expression, for messages and matching (null when not a plain dotted name). */
export function dottedName(node: PyNode): string | null {
  return dottedParts(node)?.join(".") ?? null;
}

const BUILTINS = new Set([
  "dict",
  "list",
  "set",
  "tuple",
  "str",
  "int",
  "float",
  "bool",
  "len",
  "getattr",
  "setattr",
  "hasattr",
  "isinstance",
  "print",
  "open",
  "super",
  "type",
  "object",
  "Exception",
  "ValueError",
  "KeyError",
  "TypeError",
  "PermissionError",
  "RuntimeError",
  "repr",
  "format",
  "sorted",
  "map",
  "filter",
  "zip",
  "enumerate",
  "range",
  "any",
  "all",
  "min",
  "max",
  "abs",
  "round",
  "iter",
  "next",
  "vars",
  "callable",
  "frozenset",
  "bytes",
  "hash",
  "id",
  "NotImplementedError",
]);
