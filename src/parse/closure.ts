/**
 * Which Python files the analysis needs as converted trees, decided from the imports alone. A file
 * that imports a modelled library (Flask, boto3, ...) is needed; so is every project module it
 * imports, transitively (its helpers, models and data access layers); every module that imports
 * it directly (the entry point that creates the app, the module that registers blueprints); the
 * settings and `conftest.py` modules beside it; and the `__init__.py` of every package holding a
 * needed module, since Python runs those and they often re-export names. Everything else stays a
 * `SkippedModule`, which keeps memory flat on trees that have nothing to do with Flask.
 */

import { posix } from "node:path";
import { moduleNameFor } from "../python/project.js";
import type { ImportRef } from "./imports.js";

export interface ImportFacts {
  path: string;
  imports: readonly ImportRef[];
  /** The file itself imports a modelled library. */
  modelled: boolean;
}

/** Settings-like modules, read by `app.config.from_object` or by tests, often with no import. */
const SETTINGS_FILE =
  /^(conftest|config|configs|configuration|settings|local_settings|\w+_config|\w+_settings)\.pyw?$/i;
const SETTINGS_FOLDERS = ["config", "configs", "settings"];

/** The paths (a superset of the modelled files) whose trees the analysis needs. */
export function analysisClosure(facts: readonly ImportFacts[]): Set<string> {
  const needed = new Set(facts.filter((f) => f.modelled).map((f) => f.path));
  if (needed.size === 0) {
    return needed;
  }
  const index = new ModuleIndex(facts.map((f) => f.path));
  const targets = new Map<string, string[]>();
  for (const f of facts) {
    const resolved = new Set(f.imports.flatMap((ref) => index.resolve(f.path, ref)));
    resolved.delete(f.path);
    targets.set(f.path, [...resolved]);
  }

  const modelled = new Set(needed);
  for (const f of facts) {
    if (targets.get(f.path)!.some((t) => modelled.has(t))) {
      needed.add(f.path);
    }
  }
  for (const path of modelled) {
    for (const settings of index.settingsBeside(path)) {
      needed.add(settings);
    }
  }

  const work = [...needed];
  while (work.length > 0) {
    const path = work.pop()!;
    for (const next of [...(targets.get(path) ?? []), ...index.packageInits(path)]) {
      if (!needed.has(next)) {
        needed.add(next);
        work.push(next);
      }
    }
  }

  return needed;
}

/** Finds the project files an import statement can load. */
class ModuleIndex {
  private readonly paths: Set<string>;
  /** Dotted module name, as the project model will name it, to the files with that name. */
  private readonly byName = new Map<string, string[]>();
  /** Every dotted tail of every file's path (`app.views`, `views`), for namespace packages. */
  private bySuffix: Map<string, string[]> | null = null;
  private readonly byFolder = new Map<string, string[]>();

  constructor(paths: readonly string[]) {
    this.paths = new Set(paths);
    for (const path of paths) {
      push(this.byName, moduleNameFor(path, this.paths).name, path);
      push(this.byFolder, folderOf(path), path);
    }
  }

  resolve(from: string, ref: ImportRef): string[] {
    if (ref.module.startsWith(".")) {
      return this.resolveRelative(from, ref);
    }
    const direct = this.named(ref.module);
    const members = ref.names.flatMap((n) => (n === "*" ? [] : this.named(`${ref.module}.${n}`)));
    if (direct.length > 0 || members.length > 0) {
      return [...direct, ...members];
    }
    // `from_object("settings.Production")` names a class inside a module: try shorter prefixes.
    if (ref.dynamic) {
      const parts = ref.module.split(".");
      for (let i = parts.length - 1; i > 0; i--) {
        const found = this.named(parts.slice(0, i).join("."));
        if (found.length > 0) {
          return found;
        }
      }
    }

    return [];
  }

  /** The `__init__.py` files of the folders above `path`. */
  packageInits(path: string): string[] {
    const out: string[] = [];
    let folder = folderOf(path);
    for (;;) {
      const init = folder === "" ? "__init__.py" : `${folder}/__init__.py`;
      if (init !== path && this.paths.has(init)) {
        out.push(init);
      }
      if (folder === "") {
        break;
      }
      folder = folderOf(folder);
    }

    return out;
  }

  /** Settings modules and `conftest.py` in the folder of `path` and the folder above it. */
  settingsBeside(path: string): string[] {
    const folder = folderOf(path);
    const folders = folder === "" ? [""] : [folder, folderOf(folder)];
    const out: string[] = [];
    for (const f of folders) {
      for (const candidate of this.byFolder.get(f) ?? []) {
        if (SETTINGS_FILE.test(posix.basename(candidate))) {
          out.push(candidate);
        }
      }
      for (const name of SETTINGS_FOLDERS) {
        out.push(...(this.byFolder.get(f === "" ? name : `${f}/${name}`) ?? []));
      }
    }

    return out;
  }

  private resolveRelative(from: string, ref: ImportRef): string[] {
    const dots = ref.module.length - ref.module.replace(/^\.+/, "").length;
    let folder = folderOf(from);
    for (let i = 1; i < dots; i++) {
      if (folder === "") {
        return [];
      }
      folder = folderOf(folder);
    }
    const rest = ref.module.slice(dots).replace(/\./g, "/");
    const base = rest === "" ? folder : folder === "" ? rest : `${folder}/${rest}`;
    const out = this.filesOf(base);
    for (const name of ref.names) {
      if (name !== "*") {
        out.push(...this.filesOf(base === "" ? name : `${base}/${name}`));
      }
    }

    return out;
  }

  /** The module file or package `__init__` at a path without extension. */
  private filesOf(base: string): string[] {
    const candidates =
      base === "" ? ["__init__.py"] : [`${base}.py`, `${base}.pyw`, `${base}/__init__.py`];

    return candidates.filter((c) => this.paths.has(c));
  }

  private named(dotted: string): string[] {
    const exact = this.byName.get(dotted);
    if (exact) {
      return exact;
    }

    return this.suffixes().get(dotted) ?? [];
  }

  private suffixes(): Map<string, string[]> {
    if (!this.bySuffix) {
      this.bySuffix = new Map();
      for (const path of this.paths) {
        const parts = path.replace(/\.pyw?$/, "").split("/");
        if (parts[parts.length - 1] === "__init__") {
          parts.pop();
        }
        for (let i = 0; i < parts.length; i++) {
          push(this.bySuffix, parts.slice(i).join("."), path);
        }
      }
    }

    return this.bySuffix;
  }
}

function folderOf(path: string): string {
  const slash = path.lastIndexOf("/");

  return slash === -1 ? "" : path.slice(0, slash);
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) {
    list.push(value);
  } else {
    map.set(key, [value]);
  }
}
