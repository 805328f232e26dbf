/**
 * SECRET002 hardcoded-aws-credentials: AWS access keys written into the code or into committed
 * settings files. A key counts when its value looks real (an `AKIA`/`ASIA` id, a forty-character
 * secret) and it is stored under a name, given to boto3, or written in a settings file; `testing`,
 * `local`, `<your-key>` and AWS's documented example pair do not count, wherever they are. An id
 * and a secret stored together or given to the same call are one finding (critical), anchored
 * where the id is written; a lone id or secret is high. Messages show only the last four
 * characters of a key.
 */

import { type Anchor, anchorAt, anchorInText } from "../../analysis/anchors.js";
import type { AnalysisContext } from "../../analysis/context.js";
import { child } from "../../python/ast.js";
import type { Evidence } from "../../report/types.js";
import type { Rule, RuleFinding } from "../types.js";
import { type AwsKeyKind, keysInText, mask, secretNameQualifies } from "./aws-keys.js";
import { type KeyLiteral, keyLiterals } from "./aws-literals.js";

/** A call that receives a key: where, and the callee as written (`boto3.client`). */
interface Use {
  file: string;
  line: number;
  callee: string;
}

/** A key as the rule judges it, from Python code or from a settings file. */
interface StoredKey {
  kind: AwsKeyKind;
  value: string;
  name: string | null;
  file: string;
  line: number;
  anchor: Anchor;
  /** Keys of the same scope are stored together and pair up. */
  scope: unknown;
  /** Calls that receive the key as a credential argument. */
  calls: unknown[];
  uses: Use[];
  /** Where the key lives, for messages: "the code" or the settings file's name. */
  where: string;
  /** Whether the key counts alone; a "paired" secret counts only beside an id of its scope. */
  counts: "yes" | "paired" | "no";
}

export const secret002: Rule = {
  id: "SECRET002",
  name: "hardcoded-aws-credentials",
  family: "secrets",
  severity: "critical",
  confidence: "high",
  cwe: ["CWE-798"],
  owasp: ["A07:2021"],
  status: "stable",
  fixAvailability: "none",
  summary: "An AWS access key is written in the code or in a committed settings file",
  docs: {
    whatItDoes:
      "Finds AWS access keys whose values look real (an `AKIA`/`ASIA` access key id, a forty-character secret access key) written as literals: passed to `boto3.client`, `boto3.resource` or `boto3.Session` (also through constants of another module or class), stored under names such as `AWS_SECRET_ACCESS_KEY`, or written in `.env`, `zappa_settings.json`, YAML, INI or Dockerfile settings. An id with its secret is critical; a lone id or secret is high.",
    why: "Whoever reads the repository, a build log or a deployment bundle can call AWS with the key's permissions (here, read and write the DynamoDB tables) until the key is deactivated. Placeholders such as `testing` (moto), `local` (DynamoDB Local), `<your-key>`, references such as `$AWS_SECRET` and AWS's documented example key `AKIAIOSFODNN7EXAMPLE` are not credentials and are not reported, even in tests; a real-looking pair is reported even in a test file.",
    example: `import boto3

dynamodb = boto3.resource(
    "dynamodb",
    region_name="eu-west-1",
    aws_access_key_id="AKIAQ7NLEX3PZ4WYRT2M",
    aws_secret_access_key="f3Kq8ZtVw2LmNa9XbR4cYp7DsJ1eHg6UoIiT5kWv",
)
orders = dynamodb.Table("orders")
`,
    useInstead: `import boto3

# Credentials come from the environment, the shared config or the instance/task role.
dynamodb = boto3.resource("dynamodb", region_name="eu-west-1")
orders = dynamodb.Table("orders")
`,
    fixSafety:
      "No automatic edit: removing the key from the code does not revoke it. Deactivate the key in IAM, give the code a role (or environment variables set by the deployment), and purge the key from the history.",
    knownProblems:
      "Keys built by formatting or read from files outside the scanned tree are not seen. A secret-shaped value under a name that says neither AWS nor secret is reported only when it is given to a boto3 call. Files listed in `.gitignore` are not scanned, nor are Python modules that neither use Flask or boto3 nor are imported by a module that does (a stray `keys.py`), nor credential files without a settings extension (`.aws/credentials`).",
    references: [
      "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
      "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/credentials.html",
      "https://cwe.mitre.org/data/definitions/798.html",
    ],
  },
  check(ctx) {
    const keys = [...pythonKeys(ctx), ...textFileKeys(ctx)];

    return findingsFor(keys);
  },
};

function pythonKeys(ctx: AnalysisContext): StoredKey[] {
  return keyLiterals(ctx).map((l) => {
    const used = l.uses.length > 0;
    const counts = used ? "yes" : countsByName(l.kind, l.name);

    return {
      kind: l.kind,
      value: l.value,
      name: l.name,
      file: l.module.path,
      line: l.module.line(l.node),
      anchor: { ...anchorAt(l.module, l.node), text: fingerprintText(l.kind, l.name, l.value) },
      scope: l.scope,
      calls: l.uses.map((u) => u.call),
      uses: l.uses.map(usedAt),
      where: "the code",
      counts,
    };
  });
}

/** An id counts under any name; a secret when its name says AWS, or says secret beside an id. */
function countsByName(kind: AwsKeyKind, name: string | null): StoredKey["counts"] {
  if (name === null) {
    return "no";
  }
  if (kind === "id") {
    return "yes";
  }
  const q = secretNameQualifies(name);

  return q === "aws" ? "yes" : q === "paired" ? "paired" : "no";
}

function usedAt(u: KeyLiteral["uses"][number]): Use {
  const fn = child(u.call, "function");

  return {
    file: u.module.path,
    line: u.module.line(u.call),
    callee: fn ? u.module.text(fn) : "a call",
  };
}

function textFileKeys(ctx: AnalysisContext): StoredKey[] {
  const out: StoredKey[] = [];
  for (const file of ctx.textFiles.values()) {
    for (const k of keysInText(file.text)) {
      out.push({
        ...k,
        file: file.path,
        anchor: anchorInText(file.path, k.line, fingerprintText(k.kind, k.name, k.value)),
        scope: file.path,
        calls: [],
        uses: [],
        where: file.path.split("/").pop() ?? file.path,
        counts: "yes",
      });
    }
  }

  return out;
}

/** What keeps a finding's id stable: the name and the masked value, never the key itself. */
function fingerprintText(kind: AwsKeyKind, name: string | null, value: string): string {
  return `${kind} ${name ?? ""} ${mask(value)}`;
}

/**
 * One finding per id, with the secret stored beside it or given to the same call (preferred), and
 * one per secret left over. Secrets that count only beside an id and found none are dropped.
 */
function findingsFor(keys: StoredKey[]): RuleFinding[] {
  const out: RuleFinding[] = [];
  const byPlace = (a: StoredKey, b: StoredKey) => a.file.localeCompare(b.file) || a.line - b.line;
  const ids = keys.filter((k) => k.kind === "id" && k.counts === "yes").sort(byPlace);
  const secrets = keys.filter((k) => k.kind === "secret" && k.counts !== "no").sort(byPlace);
  const paired = new Set<StoredKey>();
  for (const id of ids) {
    const free = secrets.filter((s) => !paired.has(s));
    const secret =
      free.find((s) => s.calls.some((c) => id.calls.includes(c))) ??
      nearest(
        id,
        // Keys given to different calls are not one pair, however close they are written.
        free.filter((s) => s.scope === id.scope && (s.calls.length === 0 || id.calls.length === 0)),
      );
    if (secret) {
      paired.add(secret);
    }
    out.push(pairFinding(id, secret));
  }
  for (const secret of secrets) {
    if (!paired.has(secret) && secret.counts === "yes") {
      out.push(loneSecretFinding(secret));
    }
  }

  return out;
}

function nearest(id: StoredKey, candidates: StoredKey[]): StoredKey | undefined {
  return [...candidates].sort((a, b) => Math.abs(a.line - id.line) - Math.abs(b.line - id.line))[0];
}

function pairFinding(id: StoredKey, secret: StoredKey | undefined): RuleFinding {
  const uses = [...id.uses, ...(secret?.uses ?? [])];
  const evidence: Evidence[] = [];
  if (secret) {
    evidence.push({
      file: secret.file,
      line: secret.line,
      note: `its secret access key (${mask(secret.value)})${storedAs(secret)}`,
    });
  }
  evidence.push(...useEvidence(uses, secret ? "the key pair" : "the access key id"));
  if (!secret) {
    return {
      anchor: id.anchor,
      route: null,
      message: `An AWS access key id (${mask(id.value)}) is written in ${id.where}${storedAs(id)}${givenTo(uses)}: it names the IAM user to attack, and its secret is rarely far away. Move it out of the repository, and deactivate the key if its secret was ever committed.`,
      severity: "high",
      evidence,
      fix: null,
    };
  }

  return {
    anchor: id.anchor,
    route: null,
    message: `An AWS access key pair (id ${mask(id.value)}, secret ${mask(secret.value)}) is written in ${id.where}${storedAs(id)}${givenTo(uses)}: anyone who can read it can call AWS with that key's permissions. Deactivate the key and let boto3 take credentials from the role or the environment.`,
    severity: "critical",
    evidence,
    fix: null,
  };
}

function loneSecretFinding(secret: StoredKey): RuleFinding {
  return {
    anchor: secret.anchor,
    route: null,
    message: `An AWS secret access key (${mask(secret.value)}) is written in ${secret.where}${storedAs(secret)}${givenTo(secret.uses)}: with its access key id it signs AWS requests with that key's permissions. Deactivate the key and let boto3 take credentials from the role or the environment.`,
    severity: "high",
    evidence: useEvidence(secret.uses, "the secret access key"),
    fix: null,
  };
}

/** ` as LEGACY_EXPORT_SECRET`; nothing for the credential keywords, which `givenTo` covers. */
function storedAs(key: StoredKey): string {
  return key.name && !CREDENTIAL_KEYWORD.test(key.name) ? ` as ${key.name}` : "";
}

const CREDENTIAL_KEYWORD = /^aws_(access_key_id|secret_access_key)$/;

function givenTo(uses: Use[]): string {
  const first = uses[0];

  return first ? ` and given to ${first.callee}(...)` : "";
}

/** One evidence line per call that receives the keys. */
function useEvidence(uses: Use[], what: string): Evidence[] {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  for (const u of uses) {
    const key = `${u.file}:${u.line}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({
        file: u.file,
        line: u.line,
        note: `${u.callee}(...) receives ${what} as credentials`,
      });
    }
  }

  return out;
}
