/**
 * The rule registry: every rule, in catalog order. An explicit list, so that what runs is what
 * is written here and nothing registers itself by being imported.
 */

import type { Rule } from "./types.js";

export const ALL_RULES: readonly Rule[] = [];

/** Every rule id the catalog defines, built or not; the case runner reports the rest as pending. */
export const CATALOG_IDS: readonly string[] = [
  "CSRF001",
  "CSRF002",
  "CSRF003",
  "CSRF004",
  "CSRF005",
  "CSRF006",
  "COOKIE001",
  "COOKIE002",
  "SECRET001",
  "SECRET002",
  "AUTH001",
  "AUTHZ001",
  "AUTHZ002",
  "AUTHZ003",
  "DYNAMO001",
  "INPUT001",
  "ERR001",
  "CORS001",
  "LLM001",
  "RATE001",
  "FLASK001",
];
