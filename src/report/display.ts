/**
 * How a line of scanned source is shown in a report (code frames and fix diffs, in every format):
 * AWS-looking secrets are masked and very long lines are cut. Reports are pasted into tickets,
 * attached to CI runs and mailed around, so a report must not republish the key that SECRET002
 * found, and one minified or generated line must not blow a report up to megabytes. Only what is
 * displayed changes; findings, fixes and the files themselves keep the real text.
 */

/** Displayed lines longer than this many characters are cut and end with "…". */
export const MAX_DISPLAY_CHARS = 200;

/** Characters of a secret left visible, enough to recognise the key in the AWS console. */
const VISIBLE_TAIL = 4;

/** An access key id shape standing alone (`AKIA`/`ASIA` and sixteen upper-case letters or digits). */
const ACCESS_KEY_ID = /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/;
const ACCESS_KEY_IDS = new RegExp(ACCESS_KEY_ID.source, "g");
/**
 * A secret access key shape: exactly forty base64 characters, not part of a longer run. An "="
 * just before it is taken for the separator of `NAME=value`, not for part of the value.
 */
const SECRET_RUN = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/;
const SECRET_RUNS = new RegExp(SECRET_RUN.source, "g");
/** A line whose key name says secret (`aws_secret_access_key=`, `"SecretAccessKey":`). */
const SECRET_NAME = /secret/i;

/**
 * `line` as a report shows it: secrets masked, then cut to `MAX_DISPLAY_CHARS`. `neighbours` are
 * the lines just above and below it in the file, because a secret counts as one when it sits next
 * to an access key id, and the id is often on the line before:
 *
 * ```python
 * boto3.client("dynamodb", aws_access_key_id="AKIA…",
 *              region_name="eu-west-1", key="<forty characters>")
 * ```
 */
export function displayLine(
  line: string,
  neighbours: readonly (string | undefined)[] = [],
): string {
  return clipLine(maskSecrets(line, neighbours));
}

/**
 * Masks access key ids, and forty-character secret-shaped values that sit beside an access key id
 * (on the line or a neighbouring one) or on a line whose key name says secret. A masked value
 * keeps its length, so columns stay where they were, and its last four characters.
 */
export function maskSecrets(
  line: string,
  neighbours: readonly (string | undefined)[] = [],
): string {
  const hasId = ACCESS_KEY_ID.test(line);
  // Most source lines hold neither shape.
  if (!hasId && !SECRET_RUN.test(line)) {
    return line;
  }
  const besideId = hasId || neighbours.some((n) => n !== undefined && ACCESS_KEY_ID.test(n));
  const namedSecret = SECRET_NAME.test(line.replace(SECRET_RUNS, ""));
  const out = line.replace(ACCESS_KEY_IDS, (id) => `${id.slice(0, 4)}${hide(id.slice(4))}`);

  return besideId || namedSecret ? out.replace(SECRET_RUNS, hide) : out;
}

/** Cuts a line to `max` characters plus "…", never inside a surrogate pair. */
export function clipLine(line: string, max = MAX_DISPLAY_CHARS): string {
  if (line.length <= max) {
    return line;
  }
  const code = line.charCodeAt(max - 1);
  // A high surrogate is the first half of a character outside the BMP (an emoji): leave it out
  // rather than print half a character.
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;

  return `${line.slice(0, end)}…`;
}

function hide(value: string): string {
  return `${"*".repeat(value.length - VISIBLE_TAIL)}${value.slice(-VISIBLE_TAIL)}`;
}
