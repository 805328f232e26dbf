/**
 * flask_jwt_extended settings that decide whether a JWT is an ambient credential and whether its
 * double-submit CSRF check runs: where tokens are read from (`JWT_TOKEN_LOCATION`, headers by
 * default), `JWT_COOKIE_CSRF_PROTECT` (on by default) and `JWT_CSRF_METHODS` (the unsafe methods
 * by default).
 */

import type { AnalysisContext } from "../analysis/context.js";
import { effectiveEntries, readConfigValue } from "../flask/config.js";
import type { ConfigEntry, FlaskApp } from "../flask/model.js";

export interface JwtSettings {
  locations: string[];
  cookieCsrfProtect: boolean;
  /** The entry that turns the double-submit check off, when one does. */
  protectEntry: ConfigEntry | null;
  csrfMethods: string[];
}

export function jwtSettings(ctx: AnalysisContext, app: FlaskApp): JwtSettings {
  const locations = listSetting(ctx, app, "JWT_TOKEN_LOCATION") ?? ["headers"];
  const protect = effectiveEntries(app, "JWT_COOKIE_CSRF_PROTECT");
  let cookieCsrfProtect = true;
  let protectEntry: ConfigEntry | null = null;
  for (const e of protect) {
    const v = readConfigValue(ctx.ev, e.value, e.module);
    if (v.kind === "const" && v.value === false) {
      cookieCsrfProtect = false;
      protectEntry = e;
    }
  }
  const methods = listSetting(ctx, app, "JWT_CSRF_METHODS") ?? ["POST", "PUT", "PATCH", "DELETE"];

  return {
    locations,
    cookieCsrfProtect,
    protectEntry,
    csrfMethods: methods.map((m) => m.toUpperCase()),
  };
}

/** A config value that is a string or a list of strings. */
export function listSetting(ctx: AnalysisContext, app: FlaskApp, key: string): string[] | null {
  for (const e of effectiveEntries(app, key)) {
    const v = readConfigValue(ctx.ev, e.value, e.module);
    if (v.kind === "const") {
      if (typeof v.value === "string") {
        return [v.value];
      }
      if (Array.isArray(v.value)) {
        return v.value;
      }
    }
  }

  return null;
}
