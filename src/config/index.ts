/**
 * The configuration file: `--config FILE`, or else `flaskguard.json` / `.flaskguard.json` at the
 * scan root. JSON with the keys select, ignore, failOn, minConfidence, include, exclude, baseline,
 * severityOverrides and suppress. Validation is strict (unknown keys, wrong types, unknown rule
 * ids and bad levels are errors) because a config that silently does nothing is worse than one
 * that stops the run; every error names the file and the problem in one line.
 */

import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Confidence, Severity } from "../report/types.js";
import { SEVERITIES } from "../report/types.js";

/** A user-facing problem with a file the user gave (config or baseline); the run exits 2. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export interface ConfigSuppression {
  /** Rule id, family prefix or name. */
  rule: string;
  /** Path glob (gitignore style) relative to the scan root; null for every file. */
  path: string | null;
  justification: string;
}

export interface Config {
  /** The file it was read from; null when there is none. */
  file: string | null;
  select: string[] | null;
  ignore: string[] | null;
  failOn: Severity | null;
  minConfidence: Confidence | null;
  include: string[];
  exclude: string[];
  /** Absolute path; a relative path in the file is relative to the file's folder. */
  baseline: string | null;
  severityOverrides: Record<string, Severity>;
  suppress: ConfigSuppression[];
}

export const CONFIG_FILE_NAMES = ["flaskguard.json", ".flaskguard.json"];
export const CONFIDENCES: readonly Confidence[] = ["high", "medium", "low"];

export const EMPTY_CONFIG: Config = {
  file: null,
  select: null,
  ignore: null,
  failOn: null,
  minConfidence: null,
  include: [],
  exclude: [],
  baseline: null,
  severityOverrides: {},
  suppress: [],
};

/**
 * Loads `explicitFile` (which must exist) or the first config file found at `root`, in the order
 * of `CONFIG_FILE_NAMES`; when both are there, `note` says which one is read, because the other
 * one is silently doing nothing. `isKnownRule` says whether a rule pattern names something in the
 * catalog.
 */
export function loadConfig(
  root: string,
  explicitFile: string | null,
  isKnownRule: (pattern: string) => boolean,
  note: (text: string) => void = () => {},
): Config {
  const found = CONFIG_FILE_NAMES.map((n) => resolve(root, n)).filter((f) => existsSync(f));
  const file = explicitFile ?? found[0];
  if (!file) {
    return EMPTY_CONFIG;
  }
  if (!explicitFile && found.length > 1) {
    note(
      `both ${CONFIG_FILE_NAMES.join(" and ")} are in ${root}; using ${CONFIG_FILE_NAMES[0]} and ignoring ${CONFIG_FILE_NAMES.slice(1).join(", ")}`,
    );
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`config ${file}: cannot be read (${errorCode(error)})`);
  }

  return parseConfig(text, file, isKnownRule);
}

export function parseConfig(
  text: string,
  file: string,
  isKnownRule: (pattern: string) => boolean,
): Config {
  const fail = (problem: string): never => {
    throw new ConfigError(`config ${file}: ${problem}`);
  };
  const raw = parseJsonFile(text, (problem) => fail(problem));
  if (!isObject(raw)) {
    return fail("the top level must be a JSON object");
  }

  const config: Config = { ...EMPTY_CONFIG, file };
  const ruleList = (key: string, value: unknown): string[] => {
    const list = stringList(key, value, fail);
    for (const pattern of list) {
      if (!isKnownRule(pattern)) {
        fail(`"${key}" names an unknown rule "${pattern}"`);
      }
    }

    return list;
  };

  for (const [key, value] of Object.entries(raw)) {
    switch (key) {
      case "select":
      case "ignore":
        config[key] = ruleList(key, value);
        break;
      case "failOn":
        config.failOn = oneOf(key, value, SEVERITIES, fail);
        break;
      case "minConfidence":
        config.minConfidence = oneOf(key, value, CONFIDENCES, fail);
        break;
      case "include":
      case "exclude":
        config[key] = stringList(key, value, fail);
        break;
      case "baseline":
        if (typeof value !== "string" || value === "") {
          fail(`"baseline" must be a file path`);
        }
        config.baseline = resolve(dirname(file), value as string);
        break;
      case "severityOverrides":
        config.severityOverrides = severityOverrides(value, isKnownRule, fail);
        break;
      case "suppress":
        config.suppress = suppressions(value, isKnownRule, fail);
        break;
      default:
        fail(`unknown key "${key}"`);
    }
  }

  return config;
}

/** Parses JSON, turning the parser's character offset into a line and column people can find. */
export function parseJsonFile(text: string, fail: (problem: string) => never): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8 quotes the whole input in some messages ("Unexpected token '}', "{...}" is not valid
    // JSON"); only the part before the quote is worth a line.
    const message = (error instanceof Error ? error.message : String(error))
      .replace(/, (\.\.\.)?".*" is not valid JSON$/s, "")
      .replace(/\s+/g, " ");
    const at = /position (\d+)/.exec(message);
    if (!at) {
      return fail(`not valid JSON (${message})`);
    }
    const before = text.slice(0, Number(at[1]));
    const line = before.split("\n").length;
    const column = before.length - before.lastIndexOf("\n");

    return fail(`not valid JSON at line ${line}, column ${column}`);
  }
}

function severityOverrides(
  value: unknown,
  isKnownRule: (pattern: string) => boolean,
  fail: (problem: string) => never,
): Record<string, Severity> {
  if (!isObject(value)) {
    return fail(`"severityOverrides" must be an object of rule id to severity`);
  }
  const out: Record<string, Severity> = {};
  for (const [rule, severity] of Object.entries(value)) {
    if (!isKnownRule(rule)) {
      fail(`"severityOverrides" names an unknown rule "${rule}"`);
    }
    out[rule] = oneOf(`severityOverrides.${rule}`, severity, SEVERITIES, fail);
  }

  return out;
}

function suppressions(
  value: unknown,
  isKnownRule: (pattern: string) => boolean,
  fail: (problem: string) => never,
): ConfigSuppression[] {
  if (!Array.isArray(value)) {
    return fail(`"suppress" must be a list of {rule, path, justification}`);
  }

  return value.map((entry, i) => {
    const where = `suppress[${i}]`;
    if (!isObject(entry)) {
      return fail(`${where} must be an object with rule, path and justification`);
    }
    const extra = Object.keys(entry).find((k) => !["rule", "path", "justification"].includes(k));
    if (extra) {
      fail(`${where} has an unknown key "${extra}"`);
    }
    const { rule, path, justification } = entry;
    if (typeof rule !== "string" || !isKnownRule(rule)) {
      fail(`${where}.rule must name a known rule, got ${JSON.stringify(rule)}`);
    }
    if (path !== undefined && (typeof path !== "string" || path === "")) {
      fail(`${where}.path must be a path glob`);
    }
    if (typeof justification !== "string" || justification.trim() === "") {
      fail(`${where}.justification must say why the finding is accepted`);
    }

    return {
      rule: rule as string,
      path: (path as string | undefined) ?? null,
      justification: (justification as string).trim(),
    };
  });
}

function stringList(key: string, value: unknown, fail: (problem: string) => never): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && v !== "")) {
    return fail(`"${key}" must be a list of non-empty strings`);
  }

  return value as string[];
}

function oneOf<T extends string>(
  key: string,
  value: unknown,
  allowed: readonly T[],
  fail: (problem: string) => never,
): T {
  // Levels are all lower case; "HIGH" is no typo, so case does not matter.
  const found = typeof value === "string" ? allowed.find((a) => a === value.toLowerCase()) : null;
  if (found === undefined || found === null) {
    return fail(`"${key}" must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
  }

  return found;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? String(error);
}
