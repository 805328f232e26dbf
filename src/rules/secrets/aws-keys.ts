/**
 * What an AWS access key looks like, for SECRET002: a value judged real-looking or not (an access
 * key id is `AKIA`/`ASIA` and sixteen upper-case letters or digits, a secret access key forty
 * base64 characters), names under which keys are stored, masking for messages, and the keys found
 * in settings files read as text (`.env`, `zappa_settings.json`, YAML, INI, Dockerfiles). The
 * verdict rests on the value: `testing`, `local`, `<your-key>`, `${AWS_KEY}` and AWS's documented
 * example pair are placeholders, not credentials.
 */

export type AwsKeyKind = "id" | "secret";

const ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16}$/;
const SECRET_ACCESS_KEY = /^[A-Za-z0-9/+=]{40}$/;

/** The example pair printed throughout AWS's documentation, and its temporary-credential twin. */
const DOCUMENTED_EXAMPLES = new Set([
  "AKIAIOSFODNN7EXAMPLE",
  "ASIAIOSFODNN7EXAMPLE",
  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
]);

/** Words that mark a made-up key (`AKIAXXXXXXXXXXXXXXXX`, `AKIAFAKEKEY000000000`). */
const PLACEHOLDER_WORDS = /EXAMPLE|XXXX|FAKE|DUMMY|SAMPLE|TEST|CHANGEME|REDACTED|PLACEHOLDER/i;

/** True for a value shaped like a real access key id. */
export function isAccessKeyId(value: string): boolean {
  if (!ACCESS_KEY_ID.test(value) || DOCUMENTED_EXAMPLES.has(value)) {
    return false;
  }
  const tail = value.slice(4);

  return !PLACEHOLDER_WORDS.test(tail) && new Set(tail).size >= 6;
}

/**
 * True for a value shaped like a real secret access key: forty base64 characters mixing upper
 * case, lower case and digits (a random key almost always does; a hex digest or a word never).
 */
export function isSecretAccessKey(value: string): boolean {
  if (!SECRET_ACCESS_KEY.test(value) || DOCUMENTED_EXAMPLES.has(value)) {
    return false;
  }

  return (
    /[A-Z]/.test(value) &&
    /[a-z]/.test(value) &&
    /[0-9]/.test(value) &&
    new Set(value).size >= 12 &&
    !PLACEHOLDER_WORDS.test(value)
  );
}

/** The kind of key a value looks like, or null when it looks like neither. */
export function keyKindOf(value: string): AwsKeyKind | null {
  if (isAccessKeyId(value)) {
    return "id";
  }

  return isSecretAccessKey(value) ? "secret" : null;
}

/** `…C5S4`: enough to find the key in the AWS console, not enough to use it. */
export function mask(value: string): string {
  return `…${value.slice(-4)}`;
}

/** A name that says "AWS secret access key" on its own (`AWS_SECRET_ACCESS_KEY`, `SecretAccessKey`). */
const AWS_SECRET_NAME = /secret_?access_?key|aws_?secret|secret_?aws/i;
/** A name that says "secret" without saying AWS: it counts only beside an access key id. */
const SECRET_NAME = /secret/i;
/** Flask's own signing keys: a forty-character random `SECRET_KEY` is SECRET001's business. */
const FLASK_SECRET_NAME = /^(jwt_|wtf_csrf_|flask_|security_)?secret_key$/i;

/**
 * How a secret-shaped value's name qualifies it: "aws" when the name alone says AWS, "paired" when
 * it says secret and so counts beside an access key id, null when it says neither.
 */
export function secretNameQualifies(name: string | null): "aws" | "paired" | null {
  if (!name || FLASK_SECRET_NAME.test(name)) {
    return null;
  }
  if (AWS_SECRET_NAME.test(name)) {
    return "aws";
  }

  return SECRET_NAME.test(name) ? "paired" : null;
}

/** A key found in a settings file read as text. */
export interface TextKey {
  kind: AwsKeyKind;
  value: string;
  /** The key it is stored under, when the line has one. */
  name: string | null;
  line: number;
}

/** An access key id anywhere on a line, standing alone (not inside a longer token). */
const ID_TOKEN = /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g;
/**
 * `name = value`, `name: value`, `"name": "value"`, `export NAME=value`, `ENV NAME value`: a name,
 * a separator, then a forty-character value ending where the value does.
 */
const NAMED_SECRET =
  /["']?([A-Za-z_][\w.-]*)["']?(?:\s*[:=]\s*|\s+)["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/g;
/** The name just before a value on the same line (`"ARCHIVE_AWS_ACCESS_KEY_ID": "AKIA...`). */
const NAME_BEFORE = /["']?([A-Za-z_][\w.-]*)["']?\s*[:=]?\s*["']?$/;

/**
 * Access key ids and secret access keys in a settings file. Ids count wherever they stand; a
 * secret-shaped value counts when its name says AWS, or says secret in a file that also holds an
 * access key id.
 */
export function keysInText(text: string): TextKey[] {
  const out: TextKey[] = [];
  const secrets: (TextKey & { qualifies: "aws" | "paired" })[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    for (const m of raw.matchAll(ID_TOKEN)) {
      if (isAccessKeyId(m[0])) {
        const before = NAME_BEFORE.exec(raw.slice(0, m.index));
        out.push({ kind: "id", value: m[0], name: before?.[1] ?? null, line: i + 1 });
      }
    }
    for (const m of raw.matchAll(NAMED_SECRET)) {
      const name = m[1] ?? null;
      const value = m[2] ?? "";
      const qualifies = secretNameQualifies(name);
      if (qualifies && isSecretAccessKey(value)) {
        secrets.push({ kind: "secret", value, name, line: i + 1, qualifies });
      }
    }
  }
  const hasId = out.length > 0;
  for (const { qualifies, ...key } of secrets) {
    if (qualifies === "aws" || hasId) {
      out.push(key);
    }
  }

  return out.sort((a, b) => a.line - b.line);
}
