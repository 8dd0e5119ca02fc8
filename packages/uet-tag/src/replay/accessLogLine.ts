/**
 * The fields of one Common or Combined Log Format line that a replay uses, as
 * {@link scanAccessLogLine} finds them: the time's parts (as written, the month as its
 * index), where the quoted request line is, and the status.
 */
export interface AccessLogFields {
  day: number;
  monthIndex: number;
  year: number;
  hour: number;
  minute: number;
  second: number;
  /** The UTC offset in minutes, signed (`-0400` is -240). */
  offsetMinutes: number;
  /** Where the time starts (just after `[`); it is 26 characters long. */
  timeStart: number;
  /** Where the request line starts (just after its opening quote). */
  requestStart: number;
  /** Where the request line ends (at its closing quote). */
  requestEnd: number;
  status: number;
}

/**
 * An empty {@link AccessLogFields} for {@link scanAccessLogLine} to fill.
 *
 * @example
 * ```ts
 * const fields = accessLogFields();
 * ```
 */
export function accessLogFields(): AccessLogFields {
  return {
    day: 0,
    monthIndex: 0,
    year: 0,
    hour: 0,
    minute: 0,
    second: 0,
    offsetMinutes: 0,
    timeStart: 0,
    requestStart: 0,
    requestEnd: 0,
    status: 0,
  };
}

const SPACE = 32;
const QUOTE = 34;
const BACKSLASH = 92;
const MINUS = 45;
const PLUS = 43;
const SLASH = 47;
const COLON = 58;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
/** The lower-case months as three character codes each, `jan` first. */
const MONTH_KEYS = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
].map((month) => (month.charCodeAt(0) << 16) | (month.charCodeAt(1) << 8) | month.charCodeAt(2));

/**
 * Reads a line of the shape `host ident user [dd/Mon/yyyy:HH:MM:SS +hhmm] "request" status
 * bytes`, optionally followed by ` "referer" "user-agent"`, into `fields`, in one pass over
 * its characters and without building strings; returns whether it has that shape. The shape
 * is exactly the regular expression's
 * `^(\S+) (\S+) (\S+) \[(\d{2})/([A-Za-z]{3})/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})\] "((?:[^"\\]|\\.)*)" (\d{3}) (\d+|-)(?: "…" "…")?$`
 * (a property test compares them): `\S` as JavaScript reads it, quoted strings with
 * backslash escapes. The month is a name of any case; an unknown name gives `monthIndex`
 * -1 (the line has the shape, its time is not valid).
 *
 * @example
 * ```ts
 * const fields = accessLogFields();
 * scanAccessLogLine('h - - [01/Aug/1995:00:00:01 -0400] "GET / HTTP/1.0" 200 1839', fields); // true
 * fields.offsetMinutes; // -240
 * ```
 */
export function scanAccessLogLine(line: string, fields: AccessLogFields): boolean {
  let at = skipToken(line, 0);
  if (at < 0) return false;
  at = skipToken(line, at + 1);
  if (at < 0) return false;
  at = skipToken(line, at + 1);
  if (at < 0 || line.charCodeAt(at + 1) !== OPEN_BRACKET) return false;
  const time = at + 2;
  if (!scanTime(line, time, fields)) return false;
  fields.timeStart = time;
  at = time + 26;
  if (
    line.charCodeAt(at) !== CLOSE_BRACKET ||
    line.charCodeAt(at + 1) !== SPACE ||
    line.charCodeAt(at + 2) !== QUOTE
  ) {
    return false;
  }
  const requestEnd = quotedEnd(line, at + 3);
  if (requestEnd < 0 || line.charCodeAt(requestEnd + 1) !== SPACE) return false;
  fields.requestStart = at + 3;
  fields.requestEnd = requestEnd;
  at = requestEnd + 2;
  const status = threeDigits(line, at);
  if (status < 0 || line.charCodeAt(at + 3) !== SPACE) return false;
  fields.status = status;
  at += 4;
  if (line.charCodeAt(at) === MINUS) at += 1;
  else {
    const first = at;
    while (isDigit(line.charCodeAt(at))) at += 1;
    if (at === first) return false;
  }
  if (at === line.length) return true;
  // Combined: ` "referer" "user-agent"`, then the end.
  if (line.charCodeAt(at) !== SPACE || line.charCodeAt(at + 1) !== QUOTE) return false;
  at = quotedEnd(line, at + 2);
  if (at < 0 || line.charCodeAt(at + 1) !== SPACE || line.charCodeAt(at + 2) !== QUOTE) {
    return false;
  }
  return quotedEnd(line, at + 3) === line.length - 1;
}

/** Where the run of non-white-space characters from `start` ends (at a space); -1 if none. */
function skipToken(line: string, start: number): number {
  const space = line.indexOf(' ', start);
  if (space <= start) return -1;
  for (let index = start; index < space; index++) {
    if (isWhiteSpace(line.charCodeAt(index))) return -1;
  }
  return space;
}

/** Reads `dd/Mon/yyyy:HH:MM:SS +hhmm` at `start` into `fields`; whether it is there. */
function scanTime(line: string, start: number, fields: AccessLogFields): boolean {
  const day = twoDigits(line, start);
  const century = twoDigits(line, start + 7);
  const years = twoDigits(line, start + 9);
  const hour = twoDigits(line, start + 12);
  const minute = twoDigits(line, start + 15);
  const second = twoDigits(line, start + 18);
  const offsetHours = twoDigits(line, start + 22);
  const offsetMinutes = twoDigits(line, start + 24);
  const sign = line.charCodeAt(start + 21);
  if (
    (day | century | years | hour | minute | second | offsetHours | offsetMinutes) < 0 ||
    line.charCodeAt(start + 2) !== SLASH ||
    line.charCodeAt(start + 6) !== SLASH ||
    line.charCodeAt(start + 11) !== COLON ||
    line.charCodeAt(start + 14) !== COLON ||
    line.charCodeAt(start + 17) !== COLON ||
    line.charCodeAt(start + 20) !== SPACE ||
    (sign !== PLUS && sign !== MINUS)
  ) {
    return false;
  }
  const m0 = line.charCodeAt(start + 3);
  const m1 = line.charCodeAt(start + 4);
  const m2 = line.charCodeAt(start + 5);
  if (!isLetter(m0) || !isLetter(m1) || !isLetter(m2)) return false;
  fields.monthIndex = MONTH_KEYS.indexOf(((m0 | 32) << 16) | ((m1 | 32) << 8) | (m2 | 32));
  fields.day = day;
  fields.year = century * 100 + years;
  fields.hour = hour;
  fields.minute = minute;
  fields.second = second;
  const offset = offsetHours * 60 + offsetMinutes;
  fields.offsetMinutes = sign === MINUS ? -offset : offset;
  return true;
}

/**
 * Where the double-quoted string whose text starts at `start` ends (at its closing quote),
 * backslash escapes allowed (not of a line terminator); -1 when it is not closed.
 */
function quotedEnd(line: string, start: number): number {
  const quote = line.indexOf('"', start);
  if (quote < 0) return -1;
  const backslash = line.indexOf('\\', start);
  if (backslash < 0 || backslash > quote) return quote;
  for (let index = start; index < line.length; index++) {
    const code = line.charCodeAt(index);
    if (code === QUOTE) return index;
    if (code === BACKSLASH) {
      if (index + 1 >= line.length || isLineTerminator(line.charCodeAt(index + 1))) return -1;
      index += 1;
    }
  }
  return -1;
}

/** The number of the two digits at `start`, or -1. */
function twoDigits(line: string, start: number): number {
  const tens = line.charCodeAt(start) - 48;
  const ones = line.charCodeAt(start + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

/** The number of the three digits at `start`, or -1. */
function threeDigits(line: string, start: number): number {
  const hundreds = line.charCodeAt(start) - 48;
  const rest = twoDigits(line, start + 1);
  return hundreds >= 0 && hundreds <= 9 && rest >= 0 ? hundreds * 100 + rest : -1;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** What JavaScript's `.` does not match. */
function isLineTerminator(code: number): boolean {
  return code === 10 || code === 13 || code === 0x2028 || code === 0x2029;
}

/** What JavaScript's `\s` matches: white space and line terminators. */
function isWhiteSpace(code: number): boolean {
  if (code < 0xa0) return code === SPACE || (code >= 9 && code <= 13);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}
