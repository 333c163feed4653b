// Column profiles for the mapping proposal: what each column of the input looks like (its name reduced for
// matching, how full it is, whether its values are unique, e-mail addresses, dates and their format, yes/no,
// AD attributes). Free of n8n; reads at most SAMPLE_SIZE items.
import { isValidEmail, toBool } from '../helpers';

const SAMPLE_SIZE = 5000;

export type DateFormat = 'iso' | 'dd-mm-yyyy' | 'mm/dd/yyyy' | 'yyyymmdd' | 'iso-datetime' | 'generalized' | 'excel';

export interface ColumnProfile {
	/** The column's name as the items have it (after the Mapper removed a leading BOM). */
	name: string;
	/** Lower case, letters and digits only: `E-mail werk` -> `emailwerk`. */
	key: string;
	/** Share of items with a non-empty value. */
	filled: number;
	/** Non-empty values seen. */
	count: number;
	/** Every non-empty value is different. */
	unique: boolean;
	/** Shares of the non-empty values with each shape. */
	email: number;
	integer: number;
	boolean: number;
	guid: number;
	dn: number;
	/** The date format most values are written in, when nearly all are dates. */
	dateFormat?: DateFormat;
	/** Values as text, for checks across columns (manager values among keys). */
	values: string[];
	/** Most values are all capitals or all lower case: worth $nameCase. */
	badlyCased: boolean;
}

/** A column name reduced for matching: `\uFEFFE-mail_werk ` -> `emailwerk`. */
export const matchKey = (name: string) =>
	name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]/g, '');

const GUID = /^(?:\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?|[0-9a-f]{32}|[A-Za-z0-9+/]{22}==)$/i;
const DN = /^(?:CN|OU|UID)=[^,]+,/i;

/** The value as text (first of a list, as LDAP gives multi-valued attributes); '' for nothing. */
function asText(value: unknown): string {
	const single = Array.isArray(value) ? value[0] : value;
	if (single === undefined || single === null) return '';
	if (typeof single === 'object') return (single as { type?: unknown }).type === 'Buffer' ? 'buffer' : '';
	return String(single).trim();
}

function dateFormatOf(text: string): DateFormat | undefined {
	if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return 'iso';
	if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return 'iso-datetime';
	if (/^\d{8}$/.test(text) && /^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/.test(text)) return 'yyyymmdd';
	if (/^\d{14}(?:\.\d+)?Z?$/.test(text)) return 'generalized';
	const dayMonth = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(text);
	if (dayMonth) return +dayMonth[2] > 12 && +dayMonth[1] <= 12 ? 'mm/dd/yyyy' : 'dd-mm-yyyy';
	return undefined;
}

/** The one format of a date column: day-first unless a value shows the month first (13/01 cannot be a month). */
function columnDateFormat(texts: string[]): DateFormat | undefined {
	if (texts.length === 0) return undefined;
	const formats = texts.map(dateFormatOf);
	if (formats.filter((f) => f !== undefined).length < texts.length * 0.9) return undefined;
	if (formats.includes('mm/dd/yyyy')) return 'mm/dd/yyyy';
	const counts = new Map<DateFormat, number>();
	for (const f of formats) if (f) counts.set(f, (counts.get(f) ?? 0) + 1);
	return [...counts].sort((a, b) => b[1] - a[1])[0][0];
}

const share = (texts: string[], test: (text: string) => boolean) => (texts.length === 0 ? 0 : texts.filter(test).length / texts.length);

function readsAsBool(text: string): boolean {
	try {
		return toBool(text) !== undefined;
	} catch {
		return false;
	}
}

/** One column's profile over the sampled items. */
function profileColumn(name: string, items: readonly Record<string, unknown>[]): ColumnProfile {
	const raw = items.map((item) => item[name]);
	const texts = raw.map(asText).filter((text) => text !== '');
	const letters = texts.filter((t) => /\p{L}{2}/u.test(t));
	const badlyCased = letters.length > 0 && share(letters, (t) => t === t.toUpperCase() || t === t.toLowerCase()) > 0.5;
	return {
		name,
		key: matchKey(name),
		filled: items.length === 0 ? 0 : texts.length / items.length,
		count: texts.length,
		unique: texts.length > 0 && new Set(texts).size === texts.length,
		email: share(texts, (t) => t.includes('@') && isValidEmail(t.toLowerCase().replace(/^mailto:/, ''))),
		integer: share(texts, (t) => /^\d+$/.test(t)),
		boolean: share(texts, readsAsBool),
		guid: share(texts, (t) => t === 'buffer' || GUID.test(t)),
		dn: share(texts, (t) => DN.test(t)),
		dateFormat: columnDateFormat(texts),
		values: texts,
		badlyCased,
	};
}

/** Profiles of every column the items have, in first-seen order. */
export function profileColumns(items: readonly unknown[]): ColumnProfile[] {
	const records = items.slice(0, SAMPLE_SIZE).filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item));
	const names: string[] = [];
	const seen = new Set<string>();
	for (const record of records) {
		for (const name of Object.keys(record)) {
			if (!seen.has(name)) {
				seen.add(name);
				names.push(name);
			}
		}
	}
	return names.map((name) => profileColumn(name, records));
}
