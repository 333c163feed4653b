// Helper functions for real HR and Active Directory data, registered in every mapping expression as `$name`.
// Documented with examples in docs/mapper-helpers.md. Conventions: a missing input (undefined/null) gives
// undefined (JSONata's "nothing") unless stated; input that cannot be read throws a HelperError, which makes
// the record invalid with that message instead of silently mapping a wrong value.
import { dutchName } from './dutchNames';
import { HelperError } from './errors';
import { isParticle, nameCase } from './nameCase';
import { describe, isMissing, ldapFirst } from './values';

export { ldapFirst, nameCase };
export { NAME_PARTICLES } from './nameCase';

type Bytes = Uint8Array | number[];

// ---------------------------------------------------------------------------------------------------------
// objectGUID
// ---------------------------------------------------------------------------------------------------------

const CANONICAL_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX32 = /^[0-9a-f]{32}$/i;
const BASE64_16 = /^[A-Za-z0-9+/]{22}(?:==)?$/;
const LDAP_ESCAPED = /^(?:\\[0-9a-f]{2}){16}$/i;

function isByteArray(value: unknown): value is number[] {
	return (
		Array.isArray(value) &&
		value.length > 0 &&
		value.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255)
	);
}

function hexToBytes(hex: string): number[] {
	const bytes: number[] = [];
	for (let i = 0; i < hex.length; i += 2) bytes.push(parseInt(hex.slice(i, i + 2), 16));
	return bytes;
}

function guidFromBytes(bytes: Bytes): string {
	if (bytes.length !== 16) throw new HelperError(`$adGuid: objectGUID must be 16 bytes, got ${bytes.length}`);
	const h = Array.from(bytes, (b) => b.toString(16).padStart(2, '0'));
	// AD stores Data1 (4 bytes), Data2 and Data3 (2 bytes each) little-endian, Data4 (8 bytes) as is.
	return [
		h[3] + h[2] + h[1] + h[0],
		h[5] + h[4],
		h[7] + h[6],
		h[8] + h[9],
		h.slice(10).join(''),
	].join('-');
}

/**
 * AD objectGUID in any of its encodings -> canonical lower-case GUID string (AD's mixed-endian byte order).
 * Accepts a Buffer/Uint8Array, an array of 16 byte numbers, a serialised Buffer `{type:'Buffer', data:[...]}`,
 * 32 hex digits of the raw bytes (what n8n's LDAP node returns), base64 of the raw bytes (ldapsearch `::`,
 * many HR exports), `\e0\04...` LDAP-escaped bytes, or an already canonical GUID (with or without braces).
 */
export function adGuid(value: unknown): string | undefined {
	if (isMissing(value)) return undefined;
	if (value instanceof Uint8Array) return guidFromBytes(value);
	if (isByteArray(value)) return guidFromBytes(value);
	if (Array.isArray(value)) {
		if (value.length === 1) return adGuid(value[0]);
		throw new HelperError(`$adGuid: expected one objectGUID, got ${value.length} values`);
	}
	if (typeof value === 'object') {
		const serialised = value as { type?: unknown; data?: unknown };
		if (serialised.type === 'Buffer' && isByteArray(serialised.data)) return guidFromBytes(serialised.data);
	}
	if (typeof value === 'string') {
		const text = value.trim().replace(/^\{(.*)\}$/, '$1');
		if (CANONICAL_GUID.test(text)) return text.toLowerCase();
		if (HEX32.test(text)) return guidFromBytes(hexToBytes(text));
		if (LDAP_ESCAPED.test(text)) return guidFromBytes(hexToBytes(text.replace(/\\/g, '')));
		if (BASE64_16.test(text)) return guidFromBytes(Buffer.from(text, 'base64'));
	}
	throw new HelperError(`$adGuid: cannot read ${describe(value)} as an objectGUID`);
}

// ---------------------------------------------------------------------------------------------------------
// Windows FILETIME and LDAP generalized time
// ---------------------------------------------------------------------------------------------------------

/** 100 ns intervals between 1601-01-01 and 1970-01-01. */
const FILETIME_UNIX_EPOCH = 116444736000000000n;
const FILETIME_NEVER = 9223372036854775807n;
const MAX_DATE_MS = 8640000000000000n;

function readFileTime(value: unknown, helper: string): bigint | undefined {
	const single = ldapFirst(value);
	if (isMissing(single) || single === '') return undefined;
	if (typeof single === 'bigint') return single;
	if (typeof single === 'number' && Number.isFinite(single) && Number.isInteger(single)) return BigInt(single);
	if (typeof single === 'string' && /^-?\d{1,20}$/.test(single.trim())) return BigInt(single.trim());
	throw new HelperError(`${helper}: cannot read ${describe(single)} as a Windows FILETIME`);
}

const isNever = (fileTime: bigint) => fileTime <= 0n || fileTime >= FILETIME_NEVER;

function fileTimeToMillis(fileTime: bigint, helper: string): bigint {
	const ms = (fileTime - FILETIME_UNIX_EPOCH) / 10000n;
	if (ms > MAX_DATE_MS || ms < -MAX_DATE_MS) throw new HelperError(`${helper}: FILETIME ${fileTime} is out of range`);
	return ms;
}

/**
 * Windows FILETIME (100 ns since 1601-01-01 UTC; AD `accountExpires`, `pwdLastSet`, `lastLogonTimestamp`) as a
 * string or number -> ISO 8601 UTC string. 0 and 9223372036854775807 mean "never" -> null.
 */
export function fileTimeToIso(value: unknown): string | null | undefined {
	const fileTime = readFileTime(value, '$fileTimeToIso');
	if (fileTime === undefined) return undefined;
	if (isNever(fileTime)) return null;
	return new Date(Number(fileTimeToMillis(fileTime, '$fileTimeToIso'))).toISOString();
}

const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{2}(?:\d{2})?)?$/;

/** LDAP generalized time (`whenCreated`, `whenChanged`: `20240131120000.0Z`) -> ISO 8601 UTC string. No zone = UTC. */
export function generalizedTimeToIso(value: unknown): string | undefined {
	const single = ldapFirst(value);
	if (isMissing(single) || single === '') return undefined;
	const match = typeof single === 'string' ? GENERALIZED_TIME.exec(single.trim()) : null;
	if (!match) throw new HelperError(`$generalizedTimeToIso: cannot read ${describe(single)} as LDAP generalized time`);
	const [, y, mo, d, h, mi, s, fraction, zone] = match;
	let ms = Date.UTC(+y, +mo - 1, +d, +h, mi === undefined ? 0 : +mi, s === undefined ? 0 : +s);
	if (fraction !== undefined) {
		const unit = s !== undefined ? 1000 : mi !== undefined ? 60000 : 3600000;
		ms += Math.round(Number(`0.${fraction}`) * unit);
	}
	if (zone && zone !== 'Z') {
		const sign = zone[0] === '-' ? -1 : 1;
		const offsetMinutes = +zone.slice(1, 3) * 60 + (zone.length > 3 ? +zone.slice(3, 5) : 0);
		ms -= sign * offsetMinutes * 60000;
	}
	const valid =
		validYmd(+y, +mo, +d) && +h < 24 && (mi === undefined || +mi < 60) && (s === undefined || +s < 61);
	if (!valid) throw new HelperError(`$generalizedTimeToIso: ${describe(single)} is not a valid date`);
	return new Date(ms).toISOString();
}

// ---------------------------------------------------------------------------------------------------------
// Account state
// ---------------------------------------------------------------------------------------------------------

const UF_ACCOUNTDISABLE = 0x2;

/** True when AD `userAccountControl` has the ACCOUNTDISABLE bit (0x2). Number or numeric string. */
export function adDisabled(userAccountControl: unknown): boolean | undefined {
	const single = ldapFirst(userAccountControl);
	if (isMissing(single) || single === '') return undefined;
	const flags = typeof single === 'number' ? single : typeof single === 'string' ? Number(single.trim()) : NaN;
	if (!Number.isInteger(flags)) {
		throw new HelperError(`$adDisabled: cannot read ${describe(single)} as userAccountControl`);
	}
	return (flags & UF_ACCOUNTDISABLE) !== 0;
}

function readMoment(value: unknown, clock: () => Date, helper: string): number {
	if (isMissing(value)) return clock().getTime();
	if (typeof value === 'number') return value;
	if (typeof value === 'string') {
		const ms = Date.parse(value);
		if (!Number.isNaN(ms)) return ms;
	}
	throw new HelperError(`${helper}: cannot read ${describe(value)} as a moment (ISO string or milliseconds)`);
}

/** True when AD `accountExpires` (FILETIME) lies before `now` (default: the current time). "Never" -> false. */
export function adExpired(accountExpires: unknown, now: unknown, clock: () => Date): boolean {
	const fileTime = readFileTime(accountExpires, '$adExpired');
	if (fileTime === undefined || isNever(fileTime)) return false;
	return Number(fileTimeToMillis(fileTime, '$adExpired')) <= readMoment(now, clock, '$adExpired');
}

// ---------------------------------------------------------------------------------------------------------
// Dates in a time zone
// ---------------------------------------------------------------------------------------------------------

/** The zone dates are read in when none is configured. */
export const DEFAULT_TIME_ZONE = 'Europe/Amsterdam';

const DATE_FORMATTERS = new Map<string, Intl.DateTimeFormat>();

/** A formatter for the zone, or undefined when the zone is unknown (Intl throws a RangeError then). */
function createFormatter(timeZone: string): Intl.DateTimeFormat | undefined {
	try {
		return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
	} catch {
		return undefined;
	}
}

function formatterFor(timeZone: string, helper: string): Intl.DateTimeFormat {
	let formatter = DATE_FORMATTERS.get(timeZone);
	if (!formatter) {
		formatter = createFormatter(timeZone);
		if (!formatter) throw new HelperError(`${helper}: unknown time zone '${timeZone}' (use an IANA name such as Europe/Amsterdam)`);
		DATE_FORMATTERS.set(timeZone, formatter);
	}
	return formatter;
}

/** Whether Intl knows the IANA time zone. */
export function isKnownTimeZone(timeZone: string): boolean {
	return createFormatter(timeZone) !== undefined;
}

const TODAY_CACHE = new Map<string, { minute: number; date: string }>();

/**
 * Today's date in a zone. Every zone offset is a whole number of minutes, so the date is the same for a whole
 * clock minute: cache it per minute (formatToParts is the slowest step of $leaveDatePassed otherwise).
 */
function todayInZone(ms: number, timeZone: string, helper: string): string {
	const minute = Math.floor(ms / 60000);
	const cached = TODAY_CACHE.get(timeZone);
	if (cached && cached.minute === minute) return cached.date;
	const date = dateInZone(minute * 60000, timeZone, helper);
	TODAY_CACHE.set(timeZone, { minute, date });
	return date;
}

/** The calendar date (YYYY-MM-DD) of an instant in an IANA time zone. */
export function dateInZone(ms: number, timeZone: string, helper: string): string {
	const parts = formatterFor(timeZone, helper).formatToParts(new Date(ms));
	const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
	return `${get('year')}-${get('month')}-${get('day')}`;
}

function validYmd(y: number, m: number, d: number): boolean {
	const date = new Date(Date.UTC(y, m - 1, d));
	return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const ymd = (y: number, m: number, d: number) =>
	`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * The calendar date of an ISO date-time, the same in every mode of every date helper: with a zone (`Z`, `+01:00`)
 * it is a moment, and its date is the date in `timeZone`; without one it is a local date-time, and its date is
 * the one written (never the date in the machine's own zone, which is what Date.parse would use).
 */
function isoDateTimeDate(text: string, timeZone: string, helper: string): string | undefined {
	const m = ISO_DATE_TIME.exec(text);
	if (!m || !validYmd(+m[1], +m[2], +m[3])) return undefined;
	if (m[4] === undefined) return ymd(+m[1], +m[2], +m[3]);
	const ms = Date.parse(text);
	return Number.isNaN(ms) ? undefined : dateInZone(ms, timeZone, helper);
}

/**
 * A date as HR systems write it -> `YYYY-MM-DD`. Accepts `YYYY-MM-DD`, Dutch/European `DD-MM-YYYY`,
 * `DD/MM/YYYY`, `DD.MM.YYYY`, an ISO date-time (its calendar date in `timeZone`), LDAP generalized time, or
 * milliseconds since 1970.
 */
export function toIsoDate(value: unknown, timeZone: string, helper = '$toIsoDate'): string | undefined {
	const single = ldapFirst(value);
	if (isMissing(single)) return undefined;
	if (typeof single === 'string' && single.trim() === '') return undefined;
	if (typeof single === 'number' && Number.isFinite(single)) return dateInZone(single, timeZone, helper);
	if (typeof single === 'string') {
		const text = single.trim();
		let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
		if (m && validYmd(+m[1], +m[2], +m[3])) return ymd(+m[1], +m[2], +m[3]);
		m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(text);
		if (m && validYmd(+m[3], +m[2], +m[1])) return ymd(+m[3], +m[2], +m[1]);
		const dateTime = isoDateTimeDate(text, timeZone, helper);
		if (dateTime !== undefined) return dateTime;
		if (GENERALIZED_TIME.test(text)) {
			const iso = generalizedTimeToIso(text);
			if (iso) return dateInZone(Date.parse(iso), timeZone, helper);
		}
	}
	throw new HelperError(`${helper}: cannot read ${describe(single)} as a date`);
}

/** Excel's day 0 for serials from 61 (1900-03-01) on: 1899-12-30 (Excel counts a 1900-02-29 that never was). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86400000;
/** Excel serials this helper reads: 61 (1900-03-01) to 2958465 (9999-12-31). */
const EXCEL_MIN_SERIAL = 61;
const EXCEL_MAX_SERIAL = 2958465;

export type StartDateFormat = 'auto' | 'iso' | 'dd-mm-yyyy' | 'mm/dd/yyyy' | 'yyyymmdd' | 'excel';
const START_DATE_FORMATS: readonly StartDateFormat[] = ['auto', 'iso', 'dd-mm-yyyy', 'mm/dd/yyyy', 'yyyymmdd', 'excel'];

function excelSerialToDate(serial: number, helper: string): string {
	if (!Number.isInteger(serial) || serial < EXCEL_MIN_SERIAL || serial > EXCEL_MAX_SERIAL) {
		throw new HelperError(`${helper}: ${serial} is not an Excel date serial (a whole number from ${EXCEL_MIN_SERIAL} to ${EXCEL_MAX_SERIAL})`);
	}
	return new Date(EXCEL_EPOCH_MS + serial * DAY_MS).toISOString().slice(0, 10);
}

function yyyymmdd(text: string): string | undefined {
	const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
	return m && validYmd(+m[1], +m[2], +m[3]) ? ymd(+m[1], +m[2], +m[3]) : undefined;
}

/** One explicit format: the text (or number) must be written exactly that way. */
function startDateAs(single: string | number, format: Exclude<StartDateFormat, 'auto'>, timeZone: string, helper: string): string | undefined {
	const text = String(single).trim();
	let m: RegExpExecArray | null;
	switch (format) {
		case 'excel':
			return /^\d+$/.test(text) ? excelSerialToDate(Number(text), helper) : undefined;
		case 'yyyymmdd':
			return yyyymmdd(text);
		case 'iso':
			m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
			if (m) return validYmd(+m[1], +m[2], +m[3]) ? ymd(+m[1], +m[2], +m[3]) : undefined;
			return isoDateTimeDate(text, timeZone, helper);
		case 'dd-mm-yyyy':
			m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(text);
			return m && validYmd(+m[3], +m[2], +m[1]) ? ymd(+m[3], +m[2], +m[1]) : undefined;
		case 'mm/dd/yyyy':
			m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(text);
			return m && validYmd(+m[3], +m[1], +m[2]) ? ymd(+m[3], +m[1], +m[2]) : undefined;
	}
}

/** Whole numbers that are as likely a year as an Excel serial (1900 to 2199): never guessed to be a serial. */
const PLAUSIBLE_YEAR = { min: 1900, max: 2199 };
/** Milliseconds since 1970 are read from numbers of at least this many digits (2001-09-09 on). */
const MILLISECONDS_MIN_DIGITS = 12;

/**
 * No format given. Digit-only values are read only where the reading is not a guess: 8 digits as yyyymmdd, up to
 * five digits as an Excel serial unless it is also a plausible year (`2027`), a number of 12 digits or more as
 * milliseconds; anything else is an error asking for the format. Other text is read as $toIsoDate reads it.
 */
function startDateAuto(single: string | number, timeZone: string, helper: string): string | undefined {
	const text = String(single).trim();
	if (!/^\d+$/.test(text)) return toIsoDate(single, timeZone, helper);
	if (text.length === 8) return yyyymmdd(text);
	// LDAP generalized time without its zone letter (`20270104090000`) is text, never a number.
	if (typeof single === 'string' && text.length > 8 && GENERALIZED_TIME.test(text)) return toIsoDate(single, timeZone, helper);
	const value = Number(text);
	if (text.length <= 5) {
		if (value >= PLAUSIBLE_YEAR.min && value <= PLAUSIBLE_YEAR.max) {
			throw new HelperError(`${helper}: ${text} looks like a year, not a date; if the column holds Excel date serials, write ${helper}(value, 'excel')`);
		}
		return excelSerialToDate(value, helper);
	}
	if (typeof single === 'number' && text.length >= MILLISECONDS_MIN_DIGITS) return dateInZone(single, timeZone, helper);
	throw new HelperError(`${helper}: cannot tell what date ${text} is (not yyyymmdd, an Excel serial or milliseconds); give the format, e.g. ${helper}(value, 'yyyymmdd')`);
}

/**
 * A start date (or any calendar date) as HR exports write it -> `YYYY-MM-DD`, for the record's `startDate`.
 * Without `format`: `YYYY-MM-DD`, an ISO date-time, `DD-MM-YYYY` / `DD/MM/YYYY` / `DD.MM.YYYY` (day first),
 * `YYYYMMDD` (text or number), Excel date serials up to 99999 (e.g. 46391 = 2027-01-04) except 1900-2199, which
 * are refused as years (`$startDate(v, 'excel')` reads them), milliseconds (12 digits or more), LDAP generalized time.
 * An ISO date-time gives the same day in every mode: with a zone, the day of that moment in `timeZone`; without,
 * the day written.
 * `format` (`iso`, `dd-mm-yyyy`, `mm/dd/yyyy`, `yyyymmdd`, `excel`) reads exactly one way: `mm/dd/yyyy` is the only
 * way to read US month-first dates. Missing or empty -> undefined; anything else is an error naming the value.
 */
export function startDate(value: unknown, format: unknown, timeZone: string, helper = '$startDate'): string | undefined {
	const single = ldapFirst(value);
	if (isMissing(single) || (typeof single === 'string' && single.trim() === '')) return undefined;
	const wanted = isMissing(format) || format === '' ? 'auto' : format;
	if (!START_DATE_FORMATS.includes(wanted as StartDateFormat)) {
		throw new HelperError(`${helper}: unknown format ${describe(format)} (use one of ${START_DATE_FORMATS.join(', ')})`);
	}
	if (typeof single !== 'string' && !(typeof single === 'number' && Number.isFinite(single))) {
		throw new HelperError(`${helper}: cannot read ${describe(single)} as a date`);
	}
	const date = wanted === 'auto' ? startDateAuto(single, timeZone, helper) : startDateAs(single, wanted as Exclude<StartDateFormat, 'auto'>, timeZone, helper);
	if (date === undefined) throw new HelperError(`${helper}: cannot read ${describe(single)} as a date${wanted === 'auto' ? '' : ` in the format ${wanted}`}`);
	return date;
}

/**
 * Calendar days from today (in `timeZone`) until the date: 0 on the day itself, 7 a week ahead, negative once
 * passed. The date is read as by $startDate() without a format. Missing -> undefined.
 */
export function daysUntil(date: unknown, timeZone: string, clock: () => Date): number | undefined {
	const day = startDate(date, undefined, timeZone, '$daysUntil');
	if (day === undefined) return undefined;
	const today = todayInZone(clock().getTime(), timeZone, '$daysUntil');
	return Math.round((Date.parse(day) - Date.parse(today)) / DAY_MS);
}

/**
 * True when the leave date lies before today in `timeZone` (the leave day itself still counts as employed).
 * No leave date (missing or empty) -> false.
 */
export function leaveDatePassed(date: unknown, timeZone: string, clock: () => Date): boolean {
	const leaveDate = toIsoDate(date, timeZone, '$leaveDatePassed');
	if (leaveDate === undefined) return false;
	const today = todayInZone(clock().getTime(), timeZone, '$leaveDatePassed');
	return leaveDate < today;
}

// ---------------------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------------------

const EMAIL =
	/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\p{L}-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\p{L}-]+)*@(?:[A-Za-z0-9\p{L}](?:[A-Za-z0-9\p{L}-]*[A-Za-z0-9\p{L}])?\.)+[A-Za-z\p{L}]{2,}$/u;

// EMAIL without its Unicode classes: the same language for ASCII text, and V8 runs it several times faster than
// EMAIL (whose /u classes made it the slowest part of a record check) and than the hand-written scan it replaces
// (measured on 100k addresses: 5.5 ms vs 15.7 ms). Non-ASCII text always goes to EMAIL itself.
// No catastrophic backtracking: every label must end at a dot, and the text is at most 254 characters.
const ASCII_EMAIL =
	/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/;

const NON_ASCII = /[\u0080-\uffff]/; // any code unit above U+007F (no /u flag: surrogates are code units too)

/** Whether every code unit is ASCII (then no bidi control and no Cyrillic / Greek letter can be in it). One regex
 * test: V8 answers it faster than a code-unit loop. The record rules re-export it. */
export function isAsciiText(value: string): boolean {
	return !NON_ASCII.test(value);
}

/** A sane e-mail address: dot-atom local part (max 64), dotted domain with a TLD, max 254 characters. */
export function isValidEmail(value: string): boolean {
	if (value.length > 254) return false;
	const at = value.lastIndexOf('@');
	if (!(at > 0 && at <= 64)) return false;
	// ASCII_EMAIL accepts ASCII text only; what it refuses is decided by EMAIL unless the text is ASCII.
	if (ASCII_EMAIL.test(value)) return true;
	return !isAsciiText(value) && EMAIL.test(value);
}

/** An ASCII e-mail address isValidEmail accepts: printable ASCII without spaces, one "@" (one regex test). */
export function isPlainAsciiEmail(value: string): boolean {
	return value.length <= 254 && ASCII_EMAIL.test(value) && value.indexOf('@') <= 64;
}

/** The Unicode regex alone, for tests comparing isValidEmail's ASCII copy with it. */
export const matchesEmailPattern = (value: string): boolean => EMAIL.test(value);

/** Trim, strip `mailto:`, lower-case and validate an e-mail address. Empty -> undefined; invalid -> error. */
export function normalizeEmail(value: unknown): string | undefined {
	const single = ldapFirst(value);
	if (isMissing(single)) return undefined;
	if (typeof single !== 'string') throw new HelperError(`$normalizeEmail: expected text, got ${describe(single)}`);
	const email = single.trim().replace(/^mailto:/i, '').toLowerCase();
	if (email === '') return undefined;
	if (!isValidEmail(email)) throw new HelperError(`$normalizeEmail: '${single.trim()}' is not a valid e-mail address`);
	return email;
}

/** Initials of given names: `Jan Pieter` -> `J.P.`, `jan-willem` -> `J.W.`; particles are skipped. */
export function initials(value: unknown): string | undefined {
	const single = ldapFirst(value);
	if (isMissing(single)) return undefined;
	if (typeof single !== 'string') throw new HelperError(`$initials: expected text, got ${describe(single)}`);
	return single
		.trim()
		.split(/\s+/)
		.filter((w) => w !== '' && !isParticle(w))
		.flatMap((w) => w.split('-'))
		.filter((w) => /^\p{L}/u.test(w))
		.map((w) => `${w[0].toUpperCase()}.`)
		.join('');
}

/** Join the non-empty values (nested arrays flattened, text trimmed) with `separator` (default a space). */
export function joinNonEmpty(values: unknown, separator?: unknown): string {
	const list = (Array.isArray(values) ? values.flat(Infinity) : [values]) as unknown[];
	return list
		.filter((v) => !isMissing(v))
		.map((v) => (typeof v === 'string' ? v.trim() : String(v)))
		.filter((v) => v !== '')
		.join(typeof separator === 'string' ? separator : ' ');
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', 'ja', 'j', '1', 'waar', 'on', 'aan', 'actief', 'active', 'x']);
const FALSE_WORDS = new Set(['false', 'no', 'n', 'nee', '0', 'onwaar', 'off', 'uit', 'inactief', 'inactive', '']);

/**
 * Yes/no as HR exports write it -> boolean. True: true, yes, y, ja, j, 1, waar, on, aan, actief, active, x.
 * False: false, no, n, nee, 0, onwaar, off, uit, inactief, inactive, empty text. Case-insensitive.
 * Missing -> undefined; anything else is an error.
 */
export function toBool(value: unknown): boolean | undefined {
	const single = ldapFirst(value);
	if (isMissing(single)) return undefined;
	if (typeof single === 'boolean') return single;
	if (typeof single === 'number' && (single === 0 || single === 1)) return single === 1;
	if (typeof single === 'string') {
		const word = single.trim().toLowerCase();
		if (TRUE_WORDS.has(word)) return true;
		if (FALSE_WORDS.has(word)) return false;
	}
	throw new HelperError(`$toBool: cannot read ${describe(single)} as yes/no`);
}

/** Split a DN into its RDN values, honouring escaped commas: `CN=Care\, Nursing,OU=Groups` -> first = `Care, Nursing`. */
function firstRdnValue(dn: string): string {
	let value = '';
	let started = false;
	for (let i = 0; i < dn.length; i++) {
		const ch = dn[i];
		if (!started) {
			if (ch === '=') started = true;
			continue;
		}
		if (ch === '\\' && i + 1 < dn.length) {
			const hex = dn.slice(i + 1, i + 3);
			if (/^[0-9a-f]{2}$/i.test(hex)) {
				value += String.fromCharCode(parseInt(hex, 16));
				i += 2;
			} else {
				value += dn[++i];
			}
			continue;
		}
		if (ch === ',' || ch === '+') break;
		value += ch;
	}
	return started ? value.trim() : dn.trim();
}

/** The first RDN value of an LDAP DN (`CN=Care,OU=Groups,DC=acme,DC=nl` -> `Care`); arrays map element-wise. */
export function dnToCn(value: unknown): string | string[] | undefined {
	if (isMissing(value)) return undefined;
	if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').map((v: string) => firstRdnValue(v));
	if (typeof value !== 'string') throw new HelperError(`$dnToCn: expected a DN, got ${describe(value)}`);
	return firstRdnValue(value);
}

/** True when `memberOf` (one DN or a list) contains the group, given by CN (`Care`) or full DN; case-insensitive. */
export function memberOf(memberOfValue: unknown, group: unknown): boolean {
	if (typeof group !== 'string' || group.trim() === '') throw new HelperError('$memberOf: the group name is required');
	if (isMissing(memberOfValue)) return false;
	const dns = (Array.isArray(memberOfValue) ? memberOfValue : [memberOfValue]).filter(
		(v): v is string => typeof v === 'string',
	);
	const wanted = group.trim().toLowerCase();
	const byDn = wanted.includes('=');
	return dns.some((dn) =>
		byDn ? dn.trim().toLowerCase().replace(/\s*,\s*/g, ',') === wanted.replace(/\s*,\s*/g, ',') : firstRdnValue(dn).toLowerCase() === wanted,
	);
}

/** The helpers as JSONata sees them. `clock` and `defaultTimeZone` come from the compile options. */
export function mapperHelpers(clock: () => Date, defaultTimeZone: string): Record<string, (...args: unknown[]) => unknown> {
	const zone = (tz: unknown) => (typeof tz === 'string' && tz.trim() !== '' ? tz.trim() : defaultTimeZone);
	return {
		adGuid: (v) => adGuid(v),
		fileTimeToIso: (v) => fileTimeToIso(v),
		generalizedTimeToIso: (v) => generalizedTimeToIso(v),
		adDisabled: (v) => adDisabled(v),
		adExpired: (v, now) => adExpired(v, now, clock),
		adActive: (uac, expires) => adDisabled(uac) !== true && !adExpired(expires, undefined, clock),
		leaveDatePassed: (date, tz) => leaveDatePassed(date, zone(tz), clock),
		toIsoDate: (date, tz) => toIsoDate(date, zone(tz)),
		startDate: (date, format, tz) => startDate(date, format, zone(tz)),
		daysUntil: (date, tz) => daysUntil(date, zone(tz), clock),
		normalizeEmail: (v) => normalizeEmail(v),
		nameCase: (v, lower) => nameCase(v, lower),
		dutchName: (first, prefix, last, partnerPrefix, partnerLast, code) => dutchName(first, prefix, last, partnerPrefix, partnerLast, code),
		initials: (v) => initials(v),
		joinNonEmpty: (values, sep) => joinNonEmpty(values, sep),
		ldapFirst: (v) => ldapFirst(v),
		toBool: (v) => toBool(v),
		dnToCn: (v) => dnToCn(v),
		memberOf: (v, group) => memberOf(v, group),
	};
}
