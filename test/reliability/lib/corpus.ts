/**
 * The hostile and broken input corpus: records as a source could deliver them to the Plek Mapper (document mode,
 * `$`, so each arrives at the record contract as it is). Each entry says whether it must be synced exactly (good)
 * or reported with a reason naming the field (bad), and never written.
 */
import { ENTERPRISE as ENT, PLEK_EXTENSION as PLEK } from '../../support/scim';

export interface CorpusEntry {
	name: string;
	record: unknown;
	/** good: synced exactly; bad: reported (reason matching `reason`), nothing written for it. */
	expect: 'good' | 'bad';
	/** What the report must mention (the field or the rule), case-insensitive. */
	reason?: RegExp;
	/** userName of a bad record, to prove nothing was written under it. */
	userName?: string;
	/** A good record the Mapper normalises: the record as it must be in Plek. */
	as?: Record<string, unknown>;
}

const MB = 'x'.repeat(1024 * 1024);

function person(n: number, extra: Record<string, unknown> = {}, profile: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		key: `h-${n}`,
		userName: `hostile${n}@acme.nl`,
		active: true,
		profile: { 'name.givenName': `Given${n}`, 'name.familyName': `Family${n}`, 'emails[type eq "work"].value': `hostile${n}@acme.nl`, ...profile },
		groups: ['All staff'],
		...extra,
	};
}

function good(name: string, record: unknown, as?: Record<string, unknown>): CorpusEntry {
	return { name, record, expect: 'good', as };
}

const without = (record: Record<string, unknown>, field: string) => Object.fromEntries(Object.entries(record).filter(([k]) => k !== field));

function bad(name: string, record: Record<string, unknown> | unknown, reason: RegExp): CorpusEntry {
	const userName = typeof (record as { userName?: unknown })?.userName === 'string' ? ((record as { userName: string }).userName) : undefined;
	return { name, record, expect: 'bad', reason, userName };
}

export function hostileCorpus(): CorpusEntry[] {
	let n = 0;
	const next = () => ++n;
	const entries: CorpusEntry[] = [
		// Plain people: the baseline that must go through untouched by its neighbours.
		...Array.from({ length: 10 }, (_, i) => good(`plain ${i}`, person(next(), {}, { title: 'Nurse', [`${ENT}:department`]: 'Care' }))),
		// Keys a filter must escape (SCIM filter injection): synced with exactly that externalId.
		good('key with a double quote', { ...person(next()), key: 'h-"quoted"' }),
		good('key with a backslash', { ...person(next()), key: 'h-back\\slash' }),
		good('key with a parenthesis', { ...person(next()), key: 'h-paren)' }),
		good('key with " or "', { ...person(next()), key: 'h-x" or userName pr or "' }),
		good('key with a comma and brackets', { ...person(next()), key: 'h-[a],b' }),
		good('key "constructor"', { ...person(next()), key: 'constructor' }),
		good('key "__proto__"', { ...person(next()), key: '__proto__' }),
		good('key "prototype"', { ...person(next()), key: 'prototype' }),
		good('value "__proto__"', person(next(), {}, { title: '__proto__', [`${ENT}:department`]: 'constructor' })),
		// Names the world writes.
		good('emoji name', person(next(), {}, { 'name.givenName': 'Emma 😀', 'name.familyName': '🦄 de Vries' })),
		good('Arabic name (RTL)', person(next(), {}, { 'name.givenName': 'مريم', 'name.familyName': 'العلي' })),
		good('Hebrew name (RTL)', person(next(), {}, { 'name.givenName': 'שרה', 'name.familyName': 'כהן' })),
		good('combining marks and CJK', person(next(), {}, { 'name.givenName': 'Zoë', 'name.familyName': '山田' })),
		good('unicode e-mail in one script', { ...person(next()), userName: 'jürgen.müller@acme.nl' }),
		good('value with quotes, backslash and " or "', person(next(), {}, { title: 'Head "of" \\ care) or (x' })),
		good('group names with quotes', person(next(), { groups: ['Team "Alpha"', "O'Neill's", 'back\\slash group', 'paren) or (group'] })),
		// Numbers are valid record values, but Plek's costCenter is a string: Plek refuses the create (400 invalidValue), the
		// Sync reports it as a failed create naming the attribute; nothing of the user is written.
		bad('a number for a string attribute', person(next(), {}, { [`${PLEK}:costCenter`]: 4711 }), /costCenter|expected value type/i),
		good('null and empty profile values', person(next(), {}, { title: null, [`${ENT}:department`]: '' })),
		good('2,048-character value (the limit)', person(next(), {}, { title: 't'.repeat(2048) })),
		good('inactive leaver not in Plek (skipped, never created)', { ...person(next()), active: false }),
	];
	const badEntries: CorpusEntry[] = [
		// Keys.
		bad('key missing', without(person(next()), 'key'), /key/i),
		bad('key null', { ...person(next()), key: null }, /key/i),
		// The Mapper (document mode) turns a numeric key into text, as employee numbers often come.
		((p) => good('key a number (made text)', { ...p, key: 42 }, { ...p, key: '42' }))(person(next())),
		bad('key an array', { ...person(next()), key: ['h-a'] }, /key/i),
		bad('key an object', { ...person(next()), key: { id: 'h-o' } }, /key/i),
		bad('key whitespace only', { ...person(next()), key: '   ' }, /key/i),
		bad('key empty', { ...person(next()), key: '' }, /key/i),
		bad('key with a line break', { ...person(next()), key: 'h-line\nbreak' }, /key|control/i),
		bad('key of 1 MB', { ...person(next()), key: MB }, /key|longer/i),
		// Duplicate keys: both copies reported, neither written.
		bad('duplicate key (first)', { ...person(next()), key: 'h-dup' }, /dup|twice|more than once|same/i),
		bad('duplicate key (second)', { ...person(next()), key: 'h-dup' }, /dup|twice|more than once|same/i),
		// Reserved names as fields.
		// Reserved names in the source: the Mapper's source sanitiser (core/mapping/sanitize.ts) drops them at any depth
		// before JSONata sees the record, so they never reach an object; the rest of the record is synced.
		good('__proto__ as a source field (dropped)', JSON.parse(`{"key":"h-p1","userName":"hp1@acme.nl","active":true,"profile":{},"__proto__":{"active":false}}`), { key: 'h-p1', userName: 'hp1@acme.nl', active: true, profile: {} }),
		((p) => good('constructor as a source field (dropped)', { ...p, constructor: 'x' }, p))(person(next())),
		((p) => good('prototype as a source field (dropped)', { ...p, prototype: {} }, p))(person(next())),
		good('__proto__ as a profile path (dropped)', JSON.parse(`{"key":"h-p2","userName":"hp2@acme.nl","active":true,"profile":{"__proto__":"x"}}`), { key: 'h-p2', userName: 'hp2@acme.nl', active: true, profile: {} }),
		((p) => good('constructor as a profile path (dropped)', { ...p, profile: { ...(p.profile as object), constructor: 'x' } }, p))(person(next())),
		bad('unknown record field', { ...person(next()), department: 'Care' }, /department|unknown/i),
		// 1 MB strings.
		bad('1 MB userName', { ...person(next()), userName: `${MB}@acme.nl` }, /userName|longer/i),
		bad('1 MB profile value', person(next(), {}, { title: MB }), /title|longer/i),
		bad('1 MB group name', person(next(), { groups: [MB] }), /group|longer/i),
		bad('2,049-character value', person(next(), {}, { title: 't'.repeat(2049) }), /title|longer/i),
		// Control and bidi characters.
		bad('C0 NUL in a name', person(next(), {}, { 'name.givenName': 'Ann\u0000e' }), /givenName|control/i),
		bad('C0 tab in a name', person(next(), {}, { 'name.familyName': 'de\tVries' }), /familyName|control/i),
		bad('C0 line break in a title', person(next(), {}, { title: 'Nurse\r\nAdmin' }), /title|control/i),
		bad('C1 NEL in a name', person(next(), {}, { 'name.givenName': 'Ann\u0085e' }), /givenName|control/i),
		bad('C1 CSI in a department', person(next(), {}, { [`${ENT}:department`]: 'Care\u009b31m' }), /department|control/i),
		bad('DEL in a group name', person(next(), { groups: ['Care\u007f'] }), /group|control/i),
		bad('U+202E bidi override in a name', person(next(), {}, { 'name.familyName': 'evil\u202egnp.exe' }), /familyName|bidi|direction/i),
		bad('U+202E bidi override in a userName', { ...person(next()), userName: 'admin\u202e@acme.nl' }, /userName|bidi|direction/i),
		bad('U+2066 bidi isolate in a group name', person(next(), { groups: ['\u2066Admins'] }), /group|bidi|direction/i),
		// Homoglyphs: Latin mixed with Cyrillic or Greek look-alikes in one address.
		bad('Cyrillic а in a Latin e-mail', { ...person(next()), userName: 'аdmin@acme.nl' }, /userName|script|look/i),
		bad('Greek ο in a Latin domain', { ...person(next()), userName: 'admin@acme-cοrp.nl' }, /userName|script|look/i),
		bad('Cyrillic е in a work e-mail', person(next(), {}, { 'emails[type eq "work"].value': 'hostilе@acme.nl' }), /emails|script|look/i),
		// Invalid e-mails, dates, photos.
		bad('userName with a space', { ...person(next()), userName: 'not an email' }, /userName/i),
		bad('userName without a domain dot', { ...person(next()), userName: 'a@b' }, /userName|e-mail/i),
		bad('work e-mail without a domain', person(next(), {}, { 'emails[type eq "work"].value': 'x@' }), /emails|e-mail/i),
		bad('a birth date', person(next(), {}, { [`${PLEK}:birthDate`]: '1990-02-31' }), /birth/i),
		bad('a photo', person(next(), {}, { 'photos[type eq "photo"].value': 'https://x/y.png' }), /photo|picture/i),
		bad('a whole-element path', person(next(), {}, { 'emails[type eq "work"]': 'a@acme.nl' }), /emails|sub-attribute/i),
		bad('a path with a leading space', person(next(), {}, { ' title': 'Nurse' }), /title|spaces/i),
		bad('userName as a profile path', person(next(), {}, { userName: 'x@acme.nl' }), /userName/i),
		bad('an unparseable path', person(next(), {}, { 'emails[type eq "work".value': 'a@acme.nl' }), /emails|path/i),
		// Wrong types.
		bad('userName an array', { ...person(next()), userName: ['a@acme.nl'] }, /userName/i),
		bad('userName an object', { ...person(next()), userName: { value: 'a@acme.nl' } }, /userName/i),
		bad('active a string', { ...person(next()), active: 'true' }, /active/i),
		// Document mode: a record without active is active, one group name is a list of one.
		((p) => good('active missing (document mode: active)', without(p, 'active'), p))(person(next())),
		bad('profile an array', { ...person(next()), profile: [] }, /profile/i),
		bad('profile a string', { ...person(next()), profile: 'title=Nurse' }, /profile/i),
		bad('profile value an array', person(next(), {}, { title: ['Nurse'] }), /title/i),
		bad('profile value an object', person(next(), {}, { title: { value: 'Nurse' } }), /title/i),
		((p) => good('groups a string (document mode: a list of one)', { ...p, groups: 'All staff' }, p))(person(next())),
		bad('groups holding numbers', { ...person(next()), groups: [1, 2] }, /group/i),
		bad('groups holding an empty name', { ...person(next()), groups: ['  '] }, /group/i),
		bad('createOnly a string', { ...person(next()), createOnly: 'title' }, /createOnly/i),
		bad('10,000 groups on one user', person(next(), { groups: Array.from({ length: 10_000 }, (_, i) => `Mass group ${i}`) }), /groups/i),
	];
	return [...entries, ...badEntries];
}
