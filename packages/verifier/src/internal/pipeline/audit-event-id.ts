// An audit event id correlates one decision with its audit event (the decision's `auditEventId`,
// the `x-audit-event-id` header, the event's `id`). It is not a secret and grants nothing: it must
// be unique, and not guessable across processes. A fresh crypto.randomUUID() per decision was
// about a fifth of a cached decision, so each process draws 74 random bits once (a UUID v4's
// first 20 hex digits, version and variant included) and counts the last 12 digits up from a
// random start: ids stay in the UUID v4 layout, unique within the process, and a collision across
// processes needs two processes to draw the same 74 bits. Within one process the next ids can be
// predicted from one seen: nothing may treat an audit event id as proof of anything.

const counterDigits = 12;
const counterLimit = 16 ** counterDigits;
const lowDigits = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

let prefix = '';
let counter = counterLimit;
// Formatting the whole counter per id (`toString(16)`, `padStart`) still cost a sixth of a cached
// decision: its upper digits are formatted once per 256 ids, the lowest two looked up.
let upper = '';

function drawPrefix(): void {
  const uuid = crypto.randomUUID();
  // A random start, so an id does not tell how many decisions this process made.
  counter = Number.parseInt(uuid.slice(-8), 16);
  prefix = uuid.slice(0, 36 - counterDigits);
  upper = '';
}

/**
 * The next audit event id of this process: a UUID v4 string, unique within the process and drawn
 * from a random per-process prefix.
 */
export function nextAuditEventId(): string {
  if (counter >= counterLimit) drawPrefix();
  const low = counter & 0xff;
  if (low === 0 || upper === '') {
    upper =
      prefix +
      Math.floor(counter / 256)
        .toString(16)
        .padStart(counterDigits - 2, '0');
  }
  counter++;
  return upper + (lowDigits[low] as string);
}
