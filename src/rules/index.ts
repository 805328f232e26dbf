/**
 * The rule registry: every rule, in catalog order. An explicit list, so that what runs is what
 * is written here and nothing registers itself by being imported.
 */

import { auth001 } from "./auth/auth001.js";
import { authz002 } from "./auth/authz002.js";
import { cookie001 } from "./cookie/cookie001.js";
import { cookie002 } from "./cookie/cookie002.js";
import { csrf001 } from "./csrf/csrf001.js";
import { csrf002 } from "./csrf/csrf002.js";
import { csrf003 } from "./csrf/csrf003.js";
import { csrf004 } from "./csrf/csrf004.js";
import { csrf005 } from "./csrf/csrf005.js";
import { csrf006 } from "./csrf/csrf006.js";
import { authz001 } from "./data/authz001.js";
import { authz003 } from "./data/authz003.js";
import { dynamo001 } from "./data/dynamo001.js";
import { err001 } from "./data/err001.js";
import { input001 } from "./data/input001.js";
import { llm001 } from "./llm/llm001.js";
import { rate001 } from "./llm/rate001.js";
import { secret001 } from "./secrets/secret001.js";
import { secret002 } from "./secrets/secret002.js";
import type { Rule } from "./types.js";
import { cors001 } from "./web/cors001.js";
import { flask001 } from "./web/flask001.js";

export const ALL_RULES: readonly Rule[] = [
  csrf001,
  csrf002,
  csrf003,
  csrf004,
  csrf005,
  csrf006,
  authz001,
  authz003,
  dynamo001,
  input001,
  err001,
  cookie001,
  cookie002,
  secret001,
  secret002,
  cors001,
  flask001,
  auth001,
  authz002,
  llm001,
  rate001,
];

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
  "IAM001",
  "IAM002",
  "IAM003",
  "IAM004",
];
