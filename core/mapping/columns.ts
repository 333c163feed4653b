// Columns: which input fields (columns of an export, attributes of an LDAP entry) the mapping's expressions read,
// and, when an expression reads a column that no input item has, what the items have instead: the nearest name
// ("did you mean") and the invisible character that makes two names look alike (a BOM, NBSP, zero-width space,
// a trailing space). Free of n8n.

/** Invisible or look-alike characters that HR exports leave in column names, with the name a person recognises. */
const INVISIBLE_CHARACTERS: ReadonlyArray<[string, string]> = [
	['\uFEFF', 'a byte-order mark (U+FEFF)'],
	['\u00A0', 'a non-breaking space (U+00A0)'],
	['\u200B', 'a zero-width space (U+200B)'],
	['\u200C', 'a zero-width non-joiner (U+200C)'],
	['\u200D', 'a zero-width joiner (U+200D)'],
	['\u2060', 'a word joiner (U+2060)'],
	['\u202F', 'a narrow no-break space (U+202F)'],
	['\u00AD', 'a soft hyphen (U+00AD)'],
];
const INVISIBLE = new Map(INVISIBLE_CHARACTERS);
const INVISIBLE_PATTERN = /[\uFEFF\u00A0\u200B-\u200D\u2060\u202F\u00AD]/g;

const BOM = '\uFEFF';

/**
 * The top-level fields an expression reads: the first step of every path evaluated against the input item itself
 * (`Achternaam`, `` `E-mail werk` ``, `$.Medewerker`). Paths inside filters, nested steps and lambdas read other
 * contexts and are left out: a column listed here is one the item should have.
 */
export function referencedColumns(ast: unknown): string[] {
	const found = new Set<string>();
	collect(ast, found, 0);
	return [...found];
}

function collect(node: unknown, found: Set<string>, depth: number): void {
	if (typeof node !== 'object' || node === null || depth > 500) return;
	if (Array.isArray(node)) {
		for (const child of node) collect(child, found, depth + 1);
		return;
	}
	const n = node as Record<string, unknown>;
	if (n.type === 'lambda') return;
	if (n.type === 'path' && Array.isArray(n.steps)) {
		collectPathHead(n.steps as Array<Record<string, unknown>>, found, depth);
		return;
	}
	for (const key of ['lhs', 'rhs', 'condition', 'then', 'else', 'expression', 'expressions', 'arguments']) {
		if (key in n) collect(n[key], found, depth + 1);
	}
}

/** The column a path starts from (its first name step, or the one after a leading `$`); its first step's own operands. */
function collectPathHead(steps: Array<Record<string, unknown>>, found: Set<string>, depth: number): void {
	const head = steps[0]?.type === 'variable' && steps[0].value === '' && steps.length > 1 ? steps[1] : steps[0];
	if (head?.type === 'name' && typeof head.value === 'string') found.add(head.value);
	// A path that starts with a function call or a block reads columns inside it (`$lowercase(Afdeling).x`).
	else if (head && head.type !== 'variable') collect(head, found, depth + 1);
}

/** A name with its invisible characters written out, so a message shows the difference: `"Medewerker\u00A0"`. */
export function showName(name: string): string {
	const visible = name.replace(INVISIBLE_PATTERN, (ch) => `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
	return `\`${visible}\``;
}

/** What a column name has that the referenced name lacks: invisible characters, or leading/trailing spaces. */
export function invisibleDifference(column: string): string | undefined {
	const kinds = new Set<string>();
	for (const ch of column) {
		const kind = INVISIBLE.get(ch);
		if (kind) kinds.add(kind);
	}
	// Spaces proper (trim() would count the BOM and NBSP as spaces too).
	const visible = column.replace(INVISIBLE_PATTERN, '');
	if (/^[ \t]/.test(visible)) kinds.add('a leading space');
	if (/[ \t]$/.test(visible)) kinds.add('a trailing space');
	return kinds.size > 0 ? [...kinds].join(' and ') : undefined;
}

/** A name reduced for comparing: no invisible characters, spaces/underscores/hyphens/dots, case folded. */
const comparable = (name: string) => name.replace(INVISIBLE_PATTERN, '').normalize('NFKC').toLowerCase().replace(/[\s_\-.]+/g, '');

/** Edit distance (Levenshtein), bounded: anything over `limit` counts as limit + 1. */
function editDistance(a: string, b: string, limit: number): number {
	if (Math.abs(a.length - b.length) > limit) return limit + 1;
	let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		let best = i;
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
			best = Math.min(best, current[j]);
		}
		if (best > limit) return limit + 1;
		previous = current;
	}
	return previous[b.length];
}

/** The existing column most like `wanted`: equal but for invisible characters/case/spacing first, then by edit distance. */
export function nearestColumn(wanted: string, columns: readonly string[]): string | undefined {
	const target = comparable(wanted);
	const same = columns.find((column) => comparable(column) === target);
	if (same !== undefined) return same;
	const limit = Math.max(2, Math.floor(target.length / 3));
	let best: string | undefined;
	let bestDistance = limit + 1;
	for (const column of columns) {
		const other = comparable(column);
		// One name inside the other (`E-mail` for `E-mail werk`) is as near as the limit allows.
		const contained = Math.min(other.length, target.length) >= 4 && (other.includes(target) || target.includes(other));
		const distance = Math.min(editDistance(target, other, limit), contained ? limit : limit + 1);
		if (distance < bestDistance) {
			best = column;
			bestDistance = distance;
		}
	}
	return best;
}

/** A column an expression reads that no input item has, with what to do about it. */
export interface MissingColumn {
	column: string;
	/** The existing column most like it. */
	nearest?: string;
	/** Why `nearest` looks the same but is not: its invisible characters. */
	invisible?: string;
	/** One sentence naming the column, the nearest match and the columns the items do have. */
	message: string;
}

const MAX_LISTED_COLUMNS = 40;

/** The columns the items have, in first-seen order (top-level keys of every item). */
export function columnsOf(items: readonly unknown[]): string[] {
	const seen = new Set<string>();
	for (const item of items) {
		if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
		for (const key in item) if (Object.prototype.hasOwnProperty.call(item, key)) seen.add(key);
	}
	return [...seen];
}

const hasColumn = (item: unknown, column: string) =>
	typeof item === 'object' && item !== null && Object.prototype.hasOwnProperty.call(item, column);

/** The listing of existing columns for a message (capped, names shown with their invisible characters). */
export function listColumns(columns: readonly string[]): string {
	const shown = columns.slice(0, MAX_LISTED_COLUMNS).map(showName).join(', ');
	return columns.length > MAX_LISTED_COLUMNS ? `${shown} and ${columns.length - MAX_LISTED_COLUMNS} more` : shown || '(none)';
}

/**
 * The referenced columns that no item has, each with the nearest existing column and its invisible characters.
 * Cheap when nothing is missing: a column is looked for item by item and found in the first one as a rule.
 */
export function findMissingColumns(referenced: readonly string[], items: readonly unknown[]): MissingColumn[] {
	const missing = referenced.filter((column) => !items.some((item) => hasColumn(item, column)));
	if (missing.length === 0 || items.length === 0) return [];
	const columns = columnsOf(items);
	return missing.map((column) => {
		const nearest = nearestColumn(column, columns);
		const invisible = nearest === undefined ? undefined : invisibleDifference(nearest);
		let advice = '';
		if (nearest !== undefined) {
			advice = invisible
				? ` The column ${showName(nearest)} looks the same but has ${invisible}: remove it in the source or read the column as ${showName(nearest)}.`
				: ` Did you mean ${showName(nearest)}?`;
		}
		const message = `column ${showName(column)} is in no input item.${advice} The items have: ${listColumns(columns)}.`;
		return { column, nearest, invisible, message };
	});
}

/**
 * Removes a byte-order mark from the start of an item's first column name (what a UTF-8 CSV with a BOM gives when
 * the file is read without *Exclude Byte Order Mark*). Returns the cleaned item, or undefined when it had none (or
 * when the clean name is taken too: then the item is left as it is). Keeps the column order.
 */
export function withoutLeadingBom(item: Record<string, unknown>): { item: Record<string, unknown>; column: string } | undefined {
	let first: string | undefined;
	for (const key in item) {
		first = key;
		break;
	}
	if (first === undefined || first.charCodeAt(0) !== 0xfeff) return undefined;
	const clean = first.slice(BOM.length);
	if (clean === '' || Object.prototype.hasOwnProperty.call(item, clean)) return undefined;
	const out: Record<string, unknown> = {};
	for (const key of Object.keys(item)) out[key === first ? clean : key] = item[key];
	return { item: out, column: clean };
}

/** String literals of an expression (`'E-mail werk'`), for spotting a column name written as text instead of in backticks. */
export function stringLiterals(ast: unknown, found: Set<string> = new Set(), depth = 0): Set<string> {
	if (typeof ast !== 'object' || ast === null || depth > 500) return found;
	if (Array.isArray(ast)) {
		for (const child of ast) stringLiterals(child, found, depth + 1);
		return found;
	}
	const n = ast as Record<string, unknown>;
	if (n.type === 'string' && typeof n.value === 'string') found.add(n.value);
	for (const key of Object.keys(n)) if (key !== 'position' && typeof n[key] === 'object') stringLiterals(n[key], found, depth + 1);
	return found;
}

/** A column name that needs backticks in JSONata (spaces, hyphens, a leading digit...). */
export const needsBackticks = (column: string) => !/^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(column);

/** The existing columns with spaces or other characters an expression wrote as quoted text instead of in backticks. */
export function columnsWrittenAsText(literals: ReadonlySet<string>, items: readonly unknown[]): string[] {
	const first = items.find((item) => typeof item === 'object' && item !== null);
	if (first === undefined) return [];
	const sample = items.length > 1000 ? items.slice(0, 1000) : items;
	return [...literals].filter((text) => needsBackticks(text) && sample.some((item) => hasColumn(item, text)));
}
